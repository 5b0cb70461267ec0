# Sourced by the bench scripts: runs a benchmark's Java source against the built jar the way the launcher
# runs the tool (OpenMP threads sleep instead of spinning, parallel GC, a deep stack for autograd), so the
# timings are the tool's: spinning threads made a DiT forward pass 3x slower on the 2 cores.
#   bench_java NAME.java ARGS...
bench_java() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
  exec java -Xss8m -XX:+UseParallelGC ${EXPPORTRAIT_JAVA_OPTS:-} -cp "$root/target/expportrait.jar:$root/target/lib/*" "$root/bench/$1" "${@:2}"
}
