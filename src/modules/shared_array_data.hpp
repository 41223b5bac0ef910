#pragma once

// The elements of one k6/data SharedArray, stored once for the whole test: each element is the
// JSON text JSON.stringify gave for it (k6 stores the same strings, share.go), kept back to back
// in one buffer. Built by one thread, then immutable and read by every VU on every thread
// without a lock.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace volley::modules {

class SharedArrayData {
public:
    // Appends one element's JSON text ("undefined" for what JSON.stringify leaves out, as k6
    // stores it). Only while building, before the data is shared.
    void append(std::string_view json);
    // Gives back the spare capacity left by appending; call once, when the last element is in.
    void shrink();

    std::size_t size() const { return ends_.size(); }
    // The JSON text of element `i` (< size()), followed in memory by a '\0' (JS_ParseJSON's
    // precondition).
    std::string_view element(std::size_t i) const;
    // Bytes held: the texts, their terminators and the offsets.
    std::size_t bytes() const;

private:
    std::string text_;              // every element's text, each followed by '\0'
    std::vector<std::size_t> ends_; // end of element i's text in text_ (its '\0')
};

} // namespace volley::modules
