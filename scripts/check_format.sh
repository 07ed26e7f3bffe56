#!/usr/bin/env bash
# Checks that every tracked C, C++ and header file is formatted as the
# repository's .clang-format says (clang-format --dry-run -Werror). Prints
# the files that differ and the command that fixes them; exits 1 when any
# differ, 2 when clang-format is missing. Usage: scripts/check_format.sh
# [-v] (-v: also print clang-format's report of each difference).
set -euo pipefail
cd "$(dirname "$0")/.."

verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; fi

if ! command -v clang-format >/dev/null; then
  echo "check_format: clang-format not found (scripts/setup.sh installs it)" >&2
  exit 2
fi

# Tracked sources only: build trees and untracked files are not the
# project's. No third-party code is vendored; list its folders here if some
# ever is. Outside a git checkout (a source tarball), every source file but
# the build trees'.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.c' '*.h' '*.cc')
else
  mapfile -t files < <(find . \( -path './build*' -o -name node_modules \) -prune -o \
    -type f \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -print | sed 's|^\./||' | sort)
fi

differ=()
for f in "${files[@]}"; do
  if ! report=$(clang-format --dry-run -Werror "$f" 2>&1); then
    differ+=("$f")
    if [ "$verbose" -eq 1 ]; then printf '%s\n' "$report"; fi
  fi
done

if [ ${#differ[@]} -eq 0 ]; then
  echo "check_format: ${#files[@]} files formatted as .clang-format says"
  exit 0
fi
echo "check_format: ${#differ[@]} of ${#files[@]} files differ from .clang-format:"
printf '  %s\n' "${differ[@]}"
if [ ${#differ[@]} -le 10 ]; then
  echo "Fix them with:  clang-format -i ${differ[*]}"
else
  echo "Fix them with:  git ls-files -z '*.c' '*.h' '*.cc' | xargs -0 clang-format -i"
fi
echo "(or see each difference with: scripts/check_format.sh -v)"
exit 1
