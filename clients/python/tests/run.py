"""Runs one suite of test_client.py for ctest: ``python3 run.py Core``.

Exit status 0 when it passed, 1 when a test failed, 77 (ctest's skip) when
every test of the suite was skipped; the skip reasons are printed.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import test_client  # noqa: E402

SKIPPED = 77


def main() -> int:
    if len(sys.argv) != 2 or not hasattr(test_client, sys.argv[1]):
        print("usage: run.py Core|Auth|Tls", file=sys.stderr)
        return 2
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(getattr(test_client, sys.argv[1]))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if not result.wasSuccessful():
        return 1
    if result.skipped and len(result.skipped) >= result.testsRun:
        for reason in sorted({why for _, why in result.skipped}):
            print(f"SKIP: {reason}")
        return SKIPPED
    return 0


if __name__ == "__main__":
    sys.exit(main())
