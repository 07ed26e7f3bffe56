# The extraction scorer (bench/extract/, lede-extract-eval).
# Its own rules on tiny hand-made pages: always run.
lede_unit_test(test_extract_scorer lede_extract_eval)
set_target_properties(test_extract_scorer PROPERTIES LINKER_LANGUAGE CXX)
