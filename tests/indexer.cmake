# lede-indexer, end to end: the real binary on fixtures.
add_executable(test_indexer integration/test_indexer.c integration/indexer_util.c)
target_link_libraries(test_indexer PRIVATE lede_check lede_shim lede_common ZLIB::ZLIB)
set_target_properties(test_indexer PROPERTIES LINKER_LANGUAGE CXX)
target_compile_definitions(test_indexer PRIVATE
  LEDE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")
add_test(NAME test_indexer COMMAND test_indexer $<TARGET_FILE:lede-indexer>)
set_tests_properties(test_indexer PROPERTIES LABELS integration)

# Raw pages end to end: learnt furniture across runs, --explain, page rejects.
add_executable(test_indexer_pages integration/test_indexer_pages.c)
target_link_libraries(test_indexer_pages PRIVATE lede_check lede_shim lede_common
  PkgConfig::JANSSON ZLIB::ZLIB)
set_target_properties(test_indexer_pages PROPERTIES LINKER_LANGUAGE CXX)
add_test(NAME test_indexer_pages COMMAND test_indexer_pages $<TARGET_FILE:lede-indexer>)
set_tests_properties(test_indexer_pages PROPERTIES LABELS integration)

# lede-indexer on a full disk (a small tmpfs): skipped unless run as root.
add_executable(test_indexer_disk integration/test_indexer_disk.c integration/indexer_util.c)
target_link_libraries(test_indexer_disk PRIVATE lede_check lede_shim lede_common)
set_target_properties(test_indexer_disk PROPERTIES LINKER_LANGUAGE CXX)
target_compile_definitions(test_indexer_disk PRIVATE
  LEDE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures"
  LEDE_LSAN_SUPPRESSIONS="${CMAKE_CURRENT_SOURCE_DIR}/lsan-xapian.supp")
add_test(NAME test_indexer_disk COMMAND test_indexer_disk $<TARGET_FILE:lede-indexer>)
set_tests_properties(test_indexer_disk PROPERTIES LABELS integration SKIP_RETURN_CODE 77)

# The clean-up of JSON records before indexing (indexer/tidy.c).
lede_unit_test(test_tidy lede_indexer_core)
set_target_properties(test_tidy PROPERTIES LINKER_LANGUAGE CXX)
target_include_directories(test_tidy PRIVATE ${PROJECT_SOURCE_DIR}/indexer)

# lede-indexer --shards: layout, routing, the same answers as one index
# (fixtures, and Reuters when ../shared has it), changesets, kill and re-run.
add_executable(test_indexer_shards integration/test_indexer_shards.c integration/indexer_util.c)
target_link_libraries(test_indexer_shards PRIVATE lede_check lede_indexer_core lede_shim lede_common
  PkgConfig::JANSSON ZLIB::ZLIB)
target_include_directories(test_indexer_shards PRIVATE ${PROJECT_SOURCE_DIR}/indexer)
set_target_properties(test_indexer_shards PROPERTIES LINKER_LANGUAGE CXX)
target_compile_definitions(test_indexer_shards PRIVATE
  LEDE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")
add_test(NAME test_indexer_shards
  COMMAND test_indexer_shards $<TARGET_FILE:lede-indexer> $<TARGET_FILE:lede>)
set_tests_properties(test_indexer_shards PROPERTIES LABELS integration TIMEOUT 300)

# lede-indexer --watch and --follow: a folder receiving files (renames,
# partial writes, replacements, removals, bad input), restarts, kill -9,
# a followed file and stdin, lede-searchd serving each new article.
add_executable(test_indexer_watch integration/test_indexer_watch.c integration/indexer_util.c
  integration/searchd_client.c)
target_link_libraries(test_indexer_watch PRIVATE lede_check lede_shim lede_common
  PkgConfig::JANSSON ZLIB::ZLIB)
set_target_properties(test_indexer_watch PROPERTIES LINKER_LANGUAGE CXX)
target_compile_definitions(test_indexer_watch PRIVATE
  LEDE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")
add_test(NAME test_indexer_watch
  COMMAND test_indexer_watch $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>)
set_tests_properties(test_indexer_watch PROPERTIES LABELS integration TIMEOUT 120)
