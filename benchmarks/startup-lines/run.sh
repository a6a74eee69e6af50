#!/usr/bin/env bash
# Start-up time the starter adds on each Spring Boot line, measured the way scenario 6 of the benchmarks does
# (launch -> Spring Boot's "Started ... in" line, a web + actuator app, the same JVM options), but with apps
# whose parent is that line's spring-boot-starter-parent: startup-bare.jar without the starter and
# startup-raft.jar with it as a one-voter cluster (gRPC server, data directory, Raft loop). A line whose pom has
# grpc and plain profiles (boot-4.1) also builds startup-grpc.jar, the bare app plus Boot's own gRPC server starter
# and one gRPC service, and startup-plain.jar, the bare app plus a plain grpc-java server of shaded Netty (the
# starter's transport), for what a gRPC server alone adds. The variants alternate, RUNS times each; the medians and
# their differences are printed and written to benchmarks/target/startup-lines/<line>.csv.
#
#   ./mvnw install -DskipTests                                  # the starter into ~/.m2 first
#   benchmarks/startup-lines/run.sh [boot-3.5] [boot-4.0] [boot-4.1]   # default: all three
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
[[ ${#LINES[@]} -gt 0 ]] || LINES=(boot-3.5 boot-4.0 boot-4.1)
OUT="$ROOT/benchmarks/target/startup-lines"
mkdir -p "$OUT"

for line in "${LINES[@]}"; do
    [[ -f "$HERE/$line/pom.xml" ]] || { echo "no $HERE/$line/pom.xml" >&2; exit 2; }
    VARIANTS=(bare raft)
    for extra in grpc plain; do
        grep -q "<id>$extra</id>" "$HERE/$line/pom.xml" && VARIANTS+=("$extra")
    done
    for variant in "${VARIANTS[@]}"; do
        echo "[startup $line] building startup-$variant.jar"
        # Each variant compiles its own sources (grpc adds one): no class of another build stays behind.
        rm -rf "$HERE/$line/target/classes"
        PROFILE=()
        [[ $variant == bare ]] || PROFILE=("-P$variant")
        (cd "$ROOT" && $MVNW -B -q "${OFF[@]}" -f "$HERE/$line/pom.xml" package -DskipTests "${PROFILE[@]}")
    done
    python3 - "$JAVA" "$HERE/$line/target" "$RUNS" "$OUT" "$line" "${VARIANTS[@]}" <<'PY'
import csv, os, random, shutil, statistics, subprocess, sys, tempfile, time

java, target, runs, out, line = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
variants = sys.argv[6:]
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

def args_of(variant, i, data):
    port = random.randint(20000, 29999)
    if variant == "raft":
        return ["--raft.node-id=n1", f"--raft.peers.n1=127.0.0.1:{port}", f"--raft.data-dir={data}/n1-{i}"]
    if variant == "grpc":
        return [f"--spring.grpc.server.port={port}"]
    if variant == "plain":
        return [f"--plain.grpc.port={port}"]
    return []

data = tempfile.mkdtemp(prefix="startup-lines-")
times = {v: [] for v in variants}
try:
    for i in range(runs):
        for v in variants:
            times[v].append(start(f"startup-{v}.jar", args_of(v, i, data)))
finally:
    shutil.rmtree(data, ignore_errors=True)
with open(os.path.join(out, line + ".csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["line", "variant", "run", "ms"])
    for v in variants:
        for i, ms in enumerate(times[v]):
            w.writerow([line, v, i + 1, f"{ms:.1f}"])
median = {v: statistics.median(xs) for v, xs in times.items()}
what = {"raft": "with the starter (1-voter cluster)", "grpc": "with Boot's gRPC server starter and one service",
        "plain": "with a plain grpc-java server (shaded Netty)"}
print(f"[startup {line}] launch -> 'Started' line, medians of {runs}: without the starter {median['bare']:.0f} ms"
      f" ({min(times['bare']):.0f}-{max(times['bare']):.0f})")
for v in variants[1:]:
    print(f"[startup {line}]   {what[v]}: {median[v]:.0f} ms ({min(times[v]):.0f}-{max(times[v]):.0f}):"
          f" added {median[v] - median['bare']:+.0f} ms")
PY
done
