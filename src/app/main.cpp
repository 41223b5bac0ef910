// volley's entry point: argv -> cli -> command; a UserError becomes one error line with its
// hint on stderr and k6's exit code (style.md rules 8 and 13).

#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include "app/archive.hpp"
#include "app/cli.hpp"
#include "app/merge_command.hpp"
#include "app/run_command.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "wsecho/echo_command.hpp"

namespace {

// The first line of a message goes into the log line; further lines (a syntax error's source
// excerpt) follow as they are, so they stay readable.
// An error message longer than this is cut: a syntax error quotes its source line, and a
// 10 MiB one-line script must not become 10 MB of stderr.
constexpr std::size_t kMaxErrorBytes = 8192;

std::string cut_error(const std::string& message) {
    if (message.size() <= kMaxErrorBytes) {
        return message;
    }
    std::size_t end = kMaxErrorBytes;
    while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) {
        --end; // not inside a UTF-8 sequence
    }
    return message.substr(0, end) + "… (" + std::to_string(message.size() - end) + " more bytes)";
}

// One record, as k6 logs an error: line breaks, tabs and unprintable bytes are escaped by the
// logfmt quoting, so every error is one line of stderr.
int report(const std::string& message, const std::string& hint, volley::ExitCode code) {
    volley::log::Fields fields;
    if (!hint.empty()) {
        fields.emplace_back("hint", hint);
    }
    volley::log::write(volley::log::Level::kError, cut_error(message), fields);
    return static_cast<int>(code);
}

int dispatch(const volley::app::Cli& cli) {
    using volley::app::Command;
    switch (cli.command) {
    case Command::kRun:
        return volley::app::run_command(cli.run);
    case Command::kInspect:
        return volley::app::inspect_command(cli.run);
    case Command::kArchive:
        return volley::app::archive_command(cli.run);
    case Command::kMerge:
        return volley::app::merge_command(cli.merge);
    case Command::kEcho:
        return volley::wsecho::run_echo_command(cli.rest);
    case Command::kVersion:
        std::printf("volley %s (k6 v1.6.1 compatible, QuickJS 2025-04-26)\n", VOLLEY_VERSION);
        return 0;
    case Command::kHelp:
        break;
    }
    std::fputs(cli.help.c_str(), stdout);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    // A closed pipe is an error of the write that met it (EPIPE: an output reports it once and
    // the test goes on), never a signal that ends the run and loses its summary.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return dispatch(volley::app::parse_cli(argc, argv));
    } catch (const volley::UserError& e) {
        return report(e.what(), e.hint(), e.code());
    } catch (const std::exception& e) {
        return report(e.what(), "", volley::ExitCode::kGeneric);
    }
}
