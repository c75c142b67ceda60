#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# willing pressure import-un, import-eu, import-uk (issue 12, point 2): the UN Security
# Council's consolidated list of 2026-02-27 imported by the operator through the daemon
# (1,003 subjects of un-sc and a snapshot of the file's date), then a name of it screened;
# the same file again already_imported; the EU excerpt with its synthetic record refused
# naming its line, an XXE file and a billion-laughs file refused unread, nothing stored by
# any; the UK excerpt without its synthetic record imported and its ship found by IMO
# number; fsck after.
source "$(dirname "$0")/lib.sh"

new_ledger px
start_server px
DB=$(db_of px)
FIX=$SRC/tests/fixtures/sanctions

q() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
state() { echo "$(q 'SELECT count(*) FROM entries') $(q 'SELECT count(*) FROM designations') $(q 'SELECT count(*) FROM pressure_snapshots')"; }
imp() { # FORMAT FILE: the import, its output in $T/out and $T/err
  "$W" pressure "import-$1" --server "$URL" --key "$OPKEY" "$2" >"$T/out" 2>"$T/err"
}

check "--help says what import-un does" sh -c "'$W' pressure import-un --help | grep -q 'un-sc'"
check "the UN list is imported" imp un "$FIX/un/un-consolidated-2026-02-27.xml"
check "... 1,003 subjects added" grep -q '1003 subjects, 1003 added, 0 amended, 0 delisted' "$T/out"
check "... 730 persons and 273 entities of un-sc stored" python3 -c "
import wldb; db = wldb.connect('$DB')
r = dict(db.execute(\"SELECT type, count(*) FROM designations WHERE source = 'un-sc' GROUP BY type\").fetchall())
assert r == {'person': 730, 'entity': 273}, r"
check "... its snapshot of the file's own date and hash" python3 -c "
import wldb, hashlib
db = wldb.connect('$DB'); rows = db.execute('SELECT list, file, date FROM pressure_snapshots').fetchall()
h = hashlib.sha256(open('$FIX/un/un-consolidated-2026-02-27.xml', 'rb').read()).hexdigest()
assert rows == [('un-sc', h, '2026-02-27')], rows"
check "screening 'Umarov, Doku Khamatovich' finds the UN's QDi.290 through its Cyrillic name" python3 -c "
import json, urllib.request, urllib.parse
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name=' + urllib.parse.quote('Umarov, Doku Khamatovich')))
c = o['candidates'][0]
assert (c['source'], c['subject']) == ('un-sc', 'qdi.290') and c['score'] >= 0.95, c"

before=$(state)
check "the same file again is refused" sh -c "! '$W' pressure import-un --server '$URL' --key '$OPKEY' '$FIX/un/un-consolidated-2026-02-27.xml' 2>'$T/err'"
check "... already_imported" grep -q already_imported "$T/err"
check "the EU excerpt is refused: its synthetic record has no name" sh -c "! '$W' pressure import-eu --server '$URL' --key '$OPKEY' '$FIX/eu/eu-fsf-1_1-excerpt-2026-08-05.xml' 2>'$T/err'"
check "... named with its line" grep -q 'eu-fsf-1_1-excerpt-2026-08-05.xml:181: sanctionEntity logicalId 999999: no name' "$T/err"
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>\n' >"$T/xxe.xml"
check "an external entity is refused unread" sh -c "! '$W' pressure import-un --server '$URL' --key '$OPKEY' '$T/xxe.xml' 2>'$T/err' && grep -q 'an external entity' '$T/err'"
{
  printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
  prev=lol
  for i in 1 2 3 4 5 6 7 8 9; do printf '<!ENTITY lol%s "%s">' $i "$(printf "&$prev;%.0s" 1 2 3 4 5 6 7 8 9 10)"; prev=lol$i; done
  printf ']>\n<Designations>&lol9;</Designations>\n'
} >"$T/lol.xml"
check "a billion laughs is refused unread" sh -c "! '$W' pressure import-uk --server '$URL' --key '$OPKEY' '$T/lol.xml' 2>'$T/err' && grep -q 'entity expansion' '$T/err'"
# the reviewer's file: the DOCTYPE and its entity in EBCDIC, which libxml2 decodes itself
python3 -c "open('$T/eb.xml','wb').write(('<?xml version=\"1.0\" encoding=\"IBM037\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><CONSOLIDATED_LIST dateGenerated=\"2026-03-01T00:00:00Z\"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&x;</FIRST_NAME><SECOND_NAME>TEST</SECOND_NAME><UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER><LISTED_ON>2012-12-31</LISTED_ON></INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>').encode('cp037'))"
check "a file in EBCDIC (encoding=\"IBM037\") is refused unread" sh -c "! '$W' pressure import-un --server '$URL' --key '$OPKEY' '$T/eb.xml' 2>'$T/err' && grep -q 'not UTF-8 or US-ASCII' '$T/err'"
sed 's/encoding="utf-8"/encoding="ISO-8859-1"/' "$FIX/uk/uk-sanctions-list-excerpt-2026-08-14.xml" >"$T/latin1.xml"
check "a file declaring ISO-8859-1 is refused unread, naming it" sh -c "! '$W' pressure import-uk --server '$URL' --key '$OPKEY' '$T/latin1.xml' 2>'$T/err' && grep -q 'declared encoding=\"ISO-8859-1\"' '$T/err'"
check "... nothing stored by any of them" [ "$before" = "$(state)" ]

python3 - "$FIX/uk/uk-sanctions-list-excerpt-2026-08-14.xml" "$T/uk.xml" <<'PY'
import sys
x = open(sys.argv[1], encoding='utf-8').read()
a = x.index('  <!-- Synthetic edge case')
open(sys.argv[2], 'w', encoding='utf-8').write(x[:a] + '</Designations>\n')
PY
check "the UK excerpt without its synthetic record is imported" imp uk "$T/uk.xml"
check "... 4 subjects added" grep -q '4 subjects, 4 added' "$T/out"
check "... its ship found by its IMO number" python3 -c "
import json, urllib.request
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?id=9562233'))
c = o['candidates'][0]
assert (c['source'], c['subject']) == ('uk-fcdo', 'dpr0075'), c"
check "fsck replays the imports" "$W" fsck --db "$DB"
finish
