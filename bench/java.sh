# Sourced by the bench scripts: runs a benchmark's Java source against the built jar the way the launcher
# runs the tool (OpenMP's threads spin briefly and OpenBLAS's not at all before sleeping, parallel GC, a deep stack for autograd), so the
# timings are the tool's: spinning threads made a DiT forward pass 3x slower on the 2 cores.
#   bench_java NAME.java ARGS...
bench_java() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
  export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-5000}"
  export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
  exec java -Xss8m -XX:+UseParallelGC ${EXPPORTRAIT_JAVA_OPTS:-} -cp "$root/target/expportrait.jar:$root/target/lib/*" "$root/bench/$1" "${@:2}"
}

# The fit benchmarks' held-out dataset: the folder given, or data/bench-fit, generated when missing (6 identities x
# 32 frames at 256 px, seed 4242, which no test uses). Prints its path.
#   data="$(bench_fit_data "${1:-}")"
bench_fit_data() {
  local root data="${1:-}"
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ -z "$data" ]; then
    data="$root/data/bench-fit"
    [ -f "$data/manifest.json" ] || "$root/expportrait" synth --identities 6 --clips-per-identity 1 --frames 32 --size 256 --seed 4242 --out "$data" >/dev/null
  fi
  echo "$data"
}
