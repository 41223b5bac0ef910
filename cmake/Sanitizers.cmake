# ASan + UBSan for the whole build (the asan-ubsan preset). QuickJS is built with them too so
# that its allocations are tracked.
if(VOLLEY_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
