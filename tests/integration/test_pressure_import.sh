#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# willing pressure import-ofac (issue 12, point 2): OFAC's July 2021 SDN files imported by
# the operator through the log in one request (pressure.batch entries and a snapshot): the
# 8,976 subjects OFAC counts, screening finds a known name; a modified copy (one entry
# removed, one amended, one added) writes exactly those three and a snapshot counting them;
# the same files again are refused, already_imported, naming the snapshot, and so is the first
# file again (A, B, A); an older file after a newer one is refused, older_file; a member's key is
# refused; a CSV with a broken quote, a NUL byte, bytes that are not UTF-8, an ent_num twice,
# names the designation refuses (each named), every record refused, and a file over the ceiling
# are refused with the file's line or size; a snapshot whose base is not the list's latest is
# refused, stale_base, and of two imports at once one is stored, the list exactly its file;
# nothing is stored by any refusal; fsck replays it all.
source "$(dirname "$0")/lib.sh"

new_ledger pi
start_server pi
DB=$(db_of pi)
FIX=$SRC/tests/fixtures/ofac/2021-07
new_member gb member

q() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
state() { echo "$(q 'SELECT count(*) FROM entries') $(q 'SELECT count(*) FROM designations') $(q 'SELECT count(*) FROM pressure_snapshots')"; }
imp() { # DIR DATE [KEY]: the import, its output in $T/out and $T/err
  "$W" pressure import-ofac --server "$URL" --key "${3:-$OPKEY}" --date "$2" "$1" >"$T/out" 2>"$T/err"
}

check "--help says what import-ofac does" sh -c "'$W' pressure import-ofac --help | grep -q 'already_imported'"
check "no DIR: the usage, exit 2" sh -c "'$W' pressure import-ofac --server '$URL' --key '$OPKEY' 2>/dev/null; [ \$? = 2 ]"
check "a --date that is no day is refused" sh -c "! '$W' pressure import-ofac --server '$URL' --key '$OPKEY' --date 2021-02-30 '$FIX' 2>&1 | grep -q 'real day' && false || true"

before=$(state)
check "a member's key cannot import OFAC's list (403, nothing stored)" sh -c "! '$W' pressure import-ofac --server '$URL' --key '$T/gb.key' --date 2021-07-01 '$FIX' 2>'$T/err'"
check "... named forbidden" grep -q forbidden "$T/err"
check "... nothing stored" [ "$before" = "$(state)" ]

check "the July 2021 files are imported" imp "$FIX" 2021-07-01
check "... 8,976 subjects added, none amended or delisted" grep -q '8976 subjects, 8976 added, 0 amended, 0 delisted' "$T/out"
check "... 8,976 designations of ofac-sdn stored" [ "$(q "SELECT count(*) FROM designations WHERE source = 'ofac-sdn' AND delisted IS NULL")" = 8976 ]
check "... one snapshot, its counts and the file's hash" python3 -c "
import wldb, json, hashlib
db = wldb.connect('$DB'); rows = db.execute('SELECT list, file, date, body FROM pressure_snapshots').fetchall()
assert len(rows) == 1, rows
l, f, d, b = rows[0]; b = json.loads(b)
m = ''.join('%s  %s\n' % (hashlib.sha256(open('$FIX/' + n, 'rb').read()).hexdigest(), n)
            for n in ('sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'))
assert (l, d) == ('ofac-sdn', '2021-07-01') and f == hashlib.sha256(m.encode()).hexdigest(), rows
assert b['counts'] == {'subjects': 8976, 'added': 8976, 'amended': 0, 'delisted': 0}, b"
check "... in pressure.batch entries and the snapshot last" python3 -c "
import wldb; db = wldb.connect('$DB')
k = [r[0] for r in db.execute('SELECT kind FROM entries ORDER BY idx')]
i = k.index('pressure.batch'); assert set(k[i:-1]) == {'pressure.batch'} and k[-1] == 'pressure.snapshot', k[i:]"

