#!/usr/bin/env python3
"""Tests scripts/check_duplicates.py on tests/fixtures/duplicates: a.c and
b.c share one run of six lines (spaced and commented otherwise in b.c), c.c
only four.

    test_check_duplicates.py CHECKER FIXTURE-DIR

Exit 0 when every check holds, 1 otherwise (each failure printed)."""
import importlib.util
import os
import subprocess
import sys
import tempfile

PAIR = "a.c:6-12 ~ b.c:8-16"
failures = 0


def check(ok, what):
    global failures
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    failures += 0 if ok else 1


def run(checker, fixtures, baseline, *more):
    """The checker's exit status and output over fixtures with baseline."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("%d\n" % baseline)
    try:
        p = subprocess.run([sys.executable, checker, "--root", fixtures,
                            "--baseline", f.name, *more, "."],
                           capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(f.name)
    return p.returncode, p.stdout + p.stderr


def test_baselines(checker, fixtures):
    rc, out = run(checker, fixtures, 0)
    check(rc == 1, "a count over the baseline fails")
    check(out.splitlines()[0] == PAIR, "the one pair is printed: " + out.splitlines()[0])
    check(out.count(" ~ ") == 1, "c.c's four shared lines are no pair")
    rc, out = run(checker, fixtures, 1)
    check(rc == 0 and PAIR not in out, "the count at the baseline passes quietly")
    rc, out = run(checker, fixtures, 2)
    check(rc == 0 and "lower it" in out, "a count under the baseline passes with a hint")
    rc, out = run(checker, fixtures, 1, "--list")
    check(rc == 0 and PAIR in out, "--list prints the pairs")
    rc, out = run(checker, fixtures, 0, "--min-lines", "7")
    check(rc == 0, "the run is six lines, not seven")


def test_comments(checker):
    spec = importlib.util.spec_from_file_location("check_duplicates", checker)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = 'a = "// no comment"; /* one\ntwo */ b = \'"\'; // end\nc;'
    check(mod.strip_comments(text) == 'a = "// no comment"; \n b = \'"\'; \nc;',
          "comments go, literals stay, lines keep their numbers")


def main():
    checker, fixtures = sys.argv[1], sys.argv[2]
    test_baselines(checker, fixtures)
    test_comments(checker)
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
