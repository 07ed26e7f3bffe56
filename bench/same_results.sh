#!/usr/bin/env bash
# Whether two indexes answer the same: runs every query of a file against
# both with `lede --db DIR --json search` and compares the hits' ids and
# scores and the totals. Used to show that an indexer change leaves search
# alone (bench/RESULTS.md, "Indexer speed").
#
# Usage: bench/same_results.sh LEDE QUERIES DB_A DB_B [LIMIT]
#   LEDE     the lede CLI (the same one reads both indexes)
#   QUERIES  one query a line (lede-querygen -o)
#   LIMIT    hits compared per query (default 100)
#
# Equal scores may come in either order: documents are numbered in the
# order the build's threads finished them, which changes from run to run,
# and Xapian orders ties by document number. So hits are compared as
# (score, id) sets, and a difference that is only which of several tied
# documents made the cut at LIMIT is counted apart. Prints one line per
# query that differs and a summary; exits 1 when any query differs.
set -euo pipefail

[[ $# -ge 4 ]] || { echo "usage: $0 LEDE QUERIES DB_A DB_B [LIMIT]" >&2; exit 2; }
LEDE=$1 QUERIES=$2 DB_A=$3 DB_B=$4 LIMIT=${5:-100}
command -v python3 >/dev/null || { echo "$0: python3 is needed" >&2; exit 2; }

python3 - "$LEDE" "$QUERIES" "$DB_A" "$DB_B" "$LIMIT" <<'PY'
import json, subprocess, sys

lede, queries, db_a, db_b, limit = sys.argv[1:6]

def search(db, q):
    out = subprocess.run([lede, "--db", db, "--json", "--limit", limit, "search", q],
                         capture_output=True, text=True).stdout
    r = json.loads(out) if out.strip() else {"ok": False}
    hits = [(round(h["score"], 9), h["id"]) for h in r.get("hits", [])]
    return r.get("ok"), r.get("total"), hits

same = ties = differ = 0
for q in (l.rstrip("\n") for l in open(queries)):
    a, b = search(db_a, q), search(db_b, q)
    if a == b:
        same += 1
        continue
    (ok_a, tot_a, ha), (ok_b, tot_b, hb) = a, b
    if ok_a == ok_b and tot_a == tot_b and sorted(ha, reverse=True) == sorted(hb, reverse=True):
        same += 1  # the same hits, tied ones in another order
        continue
    # Only which of the documents tied at the last score made the cut.
    cut = min(s for s, _ in ha) if ha else None
    above_a = sorted(h for h in ha if h[0] != cut)
    above_b = sorted(h for h in hb if h[0] != cut)
    at_cut_b = [h[0] for h in hb if h not in above_b]
    if (ok_a == ok_b and tot_a == tot_b and len(ha) == len(hb) and above_a == above_b
            and all(s == cut for s in at_cut_b)):
        ties += 1
        continue
    differ += 1
    print(f"differs: {q!r}: total {tot_a} vs {tot_b}; first hits {ha[:3]} vs {hb[:3]}")
print(f"{same} queries answered the same, {ties} the same but for ties at the cut, "
      f"{differ} differently")
sys.exit(1 if differ else 0)
PY
