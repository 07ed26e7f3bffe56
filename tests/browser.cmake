# The search page in a real browser: headless Chromium driven by
# playwright-core against the real lede-searchd (tests/browser/run.sh). It
# installs Chromium, Node.js and playwright-core if they are missing, and
# skips (exit 77) only where they cannot be installed. Screenshots:
# <build>/tests/browser/browser-*.png.
add_test(NAME test_browser
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/browser/run.sh
          $<TARGET_FILE:lede-searchd> $<TARGET_FILE:lede-indexer>
          ${CMAKE_CURRENT_BINARY_DIR}/browser)
# The timeout leaves room for installing Chromium on a fresh machine; the
# test itself takes about 30 s.
set_tests_properties(test_browser PROPERTIES LABELS "integration;browser"
  SKIP_RETURN_CODE 77 TIMEOUT 900)
