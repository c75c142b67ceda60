#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Third-party reference data (issue 9, point 8): the Kiel Ukraine Support
# Tracker's bilateral activities CSV (release 28, tests/fixtures/kiel/)
# imported by the coordinator as reference.batch entries in one batch; the
# totals per donor and type equal, digit for digit, what Python's csv and
# decimal modules compute from the same file; the data is attributed to the
# tracker and kept apart from members (no member, pledge or flow appears);
# imports are all or nothing (bad rows named FILE:LINE, nothing stored;
# --skip-bad stores the good ones, exit 2), a file not in UTF-8 is refused
# naming its line, a release is imported once, a member may not import.
source "$(dirname "$0")/lib.sh"

KIEL=$SRC/tests/fixtures/kiel/bilateral_activities.csv
new_ledger ref
start_server ref
new_member gb coordinator
new_member us member

# the expected totals, computed here from the file, independently of willing
python3 - "$KIEL" >"$T/expected.json" <<'E'
import csv, decimal, json, sys
decimal.getcontext().prec = 80
tot = {}
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for r in csv.DictReader(f):
        k = (r['giver'], r['kategori'].lower(), r['maal'].lower())
        tot[k] = tot.get(k, decimal.Decimal(0)) + decimal.Decimal(r['verdi_eur'])
print(json.dumps({'|'.join(k): str(v) for k, v in tot.items()}))
E
SUM=$(sha256sum "$KIEL" | cut -d' ' -f1)

out=$("$W" reference import-kiel --server "$URL" --key "$T/us.key" "$KIEL" 2>&1 || true)
check "a member may not import reference data (forbidden)" grep -q forbidden <<<"$out"
check "... and nothing is stored" [ "$(status GET '/api/v1/reference/totals?source=kiel-ust')" = 404 ]

check "the coordinator imports the tracker's file (5,565 rows)" \
  sh -c "'$W' reference import-kiel --server '$URL' --key '$T/gb.key' '$KIEL' >'$T/imp.out' 2>&1"
check "... and says what it stored" grep -q "imported 5565 rows of kiel-ust release 28" "$T/imp.out"

check "the totals answer 200" [ "$(status GET '/api/v1/reference/totals?source=kiel-ust&by=donor')" = 200 ]
cp "$T/body" "$T/totals.json"
check "every donor's totals by type and stage equal Python's exact sums, digit for digit" python3 - "$T/totals.json" "$T/expected.json" <<'E'
import decimal, json, sys
decimal.getcontext().prec = 80
o = json.load(open(sys.argv[1])); want = json.load(open(sys.argv[2]))
got = {}
for r in o['rows']:
    assert r['currency'] == 'EUR', r
    for t in ('military', 'financial', 'humanitarian'):
        for s in ('allocation', 'commitment'):
            v = decimal.Decimal(r[t][s])
            if v != 0 or f"{r['donor']}|{t}|{s}" in want:
                got[f"{r['donor']}|{t}|{s}"] = v
assert len({r['donor'] for r in o['rows']}) == 44, len(o['rows'])
for k, v in want.items():
    assert got.get(k) == decimal.Decimal(v), (k, got.get(k), v)
assert set(got) == set(want), set(got) ^ set(want)
# the United States' military allocations, as Python sums them, digit for digit
us = [r for r in o['rows'] if r['donor'] == 'United States'][0]
assert us['military']['allocation'] == format(decimal.Decimal(want['United States|military|allocation']).normalize(), 'f'), us
E
check "attributed to the tracker: source, release, the file's SHA-256, third party" python3 -c "
import json; o=json.load(open('$T/totals.json'))
assert o['source']=='kiel-ust' and o['release']=='28' and o['third_party'] is True, o
assert o['file']=='$SUM' and o['complete'] is True and o['parts']==len(o['entries']) > 1, o
assert 'Kiel Institute' in o['attribution'] and 'not a member' in o['attribution'], o"
ENTRIES=$(python3 -c "import json; print(len(json.load(open('$T/totals.json'))['entries']))")
check "the rows are reference.batch entries by the coordinator, one per part" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/entries?kind=reference.batch&limit=1000'))['entries']
assert len(o)==$ENTRIES and {e['author'] for e in o}=={'gb'}, [e['author'] for e in o]
b=o[0]['body']; assert b['source']=='kiel-ust' and b['file']=='$SUM' and b['part']==1, b"

