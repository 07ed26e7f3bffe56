# lede-searchd over shards (issue 14): local ones and remote ones served by
# xapian-tcpsrv on 127.0.0.1, compared with one index of the same
# articles (data/sample); shards killed, stopped, idle, rebuilt, down at
# start; a replica kept by xapian-replicate. Skipped (exit 77) without
# xapian-tools. LEDE_TEST_REMOTE_LIST_FACETS=1 adds the tag, place and
# author facets over remote shards.
add_executable(test_shards integration/test_shards.c integration/shard_servers.c
               integration/shard_compare.c integration/searchd_client.c
               integration/indexer_util.c)
target_link_libraries(test_shards PRIVATE lede_check lede_shim lede_common PkgConfig::JANSSON m)
set_target_properties(test_shards PROPERTIES LINKER_LANGUAGE CXX)
target_compile_definitions(test_shards PRIVATE LEDE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")
add_test(NAME test_shards
  COMMAND test_shards $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${PROJECT_SOURCE_DIR}/data/sample/articles.jsonl)
set_tests_properties(test_shards PROPERTIES LABELS integration TIMEOUT 240 SKIP_RETURN_CODE 77)
