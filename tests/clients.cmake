# The client libraries (clients/python, clients/node) against the real
# lede-searchd built here, through clients/run-tests.sh: one test per
# language and suite (core: every operation, pipelining, timeouts and
# error; auth; tls). A suite skips (exit 77) with a message when its
# runtime is missing, or when the daemon refuses the suite's config keys.
foreach(lang python node)
  foreach(suite core auth tls)
    add_test(NAME test_client_${lang}_${suite}
      COMMAND bash ${PROJECT_SOURCE_DIR}/clients/run-tests.sh ${lang} ${suite}
              $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>)
    set_tests_properties(test_client_${lang}_${suite} PROPERTIES
      LABELS "integration;clients" SKIP_RETURN_CODE 77 TIMEOUT 300)
  endforeach()
endforeach()