check "the CSV totals hold the same figures" sh -c "'$W' reference totals --server '$URL' --csv >'$T/totals.csv'"
check "... per donor and type, allocations and commitments apart" python3 - "$T/totals.csv" "$T/expected.json" <<'E'
import csv, decimal, json, sys
want = json.load(open(sys.argv[2]))
n = 0
for r in csv.DictReader(open(sys.argv[1], newline='')):
    for s in ('allocation', 'commitment'):
        k = f"{r['donor']}|{r['type']}|{s}"
        assert decimal.Decimal(r[s]) == decimal.Decimal(want.get(k, '0')), (k, r[s])
        n += 1
assert n == 44 * 3 * 2, n
E
check "willing reference totals prints the attribution" sh -c "'$W' reference totals --server '$URL' | grep -q 'Kiel Institute'"

check "the rows of a donor, a page at a time, each amount as the source wrote it" \
  [ "$(status GET '/api/v1/reference?source=kiel-ust&donor=Australia&limit=3')" = 200 ]
check "... Australia's first rows with their lines, next_offset 3" python3 -c "
import json; o=json.load(open('$T/body'))
r=o['rows']; assert len(r)==3 and o['next_offset']==3 and o['third_party'] is True, o
assert (r[0]['line'], r[0]['amount'], r[0]['type'], r[0]['stage'], r[0]['date'])==(2,'23417159.978473667','humanitarian','allocation','2022-03-01'), r[0]"

# kept apart from members: no member, pledge or coverage comes from reference data
check "no donor of the tracker becomes a member" python3 -c "
import json, urllib.request
m=json.load(urllib.request.urlopen('$URL/api/v1/members'))
ids={x['member'] for x in m['members']}
assert ids=={'operator','gb','us'}, ids"
check "the coverage view holds no pledge from reference data" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/coverage'))
assert o['pledges']==[], o['pledges']"

out=$("$W" reference import-kiel --server "$URL" --key "$T/gb.key" "$KIEL" 2>&1 || true)
check "the same release again is refused (reference_exists), nothing stored twice" \
  grep -q reference_exists <<<"$out"
check "... the totals unchanged" sh -c "curl -fs '$URL/api/v1/reference/totals?source=kiel-ust' | cmp -s - '$T/totals.json'"

# all or nothing: bad rows named FILE:LINE, nothing stored
BAD=$T/bad.csv
{ head -3 "$KIEL"; echo 'Norway,2023-02-30,Military,Allocation,100.5,,,,,'
  echo 'Norway,2023-03-01,Weapons,Allocation,100.5,,,,,'
  echo 'Norway,2023-03-01,Military,Allocation,1.2e6,,,,,'
  echo 'Norway,2023-03-01,Military,Commitment,7.1234567890123456789,,,,,'
  echo 'Norway,2023-03-01,Military,Commitment,-12.25,,,,,'; } >"$BAD"
set +e
"$W" reference import-kiel --server "$URL" --key "$T/gb.key" --release bad "$BAD" >"$T/bad.out" 2>&1
rc=$?
set -e
check "a file with bad rows is refused whole (exit 1)" [ "$rc" = 1 ]
check "... each bad row named FILE:LINE: why" sh -c "grep -q '^$BAD:4: dato' '$T/bad.out' &&
  grep -q '^$BAD:5: kategori' '$T/bad.out' && grep -q '^$BAD:6: verdi_eur' '$T/bad.out' &&
  grep -q '^$BAD:7: verdi_eur' '$T/bad.out' && [ \$(grep -c '^$BAD:' '$T/bad.out') = 4 ]"
