#pragma once

// Go's strconv.Quote (fmt's %q), which k6 and logrus use in texts users and scripts see:
// `parse "ws://a b": ...`, threshold errors, quoted log values. Pure; any thread.

#include <string>
#include <string_view>

namespace volley {

// `s` in double quotes with Go's escapes: \" and \\; \a \b \f \n \r \t \v; \xNN for other
// ASCII controls, DEL and bytes that are not valid UTF-8; \uNNNN for the non-printable
// characters among the C1 controls, the Unicode spaces other than ' ', the line and paragraph
// separators, the soft hyphen and the byte-order mark. Printable UTF-8 stays as it is.
std::string go_quote(std::string_view s);

// errno as Go's syscall.Errno words it: strerror with a lower-case first letter ("no such file
// or directory").
std::string go_errno_text(int err);

} // namespace volley
