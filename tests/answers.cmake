# The answers lede-searchd gives a reader (issue 12), end to end: the real
# daemon on ports it picks, over the line protocol.
add_executable(test_answers integration/test_answers.c integration/searchd_client.c)
target_link_libraries(test_answers PRIVATE lede_check PkgConfig::JANSSON)
add_test(NAME test_answers
  COMMAND test_answers $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl)
set_tests_properties(test_answers PROPERTIES LABELS integration TIMEOUT 120)
