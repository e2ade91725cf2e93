# Included by tests/CMakeLists.txt: each fuzz target built without libFuzzer (replay_main.cpp) and a
# test replaying every input a fuzz run crashed on (tests/fuzz/regressions/<target>/, one small file
# each, kept after the fix). Under the sanitize preset the replays run with ASan/UBSan too.
foreach(target checkpoint pickle npy session media)
    set(dir ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions/${target})
    if(NOT IS_DIRECTORY ${dir})
        continue()
    endif()
    add_executable(replay_${target} fuzz/fuzz_${target}.cpp fuzz/replay_main.cpp)
    target_include_directories(replay_${target} PRIVATE ${CMAKE_SOURCE_DIR}/core/src ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
    if(target STREQUAL "session" OR target STREQUAL "media")
        target_link_libraries(replay_${target} PRIVATE vfi_core PkgConfig::FFMPEG nlohmann_json::nlohmann_json)
    else()
        target_link_libraries(replay_${target} PRIVATE vfi_model)
    endif()
    vfi_set_warnings(replay_${target})
    add_test(NAME fuzz_regressions_${target} COMMAND replay_${target} ${dir})
    set_tests_properties(fuzz_regressions_${target} PROPERTIES TIMEOUT 120 LABELS "core;fuzz" ENVIRONMENT "${VFI_SANITIZER_ENV}")
endforeach()
