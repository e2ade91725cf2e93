# VFI_SANITIZE (the `sanitize` preset): everything built here is instrumented with AddressSanitizer
# (+ LeakSanitizer) and UndefinedBehaviorSanitizer, and any report aborts the process, so a test that
# triggers one fails. Third-party libraries (LibTorch, FFmpeg, Qt from Debian) are not instrumented;
# their known leaks are suppressed in tests/sanitize/lsan.supp, each with the reason.
option(VFI_SANITIZE "Build with ASan + UBSan; tests fail on any report" OFF)
if(VFI_SANITIZE)
    if(MSVC)
        message(FATAL_ERROR "VFI_SANITIZE needs GCC or clang")
    endif()
    # -O1 keeps the instrumented model code within the suites' time limits; frame pointers give the
    # fast unwinder whole stacks; line tables (-g1) are all a report's stack needs and compile much
    # faster than full debug information in the LibTorch-heavy model sources.
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g1)
    add_link_options(-fsanitize=address,undefined)
    # GCC 12's flow analysis at -O1 under ASan reports std::regex and std::function internals as
    # "may be used uninitialized" (false positives in libstdc++ headers); the sanitizers themselves
    # check the real thing at run time.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        add_compile_options(-Wno-maybe-uninitialized)
    endif()
    # What the test processes (and the CLI they start) run with; ctest passes it through ENVIRONMENT.
    # Every report is also written to sanitizer-reports/ (log_path, one file per process), so a report
    # of a child process whose exit a suite expected to be non-zero is not lost:
    # scripts/sanitize-tests.sh fails when the folder holds any.
    set(VFI_SANITIZER_REPORTS ${CMAKE_BINARY_DIR}/sanitizer-reports)
    set(VFI_SANITIZER_ENV
        "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0:check_initialization_order=1:log_path=${VFI_SANITIZER_REPORTS}/asan"
        "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/sanitize/lsan.supp:print_suppressions=0"
        "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=${CMAKE_SOURCE_DIR}/tests/sanitize/ubsan.supp:log_path=${VFI_SANITIZER_REPORTS}/ubsan")
endif()
