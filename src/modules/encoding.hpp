#pragma once

// k6/encoding (k6's internal/js/modules/k6/encoding/encoding.go): b64encode(input, encoding) and
// b64decode(input, encoding, format) with Go's base64 ("std", "rawstd", "url", "rawurl"; any
// other name means "std"). b64decode gives an ArrayBuffer, or a string when format is "s";
// corrupt input throws Go's "illegal base64 data at input byte N".

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule encoding_module();

} // namespace volley::modules
