# lede-searchd, end to end: the real daemon on 127.0.0.1 (a port it picks),
# serving an index built by lede-indexer, driven over sockets.
#
# lede_daemon_test(NAME TIMEOUT [ARGS...]): tests/integration/NAME.c with
# the socket client, run as NAME LEDE-SEARCHD LEDE-INDEXER FIXTURE ARGS...
# (FIXTURE: fixtures/jsonl/good.jsonl); exit 77 is a skip.
function(lede_daemon_test name timeout)
  add_executable(${name} integration/${name}.c integration/searchd_client.c)
  target_link_libraries(${name} PRIVATE lede_check PkgConfig::JANSSON)
  target_compile_definitions(${name} PRIVATE LEDE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")
  add_test(NAME ${name}
    COMMAND ${name} $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
            ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl ${ARGN})
  set_tests_properties(${name} PROPERTIES LABELS integration TIMEOUT ${timeout} SKIP_RETURN_CODE 77)
endfunction()

# The protocol, limits, reloads, signals, start-up (its own fixtures).
lede_daemon_test(test_searchd 300)
# Authentication (auth_token): the line protocol and HTTP with and without
# the token, wrong guesses slowed down and counted.
lede_daemon_test(test_auth 120)
# TLS on both listeners, checked with openssl s_client and curl --cacert.
lede_daemon_test(test_tls 120)
# What operators rely on: the access log, SIGUSR1 log reopening, /metrics
# parsed by prometheus_client (python3-prometheus-client), the version.
lede_daemon_test(test_ops 120 ${CMAKE_CURRENT_SOURCE_DIR}/integration/check_metrics.py ${PROJECT_VERSION})
# Backups: lede-indexer --snapshot while lede-searchd serves and another
# lede-indexer writes; the copy restored by serving it.
lede_daemon_test(test_snapshot 180)
