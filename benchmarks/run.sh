#!/usr/bin/env bash
# Runs every benchmark scenario against real processes on loopback and regenerates
# benchmarks/results/<date>[-quick].csv and docs/benchmarks.md (+ docs/benchmarks/*.png).
#
#   benchmarks/run.sh --quick                   # < 5 minutes before scenario 11 (which adds ~4 on a busy machine)
#   flock /tmp/mvn.lock benchmarks/run.sh       # full run (44.9 minutes on 2026-12-04: 50 handoffs, kills and freezes; scenario 11's 30 restarts ~7 of them), no build may run meanwhile
#   benchmarks/run.sh --quick --only 2,3        # some scenarios (1-8, 9 = JMH, 10 = slow network, 11 = named roles), output under benchmarks/target/
#   benchmarks/run.sh --startup-only            # scenario 6's start-up part alone: 10 starts of each variant, output under benchmarks/target/
#   benchmarks/run.sh --help                    # this text; any other option is refused before anything runs
#
# Environment: MVN_FLAGS (e.g. "-o" to build offline), BENCH_SKIP_BUILD=1 to reuse what is built,
# JAVA_HOME to pick the JDK (the nodes run on the same java).
# For experiments, not for the published page: BENCH_NODE_JVM_OPTS (more JVM options for every node,
# e.g. "-XX:TieredStopAtLevel=1"; the settings lines show them), BENCH_SETTLE_MS (the wait before each
# failover iteration's fault, 700 by default; docs/benchmarks.md, 1, used 15000 and 30000).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Options are checked before anything runs: an unknown one (--help was one) used to start the full run.
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --quick | --startup-only) ;;
    --only | --root) ((i += 1)); [[ $i -lt ${#args[@]} ]] || { echo "run.sh: ${args[i - 1]} needs a value" >&2; exit 2; } ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '${args[i]}'" >&2; usage >&2; exit 2 ;;
  esac
done

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for tool in "$JAVA" kill yes getconf; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: '$tool' not found on PATH; install it first" >&2; exit 2; }
done
JCMD="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd"
[[ -x "$JCMD" ]] || { echo "run.sh: no jcmd beside $JAVA (a JDK, not a JRE, is needed)" >&2; exit 2; }

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  echo "run.sh: building the sample jar and the benchmarks module"
  # shellcheck disable=SC2086
  # forceCreation: without it the jar plugin keeps a sample jar whose classes did not change, and the
  # repackaged jar then keeps the libraries (raft-core, the starter) of the build before.
  ./mvnw -B -q ${MVN_FLAGS:-} -pl samples/leader-scheduler,benchmarks -am package -DskipTests -Dmaven.jar.forceCreation=true
fi
[[ -f samples/leader-scheduler/target/leader-scheduler.jar ]] || { echo "run.sh: sample jar missing" >&2; exit 2; }

CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
exec "$(readlink -f "$(command -v "$JAVA")")" -Xms1g -Xmx2g -cp "$CP" io.raftboot.benchmarks.Main --root "$ROOT" "$@"
