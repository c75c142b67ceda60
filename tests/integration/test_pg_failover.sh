#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fail-over and faults on PostgreSQL, on a server of the test's own (scripts/pg-test.sh: it
# stops and starts it): (1) test_standby.sh on it: a second serve stands by (the writer's
# advisory lock), refuses writes 503 standby, reads, and takes over within 5 s of kill -9 with
# every acknowledged entry there and a consistent checkpoint; (2) a server down at start: serve
# says so naming the URL and waits (--db-wait), or gives up; (3) the server stopped mid-run
# (pg_ctl stop -m immediate) while a client writes: the writes get 503 storage_unavailable, no
# write answered 201 is missing afterwards, and once the server is back the writer resumes by
# itself (the refused entries, sent again, are stored once); reads of entries, proofs and tiles
# and a signed write get 503 naming the database, never 500, and the publisher says its
# failure once and once that it resumed, not at every interval; (4) so does the sealer; (5) a
# worker's first request, when its connection cannot be opened, gets 503 (serve crashed).
source "$(dirname "$0")/lib.sh"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$BIN" ]; then
  echo "# PostgreSQL is not installed (scripts/deps.sh --test): skipped"
  exit 0
fi
PG=$T/pg
stop_pg() { "$SRC/scripts/pg-test.sh" stop "$PG" >/dev/null 2>&1 || true; }
trap 'stop_pg; cleanup' EXIT
WILLING_PG_PORTS=${WILLING_PG_PORTS:-55500-55549} "$SRC/scripts/pg-test.sh" start "$PG" >/dev/null
export WILLING_TEST_PG=$PG/url
HOME_PG=$(cat "$PG/home")
as_server() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u willing-pg -- "$@"); else "$@"; fi; }
pg_down() { as_server "$BIN/pg_ctl" -D "$HOME_PG/data" stop -m immediate -w >/dev/null; }
pg_up() { as_server "$BIN/pg_ctl" -D "$HOME_PG/data" -l "$HOME_PG/server.log" -w start >/dev/null; }

# (1) the writer killed, the standby takes over
bash "$(dirname "$0")/test_standby.sh" "$W" >"$T/standby.out" 2>&1 || true
sed 's/^/  /' "$T/standby.out"
check "test_standby.sh on PostgreSQL: a standby takes over (fail-over under 5 s)" \
  grep -q '^[0-9]* passed, 0 failed$' "$T/standby.out"

# (2) the server down at start
new_ledger pf
DB=$(db_of pf)
pg_down
# shellcheck disable=SC2046 # key_args: options without spaces
"$W" serve --db "$DB" $(key_args pf) --listen 127.0.0.1:"$(free_port)" --db-wait 1 \
  2>"$T/gaveup.log" && st=0 || st=$?
check "serve with the server down exits 1 after --db-wait ($st)" [ "$st" = 1 ]
check "it names the URL and why" grep -q "cannot reach the database $DB" "$T/gaveup.log"
check "it says it gave up" grep -q 'gave up after 1 s (--db-wait)' "$T/gaveup.log"
started() { grep -q '^willing: serving' "$T/pf.log" 2>/dev/null; }
PORT=$(free_port)
# shellcheck disable=SC2046 # key_args: options without spaces
"$W" serve --db "$DB" $(key_args pf) --listen 127.0.0.1:$PORT --interval 100 --seal-interval 0 \
  --db-wait 60 2>"$T/pf.log" &
PIDS+=($!)
URL=http://127.0.0.1:$PORT
waiting() { grep -q 'trying again every second' "$T/pf.log"; }
wait_for "serve to say it waits for the server" waiting
pg_up
wait_for "serve to start once the server is up" started

