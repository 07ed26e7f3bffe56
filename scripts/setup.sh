#!/usr/bin/env bash
# Installs what lede needs to build and run, from Debian 12 packages.
# Idempotent: packages already present are left alone.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config g++      # toolchain
  libxapian-dev xapian-tools                # the search library (+ xapian-compact, delve)
  libevent-dev libjansson-dev zlib1g-dev    # event loop, JSON, gzip input
  libssl-dev openssl curl                   # TLS (libevent_openssl); openssl and curl check it in tests
  python3 python3-prometheus-client         # tests: /metrics read by Prometheus's own parser
  libxml2-dev                               # the HTML parser (HTML pages; the extraction scorer)
  libutf8proc-dev                           # NFKC and case folding (the extraction scorer, bench/extract/)
  netcat-openbsd procps                     # nc for the quick start; ps/kill for tests
  nodejs                                    # the Node client's tests (clients/; python3 and openssl above serve the rest)
  mandoc file                               # man page lint; cpack's DEB dependency scan (tests)
  clang-format                              # the format check (scripts/check_format.sh)
  haproxy                                   # test_haproxy: packaging/haproxy/lede.cfg in front of two daemons
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
