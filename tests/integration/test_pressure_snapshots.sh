#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The import snapshots (issue 12, point 2): GET /api/v1/pressure/snapshots lists every
# pressure.snapshot by (list, entry), each with its list, the file's SHA-256 and date,
# the counts and its entry, with the log's size as data_version; ?list= keeps one list's;
# snapshots.csv gives the same rows; `willing pressure snapshots` prints them. Shown over
# an import of the UK excerpt (tests/fixtures/sanctions) and two snapshots the operator
# writes for OFAC's list; a bad list and another method are refused.
source "$(dirname "$0")/lib.sh"

new_ledger ps
start_server ps
DB=$(db_of ps)
FIX=$SRC/tests/fixtures/sanctions
cp "$OPKEY" "$T/operator.key"

q() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }

check "no snapshot yet: an empty list" python3 -c "
import json, urllib.request
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/snapshots'))
assert o['snapshots'] == [] and o['data_version'] >= 1, o"

python3 - "$FIX/uk/uk-sanctions-list-excerpt-2026-08-14.xml" "$T/uk.xml" <<'PY'
import sys
x = open(sys.argv[1], encoding='utf-8').read()
a = x.index('  <!-- Synthetic edge case')
open(sys.argv[2], 'w', encoding='utf-8').write(x[:a] + '</Designations>\n')
PY
check "the UK excerpt is imported" sh -c "'$W' pressure import-uk --server '$URL' --key '$OPKEY' '$T/uk.xml' >'$T/out' 2>&1"
snap() { # FILE-SEED DATE ADDED: a snapshot of ofac-sdn written by the operator
  "$W" append --server "$URL" --key "$T/operator.key" --kind pressure.snapshot --body \
    "{\"list\":\"ofac-sdn\",\"file\":\"$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)\",\"date\":\"$2\",\"base\":$(snapshot_base ofac-sdn),\"counts\":{\"subjects\":$3,\"added\":$3,\"amended\":0,\"delisted\":0}}" \
    >"$T/out" 2>&1 || not_ok "the snapshot $1 refused: $(cat "$T/out")"
}
snap one 2021-07-01 8976
snap two 2021-08-01 8977
size=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
wait_checkpoint "$size"
UKHASH=$(sha256sum "$T/uk.xml" | cut -d' ' -f1)
H1=$(printf one | sha256sum | cut -d' ' -f1)
H2=$(printf two | sha256sum | cut -d' ' -f1)

check "every snapshot, by list and entry, with its file, date, counts and entry" python3 -c "
import json, wldb, urllib.request
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/snapshots'))
db = wldb.connect('$DB')
idx = [r[0] for r in db.execute('SELECT idx FROM entries WHERE kind = \'pressure.snapshot\' ORDER BY idx')]
s = o['snapshots']
assert [(x['list'], x['file'], x['date']) for x in s] == [
    ('ofac-sdn', '$H1', '2021-07-01'), ('ofac-sdn', '$H2', '2021-08-01'),
    ('uk-fcdo', '$UKHASH', '2026-08-14')], s
assert [x['entry'] for x in s] == [idx[1], idx[2], idx[0]], (s, idx)
assert [x['base'] for x in s] == [None, idx[1], None], s
assert s[1]['counts'] == {'subjects': 8977, 'added': 8977, 'amended': 0, 'delisted': 0}, s
assert s[2]['counts'] == {'subjects': 4, 'added': 4, 'amended': 0, 'delisted': 0}, s
assert all(x['author'] == 'operator' for x in s), s
assert o['data_version'] == db.execute('SELECT count(*) FROM entries').fetchone()[0], o"
check "?list= keeps one list's" python3 -c "
import json, urllib.request
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/snapshots?list=uk-fcdo'))
assert o['list'] == 'uk-fcdo' and [x['file'] for x in o['snapshots']] == ['$UKHASH'], o
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/snapshots?list=un-sc'))
assert o['snapshots'] == [], o"
check "snapshots.csv: a header and the same rows" python3 -c "
import csv, io, json, urllib.request
r = urllib.request.urlopen('$URL/api/v1/pressure/snapshots.csv?list=ofac-sdn')
assert r.headers['Content-Type'].startswith('text/csv'), r.headers
rows = list(csv.reader(io.StringIO(r.read().decode())))
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/snapshots?list=ofac-sdn'))
assert rows[0] == ['list', 'date', 'file', 'subjects', 'added', 'amended', 'delisted', 'entry', 'base', 'author', 'data_version'], rows
assert rows[1:] == [[x['list'], x['date'], x['file'], *(str(x['counts'][k]) for k in ('subjects', 'added', 'amended', 'delisted')), str(x['entry']), str(x['base'] or ''), 'operator', str(o['data_version'])] for x in o['snapshots']], rows
assert rows[1][8] == '' and rows[2][8] == rows[1][7], rows"

st=$(status GET "/api/v1/pressure/snapshots?list=")
check "an empty list is 400 bad_query" sh -c "[ '$st' = 400 ] && grep -q bad_query '$T/body'"
st=$(status GET "/api/v1/pressure/snapshots.csv?list=$(head -c 65 /dev/zero | tr '\0' a)")
check "a list of 65 bytes is 400 bad_query" sh -c "[ '$st' = 400 ] && grep -q bad_query '$T/body'"
st=$(status POST /api/v1/pressure/snapshots -H 'Content-Type: application/json' --data '{}')
check "POST is 405" [ "$st" = 405 ]
check "... and the server still answers" curl -fs -o /dev/null "$URL/api/v1/pressure/snapshots"

check "willing pressure snapshots --help says what it prints" sh -c "'$W' pressure snapshots --help | grep -q 'SHA-256'"
check "willing pressure snapshots prints each snapshot" sh -c "'$W' pressure snapshots --server '$URL' >'$T/out' &&
  grep -q '^data version [0-9]*: 3 snapshots' '$T/out' &&
  grep -q '^ofac-sdn 2021-08-01 entry $(q "SELECT max(idx) FROM pressure_snapshots"): 8977 subjects, 8977 added, 0 amended, 0 delisted; file $H2; against entry $(q "SELECT min(idx) FROM pressure_snapshots WHERE list = 'ofac-sdn'")\$' '$T/out' &&
  grep -q '^ofac-sdn 2021-07-01 entry [0-9]*: .*; file $H1\$' '$T/out' &&
  grep -q '^uk-fcdo 2026-08-14 entry [0-9]*: 4 subjects, 4 added' '$T/out'"
check "... --list L its list's alone" sh -c "'$W' pressure snapshots --server '$URL' --list uk-fcdo >'$T/out' &&
  grep -q ': 1 snapshots' '$T/out' && ! grep -q ofac-sdn '$T/out'"
check "... --csv the server's CSV" sh -c "'$W' pressure snapshots --server '$URL' --csv --list ofac-sdn | grep -c '^ofac-sdn,' | grep -qx 2"
check "... --json the server's answer" sh -c "'$W' pressure snapshots --server '$URL' --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)[\"snapshots\"]) == 3'"
check "... an empty --list is refused, exit 2" sh -c "'$W' pressure snapshots --server '$URL' --list '' 2>/dev/null; [ \$? = 2 ]"
finish
