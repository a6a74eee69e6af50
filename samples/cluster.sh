#!/usr/bin/env bash
# A local cluster of the leader-scheduler sample, on this machine: n1..n3 at first, then the members
# you add and remove.
#
#   samples/cluster.sh up               build the jar if missing, start the members, wait for a leader, show the table
#   samples/cluster.sh status           the table: node, pid, role, term, leader, configVersion, lease, member role
#   samples/cluster.sh kill-leader      kill -9 the leader; show from the survivors' logs when they elected and followed a new one
#   samples/cluster.sh stop <node>      stop one node gracefully (SIGTERM; a leader hands over first)
#   samples/cluster.sh start <node>     start one member again (from its data directory)
#   samples/cluster.sh transfer <node>  ask the leader to hand leadership to <node>
#   samples/cluster.sh roles            each node's view of the named roles: holder, token, held here, lease left
#   samples/cluster.sh move-role <role> <node>    ask the leader to move a named role to <node>
#   samples/cluster.sh add <node>       start a new node (empty data directory, an id never used) and make it a voter
#   samples/cluster.sh remove <node>    remove a member (the leader too) on the leader, then stop it
#   samples/cluster.sh replace <old> <new>  remove <old> (running or dead), then add <new>: always a new id
#   samples/cluster.sh put <key> <value> [node]   write a config key (through any node)
#   samples/cluster.sh get <key> [node]           read a config key from a node
#   samples/cluster.sh logs <node>      follow a node's log
#   samples/cluster.sh down             stop all nodes
#
# Node nI (n1..n9) listens on HTTP 808I and gRPC 909I (127.0.0.1); data and logs are under
# samples/leader-scheduler/target/cluster/. Needs java (17+) and curl; uses jq when present.
# The members are in target/cluster/members, one id a line: `up` writes n1..nNODES there for a new
# cluster and keeps the file of an existing one; add, remove and replace change it (after the
# leader committed the change), and every node starts with them as its raft.peers. A removed
# node's data directory becomes <node>.removed-<time>, so it never starts into the cluster again;
# its id is never used again (docs/operations.md, "Adding and removing members").
# POST /actuator/raft (transfer, add, remove) needs the sample's admin: `up` makes a random password (or takes
# ADMIN_PASSWORD), gives it to every node it starts and keeps it, never printed, in
# target/cluster/admin-password (mode 0600); `transfer`, `move-role`, `add` and `remove` send it. By hand:
#   curl -u "admin:$(cat samples/leader-scheduler/target/cluster/admin-password)" ...
# Environment: JAVA (java command), JAVA_OPTS (JVM options), HTTP_BASE (8080), GRPC_BASE (9090),
# NODES (3: the members of a new cluster), RAFT_ARGS (more application arguments for every node, e.g. --raft.election-timeout=1s),
# NO_JQ=1 (parse JSON without jq even when it is installed), ADMIN_USER (admin), ADMIN_PASSWORD (random).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/samples/leader-scheduler/target/leader-scheduler.jar"
CLUSTER_DIR="$ROOT/samples/leader-scheduler/target/cluster"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
HTTP_BASE="${HTTP_BASE:-8080}"
GRPC_BASE="${GRPC_BASE:-9090}"
NODES_GIVEN="${NODES:+yes}"
NODES="${NODES:-3}"
RAFT_ARGS="${RAFT_ARGS:-}"
START_TIMEOUT="${START_TIMEOUT:-90}"
ADMIN_USER="${ADMIN_USER:-admin}"

die() { echo "cluster.sh: $*" >&2; exit 1; }

