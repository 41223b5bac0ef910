# QuickJS 2025.04.26, fetched by scripts/setup from Debian trixie's source package into
# build/_deps/quickjs (never committed). Built as a C library with its own flags.
set(VOLLEY_QUICKJS_DIR "${CMAKE_SOURCE_DIR}/build/_deps/quickjs" CACHE PATH "QuickJS source")
if(NOT EXISTS "${VOLLEY_QUICKJS_DIR}/quickjs.c")
    message(FATAL_ERROR "QuickJS source not found in ${VOLLEY_QUICKJS_DIR}.\n"
                        "hint: run scripts/setup first (it fetches it)")
endif()
add_library(quickjs STATIC
    ${VOLLEY_QUICKJS_DIR}/quickjs.c ${VOLLEY_QUICKJS_DIR}/dtoa.c
    ${VOLLEY_QUICKJS_DIR}/libregexp.c ${VOLLEY_QUICKJS_DIR}/libunicode.c
    ${VOLLEY_QUICKJS_DIR}/cutils.c)
target_compile_options(quickjs PRIVATE -O2 -fwrapv -w)
target_compile_definitions(quickjs PRIVATE _GNU_SOURCE CONFIG_VERSION="2025-04-26")
target_include_directories(quickjs SYSTEM PUBLIC ${VOLLEY_QUICKJS_DIR})
target_link_libraries(quickjs PUBLIC m)
set_target_properties(quickjs PROPERTIES POSITION_INDEPENDENT_CODE ON)
