#!/usr/bin/env bash
# The README's first command: installs what is needed, builds, indexes the
# bundled sample corpus into var/sample-index and searches it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p var
build/indexer/lede-indexer --db var/sample-index --rebuild data/sample/articles.jsonl data/sample/pages
echo
echo "Indexed the sample corpus into var/sample-index."