members_file() { echo "$CLUSTER_DIR/members"; }
# The members, one id a line: the members file, or n1..nNODES before `up` wrote it.
node_ids() {
  if [[ -s "$(members_file)" ]]; then sed '/^[[:space:]]*$/d' "$(members_file)"
  else local i; for ((i = 1; i <= NODES; i++)); do echo "n$i"; done; fi
}
is_member() { grep -qx -- "$1" < <(node_ids); }
first_member() { node_ids | sed -n 1p; }
write_members() { # write_members <id>...: the members file, replaced at once, in id order
  printf '%s\n' "$@" | sort -u >"$(members_file).tmp" && mv "$(members_file).tmp" "$(members_file)"
}
# The number of a node id: nI listens on HTTP_BASE+I and GRPC_BASE+I.
index_of() {
  [[ "$1" =~ ^n([1-9])$ ]] || die "unknown node '$1': node ids are n1..n9; the members are $(node_ids | tr '\n' ' ')"
  echo "${BASH_REMATCH[1]}"
}
has_data() { [[ -n "$(ls -A "$CLUSTER_DIR/$1" 2>/dev/null)" ]]; }
removed_dir_of() { # the data directory a removal put aside, if any
  local d; for d in "$CLUSTER_DIR/$1".removed-*; do [[ -e "$d" ]] && { echo "$d"; return 0; }; done; return 0
}
http_port() { echo $((HTTP_BASE + $(index_of "$1"))); }
grpc_port() { echo $((GRPC_BASE + $(index_of "$1"))); }
pid_file() { echo "$CLUSTER_DIR/$1.pid"; }
log_file() { echo "$CLUSTER_DIR/$1.log"; }
password_file() { echo "$CLUSTER_DIR/admin-password"; }
now_ms() { date +%s%3N; }
# log_ms <node> <regex>: the wall-clock time (epoch ms) of the last line of the node's log matching
# <regex>, from the timestamp that starts every line; fails when no line matches.
log_ms() {
  local line; line="$(grep -a -E "$2" "$(log_file "$1")" | tail -1)"
  [[ -n "$line" ]] && date -d "${line%% *}" +%s%3N 2>/dev/null
}

