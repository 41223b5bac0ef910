#pragma once

// The errors of k6's webcrypto (errors.go): a name (DataError, NotSupportedError, ...) and a
// message. Thrown synchronously (getRandomValues) they are GoErrors whose message is
// "<name>: <message>"; a subtle.* promise is rejected with a plain object {name, message} whose
// toString() gives "<name>: <message>", as k6 rejects with the Go struct.

#include <stdexcept>
#include <string>

#include "quickjs.h"

namespace volley::modules {

class WebCryptoError : public std::runtime_error {
public:
    WebCryptoError(std::string name, const std::string& message)
        : std::runtime_error(message), name_(std::move(name)) {}
    const std::string& name() const noexcept { return name_; }

private:
    std::string name_;
};

// The rejection value of a subtle.* promise for `e`.
JSValue webcrypto_error_value(JSContext* ctx, const WebCryptoError& e);

} // namespace volley::modules
