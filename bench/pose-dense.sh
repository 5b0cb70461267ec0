#!/usr/bin/env bash
# Times posing the dense head (Eq. 3-4) for a batch of frames: bench/pose-dense.sh [frames=100] [repeats=5] [model=builtin]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
source "$root/bench/java.sh"
bench_java PoseDenseBench.java "$@"