# --- JSON without jq: the top-level fields of /actuator/raft we print come before any member's field
# of the same name ("role") in the compact document, so the first occurrence is the one.
have_jq() { [[ -z "${NO_JQ:-}" ]] && command -v jq >/dev/null 2>&1; }
json_field() { # json_field <json> <name>: the value as text (strings unquoted), empty if absent or null
  local json="$1" name="$2" value
  if have_jq; then
    value="$(jq -r --arg n "$name" '.[$n] // empty' <<<"$json" 2>/dev/null)" || value=""
  elif [[ "$json" == *"\"$name\":"* ]]; then
    value="${json#*"\"$name\":"}"   # shortest prefix: after the first occurrence
    if [[ "$value" == \"* ]]; then value="${value#\"}"; value="${value%%\"*}"
    else value="${value%%[,\}\]]*}"; [[ "$value" == null ]] && value=""; fi
  else
    value=""
  fi
  echo "$value"
}
member_role() { # member_role <status json> <id>: voter, learner or joining in that node's view; empty if no member
  local json="$1" id="$2"
  if have_jq; then
    jq -r --arg id "$id" '.members[]? | select(.id == $id) | .role' <<<"$json" 2>/dev/null || true
  else   # a member is {"id":..,"url":..,"role":..}; peers[] have no "role"
    { grep -o "{\"id\":\"$id\",[^}]*\"role\":\"[a-z]*\"" <<<"$json" || true; } | sed -n '1s/.*"role":"\([a-z]*\)".*/\1/p'
  fi
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
  (cd "$ROOT" && ./mvnw -q -pl samples/leader-scheduler -am package -DskipTests -Dmaven.jar.forceCreation=true) || die "the build failed; run it yourself to see why: ./mvnw -pl samples/leader-scheduler -am package -DskipTests"
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
}

start_node() { # start_node <id> [application argument]...: its raft.peers are the members and itself
  local id="$1" pid http grpc peers=() j
  shift
  pid="$(pid_of "$id")"
  [[ -z "$pid" ]] || { echo "$id is already running (pid $pid)"; return 0; }
  http="$(http_port "$id")"; grpc="$(grpc_port "$id")"
  port_in_use "$http" && die "cannot start $id: HTTP port $http is already in use by another process (see: ss -ltnp | grep :$http); free it or set HTTP_BASE"
  port_in_use "$grpc" && die "cannot start $id: gRPC port $grpc is already in use by another process (see: ss -ltnp | grep :$grpc); free it or set GRPC_BASE"
  for j in $(node_ids); do peers+=("--raft.peers.$j=127.0.0.1:$(grpc_port "$j")"); done
  is_member "$id" || peers+=("--raft.peers.$id=127.0.0.1:$grpc")
  mkdir -p "$CLUSTER_DIR/$id"
  # shellcheck disable=SC2086 # JAVA_OPTS and RAFT_ARGS are word lists
  ADMIN_USER="$ADMIN_USER" ADMIN_PASSWORD="$(admin_password)" nohup "$JAVA" $JAVA_OPTS -jar "$JAR" --server.port="$http" --raft.node-id="$id" "${peers[@]}" \
    --raft.data-dir="$CLUSTER_DIR/$id" "$@" $RAFT_ARGS >>"$(log_file "$id")" 2>&1 &
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

# The members, then any other node running (one being added, or left by an add that failed).
table_ids() {
  local i; node_ids
  for ((i = 1; i <= 9; i++)); do is_member "n$i" || [[ -z "$(pid_of "n$i")" ]] || echo "n$i"; done
}

print_table() { # MEMBER: the node's own role in the configuration it follows (voter, learner, joining)
  local id pid json fmt="%-5s %-8s %-6s %-10s %-6s %-7s %-14s %-8s %s\n"
  # shellcheck disable=SC2059
  printf "$fmt" NODE PID HTTP ROLE TERM LEADER CONFIG-VERSION LEASE-MS MEMBER
  for id in $(table_ids); do
    pid="$(pid_of "$id")"
    if [[ -z "$pid" ]]; then
      # shellcheck disable=SC2059
      printf "$fmt" "$id" "-" "$(http_port "$id")" down - - - - -; continue
    fi
    json="$(status_json "$id")"
    if [[ -z "$json" ]]; then
      # shellcheck disable=SC2059
      printf "$fmt" "$id" "$pid" "$(http_port "$id")" "(no answer)" - - - - -; continue
    fi
    # shellcheck disable=SC2059
    printf "$fmt" "$id" "$pid" "$(http_port "$id")" "$(json_field "$json" role)" "$(json_field "$json" term)" \
      "$(json_field "$json" leaderId)" "$(json_field "$json" configVersion)" "$(json_field "$json" leaseValidForMillis)" \
      "$(member_role "$json" "$id")"
  done
}

# One line per node and named role, from that node's /actuator/raft "roles": its own view (a
# follower's may lag the leader's by a heartbeat). HELD-HERE is what isLeader(role) answers there.
print_roles() {
  local id json fmt="%-5s %-10s %-7s %-7s %-10s %s\n" rows row
  # shellcheck disable=SC2059
  printf "$fmt" NODE ROLE HOLDER TOKEN HELD-HERE LEASE-MS
  for id in $(table_ids); do
    json=""; [[ -z "$(pid_of "$id")" ]] || json="$(status_json "$id")"
    if [[ -z "$json" ]]; then
      # shellcheck disable=SC2059
      printf "$fmt" "$id" "(down or no answer)" - - - -; continue
    fi
    if have_jq; then
      rows="$(jq -r '.roles[]? | [.name, (.holder // "-"), .token, .heldHere, .leaseValidForMillis] | @tsv' <<<"$json" 2>/dev/null)" || rows=""
    else   # a role is {"name":..,"holder":..,"token":..,"heldHere":..,"leaseValidForMillis":..}
      rows="$({ grep -o '{"name":"[^"]*","holder":[^}]*}' <<<"$json" || true; } \
        | sed 's/{"name":"\([^"]*\)","holder":"\{0,1\}\([^",]*\)"\{0,1\},"token":\([0-9]*\),"heldHere":\([a-z]*\),"leaseValidForMillis":\([0-9]*\)}/\1\t\2\t\3\t\4\t\5/')"
    fi
    if [[ -z "$rows" ]]; then
      # shellcheck disable=SC2059
      printf "$fmt" "$id" "(none)" - - - -; continue
    fi
    while IFS=$'\t' read -r -a row; do
      # shellcheck disable=SC2059
      printf "$fmt" "$id" "${row[0]}" "${row[1]/null/-}" "${row[2]}" "${row[3]}" "${row[4]}"
    done <<<"$rows"
  done
}

need_id() { [[ $# -ge 1 && -n "$1" ]] || die "which node? e.g. $(basename "$0") $CMD n2"; index_of "$1" >/dev/null; }
need_node() { # a member
  need_id "$@"
  is_member "$1" && return 0
  local removed; removed="$(removed_dir_of "$1")"
  [[ -z "$removed" ]] || die "$1 was removed from this cluster (its data: $removed) and never comes back; the members are $(node_ids | tr '\n' ' ')"
  die "$1 is not a member: the members are $(node_ids | tr '\n' ' ')(see $(members_file)); add a node with $(basename "$0") add $1"
}

# --- membership changes: on the leader, through POST /actuator/raft/<operation> as admin
leader_within() { # leader_within <seconds>: the single node that reports LEADER, waiting for one
  local deadline=$(( $(date +%s) + $1 )) found
  while :; do
    found="$(current_leader)"
    [[ -z "$found" ]] || { echo "${found%%:*}"; return 0; }
    (( $(date +%s) < deadline )) || return 1
    sleep 0.2
  done
}

# leader_post <operation> <id> [address]: sends the change to the leader, again to the new leader
# when leadership moved in between (refused at once: nothing reached the log). Sets LEADER and ANSWER.
leader_post() {
  local op="$1" body answer code
  body="{\"id\":\"$2\"${3:+,\"address\":\"$3\"}}"
  for _ in 1 2 3; do
    LEADER="$(leader_within 15)" || { print_table; die "no single node reports LEADER within 15 s: a membership change needs a leader and a majority of the voters up; start the stopped members ($(basename "$0") start <node>)"; }
    answer="$(admin_curl -sS -m 120 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" \
      "http://127.0.0.1:$(http_port "$LEADER")/actuator/raft/$op")" \
      || die "the $op request to $LEADER got no answer within 120 s; the change may still happen: see $(basename "$0") status and $(log_file "$LEADER")"
    code="${answer##*$'\n'}"; ANSWER="${answer%$'\n'*}"
    [[ "$code" != 401 && "$code" != 403 ]] || die "$LEADER refused the admin credentials (HTTP $code): it was started with another ADMIN_PASSWORD than the one in $(password_file); restart the cluster: $0 down; $0 up"
    [[ "$code" == 2?? ]] || die "$LEADER answered HTTP $code to $op: $ANSWER"
    [[ "$(json_field "$ANSWER" ok)" != true && "$ANSWER" == *"cannot accept this"* ]] || return 0
    echo "$LEADER no longer leads; asking the new leader ..."
  done
}

wait_for_voter() { # wait_for_voter <seconds> <id>: until the leader lists <id> as a voter
  local deadline=$(( $(date +%s) + $1 )) leader
  while (( $(date +%s) < deadline )); do
    leader="$(current_leader)"
    if [[ -n "$leader" && "$(member_role "$(status_json "${leader%%:*}")" "$2")" == voter ]]; then return 0; fi
    sleep 0.2
  done
  return 1
}

check_joinable() { # a node that joins: a valid new id, never a member, not running, no data
  local id="$1" pid removed
  index_of "$id" >/dev/null
  ! is_member "$id" || die "$id is already a member (see $(basename "$0") status); a node that joins gets a new id"
  removed="$(removed_dir_of "$id")"
  [[ -z "$removed" ]] || die "$id was removed from this cluster (its data: $removed): a node that joins gets an id never used before, see docs/operations.md (Replacing a dead voter)"
  pid="$(pid_of "$id")"
  [[ -z "$pid" ]] || die "$id is running (pid $pid) but the leader does not list it: stop it ($(basename "$0") stop $id), move $CLUSTER_DIR/$id away and add it again"
  ! has_data "$id" || die "$CLUSTER_DIR/$id holds data: a node that joins starts with an empty data directory; move it away if an add that failed left it, or pick another id"
}

start_joining() { # start_joining <id>: start it (if it is not running) as a learner that waits, until it listens
  local id="$1" started_at deadline
  [[ -z "$(pid_of "$id")" ]] || return 0
  started_at="$(now_ms)"
  start_node "$id" --raft.learners="$id"   # with data (an earlier add) it follows its log instead
  echo "waiting for $id to listen on gRPC $(grpc_port "$id") (up to ${START_TIMEOUT} s) ..."
  deadline=$(( $(date +%s) + START_TIMEOUT ))
  until port_in_use "$(grpc_port "$id")"; do
    if [[ -z "$(pid_of "$id")" ]]; then
      echo "cluster.sh: $id exited; the end of its log $(log_file "$id"):" >&2; tail -n 20 "$(log_file "$id")" >&2
      rm -f "$(pid_file "$id")"; die "$id did not start; the leader was not asked to add it"
    fi
    (( $(date +%s) < deadline )) || die "$id does not listen on gRPC $(grpc_port "$id") after ${START_TIMEOUT} s; see $(log_file "$id"), stop it with $(basename "$0") stop $id"
    sleep 0.2
  done
  echo "$id listens, $(( $(now_ms) - started_at )) ms after its start"
}

add_member() { # add_member <id>: start it as a learner that waits, add-voter on the leader, record it
  local id="$1" leader role started_at ids
  index_of "$id" >/dev/null
  ! is_member "$id" || die "$id is already a member (see $(basename "$0") status); a node that joins gets a new id"
  leader="$(leader_within 15)" || { print_table; die "no single node reports LEADER within 15 s: adding a node needs a leader; start the stopped members ($(basename "$0") start <node>)"; }
  role="$(member_role "$(status_json "$leader")" "$id")"
  started_at="$(now_ms)"
  case "$role" in   # voter, joining, learner: what an earlier add that failed or timed out left
    voter)
      echo "$leader lists $id as a voter already (an earlier add): recording it"; start_joining "$id" ;;
    joining)
      start_joining "$id"
      echo "$id is a learner that $leader promotes once caught up (an earlier add); waiting up to 120 s ..."
      wait_for_voter 120 "$id" || die "$id is still not a voter: see $(log_file "$id"); remove it with $(basename "$0") remove $id"
      ;;
    learner)
      start_joining "$id"
      echo "$id is a learner on $leader (an earlier add-learner): promoting it ..."
      leader_post promote "$id"; echo "$ANSWER"
      [[ "$(json_field "$ANSWER" ok)" == true ]] || die "$LEADER did not promote $id: $(json_field "$ANSWER" error)"
      ;;
    *)
      check_joinable "$id"
      start_joining "$id"
      echo "asking the leader to add $id as a voter (it answers once $id is one) ..."
      leader_post add-voter "$id" "127.0.0.1:$(grpc_port "$id")"; echo "$ANSWER"
      if [[ "$(json_field "$ANSWER" ok)" != true ]]; then
        role="$(member_role "$(status_json "$LEADER")" "$id")"
        [[ -n "$role" ]] || die "$LEADER did not add $id: $(json_field "$ANSWER" error); $id still runs: stop it ($(basename "$0") stop $id) and move $CLUSTER_DIR/$id away"
        die "$id is a $role, not a voter yet: $(json_field "$ANSWER" error). Run $(basename "$0") add $id again to wait, or $(basename "$0") remove $id"
      fi
      ;;
  esac
  mapfile -t ids < <(node_ids); write_members "${ids[@]}" "$id"
  echo "$id is a voter, $(( $(now_ms) - started_at )) ms after the add began; the members: $(node_ids | tr '\n' ' ')"
  wait_for_leader 10 >/dev/null || echo "cluster.sh: the members do not agree on a leader yet; see $(basename "$0") status" >&2
}