# (3) the server stopped mid-run while a client writes (503: the writer's round, or a worker's
# read of the author's keys, whichever meets the outage)
post() { # post SEQ: status of POSTing entry SEQ, body in $T/body.SEQ
  rm -f "$T/e$1.note"
  "$W" append --origin "$LEDGER_ORIGIN" --output "$T/e$1.note" --key "$OPKEY" --kind statement \
    --seq "$1" --body "{\"text\":\"entry $1\"}" >/dev/null
  curl -s -o "$T/body.$1" -w '%{http_code}' -X POST "$URL/api/v1/entries" -m 30 \
    -H 'Content-Type: application/json' --data "{\"entry\":\"$(base64 -w0 "$T/e$1.note")\"}"
}
: >"$T/statuses"
writer() { # posts entries 100, 101, ... until $T/stop exists: "SEQ STATUS" per line
  local i=100
  while [ ! -e "$T/stop" ] && [ "$i" -lt 5000 ]; do
    echo "$i $(post $i)" >>"$T/statuses"
    i=$((i + 1))
  done
}
writer &
WRITER=$!
PIDS+=("$WRITER")
count() { [ "$(grep -c " $1\$" "$T/statuses")" -ge "$2" ]; }
wait_for "10 writes acknowledged" count 201 10
pg_down
wait_for "writes refused 503 while the server is down" count 503 3
went_away() { grep -q 'the database connection was lost\|the database cannot be reached' "$T/pf.log"; }
wait_for "the writer to say the database went away" went_away && ok "the writer says the database went away"
check "every refusal is storage_unavailable or storage" \
  sh -c "! grep -h '\"error\"' $T/body.* | grep -v '\"error\":\"storage' | grep -q ."
# the other routes meet the outage too: 503 and a JSON error naming the database, never 500
for p in api/v1/entries/0 api/v1/entries/0/proof log/tile/0/000.p/1; do
  st=$(curl -s -o "$T/read.body" -w '%{http_code}' -m 30 "$URL/$p")
  check "GET /$p while the server is down: 503 storage ($st $(cat "$T/read.body"))" \
    sh -c "[ $st = 503 ] && grep -q '^{\"error\":\"storage' '$T/read.body'"
done
# a console session (any cookie: the database cannot say whether it is live) is not told it
# has ended: 503 storage, not 401 session_expired (whoami authenticates it, /session reads it)
fake="wl_session=$(printf 'A%.0s' $(seq 43))"
for p in api/v1/whoami api/v1/session; do
  st=$(curl -s -o "$T/read.body" -w '%{http_code}' -m 30 -b "$fake" "$URL/$p")
  check "GET /$p with a session cookie while the server is down: 503 storage ($st $(cat "$T/read.body"))" \
    sh -c "[ $st = 503 ] && grep -q '^{\"error\":\"storage' '$T/read.body'"
done
echo "a document" >"$T/doc"
blob_put() { "$W" blob put --server "$URL" --key "$OPKEY" "$T/doc" >"$T/blob.out" 2>&1; }
blob_refused() { ! blob_put && grep -q 'the ledger cannot be read' "$T/blob.out"; }
check "a blob put (a signed write) while the server is down is refused, naming the ledger" \
  blob_refused
n503=$(grep -c ' 503$' "$T/statuses")
t0=$(date +%s%N)
pg_up
acked_after() { [ "$(awk -v n="$n503" '$2==503{k++} k>=n && $2==201{a++} END{print a+0}' "$T/statuses")" -ge 1 ]; }
wait_for "a write acknowledged after the server is back" acked_after
ms=$((($(date +%s%N) - t0) / 1000000))
echo "# the writer resumed by itself: a write acknowledged ${ms} ms after the server was started again"
check "the blob put succeeds once the server is back" blob_put
st=$(curl -s -o /dev/null -w '%{http_code}' -m 30 -b "$fake" "$URL/api/v1/whoami")
check "the same cookie once the server is back: 401, the session unknown ($st)" [ "$st" = 401 ]
# the publisher failed at every interval of the outage: said once, and once when it resumed
resumed() { grep -q 'publishing checkpoints resumed after [0-9]* failures' "$T/pf.log"; }
wait_for "the publisher to say it resumed" resumed
nfail=$(grep -c 'publishing a checkpoint failed' "$T/pf.log" || true)
check "the publisher's failures during the outage are one line, not one an interval ($nfail)" \
  [ "$nfail" -le 2 ]
