# HTTP query strings to protocol requests (searchd/http_params.c).
lede_unit_test(test_http_params lede_searchd_core)
set_target_properties(test_http_params PROPERTIES LINKER_LANGUAGE CXX)
