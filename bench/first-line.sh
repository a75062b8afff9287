#!/usr/bin/env bash
# Seconds from start to the first line a command prints on standard output (the launcher's start-up
# figure in BENCHMARKS.md): bench/first-line.sh ./softgrad run temperature --quick
set -uo pipefail
start=$(date +%s%N)
"$@" 2>/dev/null | {
    IFS= read -r first
    end=$(date +%s%N)
    cat >/dev/null
    printf '%.2f s  first line: %s\n' "$(( end - start ))e-9" "$first"
}
