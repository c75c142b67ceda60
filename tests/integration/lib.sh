# SPDX-License-Identifier: Apache-2.0
# Helpers for the integration tests: a scratch directory, a ledger, the real
# daemon on a free loopback port, and assertions. Sourced by test_*.sh.
set -euo pipefail

W=${1:?usage: $0 path/to/willing}
W=$(readlink -f "$W")
SRC=${WL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
T=$(mktemp -d /tmp/willing-test.XXXXXX)
export XDG_STATE_HOME=$T/state
# the tests' python3 is Debian's, the one scripts/deps.sh installs python3-psycopg2 for: a
# python3 found earlier on PATH (pyenv's, say) sees none of Debian's modules
if [ -x /usr/bin/python3 ]; then
  mkdir -p "$T/bin"
  ln -s /usr/bin/python3 "$T/bin/python3"
  export PATH=$T/bin:$PATH
fi
PIDS=()
FAILS=0
PASSES=0

cleanup() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && { kill -9 "$p" && wait "$p"; } 2>/dev/null || true
  done
  if [ "$FAILS" -eq 0 ]; then rm -rf "$T"; else echo "kept $T for inspection" >&2; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

ok() { PASSES=$((PASSES + 1)); echo "ok - $*"; }
not_ok() { FAILS=$((FAILS + 1)); echo "not ok - $*"; }
check() { # check "description" command...
  local d=$1; shift
  if "$@"; then ok "$d"; else not_ok "$d"; fi
}
finish() {
  # a daemon that hit a sanitizer report (ASan builds) fails the test
  if grep -l 'Sanitizer\|runtime error:' "$T"/*.log >/dev/null 2>&1; then
    not_ok "a sanitizer reported an error: $(grep -l 'Sanitizer\|runtime error:' "$T"/*.log | xargs)"
  fi
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}

# wl_db_target NAME: where a ledger (or a witness's state) NAME is stored: $T/NAME.db, or,
# when WILLING_TEST_PG names a PostgreSQL server (its URL or a file holding it: ctest's pg.*
# runs, scripts/pg-test.sh), the URL of a database created for this call, named after the
# test, NAME, this shell and a count
wl_db_target() {
  local n base
  if [ -z "${WILLING_TEST_PG:-}" ]; then
    echo "$T/$1.db"
    return
  fi
  n=$(($(cat "$T/.databases" 2>/dev/null || echo 0) + 1))
  echo "$n" >"$T/.databases"
  base=$(basename "$0" .sh)
  "$SRC/scripts/pg-test.sh" createdb "$WILLING_TEST_PG" \
    "$(echo "t_${base#test_}_$1" | tr -c 'a-z0-9_\n' _ | cut -c1-40)_$$_$n"
}

# db_of NAME: ledger NAME's --db, made by wl_db_target on first use ($T/NAME.target keeps it)
db_of() {
  if [ -z "${WILLING_TEST_PG:-}" ]; then
    echo "$T/$1.db"
    return
  fi
  [ -s "$T/$1.target" ] || wl_db_target "$1" >"$T/$1.target"
  cat "$T/$1.target"
}

# key_args NAME: the options naming ledger NAME's keys for init and serve: none on SQLite
# (they are $T/NAME.db.log.key and .operator.key, beside the file), the same files on a URL
key_args() {
  [ -z "${WILLING_TEST_PG:-}" ] || echo "--log-key $T/$1.db.log.key --operator-key $T/$1.db.operator.key"
}

# the tests' Python reads a ledger's database through wldb.connect(db_of's target): SQLite
# or PostgreSQL (tests/integration/wldb.py)
export PYTHONPATH=$SRC/tests/integration${PYTHONPATH:+:$PYTHONPATH}

# db_sql NAME SQL: runs SQL on ledger NAME's database, printing each row's columns joined by |
db_sql() {
  python3 -c 'import wldb,sys
d=wldb.connect(sys.argv[1])
for r in d.execute(sys.argv[2]): print("|".join(str(x) for x in r))
d.commit()' "$(db_of "$1")" "$2"
}

# db_copy FROM TO: ledger TO's database made a consistent copy of FROM's, which may be in use
# (its keys are not copied)
db_copy() {
  if [ -n "${WILLING_TEST_PG:-}" ]; then
    wl_db_target "$2" >"$T/$2.target"
    pg_dump -d "$(db_of "$1")" | psql -X -q -v ON_ERROR_STOP=1 -d "$(db_of "$2")" >/dev/null
  else
    python3 -c 'import sqlite3,sys; s=sqlite3.connect(sys.argv[1]); d=sqlite3.connect(sys.argv[2]); s.backup(d); d.close()' "$(db_of "$1")" "$(db_of "$2")"
  fi
}

# new_ledger NAME: creates ledger NAME (db_of NAME); sets VKEY and OPKEY
new_ledger() {
  local out
  # shellcheck disable=SC2046 # key_args: options without spaces
  out=$("$W" init --db "$(db_of "$1")" $(key_args "$1") --origin "test.example/$1")
  VKEY=$(echo "$out" | awk '/^verifier key:/ {print $3}')
  OPKEY=$T/$1.db.operator.key
  LEDGER_ORIGIN=test.example/$1
}

# refused_entry MEMBER KIND BODY HTTP CODE TEXT DESC: the entry KIND with BODY, signed by
# MEMBER ($T/MEMBER.key) for the last new_ledger's log and posted alone, is answered HTTP
# with {"error": CODE} and a message holding TEXT, and nothing is stored: the test's own
# `state` (what it counts) prints the same before and after
refused_entry() {
  rm -f "$T/e.note"
  "$W" append --output "$T/e.note" --origin "$LEDGER_ORIGIN" --key "$T/$1.key" --kind "$2" \
    --body "$3" >/dev/null
  refused_post /api/v1/entries "{\"entry\":\"$(base64 -w0 "$T/e.note")\"}" "$4" "$5" "$6" \
    "$7: $4 $5, nothing stored"
}

# refused_post PATH DATA HTTP CODE TEXT DESC: DATA (JSON) posted to PATH is answered HTTP
# with {"error": CODE} and a message holding TEXT, and the test's own `state` prints the
# same before and after
refused_post() {
  local before after st
  before=$(state)
  st=$(status POST "$1" -H 'Content-Type: application/json' --data "$2")
  after=$(state)
  check "$6" python3 -c "
import json,sys; o=json.load(open('$T/body'))
assert '$st'=='$3', ('$st', o)
assert o['error']=='$4', o
assert sys.argv[1] in o['message'], o
assert '$before'=='$after', ('$before','$after')" "$5"
}

# start_server NAME [args...]: sets URL and SERVER_PID (on $PORT if set). It waits for
# this daemon's own "serving" line, not merely for an answer on the port: a port that
# free_port handed out may be taken by another test's daemon before ours binds it, and
# then ours exits while the other answers. Such a start is retried on a new port.
start_server() {
  local name=$1; shift
  local port n0 tries=0
  while :; do
    port=${PORT:-$(free_port)}
    URL=http://127.0.0.1:$port
    n0=$(grep -c '^willing: serving' "$T/$name.log" 2>/dev/null || true)
    # sealed batches only where a test asks for them (SEAL=seconds): they append envelopes
    # shellcheck disable=SC2046 # key_args: options without spaces
    "$W" serve --db "$(db_of "$name")" $(key_args "$name") --listen 127.0.0.1:$port --interval 100 \
      --seal-interval "${SEAL:-0}" "$@" 2>>"$T/$name.log" &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    if wait_serving "$name" "${n0:-0}"; then
      wait_http "$URL/log/checkpoint"
      return
    fi
    tries=$((tries + 1))
    if [ -n "${PORT:-}" ] || [ "$tries" -ge 3 ]; then
      not_ok "the daemon $name did not start"
      tail -5 "$T/$name.log" >&2 || true
      return 1
    fi
  done
}

# wait_serving NAME N: 0 once the log of NAME has more than N "serving" lines and the
# daemon just started runs; 1 if it exited first or after WAIT_SECONDS (a loop of its
# own: some tests define a wait_for of their own)
wait_serving() {
  local n deadline=$(($(date +%s%N) + ${WAIT_SECONDS:-30} * 1000000000))
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    n=$(grep -c '^willing: serving' "$T/$1.log" 2>/dev/null) || true
    [ "${n:-0}" -gt "$2" ] && return 0
    [ "$(date +%s%N)" -ge "$deadline" ] && return 1
    sleep 0.02
  done
  return 1
}

wait_http() {
  wait_for "the server at $1" curl -fs -o /dev/null "$1" || { cat "$T"/*.log >&2 || true; return 1; }
}

# status METHOD PATH [curl args]: prints the HTTP status, body in $T/body
status() {
  local m=$1 p=$2; shift 2
  curl -s -o "$T/body" -w '%{http_code}' -X "$m" "$URL$p" "$@"
}

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T/body" "$1"; }

# wait_for "what" command...: runs the command every 20 ms until it succeeds; after
# WAIT_SECONDS (default 30: ASan builds on a busy machine are slow) it counts a
# failure naming what did not happen, and returns 1. Tests wait on a condition
# this way, never by sleeping a fixed time.
wait_for() {
  local d=$1; shift
  local deadline=$(($(date +%s%N) + ${WAIT_SECONDS:-30} * 1000000000))
  until "$@"; do
    if [ "$(date +%s%N)" -ge "$deadline" ]; then
      not_ok "timed out after ${WAIT_SECONDS:-30}s waiting for $d"
      return 1
    fi
    sleep 0.02
  done
}

# checkpoint_covers N: the published checkpoint covers size N
checkpoint_covers() {
  local s
  s=$(curl -fs "$URL/log/checkpoint" | sed -n 2p)
  [ -n "$s" ] && [ "$s" -ge "$1" ]
}
wait_checkpoint() { wait_for "a checkpoint of size $1" checkpoint_covers "$1"; }

# has_envelope KEYFILE ID [OUT]: sealed content ID's envelope is published (sealed
# items are published in batches): its `pledge show` answer, kept in OUT, names the
# envelope's index
has_envelope() {
  local out=${3:-$T/envelope.json}
  "$W" pledge show --server "$URL" --key "$1" "$2" >"$out" 2>/dev/null &&
    grep -q '"envelope": [0-9]' "$out"
}
wait_envelope() { wait_for "the envelope of $2" has_envelope "$@"; }

# witness_started LOGFILE: a witness has written its cosignature key to LOGFILE
witness_started() { grep -q 'cosignature key' "$1"; }

# start_witness NAME: a `willing witness` NAME (witness.example/NAME) of the log key $VKEY on a
# free loopback port, its key in $T/NAME.key; sets WURL and WVK (its cosignature key)
start_witness() {
  local port
  "$W" keygen --out "$T/$1.key" >/dev/null
  port=$(free_port)
  "$W" witness --db "$(db_of "$1")" --key "$T/$1.key" --name "witness.example/$1" --log "$VKEY" \
    --listen 127.0.0.1:$port 2>"$T/$1.log" &
  PIDS+=($!)
  wait_for "witness $1 to start" witness_started "$T/$1.log"
  WVK=$(awk '/cosignature key/ {print $5}' "$T/$1.log")
  WURL=http://127.0.0.1:$port
}

# new_member ID ROLE [member add options, e.g. --sealed]: a key $T/ID.key and the
# member, added by the operator (needs OPKEY and URL)
new_member() {
  "$W" keygen --out "$T/$1.key" --member "$1" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$1" --name "$1" --role "$2" \
    --pubkey-file "$T/$1.key" "${@:3}" >/dev/null
}

# snapshot_base LIST: the "base" of a pressure.snapshot of LIST written now, the entry of its
# latest snapshot or null (needs URL)
snapshot_base() {
  curl -s "$URL/api/v1/pressure/subjects?source=$1&limit=1" |
    python3 -c 'import json,sys; s=json.load(sys.stdin)["snapshot"]; print(s["entry"] if s else "null")'
}
