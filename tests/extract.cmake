# The page extractor (indexer/extract*.c, library lede_extract).
# Fixture pages under tests/fixtures/text; always run.
lede_unit_test(test_extract lede_extract)
# The seed pages in ../shared/seeds; skipped (exit 77) without ../shared.
lede_unit_test(test_seeds lede_extract)
# One invented page per failure class of real sites (tests/fixtures/text/class-*.txt).
lede_unit_test(test_extract_pages lede_extract)

# The HTML page extractor: fixture pages under tests/fixtures/html and
# generated hostile pages; always run.
lede_unit_test(test_extract_html lede_extract)
