# scripts/check_duplicates.py (run by scripts/test.sh over the production
# sources) on a fixture of its own, so that the checker itself is tested.
# Included by tests/CMakeLists.txt, so paths are relative to tests/.
add_test(NAME check_duplicates
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_check_duplicates.py
          ${PROJECT_SOURCE_DIR}/scripts/check_duplicates.py
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/duplicates)
set_tests_properties(check_duplicates PROPERTIES LABELS unit)
