#!/usr/bin/env python3
"""Checks that the duplicated code of lede's production sources does not grow.

Finds runs of at least MIN_LINES consecutive lines that stand in two places
of the production C and C++ sources, prints each pair as
`file:first-last ~ file:first-last`, and compares their number with the
committed baseline (scripts/duplicates-baseline.txt): exit 1 when it grew,
0 otherwise (with a hint to lower the baseline when it shrank).

Lines are compared normalised: comments removed, whitespace collapsed; blank
lines, comment-only lines, lone braces and #include lines are skipped (they
are not logic, and every file opens with a run of includes).

Usage: scripts/check_duplicates.py [--root DIR] [--baseline FILE]
       [--min-lines N] [--list] [DIR...]   (--list: print the pairs always)
DIRs are relative to the root (default: the repository) and default to the
production folders. Only Python's standard library is used: CI has no
other tool for this.
"""

import argparse
import os
import re
import sys

PRODUCTION_DIRS = ["common", "indexer", "searchd", "cli", "shim", "include"]
SOURCE_SUFFIXES = (".c", ".h", ".cc", ".cpp", ".hpp")
MIN_LINES = 6
SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BASELINE = os.path.join(SCRIPTS_DIR, "duplicates-baseline.txt")

# A normalised line that is only braces (and a semicolon) carries no logic.
LONE_BRACE = re.compile(r"^[{}]+;?$")


def strip_comments(text):
    """The text with /* */ and // comments blanked, newlines kept.

    String and character literals are copied as they are, so that "//" or
    "/*" inside them do not start a comment.
    """
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
        elif c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def significant_lines(path):
    """The (normalised text, 1-based line number) of each line that counts."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = strip_comments(f.read())
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        norm = " ".join(line.split())
        if not norm or LONE_BRACE.match(norm) or norm.startswith("#include"):
            continue
        lines.append((norm, number))
    return lines


def source_files(root, dirs):
    """The sources below root/dir for each dir, as sorted relative paths."""
    found = []
    for d in dirs:
        for parent, subdirs, names in os.walk(os.path.join(root, d)):
            subdirs.sort()
            for name in names:
                if name.endswith(SOURCE_SUFFIXES):
                    found.append(os.path.relpath(os.path.join(parent, name), root))
    return sorted(found)


def window_places(files, min_lines):
    """Each run of min_lines significant lines -> the (file, index) where it starts."""
    places = {}
    for f, lines in files.items():
        texts = [t for t, _ in lines]
        for i in range(len(texts) - min_lines + 1):
            places.setdefault(tuple(texts[i : i + min_lines]), []).append((f, i))
    return places


def find_pairs(files, min_lines):
    """Maximal pairs of places sharing at least min_lines significant lines.

    Each is ((file, first, last), (file, first, last)) in source line numbers.
    A run that continues the pair one line back is not a new pair.
    """
    places = window_places(files, min_lines)
    key_at = {}
    for key, where in places.items():
        if len(where) > 1:
            for place in where:
                key_at[place] = key
    pairs = []
    for key, where in places.items():
        for a in range(len(where)):
            for b in range(a + 1, len(where)):
                pair = run_of(files, key_at, where[a], where[b], min_lines)
                if pair:
                    pairs.append(pair)
    return sorted(pairs)


def run_of(files, key_at, p, q, min_lines):
    """The pair starting at places p and q, or None when it starts earlier or overlaps."""
    (fp, i), (fq, j) = p, q
    if fp == fq and abs(i - j) < min_lines:
        return None  # one run of repeated lines, not two places
    before = key_at.get((fp, i - 1))
    if before is not None and before == key_at.get((fq, j - 1)):
        return None  # counted where it starts
    length = min_lines
    lp, lq = files[fp], files[fq]
    while i + length < len(lp) and j + length < len(lq) and lp[i + length][0] == lq[j + length][0]:
        length += 1
    return (
        (fp, lp[i][1], lp[i + length - 1][1]),
        (fq, lq[j][1], lq[j + length - 1][1]),
    )


def read_baseline(path):
    with open(path, encoding="utf-8") as f:
        return int(f.read().split()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.dirname(SCRIPTS_DIR))
    ap.add_argument("--baseline", default=DEFAULT_BASELINE)
    ap.add_argument("--min-lines", type=int, default=MIN_LINES)
    ap.add_argument("--list", action="store_true", help="print the pairs whatever their number")
    ap.add_argument("dirs", nargs="*", default=PRODUCTION_DIRS)
    args = ap.parse_args()

    paths = source_files(args.root, args.dirs)
    files = {f: significant_lines(os.path.join(args.root, f)) for f in paths}
    pairs = find_pairs(files, args.min_lines)
    baseline = read_baseline(args.baseline)
    count = len(pairs)
    print_pairs = count > baseline or args.list
    for (fa, a1, a2), (fb, b1, b2) in pairs if print_pairs else []:
        print("%s:%d-%d ~ %s:%d-%d" % (fa, a1, a2, fb, b1, b2))
    print("check_duplicates: %d pairs of places sharing %d+ lines, in %d files (baseline %d)"
          % (count, args.min_lines, len(files), baseline))
    if count > baseline:
        print("check_duplicates: the duplicated code grew by %d: make the new copy share "
              "the code it repeats (the pairs are above)" % (count - baseline))
        return 1
    if count < baseline:
        print("check_duplicates: fewer than the baseline: lower it with  echo %d > %s"
              % (count, os.path.relpath(args.baseline)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
