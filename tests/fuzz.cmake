# Fuzz targets. With -DLEDE_FUZZ=ON and clang they are libFuzzer binaries
# (and the libraries they test carry coverage: see CMakeLists.txt)
# (run them by hand: build-fuzz/tests/fuzz_article tests/fuzz/corpus/article);
# otherwise ctest replays the seed corpus through them (label fuzz-replay).

function(lede_fuzz_target name corpus)
  add_executable(${name} fuzz/${name}.c)
  target_link_libraries(${name} PRIVATE ${ARGN})
  if(LEDE_FUZZ)
    target_compile_definitions(${name} PRIVATE LEDE_LIBFUZZER)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  endif()
  file(GLOB seeds ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${corpus}/*)
  add_test(NAME ${name}_replay COMMAND ${name} ${seeds})
  set_tests_properties(${name}_replay PROPERTIES LABELS fuzz-replay)
endfunction()

lede_fuzz_target(fuzz_article article lede_extract)
