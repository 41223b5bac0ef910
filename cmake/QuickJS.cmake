# QuickJS 2025.04.26, fetched by scripts/setup from Debian trixie's source package into
# build/_deps/quickjs (never committed). Built as a C library with its own flags.
set(VOLLEY_QUICKJS_DIR "${CMAKE_SOURCE_DIR}/build/_deps/quickjs" CACHE PATH "QuickJS source")
if(NOT EXISTS "${VOLLEY_QUICKJS_DIR}/quickjs.c")
    message(FATAL_ERROR "QuickJS source not found in ${VOLLEY_QUICKJS_DIR}.\n"
                        "hint: run scripts/setup first (it fetches it)")
endif()

# The fetched source stays as checked against the .dsc; the build compiles a copy with these
# changes, each made by qjs_patch (which fails the configure step if the text is not found):
# * one message worded as Sobek (k6's engine) words it, because scripts and tests see it: an
#   assignment to a read-only property in strict code throws "Cannot assign to read only
#   property 'x'" in k6 where QuickJS says "'x' is read-only";
# * a native module's namespace object (`import * as ns from 'k6/crypto'`) without "default",
#   as Sobek's Go modules have it (the default import still works);
# * the default allocator notes in JSMallocState.opaque (NULL otherwise: volley never sets it)
#   the size of an allocation that failed on the runtime's memory limit, so that a VU over its
#   limit is told apart from one whose script threw (JS_MemoryLimitReached, quickjs_additions.c);
# * ArrayBuffer storage from calloc (JS_CallocArrayBufferData, quickjs_additions.c) instead of
#   malloc + memset: large blocks are then fresh zero pages the kernel maps only when written,
#   as Go gives k6, instead of every page touched at once;
# * cmake/quickjs_additions.c, our own code that needs QuickJS's internals, appended.
set(qjs_source "${VOLLEY_QUICKJS_DIR}/quickjs.c")
set(qjs_copy "${CMAKE_BINARY_DIR}/quickjs-k6/quickjs.c")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${qjs_source}")
file(READ "${qjs_source}" qjs_text)
function(qjs_patch from to what)
    string(FIND "${qjs_text}" "${from}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "quickjs.c has no ${what}: is it version 2025.04.26?")
    endif()
    string(REPLACE "${from}" "${to}" patched "${qjs_text}")
    set(qjs_text "${patched}" PARENT_SCOPE)
endfunction()
qjs_patch("\"'%s' is read-only\"" "\"Cannot assign to read only property '%s'\""
          "read-only error text")
qjs_patch("ExportedNameEntry *en = &s->exported_names[i];\n        switch(en->export_type) {"
          "ExportedNameEntry *en = &s->exported_names[i];\n        if (m->init_func && en->export_name == JS_ATOM_default) continue;\n        switch(en->export_type) {"
          "js_build_module_ns loop")
qjs_patch("    if (unlikely(s->malloc_size + size > s->malloc_limit))\n        return NULL;"
          "    if (unlikely(s->malloc_size + size > s->malloc_limit)) {\n        s->opaque = (void *)(uintptr_t)size;\n        return NULL;\n    }"
          "js_def_malloc limit check")
qjs_patch("    if (s->malloc_size + size - old_size > s->malloc_limit)\n        return NULL;"
          "    if (s->malloc_size + size - old_size > s->malloc_limit) {\n        s->opaque = (void *)(uintptr_t)(size - old_size);\n        return NULL;\n    }"
          "js_def_realloc limit check")
qjs_patch("abuf->data = js_mallocz(ctx, max_int(len, 1));"
          "abuf->data = JS_CallocArrayBufferData(ctx, max_int(len, 1));"
          "ArrayBuffer allocation")
qjs_patch("static JSValue js_array_buffer_constructor3("
          "void *JS_CallocArrayBufferData(JSContext *ctx, size_t size);\nstatic JSValue js_array_buffer_constructor3("
          "js_array_buffer_constructor3")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${CMAKE_SOURCE_DIR}/cmake/quickjs_additions.c")
file(READ "${CMAKE_SOURCE_DIR}/cmake/quickjs_additions.c" qjs_additions)
string(APPEND qjs_text "${qjs_additions}")
file(WRITE "${qjs_copy}.new" "${qjs_text}")
file(COPY_FILE "${qjs_copy}.new" "${qjs_copy}" ONLY_IF_DIFFERENT) # no rebuild when unchanged

add_library(quickjs STATIC
    ${qjs_copy} ${VOLLEY_QUICKJS_DIR}/dtoa.c
    ${VOLLEY_QUICKJS_DIR}/libregexp.c ${VOLLEY_QUICKJS_DIR}/libunicode.c
    ${VOLLEY_QUICKJS_DIR}/cutils.c)
target_compile_options(quickjs PRIVATE -O2 -fwrapv -w)
target_compile_definitions(quickjs PRIVATE _GNU_SOURCE CONFIG_VERSION="2025-04-26")
target_include_directories(quickjs SYSTEM PUBLIC ${VOLLEY_QUICKJS_DIR})
target_link_libraries(quickjs PUBLIC m)
set_target_properties(quickjs PROPERTIES POSITION_INDEPENDENT_CODE ON)
