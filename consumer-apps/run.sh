#!/usr/bin/env bash
# Builds one consumer app (a tiny app whose parent is Spring Boot's own starter parent, not ours) and checks,
# as a user would see it, that the installed starter works on that Boot line:
#   1. the versions of gRPC, protobuf, Netty and Jackson the app really gets (mvn dependency:tree), and no two
#      io.grpc (or com.google.protobuf) artifacts at different versions (net.devh 3.1.0 drags grpc-services 1.63
#      in next to our grpc 1.83, and protobuf-java-util 3.25 next to protobuf-java 4.36);
#   2. three processes of its jar elect exactly one leader that all of them agree on (/actuator/raft);
#   3. the @LeaderOnly job runs on the leader, and on no other node in the leader's term;
#   4. a write on a follower is read back on every node;
#   5. the raft health indicator is UP on every node (its API moved between Boot 3 and 4);
#   6. for a line whose app has a gRPC service of its own (boot-4.0-grpc, boot-4.1-grpc): Raft and that service share the app's
#      Spring gRPC server on the Raft port (raft.server.mode=shared), over mutual TLS (unless CONSUMER_TLS=0): the
#      peers elect through it, and a plaintext call or one without a client certificate is refused on that port.
#
#   ./mvnw install -DskipTests            # the starter into ~/.m2 first
#   consumer-apps/run.sh consumer-apps/boot-3.5 [--offline]
#
# Environment: MVNW (the Maven command, default ./mvnw of the project root), MAVEN_ARGS (extra Maven arguments,
# read by Maven itself), CONSUMER_WORK (where the nodes' logs and data go, default <line-dir>/target/cluster),
# CONSUMER_APP_ARGS (more arguments for every node, e.g. --spring.autoconfigure.exclude=... to look past a
# failure), ELECT_TIMEOUT_S (default 120: three JVMs starting on two busy cores took 40 s here), CONSUMER_TLS=0 (a
# gRPC line shares its server in plaintext).
# Exits non-zero with a message saying which step failed.
set -euo pipefail

usage() { echo "usage: $0 <line-dir> [--offline]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINE=$(cd "$1" && pwd) || usage
shift
OFFLINE=()
for arg in "$@"; do
    case "$arg" in
        --offline) OFFLINE=(-o) ;;
        *) usage ;;
    esac
done
MVNW=${MVNW:-./mvnw}
WORK=${CONSUMER_WORK:-$LINE/target/cluster}
ELECT_TIMEOUT_S=${ELECT_TIMEOUT_S:-120}
NAME=$(basename "$LINE")
FAILURES=()

