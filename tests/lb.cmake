# Several lede-searchd behind a load balancer: packaging/haproxy/lede.cfg
# (free ports put in) in front of two real daemons, one of them killed
# (docs/scaling.md). Skipped (77) without haproxy.
add_test(NAME test_haproxy
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/test_haproxy.sh $<TARGET_FILE:lede-searchd>
          $<TARGET_FILE:lede-indexer> ${PROJECT_SOURCE_DIR}/data/sample/articles.jsonl
          ${PROJECT_SOURCE_DIR}/packaging/haproxy/lede.cfg)
set_tests_properties(test_haproxy PROPERTIES LABELS integration TIMEOUT 60 SKIP_RETURN_CODE 77)
