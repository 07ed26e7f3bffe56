# lede-searchd, end to end: the real daemon on 127.0.0.1 (a port it picks),
# serving an index built by lede-indexer, driven over sockets.
add_executable(test_searchd integration/test_searchd.c integration/searchd_client.c)
target_link_libraries(test_searchd PRIVATE lede_check PkgConfig::JANSSON)
target_compile_definitions(test_searchd PRIVATE LEDE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")
add_test(NAME test_searchd
  COMMAND test_searchd $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>)
set_tests_properties(test_searchd PROPERTIES LABELS integration TIMEOUT 300)
# Authentication (auth_token): the line protocol and HTTP with and without
# the token, wrong guesses slowed down and counted.
add_executable(test_auth integration/test_auth.c integration/searchd_client.c)
target_link_libraries(test_auth PRIVATE lede_check PkgConfig::JANSSON)
add_test(NAME test_auth
  COMMAND test_auth $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl)
set_tests_properties(test_auth PROPERTIES LABELS integration TIMEOUT 120)
# TLS on both listeners, checked with openssl s_client and curl --cacert.
add_executable(test_tls integration/test_tls.c integration/searchd_client.c)
target_link_libraries(test_tls PRIVATE lede_check PkgConfig::JANSSON)
add_test(NAME test_tls
  COMMAND test_tls $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl)
set_tests_properties(test_tls PROPERTIES LABELS integration TIMEOUT 120 SKIP_RETURN_CODE 77)
# What operators rely on: the access log, SIGUSR1 log reopening, /metrics
# parsed by prometheus_client (python3-prometheus-client), the version.
add_executable(test_ops integration/test_ops.c integration/searchd_client.c)
target_link_libraries(test_ops PRIVATE lede_check PkgConfig::JANSSON)
add_test(NAME test_ops
  COMMAND test_ops $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl
          ${CMAKE_CURRENT_SOURCE_DIR}/integration/check_metrics.py ${PROJECT_VERSION})
set_tests_properties(test_ops PROPERTIES LABELS integration TIMEOUT 120)
# Backups: lede-indexer --snapshot while lede-searchd serves and another
# lede-indexer writes; the copy restored by serving it.
add_executable(test_snapshot integration/test_snapshot.c integration/searchd_client.c)
target_link_libraries(test_snapshot PRIVATE lede_check PkgConfig::JANSSON)
add_test(NAME test_snapshot
  COMMAND test_snapshot $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl)
set_tests_properties(test_snapshot PROPERTIES LABELS integration TIMEOUT 180)