say() { echo "[consumer $NAME] $*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
# A command that fails outside the checks is a bug of this script: say where rather than stop silently.
trap 'say "FAILED: run.sh line $LINENO: \"$BASH_COMMAND\" failed unexpectedly" >&2' ERR
for tool in curl jq python3 java; do
    command -v "$tool" >/dev/null || fail "$tool is needed and is not on the PATH"
done

# --- build -------------------------------------------------------------------------------------------------
# One Maven run builds the jar and writes the dependency tree (two runs cost a second Maven start and model
# resolution); dependency:tree runs after package, so a compile failure still stops it first.
say "building $LINE with $MVNW ${OFFLINE[*]:-}"
TREE="$LINE/target/dependency-tree.txt"
rm -f "$TREE"
(cd "$ROOT" && $MVNW -B -q "${OFFLINE[@]}" -f "$LINE/pom.xml" package dependency:tree -DskipTests \
    -DoutputFile="$TREE") \
    || fail "the build failed: a user on this Boot line could not compile against the starter (output above)"
JAR="$LINE/target/consumer.jar"
[[ -f "$JAR" ]] || fail "no $JAR after the build"

# --- versions ----------------------------------------------------------------------------------------------
[[ -f "$TREE" ]] || fail "mvn dependency:tree wrote no $TREE"
# Lines look like "|  +- io.grpc:grpc-core:jar:1.83.1:compile"; keep group:artifact version.
ARTIFACTS=$(grep -oE '[a-z0-9_.-]+:[A-Za-z0-9_.-]+:jar(:[A-Za-z0-9_.-]+)?:[^:]+:(compile|runtime)' "$TREE" \
    | awk -F: '{ print $1 ":" $2 " " $(NF-1) }' | sort -u)
say "versions the app gets (from mvn dependency:tree):"
for family in 'io.grpc:' 'com.google.protobuf:' 'io.netty:' 'com.fasterxml.jackson' 'tools.jackson' \
    'net.devh:' 'org.springframework.grpc:' 'org.springframework.boot:spring-boot '; do
    echo "$ARTIFACTS" | grep -F "$family" | awk -v f="$family" '
        { split($1, ga, ":"); v[$2] = v[$2] " " ga[2] }
        END { for (ver in v) printf "    %-26s %-16s %s\n", f, ver, v[ver] }' || true
done
# Artifacts of one family at more than one version: "a.b 1.0\na.c 2.0" -> the versions, one a line.
versions_of() { echo "$ARTIFACTS" | grep -E "$1" | awk '{ print $2 }' | sort -u || true; }
mismatch() { # family regex, what to call it
    local versions
    versions=$(versions_of "$1")
    if [[ $(echo "$versions" | grep -c .) -gt 1 ]]; then
        FAILURES+=("$2 at different versions: $(echo $versions) ($(echo "$ARTIFACTS" | grep -E "$1" \
            | tr '\n' ',' | sed 's/,$//'))")
        say "MISMATCH: ${FAILURES[-1]}"
    fi
}
mismatch '^io\.grpc:' 'io.grpc artifacts'
# protobuf-java-util 3.x beside protobuf-java 4.x is the same kind of skew (it came with grpc-services 1.63).
mismatch '^com\.google\.protobuf:' 'com.google.protobuf artifacts'
NETTY_VERSIONS=$(versions_of '^io\.netty:netty-(codec|common|buffer|handler|transport|resolver)')
if [[ $(echo "$NETTY_VERSIONS" | grep -c .) -gt 1 ]]; then
    say "note: io.netty artifacts at different versions: $(echo $NETTY_VERSIONS)"
fi

# --- cluster -----------------------------------------------------------------------------------------------
rm -rf "$WORK" && mkdir -p "$WORK"
# Six free loopback ports (HTTP and Raft for three nodes), held open together so none repeats.
read -r -a PORTS <<<"$(python3 - <<'EOF'
import socket
socks = []
for _ in range(6):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)"
IDS=(n1 n2 n3)
HTTP=("${PORTS[0]}" "${PORTS[1]}" "${PORTS[2]}")
RAFT=("${PORTS[3]}" "${PORTS[4]}" "${PORTS[5]}")
PIDS=()
CLUSTER_OK=""
stop_nodes() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        # A node that does not stop within 15 s is killed; the check is over either way.
        for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
}
show_logs() {
    for id in "${IDS[@]}"; do
        [[ -f "$WORK/$id.log" ]] || continue
        # The first error and its causes say what broke; a stack trace's last lines rarely do.
        echo "----- errors in $WORK/$id.log"
        grep -E ' ERROR |^Caused by: |^[A-Za-z.$]+(Exception|Error): |^Description:|^Action:' "$WORK/$id.log" \
            | cut -c1-300 | head -n 20 || true
        echo "----- last lines of $WORK/$id.log"
        tail -n 15 "$WORK/$id.log" | cut -c1-300
    done
}
on_exit() {
    local rc=$?
    stop_nodes
    [[ $rc -eq 0 || -n "$CLUSTER_OK" ]] || show_logs
}
trap on_exit EXIT

PEERS=()
for i in 0 1 2; do PEERS+=("--raft.peers.${IDS[$i]}=127.0.0.1:${RAFT[$i]}"); done

