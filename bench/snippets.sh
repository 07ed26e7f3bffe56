#!/usr/bin/env bash
# Compares the snippets of two lede builds on one index and one query file:
# how many differ, where they start and end, what they highlight. Prints a
# markdown section on standard output, progress on standard error.
#
#   bench/snippets.sh OLD_LEDE NEW_LEDE DB QUERIES
#
# OLD_LEDE and NEW_LEDE are `lede` command-line tools (cli/lede of two build
# directories), DB an index both can read, QUERIES a file from
# lede-querygen: one query a line, or a JSON request whose "q" and
# "filter":{"category":...} are used. Each query's top TOP hits (default 3)
# are compared, paired by rank (the search itself is the same code).
# EXAMPLES_FILE, when set, receives every pair that differs, side by side;
# KEEP_DIR, when set, keeps the collected pairs and bodies there.
# Needs bash and jq.
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 OLD_LEDE NEW_LEDE DB QUERIES" >&2
    exit 2
fi
OLD=$1 NEW=$2 DB=$3 QUERIES=$4
TOP=${TOP:-3}
if [ -n "${KEEP_DIR:-}" ]; then # the pairs and bodies, kept for a closer look
    WORK=$KEEP_DIR
    mkdir -p "$WORK" && rm -f "$WORK/pairs.jsonl"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi

# The search of one query line with one build: its JSON reply.
search() {
    local lede=$1 line=$2 q args=()
    if [ "${line:0:1}" = "{" ]; then
        q=$(jq -r '.q' <<<"$line")
        while IFS= read -r c; do args+=(--category "$c"); done \
            < <(jq -r '.filter.category // empty | if type == "array" then .[] else . end' <<<"$line")
    else
        q=$line
    fi
    "$lede" --db "$DB" --json --color=never --limit "$TOP" search "${args[@]}" -- "$q" || true
}

