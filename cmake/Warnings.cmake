# Project warning flags (style.md rule 28). Third-party headers are SYSTEM includes.
function(volley_warnings target)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
        -Woverloaded-virtual -Wold-style-cast -Wimplicit-fallthrough -Wnull-dereference>)
    if(VOLLEY_WERROR)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
    endif()
endfunction()