# A line whose app has a gRPC service of its own shares its Spring gRPC server with Raft, and does so over mutual TLS
# unless CONSUMER_TLS=0: a throwaway CA and a certificate per node (CN = node id, IP SAN 127.0.0.1), made with the
# JDK's keytool, in PKCS12 stores that one Spring SSL bundle per node ("raft") names for the peer channels
# (raft.tls.bundle), Spring gRPC's server (spring.grpc.server.ssl.*, client certificates required) and the app's
# own gRPC client (consumer.grpc.bundle).
GRPC_LINE=""
# A Spring gRPC server starter in the pom (Boot 4.1's spring-boot-starter-grpc-server, Spring gRPC 1.0.x's
# spring-grpc-server-spring-boot-starter) marks such a line; its app has boot-4.1-grpc's consumer.Echo.
grep -qE '<artifactId>(spring-boot-starter-grpc-server|spring-grpc-server-spring-boot-starter)</artifactId>' \
    "$LINE/pom.xml" && GRPC_LINE=yes
TLS=""
[[ -n "$GRPC_LINE" && "${CONSUMER_TLS:-1}" != 0 ]] && TLS=yes
# The arguments a node gets for mutual TLS, in NODE_ARGS (none without TLS).
node_args() { # node id
    NODE_ARGS=()
    [[ -n "$TLS" ]] || return 0
    local b=--spring.ssl.bundle.jks.raft
    NODE_ARGS=("$b.keystore.location=file:$CERTS/$1.p12" "$b.keystore.password=changeit" "$b.keystore.type=PKCS12"
        "$b.truststore.location=file:$CERTS/trust.p12" "$b.truststore.password=changeit" "$b.truststore.type=PKCS12"
        --raft.tls.bundle=raft --spring.grpc.server.ssl.bundle=raft --spring.grpc.server.ssl.client-auth=require
        --consumer.grpc.bundle=raft)
}
if [[ -n "$TLS" ]]; then
    CERTS="$WORK/certs"
    mkdir -p "$CERTS"
    kt() { keytool -noprompt -storepass changeit -keypass changeit -storetype PKCS12 "$@" >>"$CERTS/keytool.log" 2>&1 \
        || fail "keytool $1 failed: $(tail -n 5 "$CERTS/keytool.log")"; }
    kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=consumer test CA" -ext bc:c -validity 2 \
        -keystore "$CERTS/ca.p12"
    kt -exportcert -rfc -alias ca -keystore "$CERTS/ca.p12" -file "$CERTS/ca.crt"
    kt -importcert -alias ca -file "$CERTS/ca.crt" -keystore "$CERTS/trust.p12"
    for id in "${IDS[@]}"; do
        kt -genkeypair -alias node -keyalg EC -groupname secp256r1 -dname "CN=$id" -validity 2 \
            -keystore "$CERTS/$id.p12"
        kt -certreq -alias node -keystore "$CERTS/$id.p12" -file "$CERTS/$id.csr"
        kt -gencert -rfc -alias ca -keystore "$CERTS/ca.p12" -infile "$CERTS/$id.csr" -outfile "$CERTS/$id.crt" \
            -ext SAN=ip:127.0.0.1 -ext EKU=serverAuth,clientAuth -validity 2
        kt -importcert -alias ca -file "$CERTS/ca.crt" -keystore "$CERTS/$id.p12"
        kt -importcert -alias node -file "$CERTS/$id.crt" -keystore "$CERTS/$id.p12"
    done
    say "mutual TLS between the nodes: a throwaway CA and node certificates in $CERTS"
fi

STARTED=$(date +%s%N)
for i in 0 1 2; do
    node_args "${IDS[$i]}"
    java -Xmx256m -jar "$JAR" --server.port="${HTTP[$i]}" --raft.node-id="${IDS[$i]}" "${PEERS[@]}" \
        --raft.data-dir="$WORK/${IDS[$i]}" "${NODE_ARGS[@]}" ${CONSUMER_APP_ARGS:-} >"$WORK/${IDS[$i]}.log" 2>&1 &
    PIDS+=($!)
done
say "started ${IDS[*]}: http ${HTTP[*]}, raft ${RAFT[*]} (logs in $WORK)"

