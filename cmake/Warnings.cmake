# Project warning flags (style.md rule 28). Third-party headers are SYSTEM includes.
function(volley_warnings target)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
        -Woverloaded-virtual -Wold-style-cast -Wimplicit-fallthrough -Wnull-dereference>)
    # At -O2 GCC 12 reports -Wnull-dereference inside Boost.Asio code inlined into ours (false
    # positives on io_context executors) and -Wrestrict on plain std::string assignments (GCC
    # bug 105329); keep both where they are reliable, in Debug.
    target_compile_options(${target} PRIVATE
        $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<NOT:$<CONFIG:Debug>>>:-Wno-null-dereference>
        $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>,$<NOT:$<CONFIG:Debug>>>:-Wno-restrict>)
    if(VOLLEY_WERROR)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
    endif()
endfunction()
