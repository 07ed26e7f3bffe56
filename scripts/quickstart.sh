#!/usr/bin/env bash
# The README's first command: installs what is needed, builds, indexes the
# bundled sample corpus into var/sample-index and starts lede-searchd in the
# foreground (Ctrl-C stops it): the line protocol on 127.0.0.1:7878, the
# search page and HTTP/JSON API on http://127.0.0.1:7879/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_TYPE=Release scripts/build.sh
mkdir -p var
build/indexer/lede-indexer --db var/sample-index --rebuild data/sample/articles.jsonl data/sample/pages
cat <<'HELP'

Indexed the sample corpus into var/sample-index. Starting lede-searchd
(Ctrl-C to stop). Open the search page at http://127.0.0.1:7879/ or, from
another terminal:

  build/cli/lede search desalination plant
  build/cli/lede search --facets source,year --sort date '"electric buses"'
  build/cli/lede get sample-003
  printf 'SEARCH human rights OR reservoir\nSTATS\n' | nc -q 1 127.0.0.1 7878
  curl 'http://127.0.0.1:7879/search?q=reservoir&facets=source,year'

HELP
exec build/searchd/lede-searchd --config conf/searchd.conf --db var/sample-index
