#include "net/ws_error_code.hpp"

#include <array>
#include <cerrno>
#include <utility>

namespace volley::net::ws_error {

int of_status(int status) {
    return status >= 400 && status <= 599 ? 1000 + status : kBadStatus;
}

int of_close(std::uint16_t close_code) {
    switch (close_code) {
    case 1000:
    case 1001:
        return 0;
    case 1005:
        return kCloseNoStatus;
    case 1006:
        return kAbnormalClosure;
    case 1002:
    case 1003:
    case 1007:
    case 1009:
    case 1010:
        return kCloseProtocol;
    case 1008:
        return kClosePolicy;
    case 1011:
    case 1012:
    case 1013:
    case 1014:
        return kCloseServerError;
    default:
        break;
    }
    if (close_code >= 3000 && close_code <= 3999) {
        return kCloseLibrary;
    }
    if (close_code >= 4000 && close_code <= 4999) {
        return kClosePrivate;
    }
    return kBadCloseCode;
}

int of_io(const boost::system::error_code& ec, StopCause cause) {
    if (cause == StopCause::kTimeout) {
        return kWriteTimeout;
    }
    if (ec.category() == boost::system::system_category()) {
        if (ec.value() == ECONNRESET) {
            return kReset;
        }
        if (ec.value() == EPIPE) {
            return kBrokenPipe;
        }
    }
    return kTcp;
}

int of_tls_text(std::string_view text) {
    auto has = [text](std::string_view part) { return text.find(part) != std::string_view::npos; };
    if (has("certificate signed by unknown authority")) {
        return kUnknownAuthority;
    }
    if (has("not valid for the requested host name")) {
        return kHostnameMismatch;
    }
    if (has("has expired or is not yet valid")) {
        return kCertExpired;
    }
    if (text.starts_with("remote error: tls: ")) {
        return kTlsAlert;
    }
    if (has("wrong version number") || has("packet length too long") ||
        has("record layer failure")) {
        return kTlsNotTls;
    }
    return kTls;
}

std::string_view name(int code) {
    static constexpr std::array<std::pair<int, std::string_view>, 47> kNames = {{
        {kGeneric, "generic"},
        {kInvalidUrl, "invalid_url"},
        {kTimeout, "handshake_timeout"},
        {kDns, "dns"},
        {kNoSuchHost, "dns_no_such_host"},
        {kBlacklistedIp, "blacklisted_ip"},
        {kBlockedHostname, "blocked_hostname"},
        {kTcp, "tcp"},
        {kBrokenPipe, "broken_pipe"},
        {kDialTimeout, "dial_timeout"},
        {kDialRefused, "dial_refused"},
        {kDialErrno, "dial_errno"},
        {kReset, "reset_by_peer"},
        {kWriteTimeout, "write_timeout"},
        {kTls, "tls"},
        {kTlsNotTls, "tls_not_tls"},
        {kTlsAlert, "tls_alert"},
        {kUnknownAuthority, "tls_unknown_authority"},
        {kHostnameMismatch, "tls_hostname_mismatch"},
        {kCertExpired, "tls_cert_expired"},
        {kBadStatus, "handshake_status"},
        {kBadAccept, "handshake_bad_accept"},
        {kBadUpgradeHeaders, "handshake_bad_upgrade_headers"},
        {kBadCompression, "handshake_bad_compression"},
        {kMalformedResponse, "handshake_malformed_response"},
        {kHandshakeEof, "handshake_eof"},
        {kBadRequestHeader, "bad_request_header"},
        {kReservedBits, "protocol_reserved_bits"},
        {kBadOpcode, "protocol_bad_opcode"},
        {kMaskedFrame, "protocol_masked_frame"},
        {kBadControlFrame, "protocol_bad_control_frame"},
        {kBadFragmentation, "protocol_bad_fragmentation"},
        {kBadCloseCode, "protocol_bad_close_code"},
        {kBadCloseReason, "protocol_bad_close_reason"},
        {kReadLimit, "protocol_read_limit"},
        {kBadCompressedData, "protocol_bad_compressed_data"},
        {kAbnormalClosure, "abnormal_closure"},
        {kCloseNoStatus, "close_no_status"},
        {kCloseProtocol, "close_protocol"},
        {kClosePolicy, "close_policy"},
        {kCloseServerError, "close_server_error"},
        {kCloseLibrary, "close_library"},
        {kClosePrivate, "close_private"},
        {kWriteAfterClose, "write_after_close"},
        {kControlPayloadSize, "control_payload_size"},
        {1400, "handshake_status_4xx"},
        {1500, "handshake_status_5xx"},
    }};
    if (code >= 1400 && code <= 1599) {
        code = code < 1500 ? 1400 : 1500;
    }
    for (const auto& [c, n] : kNames) {
        if (c == code) {
            return n;
        }
    }
    return {};
}

} // namespace volley::net::ws_error
