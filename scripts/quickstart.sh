#!/usr/bin/env bash
# The README's first command: installs what is needed, builds, indexes the
# bundled sample corpus into var/sample-index and runs a search on it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_TYPE=Release scripts/build.sh
mkdir -p var
build/indexer/lede-indexer --db var/sample-index --rebuild data/sample/articles.jsonl data/sample/pages
echo
echo "\$ build/cli/lede search --db var/sample-index desalination plant --limit 3"
build/cli/lede search --db var/sample-index desalination plant --limit 3
echo
echo "Indexed the sample corpus into var/sample-index. Try:"
echo "  build/cli/lede search --db var/sample-index --facets source,year '\"electric buses\"'"
echo "  build/cli/lede get --db var/sample-index sample-003"