touch "$T/stop"
wait "$WRITER" || true
others=$(awk '$2!=201 && $2!=503' "$T/statuses" | wc -l)
check "every write was answered 201 or 503 ($others otherwise)" [ "$others" = 0 ]

# every 201 is in the log; every 503 sent again is stored once (201, or 200 existed if its
# commit reached the server before the connection broke)
bad=$(python3 - "$URL" "$T" <<'PY'
import json, sys, urllib.request
url, t = sys.argv[1], sys.argv[2]
bad = 0
for line in open(t + "/statuses"):
    seq, st = line.split()
    if st == "201":
        a = json.load(open("%s/body.%s" % (t, seq)))
        e = json.load(urllib.request.urlopen("%s/api/v1/entries/%d" % (url, a["index"])))
        bad += e["leaf_hash"] != a["leaf_hash"]
print(bad)
PY
)
check "every write acknowledged before, during or after the outage is in the log ($bad missing)" \
  [ "$bad" = 0 ]
resent=0
while read -r seq st; do
  if [ "$st" = 503 ]; then
    s2=$(post "$seq")
    case $s2 in 200 | 201) ;; *) resent=$((resent + 1)) ;; esac
  fi
done <"$T/statuses"
check "every write refused during the outage is stored when sent again ($resent not)" [ "$resent" = 0 ]
total=$(awk 'END{print NR}' "$T/statuses")
wait_checkpoint $((total + 1))
check "verify: the log and its checkpoints are sound after the outage" \
  "$W" verify "$URL" --vkey "$VKEY"

# (4) the sealer (a batch every second) through an outage: its failure said once, not every
# batch, and once when its batches go through again
new_ledger ps
PORT=$(free_port)
# shellcheck disable=SC2046 # key_args: options without spaces
"$W" serve --db "$(db_of ps)" $(key_args ps) --listen 127.0.0.1:$PORT --interval 100 \
  --seal-interval 1 2>"$T/ps.log" &
PIDS+=($!)
URL=http://127.0.0.1:$PORT
ps_started() { grep -q '^willing: serving' "$T/ps.log"; }
wait_for "the sealing server to start" ps_started
wait_checkpoint 2 # a first batch of envelopes published
pg_down
sleep 4 # the outage's length: four batches meet it
pg_up
sealer_resumed() { grep -q 'sealer: batches resumed after [0-9]* failures' "$T/ps.log"; }
wait_for "the sealer to say its batches resumed" sealer_resumed
nfail=$(grep -c 'willing: sealer: \(cannot\|envelopes\)' "$T/ps.log" || true)
check "the sealer's failures during a 4 s outage are one line, not one a batch ($nfail)" \
  [ "$nfail" -le 2 ]

# (5) no request before the outage: no worker has opened its connection, and during the outage
# none can; a request gets 503, even one whose console session is read before any handler
new_ledger pw
PORT=$(free_port)
# shellcheck disable=SC2046 # key_args: options without spaces
"$W" serve --db "$(db_of pw)" $(key_args pw) --listen 127.0.0.1:$PORT --threads 2 \
  --seal-interval 1 2>"$T/pw.log" &
PW_PID=$!
PIDS+=($PW_PID)
URL=http://127.0.0.1:$PORT
pw_started() { grep -q '^willing: serving' "$T/pw.log"; }
wait_for "the last server to start" pw_started
pg_down
cookie="wl_session=$(printf 'A%.0s' $(seq 43))"
codes=$(for p in api/v1/whoami api/v1/whoami api/v1/entries api/v1/members; do
  curl -s -o /dev/null -w '%{http_code} ' -m 30 -b "$cookie" "$URL/$p" || true
done)
check "requests on workers without a connection during the outage: 503, serve up ($codes)" \
  sh -c "kill -0 $PW_PID && [ '$codes' = '503 503 503 503 ' ]"
st=$(curl -s -o /dev/null -w '%{http_code}' -m 30 "$URL/") || true
check "the console's page needs no database: 200 during the outage ($st)" [ "$st" = 200 ]
pg_up
finish
