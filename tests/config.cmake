# lede-searchd's configuration table and the shipped conf/searchd.conf.
lede_unit_test(test_config lede_searchd_core)
set_target_properties(test_config PROPERTIES LINKER_LANGUAGE CXX)
target_compile_definitions(test_config PRIVATE LEDE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
