#!/usr/bin/env bash
# Builds the Debian package: a fresh Release build for the prefix /usr in
# a build directory of its own (BUILD_DIR, default build-package/), then
# cpack. Prints the path of the .deb. Install it with
#   sudo apt install ./build-package/package/lede_VERSION_ARCH.deb
# (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-package}
rm -rf "$BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DLEDE_SANITIZE=OFF -DLEDE_TSAN=OFF -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target lede lede-indexer lede-searchd >"$BUILD_DIR.log" 2>&1 ||
  { tail -50 "$BUILD_DIR.log" >&2; echo "package: the build failed (log: $BUILD_DIR.log)" >&2; exit 1; }
rm -f "$BUILD_DIR.log"
# Only the three programs are built: cpack's install step is told not to
# build `all` (tests, benchmarks) first.
cpack --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$BUILD_DIR/package" >"$BUILD_DIR/cpack.log" 2>&1 ||
  { cat "$BUILD_DIR/cpack.log" >&2; echo "package: cpack failed" >&2; exit 1; }
ls "$(pwd)/$BUILD_DIR"/package/lede_*.deb
