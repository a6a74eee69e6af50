#!/usr/bin/env bash
# A local 3-node cluster of the leader-scheduler sample, on this machine.
#
#   samples/cluster.sh up               build the jar if missing, start n1..n3, wait for a leader, show the table
#   samples/cluster.sh status           the table: node, pid, role, term, leader, configVersion
#   samples/cluster.sh kill-leader      kill -9 the leader and show how long the others took to elect a new one
#   samples/cluster.sh stop <node>      stop one node gracefully (SIGTERM; a leader hands over first)
#   samples/cluster.sh start <node>     start one node again (from its data directory)
#   samples/cluster.sh transfer <node>  ask the leader to hand leadership to <node>
#   samples/cluster.sh put <key> <value> [node]   write a config key (through any node)
#   samples/cluster.sh get <key> [node]           read a config key from a node
#   samples/cluster.sh logs <node>      follow a node's log
#   samples/cluster.sh down             stop all nodes
#
# Node nI listens on HTTP 808I and gRPC 909I (127.0.0.1); data and logs are under
# samples/leader-scheduler/target/cluster/. Needs java (17+) and curl; uses jq when present.
# POST /actuator/raft (transfer) needs the sample's admin: `up` makes a random password (or takes
# ADMIN_PASSWORD), gives it to every node it starts and keeps it, never printed, in
# target/cluster/admin-password (mode 0600); `transfer` sends it. By hand:
#   curl -u "admin:$(cat samples/leader-scheduler/target/cluster/admin-password)" ...
# Environment: JAVA (java command), JAVA_OPTS (JVM options), HTTP_BASE (8080), GRPC_BASE (9090),
# NODES (3), RAFT_ARGS (more application arguments for every node, e.g. --raft.election-timeout=1s),
# NO_JQ=1 (parse JSON with sed even when jq is installed), ADMIN_USER (admin), ADMIN_PASSWORD (random).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/samples/leader-scheduler/target/leader-scheduler.jar"
CLUSTER_DIR="$ROOT/samples/leader-scheduler/target/cluster"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
HTTP_BASE="${HTTP_BASE:-8080}"
GRPC_BASE="${GRPC_BASE:-9090}"
NODES="${NODES:-3}"
RAFT_ARGS="${RAFT_ARGS:-}"
START_TIMEOUT="${START_TIMEOUT:-90}"
ADMIN_USER="${ADMIN_USER:-admin}"

die() { echo "cluster.sh: $*" >&2; exit 1; }

node_ids() { local i; for ((i = 1; i <= NODES; i++)); do echo "n$i"; done; }
index_of() {
  [[ "$1" =~ ^n([0-9]+)$ ]] && (( BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= NODES )) \
    || die "unknown node '$1': the nodes are $(node_ids | tr '\n' ' ')"
  echo "${BASH_REMATCH[1]}"
}
http_port() { echo $((HTTP_BASE + $(index_of "$1"))); }
grpc_port() { echo $((GRPC_BASE + $(index_of "$1"))); }
pid_file() { echo "$CLUSTER_DIR/$1.pid"; }
log_file() { echo "$CLUSTER_DIR/$1.log"; }
password_file() { echo "$CLUSTER_DIR/admin-password"; }
now_ms() { date +%s%3N; }

# --- JSON without jq: the fields of /actuator/raft we print are unique names in a compact document.
have_jq() { [[ -z "${NO_JQ:-}" ]] && command -v jq >/dev/null 2>&1; }
json_field() { # json_field <json> <name>: the value as text (strings unquoted), empty if absent or null
  local json="$1" name="$2" value
  if have_jq; then
    value="$(jq -r --arg n "$name" '.[$n] // empty' <<<"$json" 2>/dev/null)" || value=""
  else
    value="$(sed -n "s/.*\"$name\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" <<<"$json" | head -1)"
    value="${value#\"}"; value="${value%\"}"
    [[ "$value" == null ]] && value=""
  fi
  echo "$value"
}

