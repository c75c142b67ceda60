#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A round's entries fail alone (issue 13, appends at speed): the sequencer runs a round of plain
# entries without a savepoint per entry (on PostgreSQL two statements and a wait for the server
# each). An entry refused before it writes anything (its seq taken) is refused alone and the
# round goes on; an entry whose write fails (here a trigger the test adds, as a constraint or an
# engine's fault would) makes the round run again entry by entry, where it fails alone and every
# other entry of the round is stored. On SQLite and on PostgreSQL (pg.integration.*).
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT

new_ledger r
# each commit takes a second longer: what is posted meanwhile is one round
WL_TEST_FSYNC_DELAY_MS=1000 start_server r
new_member m1 member
new_member bad member
"$W" append --server "$URL" --key "$T/m1.key" --kind statement --seq 5 --body '{"text":"five"}' \
  >/dev/null

# sign NAME KEY SEQ TEXT: a statement signed offline into $T/NAME.note
sign() {
  "$W" append --output "$T/$1.note" --origin "$LEDGER_ORIGIN" --key "$T/$2.key" --kind statement \
    --seq "$3" --body "{\"text\":\"$4\"}" >/dev/null
}

commits() { grep -c 'WL_TEST_FSYNC_DELAY_MS' "$T/r.log" || true; }
more_commits() { [ "$(commits)" -gt "$1" ]; }

# one_round NAME...: posts a lead entry, and once its round is committing, every NAME at once
# (they wait for that commit: the next round takes them all); each answer in $T/NAME.body,
# its status in $T/NAME.status
one_round() {
  local n0 name posts=()
  n0=$(commits)
  sign "lead$n0" m1 "$((900 + n0))" "lead $n0"
  curl -s -o /dev/null --data "{\"entry\":\"$(base64 -w0 "$T/lead$n0.note")\"}" \
    -H 'Content-Type: application/json' "$URL/api/v1/entries" &
  posts+=($!)
  wait_for "the lead entry's commit" more_commits "$n0"
  for name in "$@"; do
    curl -s -o "$T/$name.body" -w '%{http_code}' -H 'Content-Type: application/json' \
      --data "{\"entry\":\"$(base64 -w0 "$T/$name.note")\"}" "$URL/api/v1/entries" \
      >"$T/$name.status" &
    posts+=($!)
  done
  wait "${posts[@]}" # not the daemon's
}

stored() { db_sql r "SELECT count(*) FROM entries WHERE author = 'm1' AND seq BETWEEN $1 AND $2"; }
reruns() { grep -c 'ran again entry by entry' "$T/r.log" || true; }

# 1. a refusal before any write: the rest of the round stored, no round run again
for i in 1 2 3 4 5 6; do sign "a$i" m1 "$((10 + i))" "a $i"; done
sign taken m1 5 "another five"
one_round a1 a2 a3 taken a4 a5 a6
check "an entry whose seq is taken is refused alone (409 seq_conflict)" \
  grep -q '"seq_conflict"' "$T/taken.body"
check "  ... its status 409" [ "$(cat "$T/taken.status")" = 409 ]
check "  ... every other entry of its round is stored" [ "$(stored 11 16)" = 6 ]
check "  ... and the round did not run again" [ "$(reruns)" = 0 ]

# 2. a write that fails: the round runs again entry by entry
if [ -n "${WILLING_TEST_PG:-}" ]; then
  db_sql r "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
    IF NEW.author = 'bad' THEN RAISE EXCEPTION 'poisoned by the test'; END IF; RETURN NEW; END \$\$"
  db_sql r "CREATE TRIGGER poison BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION poison()"
else
  db_sql r "CREATE TRIGGER poison BEFORE INSERT ON entries WHEN NEW.author = 'bad'
    BEGIN SELECT RAISE(ABORT, 'poisoned by the test'); END"
fi
for i in 1 2 3 4 5 6; do sign "b$i" m1 "$((20 + i))" "b $i"; done
sign poisoned bad 1 "poisoned"
one_round b1 b2 b3 poisoned b4 b5 b6
check "an entry whose write fails is refused alone, naming the engine's error" \
  python3 -c "
import json,sys; o=json.load(open('$T/poisoned.body'))
assert o['error']=='storage' and 'poisoned by the test' in o['message'], o" 
check "  ... not acknowledged" grep -q "^[45]" "$T/poisoned.status"
check "  ... every other entry of its round is stored" [ "$(stored 21 26)" = 6 ]
for i in 1 2 3 4 5 6; do
  check "  ... b$i acknowledged" grep -q '^20' "$T/b$i.status"
done
check "  ... nothing of the poisoned entry is stored" \
  [ "$(db_sql r "SELECT count(*) FROM entries WHERE author = 'bad'")" = 0 ]
check "  ... the daemon's log says the round ran again ($(grep 'ran again' "$T/r.log"))" \
  grep -q 'ran again entry by entry; the first try: ' "$T/r.log"
# the test's trigger out (fsck refuses a schema other than the one willing makes)
db_sql r "DROP TRIGGER poison$([ -n "${WILLING_TEST_PG:-}" ] && echo ' ON entries')"
check "fsck passes: the tree holds exactly the stored entries" "$W" fsck --db "$(db_of r)"
finish
