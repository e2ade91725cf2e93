# vfi_set_warnings(target): the project's warning level; errors in CI (VFI_WERROR).
function(vfi_set_warnings target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${VFI_WERROR}>:/WX>)
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
            $<$<BOOL:${VFI_WERROR}>:-Werror>)
    endif()
endfunction()
