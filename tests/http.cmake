# lede-searchd's HTTP/JSON API, end to end: the real daemon on ports it
# picks, driven by a small HTTP/1.1 client on raw sockets.
add_executable(test_http integration/test_http.c integration/searchd_client.c)
target_link_libraries(test_http PRIVATE lede_check PkgConfig::JANSSON)
add_test(NAME test_http
  COMMAND test_http $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl)
set_tests_properties(test_http PROPERTIES LABELS integration TIMEOUT 120)
# The Host header check of the HTTP API (searchd/http_host.c).
lede_unit_test(test_http_host lede_searchd_core)
set_target_properties(test_http_host PROPERTIES LINKER_LANGUAGE CXX)