check "... and nothing stored" [ "$(status GET '/api/v1/reference/totals?source=kiel-ust&release=bad')" = 404 ]
set +e
"$W" reference import-kiel --server "$URL" --key "$T/gb.key" --release bad --skip-bad "$BAD" >"$T/skip.out" 2>&1
rc=$?
set -e
check "--skip-bad stores the good rows and exits 2" [ "$rc" = 2 ]
check "... listing the bad ones" [ "$(grep -c "^$BAD:" "$T/skip.out")" = 4 ]
check "... the good rows' totals exact (Australia 45228571.844137710 + Norway -12.25)" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/reference/totals?source=kiel-ust&release=bad'))
r={x['donor']:x for x in o['rows']}
assert r['Australia']['humanitarian']['allocation']=='45228571.84413771', r
assert r['Norway']['military']['commitment']=='-12.25', r
assert r['Norway']['military']['allocation']=='0', r"

# the wrong encoding: refused naming the first bad line, nothing stored
LAT=$T/latin1.csv
{ head -2 "$KIEL"; printf 'T\xfcrkiye,2023-03-01,Military,Allocation,10,,,,,\n'; } >"$LAT"
set +e
"$W" reference import-kiel --server "$URL" --key "$T/gb.key" --release latin1 "$LAT" >"$T/lat.out" 2>&1
rc=$?
set -e
check "a Latin-1 file is refused (exit 1), naming its first bad line" \
  sh -c "[ $rc = 1 ] && grep -q '^$LAT:3: not UTF-8' '$T/lat.out'"
python3 -c "import sys; open(sys.argv[1],'wb').write(open(sys.argv[2],encoding='utf-8').read().encode('utf-16'))" "$T/u16.csv" "$KIEL"
out=$("$W" reference import-kiel --server "$URL" --key "$T/gb.key" --release u16 "$T/u16.csv" 2>&1 || true)
check "a UTF-16 file is refused at line 1, saying so" grep -q "u16.csv:1: the file is UTF-16" <<<"$out"
check "... and neither is stored" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/reference/totals?source=kiel-ust&release=latin1')\" = 404 ] &&
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/reference/totals?source=kiel-ust&release=u16')\" = 404 ]"

# the kind's own rules, for an entry written by hand
app() { "$W" append --server "$URL" --key "$T/gb.key" --kind reference.batch --body "$1" 2>&1 || true; }
F=$(printf '%064d' 0)
out=$(app "{\"source\":\"kiel-ust\",\"release\":\"x\",\"file\":\"$F\",\"part\":1,\"parts\":1,\"rows\":[{\"line\":2,\"donor\":\"A\",\"type\":\"military\",\"stage\":\"allocation\",\"amount\":\"1e5\",\"currency\":\"EUR\"}]}")
check "a reference.batch row with a float's exponent is refused, naming the row" \
  grep -q "rows\[0\] (line 2): amount" <<<"$out"
out=$(app "{\"source\":\"kiel-ust\",\"release\":\"x\",\"file\":\"$F\",\"part\":1,\"parts\":1,\"rows\":[{\"line\":2,\"donor\":\"A\",\"type\":\"military\",\"stage\":\"allocation\",\"amount\":\"1.0000000000000000001\",\"currency\":\"EUR\"}]}")
check "... and one with more than 18 decimals" grep -q "invalid_body" <<<"$out"
check "... nothing of either stored" [ "$(status GET '/api/v1/reference/totals?source=kiel-ust&release=x')" = 404 ]
check "a query without a source is refused (400 bad_query)" [ "$(status GET '/api/v1/reference/totals')" = 400 ]