raft_view() { curl -fsS --max-time 2 "http://127.0.0.1:${HTTP[$1]}/actuator/raft" 2>/dev/null; }
alive_or_fail() {
    for i in 0 1 2; do
        kill -0 "${PIDS[$i]}" 2>/dev/null || fail "node ${IDS[$i]} exited (see its log below)"
    done
}

# Exactly one LEADER, and every node names it as leader in the same term.
LEADER=""
DEADLINE=$((SECONDS + ELECT_TIMEOUT_S))
while [[ $SECONDS -lt $DEADLINE ]]; do
    alive_or_fail
    VIEWS=()
    for i in 0 1 2; do VIEWS+=("$(raft_view "$i" || echo '{}')"); done
    LEADERS=$(printf '%s\n' "${VIEWS[@]}" | jq -r 'select(.role == "LEADER") | .nodeId' | sort -u)
    AGREED=$(printf '%s\n' "${VIEWS[@]}" | jq -r '"\(.leaderId) \(.term)"' | sort -u)
    if [[ $(echo "$LEADERS" | grep -c .) -eq 1 && $(echo "$AGREED" | grep -c .) -eq 1 \
        && "$AGREED" == "$LEADERS "* ]]; then
        LEADER=$LEADERS
        TERM=${AGREED#* }
        break
    fi
    sleep 0.2
done
[[ -n "$LEADER" ]] || fail "no single agreed leader within ${ELECT_TIMEOUT_S}s; last views: ${VIEWS[*]}"
say "leader $LEADER in term $TERM, agreed by all three, $(( ($(date +%s%N) - STARTED) / 1000000 )) ms after launch"

index_of() { for i in 0 1 2; do if [[ "${IDS[$i]}" == "$1" ]]; then echo "$i"; fi; done; }
LI=$(index_of "$LEADER")
jobs_of() { curl -fsS --max-time 2 "http://127.0.0.1:${HTTP[$1]}/jobs"; }

# The job ran on the leader in its term within 5 s, and on no other node in that term.
RAN=""
DEADLINE=$((SECONDS + 5))
while [[ $SECONDS -lt $DEADLINE ]]; do
    RUNS=$(jobs_of "$LI" 2>/dev/null | jq -r --arg t "$TERM" '.runsByTerm[$t] // 0') || RUNS=0
    if [[ "$RUNS" -gt 0 ]]; then RAN=yes; break; fi
    sleep 0.1
done
[[ -n "$RAN" ]] || fail "the @LeaderOnly job did not run on the leader $LEADER within 5 s"
for i in 0 1 2; do
    J=$(jobs_of "$i") || fail "GET /jobs on ${IDS[$i]} failed"
    say "  /jobs ${IDS[$i]}: $J"
    if [[ $i -ne $LI ]]; then
        OTHER=$(echo "$J" | jq -r --arg t "$TERM" '.runsByTerm[$t] // 0')
        [[ "$OTHER" -eq 0 ]] || fail "the @LeaderOnly job ran $OTHER times on follower ${IDS[$i]} in term $TERM"
        [[ $(echo "$J" | jq -r .runs) -eq 0 ]] \
            || say "  note: follower ${IDS[$i]} ran the job in an earlier term (it led then)"
    fi
done
say "the @LeaderOnly job ran on $LEADER only"

# A write on a follower, read back on every node.
FI=$(( (LI + 1) % 3 ))
VALUE="written-on-${IDS[$FI]}-$RANDOM"
PUT=$(curl -fsS --max-time 15 -X PUT -H 'Content-Type: text/plain' --data "$VALUE" \
    "http://127.0.0.1:${HTTP[$FI]}/config/consumer.check") || fail "PUT /config/consumer.check on follower ${IDS[$FI]} failed"
say "PUT on follower ${IDS[$FI]}: $PUT"
for i in 0 1 2; do
    SEEN=""
    DEADLINE=$((SECONDS + 5))
    while [[ $SECONDS -lt $DEADLINE ]]; do
        SEEN=$(curl -fsS --max-time 2 "http://127.0.0.1:${HTTP[$i]}/config/consumer.check" 2>/dev/null \
            | jq -r .value) || true
        [[ "$SEEN" == "$VALUE" ]] && break
        sleep 0.1
    done
    [[ "$SEEN" == "$VALUE" ]] || fail "node ${IDS[$i]} reads '${SEEN}' for consumer.check, not '$VALUE', after 5 s"
done
say "the write on ${IDS[$FI]} reads back on n1, n2 and n3"

# The raft health indicator, whose API moved between Boot 3 and Boot 4, is there and UP.
for i in 0 1 2; do
    RAFT_HEALTH=$(curl -sS --max-time 5 "http://127.0.0.1:${HTTP[$i]}/actuator/health" | jq -r '.components.raft.status // "absent"') || true
    [[ "$RAFT_HEALTH" == "UP" ]] || fail "the raft health of node ${IDS[$i]} is '${RAFT_HEALTH}', not UP (GET /actuator/health)"
done
say "the raft health indicator is UP on n1, n2 and n3"

# A line whose app has a gRPC service of its own (boot-4.1-grpc/src/main/java/io/raftboot/consumer/grpc) serves Raft on its Spring
# gRPC server (raft.server.mode=shared): that server registered rafts.Raft once, no own Raft server started, and the
# app's consumer.Echo answers on each node's Raft port (called by another node through GET /grpc/echo).
if [[ -n "$GRPC_LINE" ]]; then
    for i in 0 1 2; do
        LOG="$WORK/${IDS[$i]}.log"
        [[ $(grep -c 'Registered gRPC service: rafts.Raft' "$LOG") -eq 1 ]] \
            || fail "node ${IDS[$i]}: Spring gRPC did not register rafts.Raft exactly once (see $LOG)"
        grep -q "gRPC Server started, listening on address: .*:${RAFT[$i]}\]" "$LOG" \
            || fail "node ${IDS[$i]}: Spring gRPC's server does not listen on the Raft port ${RAFT[$i]} (see $LOG)"
        ! grep -q 'Raft gRPC server listening' "$LOG" \
            || fail "node ${IDS[$i]} started the starter's own Raft server instead of sharing Spring gRPC's"
        CALLER=$(( (i + 1) % 3 ))
        ECHO=$(curl -fsS --max-time 10 "http://127.0.0.1:${HTTP[$CALLER]}/grpc/echo?port=${RAFT[$i]}&text=${IDS[$i]}") \
            || fail "consumer.Echo did not answer on ${IDS[$i]}'s Raft port ${RAFT[$i]}"
        [[ "$ECHO" == "echo ${IDS[$i]}" ]] || fail "consumer.Echo on port ${RAFT[$i]} answered '$ECHO'"
        if [[ -n "$TLS" ]]; then
            # The server requires a client certificate from the cluster's CA: a plaintext call and a TLS call
            # without a certificate are refused on the port Raft uses (502 carrying gRPC's UNAVAILABLE: the
            # connection fails, not a slow or erring service).
            for creds in plaintext tls-without-certificate; do
                CODE=$(curl -sS --max-time 10 -o "$WORK/echo-$creds.txt" -w '%{http_code}' \
                    "http://127.0.0.1:${HTTP[$CALLER]}/grpc/echo?port=${RAFT[$i]}&credentials=$creds") || true
                BODY=$(cat "$WORK/echo-$creds.txt" 2>/dev/null || true)
                [[ "$CODE" == 502 && "$BODY" == *"code=UNAVAILABLE"* ]] \
                    || fail "a $creds call to ${IDS[$i]}'s Raft port ${RAFT[$i]} was not refused (HTTP $CODE: ${BODY:0:300})"
            done
        fi
    done
    say "Raft and the app's consumer.Echo share Spring gRPC's server on ${RAFT[*]}"
    [[ -z "$TLS" ]] || say "  over mutual TLS: plaintext calls and calls without a client certificate are refused there"
fi
CLUSTER_OK=yes

if [[ ${#FAILURES[@]} -gt 0 ]]; then
    for f in "${FAILURES[@]}"; do say "FAILED: $f" >&2; done
    say "the cluster worked, but the dependency check above failed"
    exit 1
fi
say "OK"
