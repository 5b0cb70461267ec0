#!/usr/bin/env bash
# Rendering speed of the dense built-in head at 256 and 512 px: bench/render.sh [frames=16]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
source "$root/bench/java.sh"
bench_java RenderBench.java "$@"
