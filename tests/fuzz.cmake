# Fuzz targets (tests/fuzz/NAME.c, seeds in tests/fuzz/corpus/CORPUS/).
# With -DLEDE_FUZZ=ON and clang (scripts/fuzz.sh) they are libFuzzer
# binaries and the whole of lede is built with coverage (CMakeLists.txt);
# otherwise tests/fuzz/replay.c gives each a main(). Either way ctest
# replays the seed corpus through every target (label fuzz-replay).
# Adding a target is one line: lede_fuzz_target(NAME CORPUS LIBRARIES...).
if(NOT LEDE_FUZZ)
  add_library(lede_fuzz_replay STATIC fuzz/replay.c)
endif()
# Inputs as files, for code that reads files by name.
add_library(lede_fuzz_memfile STATIC fuzz/memfile.c)

function(lede_fuzz_target name corpus)
  add_executable(${name} fuzz/${name}.c)
  target_link_libraries(${name} PRIVATE ${ARGN})
  # The libraries may hold C++ (the shim): link as C++.
  set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CXX)
  set(seeds ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${corpus})
  if(LEDE_FUZZ)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    # -runs=0: run the corpus once and stop, rather than fuzz.
    add_test(NAME ${name}_replay COMMAND ${name} -runs=0 ${seeds})
  else()
    target_link_libraries(${name} PRIVATE lede_fuzz_replay)
    add_test(NAME ${name}_replay COMMAND ${name} ${seeds})
  endif()
  set_tests_properties(${name}_replay PROPERTIES LABELS fuzz-replay)
endfunction()

# Fastest first (as measured: 21,000 to 350 inputs a second), the order
# scripts/fuzz.sh runs them in.
lede_fuzz_target(fuzz_request request lede_proto)
lede_fuzz_target(fuzz_config config lede_searchd_core lede_fuzz_memfile)
lede_fuzz_target(fuzz_http_query http_query lede_searchd_core)
lede_fuzz_target(fuzz_stored stored lede_common)
lede_fuzz_target(fuzz_proto proto lede_proto)
lede_fuzz_target(fuzz_query query lede_request lede_indexer_core)
lede_fuzz_target(fuzz_jsonl jsonl lede_indexer_core lede_fuzz_memfile)
lede_fuzz_target(fuzz_article article lede_extract)
lede_fuzz_target(fuzz_html html lede_extract)
