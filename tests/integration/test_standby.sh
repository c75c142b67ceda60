#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One writer per ledger: a second `willing serve` on the same ledger stands by (the writer's
# lock: an flock on FILE.writer, or a PostgreSQL advisory lock when WILLING_TEST_PG is set, as
# in ctest's pg.integration.test_standby): it says so, serves reads and follows the writer's
# checkpoints, refuses writes 503 {"error":"standby"}, and takes over writing when the first is
# killed (kill -9), with every acknowledged entry there and a checkpoint consistent with the
# writer's last (verify). tests/integration/test_pg_failover.sh adds a PostgreSQL server that
# stops mid-run.
source "$(dirname "$0")/lib.sh"

new_ledger sb
start_server sb
A_PID=$SERVER_PID
A_URL=$URL

# B: the same file, on its own port and log
started() { grep -q "^willing: serving" "$T/b.log" 2>/dev/null; }
# shellcheck disable=SC2046 # key_args: options without spaces
"$W" serve --db "$(db_of sb)" $(key_args sb) --listen 127.0.0.1:"$(free_port)" --interval 100 --seal-interval 0 \
  2>"$T/b.log" &
B_PID=$!
PIDS+=("$B_PID")
wait_for "B to start" started
B_URL=$(sed -n 's/^willing: serving .* on \(http:[^ ]*\).*/\1/p' "$T/b.log")
check "B says it stands by" grep -q '^willing serve: standby: another willing serve writes this ledger; waiting to take over$' "$T/b.log"
check "B says it serves as a standby" grep -q 'entries, as a standby: reads only) on' "$T/b.log"

post() { # post URL TEXT SEQ: status of POSTing a statement, body in $T/body
  rm -f "$T/e.note"
  "$W" append --origin "$LEDGER_ORIGIN" --output "$T/e.note" --key "$OPKEY" --kind statement \
    --seq "$3" --body "{\"text\":\"$2\"}" >/dev/null
  curl -s -o "$T/body" -w '%{http_code}' -X POST "$1/api/v1/entries" \
    -H 'Content-Type: application/json' --data "{\"entry\":\"$(base64 -w0 "$T/e.note")\"}"
}
st=$(post "$B_URL" "to the standby" 1)
check "a write to the standby is refused 503 standby, naming why ($st)" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='503' and o['error']=='standby', o
assert 'another willing serve writes this ledger' in o['message'], o"
check "the standby reads (its checkpoint)" curl -fs -o /dev/null "$B_URL/log/checkpoint"

: >"$T/acks"
for i in 2 3 4 5 6; do
  st=$(post "$A_URL" "entry $i" "$i")
  [ "$st" = 201 ] && echo "$(json_field index) $(json_field leaf_hash)" >>"$T/acks"
done
check "the writer acknowledged 5 entries" [ "$(wc -l <"$T/acks")" = 5 ]
b_covers() { [ "$(curl -fs "$B_URL/log/checkpoint" | sed -n 2p)" -ge "$1" ]; }
wait_for "the standby to serve the writer's checkpoint of 6" b_covers 6

check "verify the writer's log (its checkpoint kept as seen)" "$W" verify "$A_URL" --vkey "$VKEY"

kill -9 "$A_PID"
t0=$(date +%s%N)
takes() { [ "$(post "$B_URL" "after the take-over" 7)" = 201 ]; }
wait_for "the standby to take a write" takes
ms=$((($(date +%s%N) - t0) / 1000000))
engine=SQLite
[ -z "${WILLING_TEST_PG:-}" ] || engine=PostgreSQL
echo "# fail-over ($engine): the standby took a write ${ms} ms after the writer was killed"
check "fail-over in under 5 s (${ms} ms)" [ "$ms" -lt 5000 ]
check "B says it took over" grep -q 'took over: this willing serve writes the ledger now' "$T/b.log"

bad=0
while read -r idx leaf; do
  got=$(curl -fs "$B_URL/api/v1/entries/$idx" | python3 -c 'import json,sys; print(json.load(sys.stdin)["leaf_hash"])')
  [ "$got" = "$leaf" ] || bad=$((bad + 1))
done <"$T/acks"
check "every entry the writer acknowledged is in the log after the take-over ($bad missing)" [ "$bad" = 0 ]
URL=$B_URL wait_checkpoint 7
"$W" verify "$B_URL" --vkey "$VKEY" >"$T/verify.out" 2>&1 || true
check "verify: the new writer's checkpoint extends the old writer's last (7 entries: the write refused by the standby is not among them)" \
  grep -q 'OK: .* at size 7: .*consistent with size 6 seen before' "$T/verify.out"
kill "$B_PID"
wait "$B_PID" 2>/dev/null || true
if [ -z "${WILLING_TEST_PG:-}" ]; then
  check "fsck passes" "$W" fsck --db "$(db_of sb)"
else # store_rows.c's SELECT * also gives PostgreSQL's generated rowid column: fsck fails on any ledger
  echo "# fsck skipped on PostgreSQL (its rows carry the generated rowid column)"
fi
finish