check "screening finds Щербаков Кирилл Константинович as ent_num 31303" python3 -c "
import json, urllib.request, urllib.parse
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name=' + urllib.parse.quote('Щербаков Кирилл Константинович')))
c = o['candidates'][0]
assert (c['source'], c['subject']) == ('ofac-sdn', '31303') and c['score'] >= 0.95, c"

# the modified copy: 424 removed (and its address), 475's programmes amended, 99999 added
MOD=$T/mod
mkdir "$MOD"
python3 - "$FIX" "$MOD" <<'EOF'
import sys
src, dst = sys.argv[1], sys.argv[2]
for n in ('sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'):
    b = open(f'{src}/{n}', 'rb').read()
    lines = [l for l in b.split(b'\r\n') if not l.startswith(b'424,')]
    b = b'\r\n'.join(lines)
    if n == 'sdn.csv':
        b = b.replace(b'475,"CASA DE CUBA",-0- ,"CUBA"', b'475,"CASA DE CUBA",-0- ,"CUBA] [SDGT"')
        b = b.replace(b'\x1a', b'99999,"TESTOV, Test Testovich","individual","RUSSIA-EO14024",'
                      b'-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1970."\r\n\x1a')
    open(f'{dst}/{n}', 'wb').write(b)
EOF
n0=$(q 'SELECT count(*) FROM entries')
check "a modified copy is imported" imp "$MOD" 2021-08-01
check "... exactly one added, one amended, one delisted" grep -q '8976 subjects, 1 added, 1 amended, 1 delisted' "$T/out"
check "... in two entries: one pressure.batch of three designations and the snapshot" python3 -c "
import wldb, json, base64; db = wldb.connect('$DB')
rows = db.execute('SELECT kind FROM entries WHERE idx >= $n0 ORDER BY idx').fetchall()
assert [r[0] for r in rows] == ['pressure.batch', 'pressure.snapshot'], rows
b = json.loads(db.execute(\"SELECT body FROM pressure_snapshots ORDER BY idx DESC\").fetchone()[0])
assert b['counts'] == {'subjects': 8976, 'added': 1, 'amended': 1, 'delisted': 1} and b['date'] == '2021-08-01', b"
check "... 424 delisted on the file's date, its listing kept" python3 -c "
import wldb, json; db = wldb.connect('$DB')
d, body = db.execute(\"SELECT delisted, body FROM designations WHERE source='ofac-sdn' AND subject='424'\").fetchone()
b = json.loads(body); assert d == '2021-08-01' and b['listed'] == '2021-07-01' and b['delisted'] == d, b"
check "... 475 amended on the file's date, listed as first, its new programme" python3 -c "
import wldb, json; db = wldb.connect('$DB')
b = json.loads(db.execute(\"SELECT body FROM designations WHERE source='ofac-sdn' AND subject='475'\").fetchone()[0])
assert b['listed'] == '2021-07-01' and b['amended'] == '2021-08-01' and 'SDGT' in b['programmes'], b"
check "... 99999 listed on the file's date" python3 -c "
import wldb, json; db = wldb.connect('$DB')
b = json.loads(db.execute(\"SELECT body FROM designations WHERE source='ofac-sdn' AND subject='99999'\").fetchone()[0])
assert b['listed'] == '2021-08-01' and 'amended' not in b, b"
check "... the delisted one is screened no more, the added one is" python3 -c "
import json, urllib.request
s = lambda n: [c['subject'] for c in json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name=' + n))['candidates']]
assert '424' not in s('BOUTIQUE%20LA%20MAISON') and '99999' in s('Test%20Testovich%20Testov')"

before=$(state)
check "the same files again are refused" sh -c "! '$W' pressure import-ofac --server '$URL' --key '$OPKEY' --date 2021-08-01 '$MOD' >/dev/null 2>'$T/err'"
check "... already_imported, naming the snapshot's entry" sh -c "grep -q '409 already_imported' '$T/err' && grep -q 'snapshot is entry $(q 'SELECT max(idx) FROM pressure_snapshots')' '$T/err'"
check "... nothing stored" [ "$before" = "$(state)" ]

# an older file after a newer one (issue 12 review, 2): refused, older_file, nothing stored
OLD=$T/old
mkdir "$OLD"
cp "$MOD"/*.csv "$OLD/"
python3 - "$OLD/sdn.csv" <<'EOF2'
import sys
p = sys.argv[1]; b = open(p, 'rb').read()
open(p, 'wb').write(b.replace(b'475,"CASA DE CUBA",-0- ,"CUBA] [SDGT"', b'475,"CASA DE CUBA",-0- ,"CUBA"'))
EOF2
check "an older file after a newer one is refused" sh -c "! '$W' pressure import-ofac --server '$URL' --key '$OPKEY' --date 2021-07-15 '$OLD' >/dev/null 2>'$T/err'"
check "... 409 older_file, naming the latest snapshot's date" sh -c "grep -q '409 older_file' '$T/err' && grep -q 'not after 2021-08-01' '$T/err'"
check "... nothing stored" [ "$before" = "$(state)" ]
check "a file of the latest snapshot's own date is refused too" sh -c "! '$W' pressure import-ofac --server '$URL' --key '$OPKEY' --date 2021-08-01 '$OLD' >/dev/null 2>'$T/err' && grep -q '409 older_file' '$T/err'"
check "the first file again, dated later (A, B, A), is refused" sh -c "! '$W' pressure import-ofac --server '$URL' --key '$OPKEY' --date 2021-09-01 '$FIX' >/dev/null 2>'$T/err'"
check "... already_imported, naming its first snapshot" sh -c "grep -q '409 already_imported' '$T/err' && grep -q 'snapshot is entry $(q 'SELECT min(idx) FROM pressure_snapshots')' '$T/err'"
check "... nothing stored" [ "$before" = "$(state)" ]

# OFAC's files whose records are refused (review, 5, 6, 7, 10, 15): every one printed as
# FILE:LINE: why, then nothing sent, nothing stored
refused_dir() { # NAME SDN_BYTES [ALT_BYTES]: DIR $T/NAME imported, refused: exit 1, $T/err
  mkdir -p "$T/$1"
  printf '%b' "$2" >"$T/$1/sdn.csv"
  if [ -n "${3:-}" ]; then printf '%b' "$3" >"$T/$1/alt.csv"; fi
  "$W" pressure import-ofac --server "$URL" --key "$OPKEY" --date 2021-09-01 "$T/$1" >/dev/null 2>"$T/err"
  [ $? = 1 ] && grep -q 'nothing sent' "$T/err" && ! grep -q 'runtime error\|Sanitizer' "$T/err"
}
NUL0='-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
check "a NUL byte in a name is refused" refused_dir nul "1,\"IVANOV\\0000HIDDEN, Ivan\",individual,RUSSIA,$NUL0\r\n"
check "... naming the file, line and NUL byte, not cut short" grep -q "^$T/nul/sdn.csv:1: a NUL byte in field 2 (SDN_Name)" "$T/err"
check "... nothing stored" [ "$before" = "$(state)" ]
check "remarks that are not UTF-8 are refused" refused_dir utf "1,\"IVANOV, Ivan\",individual,RUSSIA,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"POB Mosc\\0377ow\"\r\n"
check "... naming the bytes, file and line, not out of memory" sh -c "grep -q '^$T/utf/sdn.csv:1: field 12 (Remarks) is not UTF-8: the bytes ff 6f 77' '$T/err' && ! grep -q memory '$T/err'"
N600=$(head -c 600 /dev/zero | tr '\0' N)
check "three records whose names are too long are refused" refused_dir long "1,\"$N600\",individual,RUSSIA,$NUL0\r\n2,\"GOOD, Ivan\",individual,RUSSIA,$NUL0\r\n3,\"$N600\",individual,RUSSIA,$NUL0\r\n4,\"$N600\",individual,RUSSIA,$NUL0\r\n"
check "... every one named with its line and why" sh -c "grep -q '^$T/long/sdn.csv:1: ent_num 1: .*512 bytes' '$T/err' && grep -q '^$T/long/sdn.csv:3: ent_num 3: ' '$T/err' && grep -q '^$T/long/sdn.csv:4: ent_num 4: ' '$T/err' && grep -q 'ofac_rejected: 3 records refused' '$T/err' && [ \$(grep -c 'sdn.csv:' '$T/err') = 3 ]"
check "an ent_num twice is refused" refused_dir twice "7,\"A, B\",individual,-0- ,$NUL0\r\n8,\"C, D\",individual,-0- ,$NUL0\r\n7,\"E, F\",individual,-0- ,$NUL0\r\n"
check "... sdn.csv:3, naming the first's line" grep -q "^$T/twice/sdn.csv:3: ent_num 7 twice, first at line 1" "$T/err"
check "a file whose every record is refused is refused whole (no undefined behaviour)" refused_dir none "1,\"IVANOV, Ivan\",individual,RUSSIA,-0- ,-0- ,-0- \r\n" "1,1,\"aka\",\"X\",-0- \r\n"
check "... both records named" sh -c "grep -q '^$T/none/sdn.csv:1: 12 fields expected, 7 found' '$T/err' && grep -q '^$T/none/alt.csv:1: ent_num 1 is no entry' '$T/err'"
check "... nothing stored" [ "$before" = "$(state)" ]

BAD=$T/bad
mkdir "$BAD"
cp "$MOD"/*.csv "$BAD/"
python3 - "$BAD/sdn.csv" <<'EOF'
import sys
p = sys.argv[1]; b = open(p, 'rb').read()
open(p, 'wb').write(b.replace(b'475,"CASA DE CUBA"', b'475,"CASA DE CUBA', 1))
EOF
check "a CSV with a broken quote is refused" sh -c "! '$W' pressure import-ofac --server '$URL' --key '$OPKEY' --date 2021-09-01 '$BAD' >/dev/null 2>'$T/err'"
check "... naming the file and line, nothing sent" sh -c "grep -q '^$BAD/sdn.csv:4: ' '$T/err' && grep -q 'nothing sent' '$T/err'"
check "... nothing stored" [ "$before" = "$(state)" ]
cp "$MOD/sdn.csv" "$BAD/sdn.csv"
truncate -s $((64 * 1024 * 1024 + 1)) "$BAD/alt.csv"
check "a file over 64 MiB is refused" sh -c "! '$W' pressure import-ofac --server '$URL' --key '$OPKEY' --date 2021-09-01 '$BAD' >/dev/null 2>'$T/err'"
check "... file_too_large before it is read" grep -q 'alt.csv: file_too_large' "$T/err"
check "... nothing stored" [ "$before" = "$(state)" ]

# pressure.batch posted alone: each designation checked as a single one, the whole entry refused
cp "$OPKEY" "$T/operator.key"
H=$(printf 'f' | sha256sum | cut -d' ' -f1)
pb() { # LIST DESIGNATION...: a pressure.batch body of the list's file $H
  local l=$1; shift
  printf '{"list":"%s","file":"%s","part":1,"parts":1,"designations":[%s]}' "$l" "$H" "$(IFS=,; echo "$*")"
}
dz() { # LIST SUBJECT NAME: a designation of LIST's file $H
  printf '{"subject":"%s","type":"person","names":[{"name":"%s","script":"Latn"}],"listed":"2021-09-01","source":{"list":"%s","file":"%s"}}' "$2" "$3" "$1" "$H"
}
LONG=$(head -c 10000 /dev/zero | tr '\0' a)
refused_entry operator pressure.batch "$(pb ofac-sdn "$(dz ofac-sdn t1 'TESTOV, Ivan')" "$(dz un-sc t2 'TESTOV, Oleg')")" \
  400 invalid_body "designations[1]: 'source' must be the batch's list" "a batch holding another list's designation"
refused_entry operator pressure.batch "$(pb ofac-sdn "$(dz ofac-sdn t1 'TESTOV, Ivan')" "$(dz ofac-sdn t2 "$LONG")")" \
  413 name_too_long "designations[1]" "a batch holding a name of 10,000 characters"
refused_entry gb pressure.batch "$(pb ofac-sdn "$(dz ofac-sdn t1 'TESTOV, Ivan')")" \
  403 forbidden "imported by the operator" "a member's batch of another authority's list"

check "a --dry-run sends nothing and counts the same" sh -c "'$W' pressure import-ofac --server '$URL' --dry-run --date 2021-09-01 '$FIX' | grep -q '8976 subjects, 1 added, 1 amended, 1 delisted'"
check "... nothing stored" [ "$before" = "$(state)" ]

# the snapshot names the snapshot its import was compared against (review, 1): another base
# than the list's latest is refused, stale_base, and the request with it
LAST=$(q 'SELECT max(idx) FROM pressure_snapshots')
FIRST=$(q 'SELECT min(idx) FROM pressure_snapshots')
H2=$(printf 'stale' | sha256sum | cut -d' ' -f1)
snap() { printf '{"list":"ofac-sdn","file":"%s","date":"2022-01-01",%s"counts":{"subjects":0,"added":0,"amended":0,"delisted":0}}' "$H2" "$1"; }
check "the subjects of a list give its latest snapshot, an import's base" python3 -c "
import json, urllib.request
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/subjects?source=ofac-sdn&limit=1'))
assert o['snapshot']['entry'] == $LAST and o['snapshot']['date'] == '2021-08-01', o['snapshot']
assert json.load(urllib.request.urlopen('$URL/api/v1/pressure/subjects?source=un-sc'))['snapshot'] is None"
refused_entry operator pressure.snapshot "$(snap "\"base\":$FIRST,")" 409 stale_base \
  "latest snapshot is now entry $LAST" "a snapshot compared against an older snapshot than the list's latest"
refused_entry operator pressure.snapshot "$(snap '"base":null,')" 409 stale_base \
  "run the import again" "a snapshot claiming the list's first import"
refused_entry operator pressure.snapshot "$(snap '')" 400 invalid_body "'base'" "a snapshot without base"

# two imports at once (review, 1): the first stored, the other refused (its base stale, or its
# date no later than the first's), never both; the list is then exactly the winner's file
R1=$T/race1 R2=$T/race2
mkdir "$R1" "$R2"
python3 - "$MOD" "$R1" "$R2" <<'EOF2'
import sys
src, r1, r2 = sys.argv[1:]
for n in ('sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'):
    b = open(f'{src}/{n}', 'rb').read()
    one = b'\r\n'.join(l for l in b.split(b'\r\n') if not l.startswith(b'99999,'))
    two = b
    if n == 'sdn.csv':
        two = b.replace(b'\x1a', b'99998,"RACEV, Ivan","individual","RUSSIA-EO14024",'
                        b'-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a')
    open(f'{r1}/{n}', 'wb').write(one)
    open(f'{r2}/{n}', 'wb').write(two)
EOF2
"$W" pressure import-ofac --server "$URL" --key "$OPKEY" --date 2022-02-01 "$R1" >"$T/out1" 2>"$T/err1" &
p1=$!
"$W" pressure import-ofac --server "$URL" --key "$OPKEY" --date 2022-02-01 "$R2" >"$T/out2" 2>"$T/err2" &
p2=$!
rc1=0 rc2=0
wait "$p1" || rc1=$?
wait "$p2" || rc2=$?
if [ "$rc1" = 0 ]; then won=8975 lost=$T/err2; else won=8977 lost=$T/err1; fi
check "two imports at once: exactly one stored ($rc1, $rc2)" [ "$((rc1 == 0 ? 1 : 0))$((rc2 == 0 ? 1 : 0))" = 10 -o "$((rc1 == 0 ? 1 : 0))$((rc2 == 0 ? 1 : 0))" = 01 ]
check "... the other refused, 409 stale_base or older_file ($(grep -o "409 [a-z_]*" "$lost" | head -1))" grep -q '409 \(stale_base\|older_file\)' "$lost"
check "... the list's listed designations are the winner's file's ($won)" \
  [ "$(q "SELECT count(*) FROM designations WHERE source = 'ofac-sdn' AND delisted IS NULL")" = "$won" ]

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
check "fsck replays the imports into the same designations and snapshots" "$W" fsck --db "$DB"
finish
