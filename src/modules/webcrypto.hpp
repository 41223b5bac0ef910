#pragma once

// The global `crypto` object of k6 v1.6.1 (internal/js/modules/k6/webcrypto, set up globally by
// every VU): getRandomValues(), randomUUID(), `subtle` (modules/webcrypto_subtle.hpp) and
// `CryptoKey`, each a read-only enumerable property, as k6 defines them. Also
// "k6/experimental/webcrypto", which k6 v1.6.1 has removed: importing it throws k6's message.
// k6 v1.6.1 has no TextEncoder/TextDecoder, so neither is defined here.

#include "quickjs.h"

#include "js/module_registry.hpp"

namespace volley::modules {

// Defines `crypto` (writable, enumerable, configurable) on the global object of a VU's context.
void install_crypto_global(JSContext* ctx);

js::NativeModule experimental_webcrypto_module();

} // namespace volley::modules