remove_member() { # remove_member <id>: remove on the leader, then stop it and put its data aside
  local id="$1" leader term aside removed_at agreed ids
  index_of "$id" >/dev/null
  leader="$(leader_within 15)" || { print_table; die "no single node reports LEADER within 15 s: a removal needs a leader and a majority of the voters up; start the stopped members ($(basename "$0") start <node>)"; }
  # a learner left by an add that failed is in the leader's list only
  is_member "$id" || [[ -n "$(member_role "$(status_json "$leader")" "$id")" ]] \
    || die "$id is not a member: the members are $(node_ids | tr '\n' ' ')"
  term="$(json_field "$(status_json "$leader")" term)"
  echo "asking the leader to remove $id ..."
  leader_post remove "$id"; echo "$ANSWER"
  [[ "$(json_field "$ANSWER" ok)" == true ]] || die "$LEADER did not remove $id: $(json_field "$ANSWER" error)"
  removed_at="$(now_ms)"
  if is_member "$id"; then mapfile -t ids < <(node_ids | grep -vx -- "$id" || true); write_members "${ids[@]}"; fi
  [[ "$LEADER" != "$id" ]] || echo "$id led: it steps down now that its removal is committed"
  stop_node "$id" TERM
  if [[ -d "$CLUSTER_DIR/$id" ]]; then
    aside="$CLUSTER_DIR/$id.removed-$(date +%Y%m%d-%H%M%S)"
    mv "$CLUSTER_DIR/$id" "$aside"
    echo "put $id's data aside in $aside: it never starts into the cluster again"
  fi
  if [[ "$LEADER" == "$id" ]]; then
    if agreed="$(wait_for_leader 30 "${term:-0}")"; then
      echo "new leader: ${agreed% *} in term ${agreed#* }, agreed by the members $(( $(now_ms) - removed_at )) ms after the removal committed"
    else
      echo "cluster.sh: no new leader agreed within 30 s; see $(basename "$0") status" >&2
    fi
  fi
  echo "removed $id; the members: $(node_ids | tr '\n' ' ')"
}