# members' own flows from any CSV (willing flows import-csv), apart from reference data
check "no view of members' flows shows the tracker's rows" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/flows'))
assert o['flows']==[], o['flows'][:2]"
FL=$T/flows.csv
printf 'Project,Paid on,EUR,Note\nUA-1,2025-03-03,1160000000.00,first tranche\nUA-2,2025-04-01,-78791,"a reversal, quoted"\nUA-3,2025-05-02,0.5,\n' >"$FL"
MAP="activity=Project,date=Paid on,amount=EUR,text=Note,currency='GBP',stage='disbursement',category='air_defence'"
check "a member imports its flows from a CSV by a column mapping" \
  sh -c "'$W' flows import-csv --server '$URL' --key '$T/us.key' --map \"$MAP\" '$FL' >'$T/fl.out' 2>&1"
check "... 3 flows in flow.batch entries" grep -q "imported 3 flows from $FL" "$T/fl.out"
check "... as the member's own flows, every amount as written" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/flows?member=us'))['flows']
assert sorted((f['activity'], f['amount'], f['currency'], f['author']) for f in o)==[
  ('UA-1','1160000000','GBP','us'),('UA-2','-78791','GBP','us'),('UA-3','0.5','GBP','us')], o"
check "... and the reference totals unchanged" sh -c "curl -fs '$URL/api/v1/reference/totals?source=kiel-ust&release=28' | cmp -s - '$T/totals.json'"
out=$("$W" flows import-csv --server "$URL" --key "$T/us.key" --map "$MAP" "$FL" 2>&1 || true)
check "the same file again is refused (flow_exists), nothing counted twice" grep -q flow_exists <<<"$out"
FB=$T/flows-bad.csv
printf 'Project,Paid on,EUR,Note\nUA-4,2025-03-03,12.34567,\nUA-5,2025-03,5,\nUA-6,2025-03-05,7,\n' >"$FB"
set +e
"$W" flows import-csv --server "$URL" --key "$T/us.key" --map "$MAP" "$FB" >"$T/fb.out" 2>&1
rc=$?
set -e
check "bad rows refuse the whole file (exit 1), each named FILE:LINE: why" sh -c "[ $rc = 1 ] &&
  grep -q '^$FB:2: .*amount' '$T/fb.out' && grep -q '^$FB:3: .*date' '$T/fb.out' &&
  [ \$(grep -c '^$FB:' '$T/fb.out') = 2 ]"
set +e
"$W" flows import-csv --server "$URL" --key "$T/us.key" --map "$MAP" --skip-bad "$FB" >"$T/fs.out" 2>&1
rc=$?
set -e
check "--skip-bad stores the good row and exits 2" sh -c "[ $rc = 2 ] && grep -q 'imported 1 flows' '$T/fs.out'"
check "... 4 flows of the member in all" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/flows?member=us'))['flows']
assert len(o)==4, o"
printf 'Project,Paid on,EUR,Note\nUA-7,2025-03-03,1,\nUA-\xe9,2025-03-04,1,\n' >"$T/fl1.csv"
out=$("$W" flows import-csv --server "$URL" --key "$T/us.key" --map "$MAP" "$T/fl1.csv" 2>&1 || true)
check "a CSV of flows in Latin-1 is refused, naming its first bad line" grep -q "fl1.csv:3: not UTF-8" <<<"$out"
out=$("$W" flows import-csv --server "$URL" --key "$T/us.key" --map "date=Paid on,colour=Red" "$FL" 2>&1 || true)
check "a mapping of an unknown field is refused by name" grep -q "'colour' is not a flow field" <<<"$out"

# fsck replays the log: the reference rows it stores are those the entries give
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
check "fsck: the ledger with its reference data is sound" "$W" fsck --db "$(db_of ref)"
db_copy ref forged
db_sql forged "UPDATE refs SET amount='23417160' WHERE line=2 AND release='28'"
for k in log.key operator.key; do cp "$T/ref.db.$k" "$T/forged.db.$k"; done
out=$("$W" fsck --db "$(db_of forged)" 2>&1 || true)
check "fsck: a reference amount changed in the store is found (refs)" grep -q "refs" <<<"$out"

finish
