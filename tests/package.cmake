# Running lede as a service: readiness for systemd and where the search page
# is found (test_service), the man pages (mandoc -T lint), `cmake --install`
# into a temporary prefix (test_install.sh), and the Debian package
# installed, used and purged for real (test_deb.sh).
add_executable(test_service integration/test_service.c integration/searchd_client.c)
target_link_libraries(test_service PRIVATE lede_check PkgConfig::JANSSON)
add_test(NAME test_service
  COMMAND test_service $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl ${PROJECT_SOURCE_DIR}/web
          ${CMAKE_INSTALL_FULL_DATADIR}/lede/web)
set_tests_properties(test_service PROPERTIES LABELS integration TIMEOUT 120)

add_test(NAME test_man_lint
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/test_man_lint.sh ${PROJECT_SOURCE_DIR}/man ${LEDE_MAN_PAGES})
set_tests_properties(test_man_lint PROPERTIES LABELS package SKIP_RETURN_CODE 77 TIMEOUT 60)

add_test(NAME test_install
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/test_install.sh ${PROJECT_BINARY_DIR}
          ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl)
set_tests_properties(test_install PROPERTIES LABELS package SKIP_RETURN_CODE 77 TIMEOUT 120)

# A package of a sanitizer build would need the sanitizer runtimes; the
# plain build's package is the one that matters, and one run is enough.
if(NOT LEDE_SANITIZE AND NOT LEDE_TSAN)
  add_test(NAME test_deb
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/test_deb.sh ${PROJECT_BINARY_DIR}
            ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/jsonl/good.jsonl)
  set_tests_properties(test_deb PROPERTIES LABELS package SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
