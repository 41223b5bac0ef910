# ASan + UBSan for the whole build (the asan-ubsan preset). QuickJS is built with them too so
# that its allocations are tracked.
if(VOLLEY_SANITIZE)
    # Debian's Boost.Context uses the fcontext backend, which has no ASan fiber annotations: an
    # exception thrown on a coroutine stack then trips __asan_handle_no_return and ASan reports
    # false stack overflows (boostorg/context#70). Boost.Context's header-only ucontext backend
    # announces every switch to ASan; it is slower, which only matters for benchmarks.
    add_compile_definitions(BOOST_USE_UCONTEXT BOOST_USE_ASAN)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