# --- the admin password of the actuator's write operations: in a 0600 file and in the nodes'
# environment, never echoed and never on a command line (ps shows command lines to every user).
new_admin_password() { # for a cluster with no node running: ADMIN_PASSWORD, or 24 random bytes in hex
  local pw="${ADMIN_PASSWORD:-}"
  [[ -n "$pw" ]] || pw="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  [[ ${#pw} -ge 16 ]] || die "ADMIN_PASSWORD is too short (16 characters at least)"
  (umask 077 && printf '%s\n' "$pw" >"$(password_file)")
  chmod 600 "$(password_file)"
}
admin_password() {
  [[ -s "$(password_file)" ]] || die "no admin password in $(password_file): start the cluster with $0 up"
  head -n 1 "$(password_file)"
}
admin_curl() { # curl with the admin's credentials, passed on stdin (curl -K -), not in the arguments
  printf 'user = "%s:%s"\n' "$ADMIN_USER" "$(admin_password)" | curl -K - "$@"
}

# --- processes
pid_of() { # the pid of a running node, or nothing
  local f; f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 0
  local pid; pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null && is_our_process "$pid"; then echo "$pid"; fi
}
is_our_process() { # guards against a recycled pid
  local cmd=""
  if [[ -r "/proc/$1/cmdline" ]]; then cmd="$(tr '\0' ' ' <"/proc/$1/cmdline")"
  elif command -v ps >/dev/null 2>&1; then cmd="$(ps -p "$1" -o args= 2>/dev/null || true)"
  else return 0; fi
  [[ "$cmd" == *leader-scheduler.jar* ]]
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (JAVA=$JAVA): install a JDK 17 or newer, or set JAVA=/path/to/bin/java"
  local version
  version="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [[ -n "$version" && "$version" -ge 17 ]] || die "java 17 or newer is needed, '$JAVA' is version ${version:-unknown}"
}
check_curl() { command -v curl >/dev/null 2>&1 || die "curl not found: install curl (apt-get install curl)"; }

build_if_missing() {
  [[ -f "$JAR" ]] && return 0
  echo "Building $JAR (once; a minute or two) ..."
  (cd "$ROOT" && ./mvnw -q -pl samples/leader-scheduler -am package -DskipTests) || die "the build failed; run it yourself to see why: ./mvnw -pl samples/leader-scheduler -am package -DskipTests"
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
}

start_node() {
  local id="$1" pid http grpc peers=() j
  pid="$(pid_of "$id")"
  [[ -z "$pid" ]] || { echo "$id is already running (pid $pid)"; return 0; }
  http="$(http_port "$id")"; grpc="$(grpc_port "$id")"
  port_in_use "$http" && die "cannot start $id: HTTP port $http is already in use by another process (see: ss -ltnp | grep :$http); free it or set HTTP_BASE"
  port_in_use "$grpc" && die "cannot start $id: gRPC port $grpc is already in use by another process (see: ss -ltnp | grep :$grpc); free it or set GRPC_BASE"
  for j in $(node_ids); do peers+=("--raft.peers.$j=127.0.0.1:$(grpc_port "$j")"); done
  mkdir -p "$CLUSTER_DIR/$id"
  # shellcheck disable=SC2086 # JAVA_OPTS and RAFT_ARGS are word lists
  ADMIN_USER="$ADMIN_USER" ADMIN_PASSWORD="$(admin_password)" nohup "$JAVA" $JAVA_OPTS -jar "$JAR" --server.port="$http" --raft.node-id="$id" "${peers[@]}" \
    --raft.data-dir="$CLUSTER_DIR/$id" $RAFT_ARGS >>"$(log_file "$id")" 2>&1 &
  echo $! >"$(pid_file "$id")"
  echo "started $id (pid $!, HTTP $http, gRPC $grpc, log $(log_file "$id"))"
}

stop_node() { # stop_node <id> <signal>
  local id="$1" signal="$2" pid i
  pid="$(pid_of "$id")"
  if [[ -z "$pid" ]]; then echo "$id is not running"; rm -f "$(pid_file "$id")"; return 0; fi
  kill -CONT "$pid" 2>/dev/null || true   # a node stopped with SIGSTOP cannot handle SIGTERM
  kill "-$signal" "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; echo "$id did not stop within 30 s: killed"; fi
  rm -f "$(pid_file "$id")"
  echo "stopped $id (pid $pid, SIG$signal)"
}

status_json() { curl -fsS -m 1 "http://127.0.0.1:$(http_port "$1")/actuator/raft" 2>/dev/null || true; }

