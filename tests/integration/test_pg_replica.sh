#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A PostgreSQL streaming replica read by `willing serve --read-only`, then promoted (issue 13
# point 2; docs/OPERATIONS.md, "Replicas and Patroni"): a primary (scripts/pg-test.sh), a
# replica made by pg_basebackup -R on its own port, run as the same unprivileged user; the
# ledger made and written through a writer on the primary, read through a reader on the hot
# standby, which follows the writer's checkpoints (verify, prove --check and a tile against
# it) and refuses every change with read_only; then the replica promoted, the primary's
# daemon and server stopped, a writer started on the promoted replica, more entries appended,
# and verify --state checks the new checkpoint consistent with the one read from the replica.
# It starts its own two servers (PostgreSQL ports 55550-55599) and stops them on every way
# out; daemons on ports 18552-18554. Skipped (77) without PostgreSQL.
source "$(dirname "$0")/lib.sh"
LG=$(dirname "$W")/willing-loadgen
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/pg_basebackup" ]; then
  echo "skipped: PostgreSQL is not installed (scripts/deps.sh --test)"
  exit 77
fi
PT=$SRC/scripts/pg-test.sh
PDIR=$T/primary
RH="" # the replica's home: its data and log
WPORT=18552 RPORT=18553 NPORT=18554
WURL=http://127.0.0.1:$WPORT RURL=http://127.0.0.1:$RPORT NURL=http://127.0.0.1:$NPORT

# as_pg CMD...: as the servers' user (pg-test.sh's willing-pg when we are root)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u willing-pg -- "$@"); else (cd / && "$@"); fi
}
pg_down() {
  if [ -n "$RH" ] && [ -f "$RH/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$RH/data" stop -m immediate -w -t 60 >/dev/null 2>&1 || true
  fi
  if [ -n "$RH" ] && [ "$FAILS" -ne 0 ] && [ -f "$RH/server.log" ]; then cp "$RH/server.log" "$T/replica-server.log"; fi
  [ -z "$RH" ] || rm -rf "$RH"
  "$PT" stop "$PDIR" >/dev/null 2>&1 || true
}
trap 'pg_down; cleanup' EXIT

psql_at() { "$PGBIN/psql" -X -A -t -q -d "$1" -c "$2" 2>/dev/null; }
size_at() { curl -fs "$1/log/checkpoint" | sed -n 2p; }
covers() { local s; s=$(size_at "$1"); [ -n "$s" ] && [ "$s" -ge "$2" ]; }
load() { # load PORT COUNT SEQBASE
  "$LG" --key "$T/m.key" --origin test.example/pgr --port "$1" --clients 2 --batch 10 \
    --count "$2" --seq-base "$3" >/dev/null
}
# daemon NAME PORT serve-args...: `willing serve` on PORT, logging to $T/NAME.log; sets DPID
daemon() {
  local name=$1 port=$2 n0
  shift 2
  n0=$(grep -c '^willing: serving' "$T/$name.log" 2>/dev/null || true)
  "$W" serve --listen 127.0.0.1:$port --interval 100 --seal-interval 0 "$@" 2>>"$T/$name.log" &
  SERVER_PID=$!
  DPID=$SERVER_PID
  PIDS+=("$DPID")
  wait_serving "$name" "${n0:-0}" || { not_ok "the daemon $name did not start: $(tail -3 "$T/$name.log")"; finish; }
  wait_http "http://127.0.0.1:$port/log/checkpoint"
}
stop_daemon() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }
# refused DESC STATUS: the answer in $T/body is 503 read_only naming the primary
refused() {
  check "$1 ($2 $(cat "$T/body"))" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$2'=='503', '$2'
assert o['error']=='read_only', o
assert o['message']=='this server serves reads only; write to $WURL', o"
}

# 1. the primary, its database, and the replica: pg_basebackup -R, its own port
WILLING_PG_PORTS=55550-55569 "$PT" start "$PDIR" >/dev/null
PPORT=$(sed -n 's|^postgres://willing@127.0.0.1:\([0-9]*\)/.*|\1|p' "$PDIR/url")
DB=$("$PT" createdb "$PDIR" ledger)
RH=$(mktemp -d /tmp/willing-pg.XXXXXX)
[ "$(id -u)" -ne 0 ] || chown willing-pg: "$RH"
as_pg "$PGBIN/pg_basebackup" -R -D "$RH/data" -h 127.0.0.1 -p "$PPORT" -U willing -X stream \
  -c fast >"$T/basebackup.out" 2>&1 || { not_ok "pg_basebackup: $(cat "$T/basebackup.out")"; finish; }
