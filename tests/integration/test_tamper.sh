#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A rewritten history is caught: `serve` refuses a database whose tree no
# longer matches its last checkpoint, or that was truncated or is not a
# ledger; `verify` and `fsck` catch an entry changed behind the tree's back.
source "$(dirname "$0")/lib.sh"

new_ledger tam
start_server tam
"$W" keygen --out "$T/uk.key" --member uk >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id uk --name UK --role member --pubkey-file "$T/uk.key" >/dev/null
for i in $(seq 1 300); do echo "{\"text\":\"statement number $i\"}"; done >"$T/bodies"
while read -r body; do
  "$W" append --origin test.example/tam --output - --key "$T/uk.key" --kind statement --body "$body" \
    | base64 -w0 | sed 's/.*/"&"/'
  echo
done <"$T/bodies" | paste -sd, | sed 's/.*/{"entries":[&]}/' >"$T/batch.json"
st=$(status POST /api/v1/entries:batch -H 'Content-Type: application/json' --data-binary @"$T/batch.json")
check "300 entries appended in one batch" [ "$st" = 201 ]
wait_checkpoint 302
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

sql() { python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute(sys.argv[2]); db.commit()' "$@"; }

# an entry changed in place, its hashes left alone: serve starts (the tree is intact),
# but verify and fsck see that the entry no longer hashes to its leaf
cp "$T/tam.db" "$T/edit.db"; cp "$T/tam.db.log.key" "$T/edit.db.log.key"; cp "$T/tam.db.operator.key" "$T/edit.db.operator.key"
sql "$T/edit.db" "update entries set data = replace(data, 'number 42\"', 'number 43\"') where idx = 43"
start_server edit
out=$("$W" verify "$URL" --vkey "$VKEY" --state "$T/s1" 2>&1 || true)
check "verify catches an entry rewritten behind the tree (FAIL tile: the bundle's tile)" grep -q 'FAIL (tile): tile/0/000 differs from the hashes of the entries' <<<"$out"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
out=$("$W" fsck --db "$T/edit.db" 2>&1 || true)
check "fsck catches it too" grep -q 'FAIL' <<<"$out"

# a stored hash changed: serve refuses to start, with a clear message
cp "$T/tam.db" "$T/hash.db"; cp "$T/tam.db.log.key" "$T/hash.db.log.key"; cp "$T/tam.db.operator.key" "$T/hash.db.operator.key"
sql "$T/hash.db" "update hashes set hash = zeroblob(32) where level = 0 and idx = 7"
out=$(timeout 5 "$W" serve --db "$T/hash.db" --listen 127.0.0.1:$(free_port) 2>&1 || true)
check "serve refuses a tree that does not match its checkpoint" grep -q 'does not match the last checkpoint' <<<"$out"

# a stored tile changed: serve refuses (it is the last full tile), fsck fails
cp "$T/tam.db" "$T/tile.db"; cp "$T/tam.db.log.key" "$T/tile.db.log.key"; cp "$T/tam.db.operator.key" "$T/tile.db.operator.key"
sql "$T/tile.db" "update tiles set data = zeroblob(8192) where id = 0"
out=$(timeout 5 "$W" serve --db "$T/tile.db" --listen 127.0.0.1:$(free_port) 2>&1 || true)
check "serve refuses a stored tile that does not match the tree" grep -q 'tile 0/0 does not match' <<<"$out"
out=$("$W" fsck --db "$T/tile.db" 2>&1 || true)
check "fsck catches the tile" grep -q 'stored tile 0/0 differs' <<<"$out"

# entries deleted from the end (a rollback): refused
cp "$T/tam.db" "$T/roll.db"; cp "$T/tam.db.log.key" "$T/roll.db.log.key"; cp "$T/tam.db.operator.key" "$T/roll.db.operator.key"
sql "$T/roll.db" "delete from entries where idx > 250"
out=$(timeout 5 "$W" serve --db "$T/roll.db" --listen 127.0.0.1:$(free_port) 2>&1 || true)
check "serve refuses a log rolled back behind its checkpoint" grep -q 'truncated or rolled back' <<<"$out"

# a truncated file, and a file that is not a ledger
cp "$T/tam.db" "$T/trunc.db"; cp "$T/tam.db.log.key" "$T/trunc.db.log.key"; cp "$T/tam.db.operator.key" "$T/trunc.db.operator.key"
truncate -s 16384 "$T/trunc.db"
out=$(timeout 5 "$W" serve --db "$T/trunc.db" --listen 127.0.0.1:$(free_port) 2>&1 || true)
check "serve refuses a truncated file ($(head -c 90 <<<"$out"))" grep -q 'refusing\|damaged' <<<"$out"
head -c 100000 /dev/urandom >"$T/junk.db"; cp "$T/tam.db.log.key" "$T/junk.db.log.key"; cp "$T/tam.db.operator.key" "$T/junk.db.operator.key"
out=$(timeout 5 "$W" serve --db "$T/junk.db" --listen 127.0.0.1:$(free_port) 2>&1 || true)
check "serve refuses a file that is not a ledger" grep -q 'not a willing ledger' <<<"$out"
out=$("$W" fsck --db "$T/trunc.db" 2>&1 || true)
check "fsck fails on the truncated file" grep -q 'FAIL\|damaged' <<<"$out"

# a split view: two copies of the log, each grown differently and signed with the
# same key; a client that saw one must refuse the other
cp "$T/tam.db" "$T/fa.db"; cp "$T/tam.db.log.key" "$T/fa.db.log.key"; cp "$T/tam.db.operator.key" "$T/fa.db.operator.key"
cp "$T/tam.db" "$T/fb.db"; cp "$T/tam.db.log.key" "$T/fb.db.log.key"; cp "$T/tam.db.operator.key" "$T/fb.db.operator.key"
start_server fa
"$W" append --server "$URL" --key "$T/uk.key" --kind statement --body '{"text":"version A"}' >/dev/null
wait_checkpoint 303
check "a client verifies fork A" "$W" verify "$URL" --vkey "$VKEY" --state "$T/seen.cp"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server fb
"$W" append --server "$URL" --key "$T/uk.key" --kind statement --body '{"text":"version B"}' >/dev/null
"$W" append --server "$URL" --key "$T/uk.key" --kind statement --body '{"text":"and more"}' >/dev/null
wait_checkpoint 304
out=$("$W" verify "$URL" --vkey "$VKEY" --state "$T/seen.cp" 2>&1 || true)
check "the same client refuses fork B: history was rewritten" grep -q 'FAIL (consistency)' <<<"$out"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

# the untouched ledger is still sound
check "fsck of the original: OK" "$W" fsck --db "$T/tam.db"
finish
