# Unit tests of the Xapian shim (include/lede/shim.h) and the status names.
# Included by tests/CMakeLists.txt, so paths are relative to tests/.
lede_unit_test(test_shim_write lede_shim lede_common)
lede_unit_test(test_shim_search lede_search lede_shim lede_common)
lede_unit_test(test_shim_shards lede_shim lede_common)
lede_unit_test(test_status lede_common)

# The shared shim must export exactly the functions its header declares.
add_test(NAME shim_symbols
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/check_symbols.sh
          $<TARGET_FILE:lede_shim_shared> ${PROJECT_SOURCE_DIR}/include/lede/shim.h)
set_tests_properties(shim_symbols PROPERTIES LABELS unit)

# test_shim_search makes indexes of the layout before the list item slots
# with a small C++ helper that reads the shim's schema (shim/internal.h).
target_sources(test_shim_search PRIVATE unit/old_layout.cc)
target_include_directories(test_shim_search PRIVATE ${PROJECT_SOURCE_DIR}/shim)

# The writer's stem cache is C++ inside the shim, so its test is too.
add_executable(test_stem_cache unit/test_stem_cache.cc)
target_link_libraries(test_stem_cache PRIVATE lede_check lede_shim lede_common)
target_include_directories(test_stem_cache PRIVATE ${PROJECT_SOURCE_DIR}/shim)
add_test(NAME test_stem_cache COMMAND test_stem_cache)
set_tests_properties(test_stem_cache PROPERTIES LABELS unit)
