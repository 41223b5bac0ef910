// Boost.Context's ucontext backend, for the asan-ubsan preset only (cmake/Sanitizers.cmake).
// The backend is header-only except for the per-thread record of the running context, which
// Boost keeps in its compiled library; Debian's library is built for fcontext and lacks it, so
// it is defined here. Unused (and empty) in every other build.

#if defined(BOOST_USE_UCONTEXT)

#include <boost/context/fiber.hpp>

namespace boost::context::detail {
namespace {

// The main context of each thread, created on first use (a Schwarz counter, as in Boost).
thread_local fiber_activation_record* current_record = nullptr;
thread_local std::size_t initializers = 0;

} // namespace

fiber_activation_record_initializer::fiber_activation_record_initializer() noexcept {
    if (initializers++ == 0) {
        current_record = new fiber_activation_record();
    }
}

fiber_activation_record_initializer::~fiber_activation_record_initializer() {
    if (--initializers == 0) {
        delete current_record;
        current_record = nullptr;
    }
}

fiber_activation_record*& fiber_activation_record::current() noexcept {
    thread_local static fiber_activation_record_initializer initializer;
    return current_record;
}

} // namespace boost::context::detail

#endif
