# The lede CLI, end to end: against an index built by lede-indexer (--db),
# then against the real lede-searchd on a port it picks.
add_executable(test_cli integration/test_cli.c integration/searchd_client.c)
# forkpty(): lede on a terminal, for --color=auto.
target_link_libraries(test_cli PRIVATE lede_check PkgConfig::JANSSON util)
target_compile_definitions(test_cli PRIVATE LEDE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")
add_test(NAME test_cli
  COMMAND test_cli $<TARGET_FILE:lede> $<TARGET_FILE:lede-indexer> $<TARGET_FILE:lede-searchd>)
set_tests_properties(test_cli PROPERTIES LABELS integration TIMEOUT 120)