CMD="${1:-}"; shift || true
case "$CMD" in
  up)
    check_java; check_curl; build_if_missing; mkdir -p "$CLUSTER_DIR"
    # A new cluster gets n1..nNODES; one with data keeps the members that add and remove left.
    kept=""; if [[ -s "$(members_file)" ]]; then for id in $(node_ids); do has_data "$id" && kept=yes; done; fi
    if [[ -z "$kept" ]]; then
      [[ "$NODES" =~ ^[1-9]$ ]] || die "NODES must be 1 to 9 (node ids n1..n9), not '$NODES'"
      mapfile -t ids < <(for ((i = 1; i <= NODES; i++)); do echo "n$i"; done); write_members "${ids[@]}"
    elif [[ -n "$NODES_GIVEN" && "$(node_ids | tr '\n' ' ')" != "$(for ((i = 1; i <= NODES; i++)); do printf 'n%s ' "$i"; done)" ]]; then
      echo "NODES=$NODES applies to a new cluster only; this one has data and the members $(node_ids | tr '\n' ' ')(to change them: $0 add|remove <node>)"
    fi
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
      polled=$(( $(now_ms) - killed_at )); new="${agreed% *}"
      # The nodes' own logs say when it happened; HTTP polling adds its period and the status's staleness.
      # (The core's logger groups digits: term 1,000.)
      elected="$(log_ms "$new" "node $new: term [0-9,]+: LEADER,")" || elected=""
      following=""
      for id in $(node_ids); do
        [[ "$id" == "$leader" || -z "$(pid_of "$id")" ]] && continue
        at="$(log_ms "$id" "node $id: term [0-9,]+: (LEADER|FOLLOWER), leader $new\$")" || { following=""; break; }
        if [[ -z "$following" ]] || (( at > following )); then following="$at"; fi
      done
      echo "new leader: $new in term ${agreed#* }"
      if [[ -n "$elected" && -n "$following" ]]; then
        echo "  from the nodes' logs: elected $(( elected - killed_at )) ms after the kill, every survivor following it $(( following - killed_at )) ms after"
      fi
      echo "  seen over HTTP (polling): $polled ms after the kill"
    else
      echo "no new leader agreed within 30 s" >&2
    fi
    echo; print_table
    echo; echo "restart it with: $0 start $leader"
    ;;
  stop)
    need_id "${1:-}"; stop_node "$1" TERM ;;
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
  roles)
    check_curl; print_roles ;;
  move-role)
    [[ $# -ge 2 ]] || die "usage: $0 move-role <role> <node>, e.g. $0 move-role billing n2 (see $0 roles)"
    need_node "$2"; check_curl
    leader="$(leader_within 15)" || { print_table; die "no single node reports LEADER within 15 s: the leader moves roles"; }
    echo "asking $leader to move role $1 to $2 ..."
    answer="$(admin_curl -sS -m 120 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
      -d "{\"role\":\"$1\",\"id\":\"$2\"}" "http://127.0.0.1:$(http_port "$leader")/actuator/raft/move-role")" \
      || die "the move-role request to $leader got no answer within 120 s; the move may still happen: see $0 roles"
    code="${answer##*$'\n'}"; echo "${answer%$'\n'*}"
    [[ "$code" != 401 && "$code" != 403 ]] || die "$leader refused the admin credentials (HTTP $code): it was started with another ADMIN_PASSWORD than the one in $(password_file); restart the cluster: $0 down; $0 up"
    [[ "$code" == 2?? ]] || die "$leader answered HTTP $code to move-role"
    echo; print_roles
    # After the table, so that a refused move still shows where the roles are.
    [[ "$(json_field "${answer%$'\n'*}" ok)" == true ]] || die "$leader did not move role $1 to $2 (see its answer above)"
    ;;
  put)
    [[ $# -ge 2 ]] || die "usage: $0 put <key> <value> [node]"; check_curl
    node="${3:-$(first_member)}"; index_of "$node" >/dev/null
    curl -sS -m 10 -X PUT -H 'Content-Type: text/plain' --data-binary "$2" "http://127.0.0.1:$(http_port "$node")/config/$1"; echo ;;
  get)
    [[ $# -ge 1 ]] || die "usage: $0 get <key> [node]"; check_curl
    node="${2:-$(first_member)}"; index_of "$node" >/dev/null
    curl -sS -m 10 "http://127.0.0.1:$(http_port "$node")/config/$1"; echo ;;
  logs)
    need_id "${1:-}"; exec tail -n 50 -f "$(log_file "$1")" ;;
  add)
    need_id "${1:-}"; check_java; check_curl; [[ -f "$JAR" ]] || build_if_missing
    add_member "$1"; echo; print_table ;;
  remove)
    need_id "${1:-}"; check_curl
    remove_member "$1"; echo; print_table ;;
  replace)
    [[ $# -ge 2 ]] || die "usage: $0 replace <old> <new>, e.g. $0 replace n3 n6 (the replacement always gets a new id)"
    index_of "$1" >/dev/null; [[ "$1" != "$2" ]] || die "the replacement of $1 needs a new id: a node under an old id with an empty disk has forgotten its votes (docs/operations.md)"
    check_java; check_curl; [[ -f "$JAR" ]] || build_if_missing
    check_joinable "$2"   # before anything changes
    remove_member "$1"; echo; add_member "$2"; echo; print_table ;;
  down)
    for id in $(table_ids); do stop_node "$id" TERM; done ;;
  ""|-h|--help|help)
    sed -n '2,/^[^#]/p' "$0" | sed -n 's/^# \{0,1\}//p' ;;
  *)
    die "unknown command '$CMD'; try: $0 help" ;;
esac
