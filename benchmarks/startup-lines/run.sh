#!/usr/bin/env bash
# Start-up time the starter adds on each Spring Boot line, measured the way scenario 6 of the benchmarks does
# (launch -> Spring Boot's "Started ... in" line, a web + actuator app, the same JVM options), but with apps
# whose parent is that line's spring-boot-starter-parent: startup-bare.jar without the starter and
# startup-raft.jar with it as a one-voter cluster (gRPC server, data directory, Raft loop). The two alternate,
# RUNS times each; the medians and their difference are printed and written to
# benchmarks/target/startup-lines/<line>.csv.
#
#   ./mvnw install -DskipTests                                  # the starter into ~/.m2 first
#   benchmarks/startup-lines/run.sh [boot-3.5] [boot-4.0]       # default: both
#
# Environment: RUNS (default 10), MVNW (the Maven command, default ./mvnw of the project root), OFFLINE=1 to build
# with -o, JAVA (default java).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUNS=${RUNS:-10}
MVNW=${MVNW:-./mvnw}
JAVA=${JAVA:-java}
OFF=()
[[ "${OFFLINE:-}" == 1 ]] && OFF=(-o)
LINES=("$@")
[[ ${#LINES[@]} -gt 0 ]] || LINES=(boot-3.5 boot-4.0)
OUT="$ROOT/benchmarks/target/startup-lines"
mkdir -p "$OUT"

for line in "${LINES[@]}"; do
    [[ -f "$HERE/$line/pom.xml" ]] || { echo "no $HERE/$line/pom.xml" >&2; exit 2; }
    echo "[startup $line] building startup-bare.jar and startup-raft.jar"
    (cd "$ROOT" && $MVNW -B -q "${OFF[@]}" -f "$HERE/$line/pom.xml" package -DskipTests)
    (cd "$ROOT" && $MVNW -B -q "${OFF[@]}" -f "$HERE/$line/pom.xml" package -DskipTests -Praft)
    python3 - "$JAVA" "$HERE/$line/target" "$RUNS" "$OUT" "$line" <<'PY'
import csv, os, random, shutil, statistics, subprocess, sys, tempfile, time

java, target, runs, out, line = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
# Scenario 6's JVM options (benchmarks Cluster.JVM_OPTIONS).
jvm = ["-Xms256m", "-Xmx256m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
       "-XX:-UseDynamicNumberOfCompilerThreads"]

def start(jar, args):
    command = [java, *jvm, "-jar", os.path.join(target, jar), "--server.port=0",
               "--spring.main.banner-mode=off", *args]
    began = time.monotonic()
    p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    try:
        for out_line in p.stdout:
            if "Started StartupApp in" in out_line:
                return (time.monotonic() - began) * 1000
            seen.append(out_line)
        raise SystemExit(f"{jar} exited without starting:\n{''.join(seen[-40:])}")
    finally:
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()

data = tempfile.mkdtemp(prefix="startup-lines-")
bare, raft = [], []
try:
    for i in range(runs):
        bare.append(start("startup-bare.jar", []))
        port = random.randint(20000, 29999)
        raft.append(start("startup-raft.jar", ["--raft.node-id=n1", f"--raft.peers.n1=127.0.0.1:{port}",
                                               f"--raft.data-dir={data}/n1-{i}"]))
finally:
    shutil.rmtree(data, ignore_errors=True)
with open(os.path.join(out, line + ".csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["line", "variant", "run", "ms"])
    for variant, xs in (("bare", bare), ("raft", raft)):
        for i, ms in enumerate(xs):
            w.writerow([line, variant, i + 1, f"{ms:.1f}"])
mb, mr = statistics.median(bare), statistics.median(raft)
print(f"[startup {line}] launch -> 'Started' line, medians of {runs}: without the starter {mb:.0f} ms,"
      f" with it (1-voter cluster) {mr:.0f} ms: added {mr - mb:+.0f} ms"
      f" (without: {min(bare):.0f}-{max(bare):.0f}, with: {min(raft):.0f}-{max(raft):.0f})")
PY
done