# One record per hit: the query, rank, id, stored body and both snippets.
collect() {
    local n=0 line
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] || continue
        n=$((n + 1))
        echo "query $n: $line" >&2
        search "$OLD" "$line" >"$WORK/old.json"
        search "$NEW" "$line" >"$WORK/new.json"
        jq -c --arg line "$line" --slurpfile old "$WORK/old.json" \
            '. as $new | ($old[0].hits // []) as $o | ($new.hits // []) | to_entries[]
             | {line: $line, rank: (.key + 1), id: .value.id, new: .value.snippet,
                old: ($o[.key].snippet // null), same_id: ($o[.key].id == .value.id)}' \
            "$WORK/new.json" >>"$WORK/pairs.jsonl"
    done <"$QUERIES"
    local id
    while IFS= read -r id; do
        "$NEW" --db "$DB" --json get "$id" | jq -c '{id: .doc.id, body: (if (.doc.body // "") == "" then .doc.title // "" else .doc.body end)}'
    done < <(jq -r '.id' "$WORK/pairs.jsonl" | sort -u) >"$WORK/bodies.jsonl"
}

# The measures, per snippet; then sums over old and new.
read -r -d '' MEASURES <<'JQ' || true
def plain: gsub("[\u0002\u0003]"; "");
def lead: plain | ltrimstr("…");
# Where the snippet's text starts in the body: a sentence start when it is
# the body's start, or follows . ! ? (and a closing quote) and a space, or a
# blank line, and begins with a capital, a digit or an opening sign.
def sentence_start($body):
  (lead) as $s | ($s[0:40]) as $p | ($body | split($p)) as $parts
  | if ($parts | length) < 2 then false
    else ($parts[0]) as $before
      | ($before == "") or
        (($before | test("([.!?][\"')]*\\s+|\\n\\s*\\n\\s*)$"))
         and ($s | test("^[\"'(<]?[A-Z0-9]")))
    end;
def text_start($body): (lead) as $s | ($body | startswith($s[0:40]));
def words: [scan("[A-Za-z0-9][A-Za-z0-9']*")];
def query_words: .line | (if startswith("{") then fromjson.q else . end)
  | ascii_downcase | [scan("[a-z0-9]+")] | map(select(. != "or" and . != "and" and . != "not"));
def measure($body; $qw):
  {sentence_start: (if sentence_start($body) then 1 else 0 end),
   text_start: (if text_start($body) then 1 else 0 end),
   sentence_end: (if (plain | (endswith("…") | not) or (rtrimstr("…") | test("[.!?][\"')]*$")))
                  then 1 else 0 end),
   para_break: (if test("\n\\s*\n") then 1 else 0 end),
   signoff: (if test("REUTER") then 1 else 0 end),
   spans: ([scan("\u0002")] | length),
   unhighlighted: (if test("\u0002") then 0 else 1 end),
   hl_words: ([scan("\u0002([^\u0003]*)\u0003")[0] | words | length] | add // 0),
   distinct: ([scan("\u0002([^\u0003]*)\u0003")[0] | ascii_downcase] | unique | length),
   missed: (gsub("\u0002[^\u0003]*\u0003"; "") | plain | ascii_downcase | words
            | map(select(. as $w | $qw | index([$w]))) | length),
   bytes: utf8bytelength};
($bodies | map({(.id): .body}) | add) as $body
| map(select(.old != null and .same_id))
| map(. as $p | (query_words) as $qw
      | {differ: (if .old != .new then 1 else 0 end),
         old: (.old | measure($body[$p.id]; $qw)),
         new: (.new | measure($body[$p.id]; $qw))})
| {pairs: length, differ: (map(.differ) | add),
   old: (map(.old) | reduce .[] as $m ({}; reduce ($m | keys[]) as $k (.; .[$k] += $m[$k]))),
   new: (map(.new) | reduce .[] as $m ({}; reduce ($m | keys[]) as $k (.; .[$k] += $m[$k])))}
JQ

report() {
    local queries
    queries=$(grep -c . "$QUERIES")
    jq -s --slurpfile bodies "$WORK/bodies.jsonl" "$MEASURES" "$WORK/pairs.jsonl" >"$WORK/sums.json"
    jq -r --arg queries "$queries" --arg top "$TOP" '
      def row($name; $k): "| \($name) | \(.old[$k]) | \(.new[$k]) |";
      "- \($queries) queries, top \($top) hits each: \(.pairs) snippets compared, \(.differ) differ",
      "",
      "| measure (sums over the snippets) | old | new |",
      "|---|---|---|",
      row("start at a sentence start (the text'"'"'s start included)"; "sentence_start"),
      row("start at the text'"'"'s start"; "text_start"),
      row("end at a sentence end or the text'"'"'s end"; "sentence_end"),
      row("run over a paragraph break"; "para_break"),
      row("reach the \"REUTER\" sign-off"; "signoff"),
      row("highlighted spans"; "spans"),
      row("highlighted words"; "hl_words"),
      row("distinct highlighted spans (case-folded)"; "distinct"),
      row("query words shown but not highlighted (exact form; stop words)"; "missed"),
      row("snippets with no highlight"; "unhighlighted"),
      "| mean length, bytes | \(.old.bytes / .pairs | floor) | \(.new.bytes / .pairs | floor) |"' \
        "$WORK/sums.json"
}

examples() {
    [ -n "${EXAMPLES_FILE:-}" ] || return 0
    jq -r 'select(.old != .new) | "## \(.line) (#\(.rank) \(.id))\nold: \(.old)\nnew: \(.new)\n"' \
        "$WORK/pairs.jsonl" | tr '\002\003' '[]' >"$EXAMPLES_FILE"
}

collect
echo "## Snippets: $(basename "$OLD") against $(basename "$NEW")"
echo
echo "- old: \`$OLD\`, new: \`$NEW\`, index \`$DB\`, queries \`$QUERIES\`"
report
examples
