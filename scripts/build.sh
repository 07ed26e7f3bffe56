#!/usr/bin/env bash
# Builds lede into BUILD_DIR (default build/). Extra arguments go to cmake,
# e.g. scripts/build.sh -DLEDE_SANITIZE=ON; BUILD_TARGETS (separated by
# spaces) builds only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
# shellcheck disable=SC2086 # one word per target
cmake --build "$BUILD_DIR" -j "$(nproc)" ${BUILD_TARGETS:+--target $BUILD_TARGETS}
