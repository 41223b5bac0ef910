#include "modules/ws_debug.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>

#include "modules/vu_api.hpp"
#include "util/error.hpp"
#include "util/go_base64.hpp"
#include "util/utf8.hpp"

namespace volley::modules {
namespace {

UserError usage(const std::string& message, const std::string& hint) {
    return UserError(message, hint, ExitCode::kGeneric);
}

std::string opcode_name(std::uint8_t op) {
    switch (op) {
    case 0x0:
        return "continuation";
    case 0x1:
        return "text";
    case 0x2:
        return "binary";
    case 0x8:
        return "close";
    case 0x9:
        return "ping";
    case 0xA:
        return "pong";
    default:
        return std::to_string(op);
    }
}

std::uint64_t parse_vu(std::string_view text, const std::string& whole) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v == 0) {
        throw usage("invalid --ws-debug-vus '" + whole + "'",
                    "give VU numbers and ranges from 1, e.g. 1,3-5");
    }
    return v;
}

// The start of a payload: as text when it is UTF-8 (the log quotes and escapes it as it does any
// value), else in hex; and how many bytes were left out.
void add_payload(std::string_view payload, log::Fields& fields) {
    std::string_view shown = payload.substr(0, kPayloadShown);
    bool cut = shown.size() < payload.size();
    for (std::size_t back = 0; cut && back < 3 && !shown.empty() && !is_valid_utf8(shown); ++back) {
        shown.remove_suffix(1); // the cut may have split a character
    }
    if (is_valid_utf8(shown)) {
        fields.emplace_back("payload", std::string(shown));
    } else {
        shown = payload.substr(0, kPayloadShown);
        fields.emplace_back("payload_hex", hex_encode(shown));
    }
    if (shown.size() < payload.size()) {
        fields.emplace_back("payload_more", std::to_string(payload.size() - shown.size()));
    }
}

class FrameLogger : public net::FrameObserver {
public:
    FrameLogger(WsDebugLog& log, VuApi& vu) : log_(log), vu_(vu), socket_(log.next_socket_id()) {}

    void on_frame(const net::FrameInfo& f) override {
        log::Fields fields = {{"source", "ws-debug"},
                              {"vu", std::to_string(vu_.id())},
                              {"iter", std::to_string(vu_.iteration())},
                              {"socket", std::to_string(socket_)},
                              {"dir", f.sent ? "sent" : "received"},
                              {"opcode", opcode_name(f.opcode)},
                              {"fin", f.fin ? "true" : "false"},
                              {"rsv1", f.rsv1 ? "true" : "false"},
                              {"masked", f.masked ? "true" : "false"},
                              {"len", std::to_string(f.length)}};
        if (f.rejected) {
            fields.emplace_back("rejected", std::string(f.problem));
        }
        if (log_.full() && !f.rejected) {
            add_payload(f.payload, fields);
        }
        log_.write(fields);
    }

private:
    WsDebugLog& log_;
    VuApi& vu_;
    std::uint64_t socket_;
};

} // namespace

VuRanges parse_vu_ranges(const std::string& text) {
    VuRanges out;
    std::string_view rest(text);
    while (!rest.empty() || out.empty()) {
        std::string_view item = rest.substr(0, rest.find(','));
        rest.remove_prefix(std::min(rest.size(), item.size() + 1));
        auto dash = item.find('-');
        std::uint64_t from = parse_vu(item.substr(0, dash), text);
        std::uint64_t to =
            dash == std::string_view::npos ? from : parse_vu(item.substr(dash + 1), text);
        if (to < from) {
            throw usage("invalid --ws-debug-vus '" + text + "'",
                        "write a range low-high, e.g. 3-5");
        }
        out.emplace_back(from, to);
        if (rest.empty() && text.ends_with(',')) {
            throw usage("invalid --ws-debug-vus '" + text + "'",
                        "give VU numbers and ranges from 1, e.g. 1,3-5");
        }
    }
    return out;
}

WsDebugLog::WsDebugLog(const std::string& mode, VuRanges vus, const std::string& file)
    : full_(mode == "full"), vus_(std::move(vus)) {
    if (!mode.empty() && mode != "headers" && mode != "full") {
        throw usage(
            "invalid --ws-debug value '" + mode + "'",
            "use --ws-debug for the frames' headers, --ws-debug=full for their payloads too");
    }
    if (!file.empty()) {
        file_ = std::fopen(file.c_str(), "we");
        if (file_ == nullptr) {
            throw usage("cannot create the --ws-debug-file " + file + ": " + std::strerror(errno),
                        "choose a writable path");
        }
    }
}

WsDebugLog::~WsDebugLog() {
    if (file_ != nullptr) {
        std::fclose(file_);
    }
}

bool WsDebugLog::selects(std::uint64_t vu) const {
    if (vus_.empty()) {
        return true;
    }
    for (const auto& [from, to] : vus_) {
        if (vu >= from && vu <= to) {
            return true;
        }
    }
    return false;
}

void WsDebugLog::write(const log::Fields& fields) {
    // A frame's line is its fields: with --log-format raw it is written as text.
    std::string line = log::format(log::Level::kInfo, "ws frame", fields, true);
    if (file_ == nullptr) {
        log::write_line(line);
        return;
    }
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
}

std::unique_ptr<net::FrameObserver> frame_logger_for(VuApi& vu) {
    WsDebugLog* log = vu.settings().ws_debug;
    if (log == nullptr || !log->selects(vu.id())) {
        return nullptr;
    }
    return std::make_unique<FrameLogger>(*log, vu);
}

} // namespace volley::modules