# The id of the node that reports LEADER, if exactly one does.
current_leader() {
  local id json leaders=()
  for id in $(node_ids); do
    [[ -n "$(pid_of "$id")" ]] || continue
    json="$(status_json "$id")"
    [[ "$(json_field "$json" role)" == LEADER ]] && leaders+=("$id:$(json_field "$json" term)")
  done
  [[ ${#leaders[@]} -eq 1 ]] && echo "${leaders[0]}"
  return 0
}

# Whether every running node knows the same leader in the same term; prints "<leader> <term>".
agreed_leader() {
  local id json leader="" term="" l t running=0
  for id in $(node_ids); do
    [[ -n "$(pid_of "$id")" ]] || continue
    running=$((running + 1))
    json="$(status_json "$id")"
    l="$(json_field "$json" leaderId)"; t="$(json_field "$json" term)"
    [[ -n "$l" && -n "$t" ]] || return 1
    if [[ -z "$leader" ]]; then leader="$l"; term="$t"; elif [[ "$l" != "$leader" || "$t" != "$term" ]]; then return 1; fi
  done
  [[ $running -gt 0 && -n "$leader" ]] || return 1
  json="$(status_json "$leader")"
  [[ "$(json_field "$json" role)" == LEADER ]] || return 1
  echo "$leader $term"
}

wait_for_leader() { # wait_for_leader <seconds> [min-term]
  local deadline=$(( $(date +%s) + $1 )) min="${2:-0}" agreed id
  while (( $(date +%s) < deadline )); do
    if agreed="$(agreed_leader)" && (( ${agreed#* } > min )); then echo "$agreed"; return 0; fi
    for id in $(node_ids); do
      if [[ -f "$(pid_file "$id")" && -z "$(pid_of "$id")" ]]; then
        echo "cluster.sh: $id exited; the end of its log $(log_file "$id"):" >&2
        tail -n 20 "$(log_file "$id")" >&2; rm -f "$(pid_file "$id")"; return 1
      fi
    done
    sleep 0.2
  done
  return 1
}

print_table() {
  local id pid json fmt="%-5s %-8s %-6s %-10s %-6s %-7s %-14s %s\n"
  # shellcheck disable=SC2059
  printf "$fmt" NODE PID HTTP ROLE TERM LEADER CONFIG-VERSION LEASE-MS
  for id in $(node_ids); do
    pid="$(pid_of "$id")"
    if [[ -z "$pid" ]]; then
      # shellcheck disable=SC2059
      printf "$fmt" "$id" "-" "$(http_port "$id")" down - - - -; continue
    fi
    json="$(status_json "$id")"
    if [[ -z "$json" ]]; then
      # shellcheck disable=SC2059
      printf "$fmt" "$id" "$pid" "$(http_port "$id")" "(no answer)" - - - -; continue
    fi
    # shellcheck disable=SC2059
    printf "$fmt" "$id" "$pid" "$(http_port "$id")" "$(json_field "$json" role)" "$(json_field "$json" term)" \
      "$(json_field "$json" leaderId)" "$(json_field "$json" configVersion)" "$(json_field "$json" leaseValidForMillis)"
  done
}

need_node() { [[ $# -ge 1 && -n "$1" ]] || die "which node? e.g. $(basename "$0") $CMD n2"; index_of "$1" >/dev/null; }

CMD="${1:-}"; shift || true
case "$CMD" in
  up)
    check_java; check_curl; build_if_missing; mkdir -p "$CLUSTER_DIR"
    for id in $(node_ids); do   # every port first, so that a taken port starts nothing
      [[ -n "$(pid_of "$id")" ]] && continue
      for port in "$(http_port "$id")" "$(grpc_port "$id")"; do
        port_in_use "$port" && die "port $port (of $id) is already in use by another process (see: ss -ltnp | grep :$port); free it, or move the cluster with HTTP_BASE=18080 GRPC_BASE=19090 $0 up"
      done
    done
    running=0; for id in $(node_ids); do [[ -z "$(pid_of "$id")" ]] || running=$((running + 1)); done
    # A new password per cluster; nodes still running keep theirs, so the file must stay.
    if (( running == 0 )) || [[ ! -s "$(password_file)" ]]; then new_admin_password; fi
    for id in $(node_ids); do start_node "$id"; done
    echo "admin password of POST /actuator/raft: in $(password_file) (user $ADMIN_USER)"
    echo "waiting for the nodes to start and elect a leader (up to ${START_TIMEOUT} s) ..."
    agreed="$(wait_for_leader "$START_TIMEOUT")" || { print_table; die "no leader agreed by all nodes within ${START_TIMEOUT} s; see the logs in $CLUSTER_DIR"; }
    echo "leader: ${agreed% *} (term ${agreed#* })"; echo
    print_table
    echo
    echo "Try: curl -X PUT -H 'Content-Type: text/plain' -d blue http://127.0.0.1:$((HTTP_BASE + 2))/config/color"
    echo "     curl http://127.0.0.1:$((HTTP_BASE + 3))/config/color ; curl http://127.0.0.1:$((HTTP_BASE + 1))/jobs"
    echo "     $0 kill-leader ; $0 status ; $0 down"
    ;;
  status)
    check_curl; print_table ;;
  kill-leader)
    check_curl
    found="$(current_leader)"; [[ -n "$found" ]] || { print_table; die "no single node reports LEADER right now"; }
    leader="${found%%:*}"; term="${found#*:}"; pid="$(pid_of "$leader")"
    killed_at="$(now_ms)"; kill -KILL "$pid"; rm -f "$(pid_file "$leader")"
    echo "killed $leader (pid $pid), leader of term $term, with kill -9"
    if agreed="$(wait_for_leader 30 "$term")"; then
      echo "new leader: ${agreed% *} in term ${agreed#* }, agreed by the survivors $(( $(now_ms) - killed_at )) ms after the kill"
    else
      echo "no new leader agreed within 30 s" >&2
    fi
    echo; print_table
    echo; echo "restart it with: $0 start $leader"
    ;;
  stop)
    need_node "${1:-}"; stop_node "$1" TERM ;;
  start)
    need_node "${1:-}"; check_java; [[ -f "$JAR" ]] || build_if_missing; mkdir -p "$CLUSTER_DIR"
    [[ -s "$(password_file)" ]] || new_admin_password
    start_node "$1"
    echo "waiting for $1 to join (up to ${START_TIMEOUT} s) ..."
    if wait_for_leader "$START_TIMEOUT" >/dev/null; then echo; print_table; else print_table; die "$1 did not join within ${START_TIMEOUT} s; see $(log_file "$1")"; fi
    ;;
  transfer)
    need_node "${1:-}"; check_curl
    found="$(current_leader)"; [[ -n "$found" ]] || { print_table; die "no single node reports LEADER right now"; }
    leader="${found%%:*}"
    [[ "$leader" != "$1" ]] || { echo "$1 already leads"; exit 0; }
    echo "asking $leader to hand leadership to $1 ..."
    answer="$(admin_curl -sS -m 15 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
      -d "{\"target\":\"$1\"}" "http://127.0.0.1:$(http_port "$leader")/actuator/raft")" \
      || die "the transfer request to $leader failed"
    code="${answer##*$'\n'}"; echo "${answer%$'\n'*}"
    [[ "$code" != 401 && "$code" != 403 ]] || die "$leader refused the admin credentials (HTTP $code): it was started with another ADMIN_PASSWORD than the one in $(password_file); restart the cluster: $0 down; $0 up"
    echo; wait_for_leader 10 >/dev/null || true; print_table
    ;;
  put)
    [[ $# -ge 2 ]] || die "usage: $0 put <key> <value> [node]"; check_curl
    node="${3:-n1}"; index_of "$node" >/dev/null
    curl -sS -m 10 -X PUT -H 'Content-Type: text/plain' --data-binary "$2" "http://127.0.0.1:$(http_port "$node")/config/$1"; echo ;;
  get)
    [[ $# -ge 1 ]] || die "usage: $0 get <key> [node]"; check_curl
    node="${2:-n1}"; index_of "$node" >/dev/null
    curl -sS -m 10 "http://127.0.0.1:$(http_port "$node")/config/$1"; echo ;;
  logs)
    need_node "${1:-}"; exec tail -n 50 -f "$(log_file "$1")" ;;
  down)
    for id in $(node_ids); do stop_node "$id" TERM; done ;;
  ""|-h|--help|help)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)
    die "unknown command '$CMD'; try: $0 help" ;;
esac
