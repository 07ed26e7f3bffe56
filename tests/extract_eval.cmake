# The extraction scorer (bench/extract/, lede-extract-eval).
# Its own rules on tiny hand-made pages: always run.
lede_unit_test(test_extract_scorer lede_extract_eval)
set_target_properties(test_extract_scorer PROPERTIES LINKER_LANGUAGE CXX)

# lede-extract-eval end to end on a tiny dev set the test writes itself:
# the real lede-indexer, the figures, exit statuses and messages.
add_executable(test_extract_eval_cli integration/test_extract_eval_cli.c)
target_link_libraries(test_extract_eval_cli PRIVATE lede_check PkgConfig::JANSSON)
add_test(NAME test_extract_eval_cli
  COMMAND test_extract_eval_cli $<TARGET_FILE:lede-extract-eval> $<TARGET_FILE:lede-indexer>)
set_tests_properties(test_extract_eval_cli PROPERTIES LABELS "integration;extract" TIMEOUT 120)

# The extraction dev set (../shared/extraction-dev), both sets, held to
# the floors of bench/extract/floors.txt; skipped (exit 77) without it.
add_test(NAME test_extract_eval
  COMMAND lede-extract-eval --indexer $<TARGET_FILE:lede-indexer> --set both
          --dev ${PROJECT_SOURCE_DIR}/../shared/extraction-dev
          --floors ${PROJECT_SOURCE_DIR}/bench/extract/floors.txt --skip-missing --timeout 45)
set_tests_properties(test_extract_eval PROPERTIES LABELS extract SKIP_RETURN_CODE 77 TIMEOUT 60)
