# The test harness's own tests: its process runner (tests/unit/check.c).
# Included by tests/CMakeLists.txt, so paths are relative to tests/.
lede_unit_test(test_check)