PGR=$(python3 -c '
import random, socket
for _ in range(200):
    s = socket.socket()
    try:
        p = random.randint(55570, 55599); s.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: s.close()')
# the primary's willing.conf came with the copy (settings a standby must match: keep them):
# the replica listens on its own port, and on no socket
as_pg sed -i -e "s/^port = .*/port = $PGR/" -e "s/^unix_socket_directories = .*/unix_socket_directories = ''/" \
  "$RH/data/willing.conf"
as_pg "$PGBIN/pg_ctl" -D "$RH/data" -l "$RH/server.log" -w -t 120 start >/dev/null ||
  { not_ok "the replica did not start: $(tail -5 "$RH/server.log")"; finish; }
RDB=postgres://willing@127.0.0.1:$PGR/ledger
check "the replica is a hot standby" [ "$(psql_at "$RDB" 'select pg_is_in_recovery()')" = t ]

# 2. the ledger made and written on the primary, read on the replica
out=$("$W" init --db "$DB" --log-key "$T/log.key" --operator-key "$T/op.key" --origin test.example/pgr)
VKEY=$(echo "$out" | awk '/^verifier key:/ {print $3}')
OPKEY=$T/op.key
daemon writer $WPORT --db "$DB" --log-key "$T/log.key" --operator-key "$T/op.key"
WPID=$DPID
URL=$WURL new_member m member
load $WPORT 40 1000000000000000
N1=$(curl -fs "$WURL/api/v1/entries?order=newest&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][0]["index"]+1)')
wait_for "the writer's checkpoint of $N1" covers "$WURL" "$N1"
replicated() { [ "$(psql_at "$RDB" 'select count(*) from checkpoints')" -ge 1 ]; }
wait_for "the ledger on the replica" replicated
daemon reader $RPORT --db "$RDB" --read-only --primary "$WURL"
RDPID=$DPID
check "the reader serves from the hot standby (read-only)" grep -q '^willing: serving test.example/pgr (.*, read-only)' "$T/reader.log"
wait_for "the reader to follow to $N1" covers "$RURL" "$N1"
out=$("$W" verify "$RURL" --vkey "$VKEY" --state "$T/audit" 2>&1)
check "verify passes against the reader ($out)" grep -q "OK: test.example/pgr at size $N1" <<<"$out"
"$W" get --server "$RURL" 3 --raw >"$T/e3"
"$W" prove --server "$RURL" 3 >"$T/e3.tlog-proof"
out=$("$W" prove --check "$T/e3.tlog-proof" --vkey "$VKEY" "$T/e3" 2>&1)
check "a tlog-proof from the reader verifies ($out)" grep -q '^OK: the entry is at index 3 of test.example/pgr' <<<"$out"
check "the reader's level-0 tile is the writer's" \
  cmp -s <(curl -fs "$RURL/log/tile/0/000.p/$N1") <(curl -fs "$WURL/log/tile/0/000.p/$N1")

# 3. changes refused by the reader
"$W" append --output "$T/e.note" --origin test.example/pgr --key "$T/m.key" --kind statement \
  --body '{"text":"to the replica"}' >/dev/null
st=$(curl -s -o "$T/body" -w '%{http_code}' "$RURL/api/v1/entries" -H 'Content-Type: application/json' \
  --data "{\"entry\":\"$(base64 -w0 "$T/e.note")\"}")
refused "an entry posted to the reader: 503 read_only, naming the writer" "$st"
out=$("$W" whoami --server "$RURL" --key "$T/m.key" 2>&1 || true)
check "a signed read (its nonce would be written) is refused read_only ($out)" grep -q "reads only" <<<"$out"

# 4. more written on the primary: the reader follows the replica
load $WPORT 20 2000000000000000
N2=$((N1 + 20))
wait_for "the reader to follow to $N2" covers "$RURL" "$N2"
out=$("$W" verify "$RURL" --vkey "$VKEY" --state "$T/audit" 2>&1)
check "verify from the reader at $N2, consistent with $N1 ($out)" grep -q "OK: test.example/pgr at size $N2" <<<"$out"

check "the hot standby refused no write: none was tried (its log)" \
  sh -c "! grep -q 'read-only transaction\|ERROR' '$RH/server.log'"

# 5. promotion: the primary's daemon and server stopped, the replica promoted, a writer on it
stop_daemon "$WPID"
"$PT" stop "$PDIR" >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$RH/data" promote -w -t 60 >/dev/null
check "the replica is promoted" [ "$(psql_at "$RDB" 'select pg_is_in_recovery()')" = f ]
daemon newwriter $NPORT --db "$RDB" --log-key "$T/log.key" --operator-key "$T/op.key"
load $NPORT 20 3000000000000000
N3=$((N2 + 20))
wait_for "the new writer's checkpoint of $N3" covers "$NURL" "$N3"
out=$("$W" verify "$NURL" --vkey "$VKEY" --state "$T/audit" 2>&1)
check "verify from the new writer at $N3, consistent with $N2 read on the replica ($out)" \
  grep -q "OK: test.example/pgr at size $N3.*consistent with size $N2 seen before" <<<"$out"
wait_for "the reader, on the promoted database, to follow to $N3" covers "$RURL" "$N3"
check "the reader said no trouble following" sh -c "! grep -q 'following the log' '$T/reader.log'"
stop_daemon "$RDPID"
stop_daemon "$DPID"
finish
