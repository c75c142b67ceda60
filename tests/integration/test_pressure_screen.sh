#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Screening (issue 12, point 5) as an analyst asks for it: by identifiers
# alone (id=, repeated) and with a name; a CSV of names POSTed, each row's
# candidates with its line, a bad row named with its line and why while the
# others are screened, the answer as JSON and as CSV, a quote out of place
# refusing the file, a body over the ceiling 413 with the server still
# serving, an answer over its ceiling (WL_SCREEN_OUT_MAX) 413 as it grows; a
# name of 10,000 characters 413 as in a designation; bidirectional controls and
# invisible characters refused in names, the zero-width non-joiner kept; a
# parameter given twice or format=csv on GET 400; scores to the hundredth; the
# country "same"; a candidate by identifier alone named; the counterparties of
# a facility's contracts screened in one step (a designated contractor found);
# the CLI's willing pressure screen and counterparties.
source "$(dirname "$0")/lib.sh"

new_ledger ps
start_server ps
cp "$OPKEY" "$T/operator.key"
new_member gb member

post_as() { "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" >/dev/null; }
H=$(printf 'list' | sha256sum | cut -d' ' -f1)
desig() { # LIST SUBJECT TYPE NAME [EXTRA]
  printf '{"subject":"%s","type":"%s","names":[{"name":"%s","script":"Latn"}]%s,"listed":"2022-03-15","source":{"list":"%s","file":"%s"}}' \
    "$2" "$3" "$4" "${5:-}" "$1" "$H"
}
check "the operator designates a vessel with its IMO number" \
  post_as operator pressure.designation "$(desig ofac-sdn 9001 vessel 'SUN SHIP' ',"ids":[{"type":"IMO","value":"IMO 9610781"}]')"
check "... a person with a passport" \
  post_as operator pressure.designation "$(desig ofac-sdn 9002 person 'PETROV, Ivan' ',"ids":[{"type":"Passport","value":"C3442198"}],"dob":[{"date":"1970-02-03"}]')"
check "... and a company (a contractor, as it will be)" \
  post_as operator pressure.designation "$(desig ofac-sdn 9003 entity 'ROSTEC SUPPLY LLC' ',"countries":["Russia"]')"
SIZE=$(python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute("SELECT count(*) FROM entries").fetchone()[0])' "$(db_of ps)")

# ---- identifiers ----
check "an IMO number alone (no name) finds the vessel, outright" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?id=IMO9610781'))
c=o['candidates']
assert [x['subject'] for x in c] == ['9001'], c
assert c[0]['score'] == 1.0 and c[0]['identifier'] == {'type':'IMO','value':'IMO 9610781'}, c
assert c[0]['name'] == 'SUN SHIP' and c[0]['match'] == 'none' and c[0]['key'] is None, c
assert o['data_version'] == $SIZE, o"
check "the subjects' list says its data_version too" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/subjects'))
assert o['data_version'] == $SIZE and len(o['subjects']) == 3, o"
check "... as TYPE:VALUE, the value compared, with a name that differs" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name=Someone+Else&id=passport:c3442198&id=IMO+0000000'))
c=o['candidates']
assert [x['subject'] for x in c] == ['9002'] and c[0]['score'] == 1.0, c
assert 'identifier' in c[0]['why'], c"
check "... with a name, each found: the name's candidate and the identifier's" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name=Ivan+Petrov&id=IMO9610781'))
assert sorted(x['subject'] for x in o['candidates']) == ['9001','9002'], o"
check "seventeen identifiers: 400 too_many_ids" sh -c "
  [ \"\$(curl -s -o '$T/ids' -w '%{http_code}' '$URL/api/v1/pressure/screen?$(for i in $(seq 17); do printf 'id=%s&' "$i"; done)')\" = 400 ] &&
  grep -q too_many_ids '$T/ids'"
check "an identifier of an empty type: 400 bad_id" sh -c "
  [ \"\$(curl -s -o '$T/ids' -w '%{http_code}' '$URL/api/v1/pressure/screen?id=:123')\" = 400 ] && grep -q bad_id '$T/ids'"
LONG=$(python3 -c "print('a' * 10000)")
check "a name of 10,000 characters: 413 name_too_long, as in a designation" sh -c "
  [ \"\$(curl -s -o '$T/long' -w '%{http_code}' '$URL/api/v1/pressure/screen?name=$LONG')\" = 413 ] &&
  grep -q name_too_long '$T/long' && grep -q 512 '$T/long'"
check "a name given twice: 400 naming it" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$URL/api/v1/pressure/screen?name=Ivan+Petrov&name=Sun+Ship')\" = 400 ] &&
  grep -q 'name: given twice' '$T/b'"
check "... a limit given twice to the CSV's POST: 400" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' -H 'Content-Type: text/csv' --data-binary 'name
Ivan' '$URL/api/v1/pressure/screen?limit=5&limit=100')\" = 400 ] && grep -q 'limit: given twice' '$T/b'"
check "format=csv on GET: 400 naming format, not JSON silently" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$URL/api/v1/pressure/screen?name=Ivan+Petrov&format=csv')\" = 400 ] &&
  grep -q 'format: GET' '$T/b' &&
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/pressure/screen?name=Ivan+Petrov&format=json')\" = 200 ]"
check "a name with a right-to-left override or a zero-width space: 400 name_invalid naming it" python3 -c "
import json, urllib.request, urllib.parse, urllib.error
for ch, cp in (('\u202e', 'U+202E'), ('\u200b', 'U+200B'), ('\ufeff', 'U+FEFF'), ('\u2067', 'U+2067')):
    try:
        urllib.request.urlopen('$URL/api/v1/pressure/screen?name=' + urllib.parse.quote('Ivan' + ch + 'Petrov'))
        raise SystemExit('accepted ' + cp)
    except urllib.error.HTTPError as e:
        o = json.load(e)
        assert e.code == 400 and o['error'] == 'name_invalid' and cp in o['message'], (cp, e.code, o)"
check "the score to the hundredth, written short (0.6, not 0.59999999999999998)" python3 -c "
import json, re, urllib.request
t=urllib.request.urlopen('$URL/api/v1/pressure/screen?name=Petrov').read().decode()
o=json.loads(t)
assert o['candidates'] and o['candidates'][0]['score'] == 0.6, o
s=re.findall(r'\"(?:name_)?score\":([0-9.eE+-]+)', t)
assert s and all(len(x.split('.')[-1]) <= 2 for x in s), s"
check "the country that agrees: \"same\"" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name=Rostec+Supply&country=Russia'))
assert o['candidates'][0]['country'] == 'same' and 'country the same' in o['candidates'][0]['why'], o"

# ---- a CSV of names ----
{
  printf 'ref,name,dob,country,id\r\n'
  printf 'c-1,"Petrov, Ivan",1970-02,,\r\n'
  printf 'c-2,Nobody Known,,,\r\n'
  printf 'c-3,,,,IMO 9610781\r\n'
  printf 'c-4,Ivan Petrov,02/03/1970,,\r\n'
  printf 'c-5,%s,,,\r\n' "$LONG"
  printf 'c-6,Rostec Supply,,Russia,\r\n'
  printf 'c-7,Ivan,,\r\n'
} >"$T/names.csv"
check "a CSV of seven names: 200" [ "$(status POST /api/v1/pressure/screen -H 'Content-Type: text/csv' --data-binary @"$T/names.csv")" = 200 ]
check "... each row by its line: candidates, or the bad rows named with why" python3 -c "
import json; o=json.load(open('$T/body')); r={x['line']: x for x in o['results']}
assert o['rows'] == 7 and o['refused'] == 3 and o['data_version'] == $SIZE, o
assert sorted(r) == [2,3,4,5,6,7,8], r
assert r[2]['ref'] == 'c-1' and r[2]['candidates'][0]['subject'] == '9002', r[2]
assert r[2]['candidates'][0]['dob'] == 'month', r[2]
assert r[3]['candidates'] == [], r[3]
assert r[4]['candidates'][0]['subject'] == '9001', r[4]
assert r[5]['error'] == 'bad_dob' and '02/03/1970' in r[5]['message'] and 'candidates' not in r[5], r[5]
assert r[6]['error'] == 'name_too_long' and '512' in r[6]['message'] and r[6]['name'] is None, r[6]
assert r[7]['candidates'][0]['subject'] == '9003' and r[7]['candidates'][0]['country'] == 'same', r[7]
assert r[8]['error'] == 'bad_row' and r[8]['message'] == 'the row has 4 fields where the header has 5 columns', r[8]"
check "... as CSV with Accept: text/csv: a line per candidate, the refused rows with why" python3 -c "
import csv, io, subprocess
t=subprocess.run(['curl','-s','-H','Content-Type: text/csv','-H','Accept: text/csv','--data-binary','@$T/names.csv','$URL/api/v1/pressure/screen'],capture_output=True,text=True).stdout
rows=list(csv.DictReader(io.StringIO(t)))
by={}
for x in rows: by.setdefault(x['line'], []).append(x)
assert by['2'][0]['subject'] == '9002' and by['2'][0]['rank'] == '1' and by['2'][0]['ref'] == 'c-1', by['2']
assert by['3'][0]['subject'] == '' and by['3'][0]['error'] == '', by['3']
assert by['5'][0]['error'] == 'bad_dob', by['5']
assert by['7'][0]['subject'] == '9003' and by['7'][0]['country'] == 'same', by['7']
assert all(x['data_version'] == '$SIZE' for x in rows), rows[0]"
check "... and with format=csv" sh -c "curl -s -H 'Content-Type: text/csv' --data-binary @'$T/names.csv' '$URL/api/v1/pressure/screen?format=csv' | head -1 | grep -q '^line,ref,name,error'"
printf 'name,country\r\n"Petrov, Ivan,RU\r\nSomeone,GB\r\n' >"$T/broken.csv"
check "a CSV with a quote never closed: 400 bad_csv naming its line" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' -H 'Content-Type: text/csv' --data-binary @'$T/broken.csv' '$URL/api/v1/pressure/screen')\" = 400 ] &&
  grep -q 'bad_csv' '$T/b' && grep -q 'line 2' '$T/b'"
printf 'name,passport\r\nIvan\r\n' >"$T/cols.csv"
check "a column of another name: 400 naming it" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' -H 'Content-Type: text/csv' --data-binary @'$T/cols.csv' '$URL/api/v1/pressure/screen')\" = 400 ] &&
  grep -q passport '$T/b'"
check "a body as JSON: 415" [ "$(status POST /api/v1/pressure/screen -H 'Content-Type: application/json' -d '{}')" = 415 ]
python3 -c "
import sys
with open('$T/big.csv','w') as f:
    f.write('name\n')
    while f.tell() < (8 << 20) + 100: f.write('Ivan Petrovich Sidorov the Elder of Somewhere Far\n')"
check "a CSV over the 8 MiB ceiling: 413 naming it" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' -H 'Content-Type: text/csv' --data-binary @'$T/big.csv' '$URL/api/v1/pressure/screen')\" = 413 ] &&
  grep -q 8388608 '$T/b'"
check "... and the server still serves" [ "$(status GET '/api/v1/pressure/screen?id=IMO9610781')" = 200 ]

# ---- the counterparties under a facility ----
inst() { # ID LEVEL PARENT [EXTRA OPTIONS...]: gb sets an instrument (PARENT "" for none)
  local id=$1 level=$2 parent=$3 amount=100
  shift 3
  [ "$level" = facility ] && amount=$([ -n "$parent" ] && echo 1000 || echo 10000)
  "$W" instrument add --server "$URL" --key "$T/gb.key" --id "$id" --name "$id" \
    --type export_credit --level "$level" --provider gb --amount "$amount" --currency GBP \
    ${parent:+--parent "$parent"} "$@" >/dev/null
}
instruments() {
  inst fac facility "" && inst sub facility fac &&
    inst c-rostec contract sub --counterparty 'Rostec Supply LLC' --counterparty-country Russia &&
    inst c-thales contract fac --counterparty 'Thales UK' --counterparty-country GB \
      --counterparty-id 'company:00868273' &&
    inst c-none contract fac && inst other facility ""
}
check "a facility, a facility under it, and contracts naming their counterparties" instruments
check "the counterparties of the facility: 200" [ "$(status GET '/api/v1/pressure/screen/counterparties?facility=fac')" = 200 ]
check "... every contract under it however deep, the designated contractor found, the others not" python3 -c "
import json; o=json.load(open('$T/body')); c={x['instrument']: x for x in o['contracts']}
assert o['instrument'] == 'fac' and o['data_version'] > 0, o
assert set(c) == {'c-rostec', 'c-thales', 'c-none'}, c
assert [x['subject'] for x in c['c-rostec']['candidates']] == ['9003'], c['c-rostec']
assert c['c-rostec']['counterparty']['name'] == 'Rostec Supply LLC' and c['c-rostec']['parent'] == 'sub', c
assert c['c-thales']['candidates'] == [] and c['c-thales']['counterparty']['ids'] == [{'type':'company','value':'00868273'}], c
assert c['c-none']['counterparty'] is None and 'candidates' not in c['c-none'], c
assert 'drawn' not in json.dumps(o) and 'flows' not in c['c-rostec'], o"
check "... the tree of instruments shows the counterparty" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/flows/instruments/c-thales'))
assert o['instrument']['counterparty']['name'] == 'Thales UK', o"
check "an unknown facility: 404 unknown_instrument" [ "$(status GET '/api/v1/pressure/screen/counterparties?facility=nosuch')" = 404 ]
check "no facility: 400" [ "$(status GET '/api/v1/pressure/screen/counterparties')" = 400 ]
check "a counterparty on a facility: refused, naming it" sh -c "
  ! '$W' instrument add --server '$URL' --key '$T/gb.key' --id fac2 --name f --type export_credit \
    --level facility --provider gb --amount 1 --currency GBP --counterparty X 2>'$T/e' && grep -q 'counterparty' '$T/e'"
check "a counterparty of 10,000 characters: refused name_too_long" sh -c "
  ! '$W' instrument add --server '$URL' --key '$T/gb.key' --id c-long --name f --type export_credit \
    --level contract --provider gb --amount 1 --currency GBP --parent other --counterparty '$LONG' 2>'$T/e' &&
  grep -q 'name_too_long\|512' '$T/e'"

# ---- the CLI ----
check "willing pressure screen NAME --dob: the candidate with its score and why" sh -c "
  '$W' pressure screen 'Ivan Petrov' --dob 1970-02-03 --server '$URL' >'$T/o' &&
  grep -q '^data_version [0-9]' '$T/o' && grep -q 'ofac-sdn:9002' '$T/o' && grep -q 'agrees to the day' '$T/o'"
check "... --id alone: the vessel by its name, not '-'" sh -c "
  '$W' pressure screen --id 'IMO 9610781' --server '$URL' >'$T/o' && grep -q 'ofac-sdn:9001  vessel  SUN SHIP' '$T/o'"
check "... --id alone: the vessel; --json: the server's answer" sh -c "
  '$W' pressure screen --id IMO9610781 --server '$URL' --json >'$T/o' &&
  python3 -c \"import json; o=json.load(open('$T/o')); assert o['candidates'][0]['subject'] == '9001'\""
check "... neither a name nor an id: one line saying so, exit 2" sh -c "
  '$W' pressure screen --server '$URL' 2>'$T/e'; [ \$? = 2 ] && grep -qx 'willing pressure screen: a NAME, --id \[TYPE:\]VALUE or --csv FILE is needed' '$T/e'"
check "... a name without --server: one line saying so, exit 2" sh -c "
  '$W' pressure screen 'Ivan Petrov' 2>'$T/e'; [ \$? = 2 ] && [ \$(wc -l <'$T/e') = 1 ] && grep -q -- '--server URL is needed' '$T/e'"
check "... two names: one line saying to quote one or use --csv, exit 2" sh -c "
  '$W' pressure screen Ivan Petrov --server '$URL' 2>'$T/e'; [ \$? = 2 ] && [ \$(wc -l <'$T/e') = 1 ] && grep -q 'one NAME at a time' '$T/e'"
check "... --dob not a date: one line naming it, before any request, exit 2" sh -c "
  '$W' pressure screen 'Ivan Petrov' --dob 03/02/1970 --server http://127.0.0.1:1 2>'$T/e'; [ \$? = 2 ] && [ \$(wc -l <'$T/e') = 1 ] && grep -q \"dob '03/02/1970' is not a date of birth: YYYY, YYYY-MM or YYYY-MM-DD\" '$T/e'"
check "willing --help names every pressure subcommand" sh -c "
  for s in \$('$W' pressure --help | sed -n 's/^.*willing pressure \([a-z-]*\) .*/\\1/p'); do '$W' --help | grep -q -- \"\$s\" || { echo \"missing \$s\"; exit 1; }; done"
check "... a name of 10,000 characters: exit 1, the server's reason" sh -c "
  ! '$W' pressure screen '$LONG' --server '$URL' 2>'$T/e' && grep -q '512' '$T/e'"
check "willing pressure screen --csv FILE: the good rows' candidates, the bad rows FILE:LINE on stderr, exit 3" sh -c "
  '$W' pressure screen --csv '$T/names.csv' --server '$URL' >'$T/o' 2>'$T/e'; [ \$? = 3 ] &&
  grep -q 'ofac-sdn:9003' '$T/o' && grep -q 'names.csv:5: bad_dob' '$T/e' && grep -q 'names.csv:6: name_too_long' '$T/e'"
check "... --format csv: the server's CSV" sh -c "
  '$W' pressure screen --csv '$T/names.csv' --format csv --server '$URL' >'$T/o' 2>/dev/null; [ \$? = 3 ] &&
  head -1 '$T/o' | grep -q '^line,ref,name'"
check "... a broken file: exit 1 naming its line" sh -c "
  ! '$W' pressure screen --csv '$T/broken.csv' --server '$URL' 2>'$T/e' && grep -q 'line 2' '$T/e'"
check "willing pressure counterparties FACILITY: each contract, the designated contractor found" sh -c "
  '$W' pressure counterparties fac --server '$URL' >'$T/o' && grep -q 'c-rostec' '$T/o' &&
  grep -q 'ofac-sdn:9003' '$T/o' && grep -q 'c-none.*(none named)' '$T/o'"
check "... an unknown facility: exit 1, unknown_instrument" sh -c "
  ! '$W' pressure counterparties nosuch --server '$URL' 2>'$T/e' && grep -q 'nosuch' '$T/e'"
check "... --help says what it does" sh -c "'$W' pressure counterparties --help | grep -q 'counterparty of every contract'"

# ---- names that draw unlike their letters; a name of compatibility characters ----
state() { python3 -c 'import wldb,sys; c=wldb.connect(sys.argv[1]); print(c.execute("SELECT count(*) FROM entries").fetchone()[0], c.execute("SELECT count(*) FROM designations").fetchone()[0])' "$(db_of ps)"; }
refused_entry operator pressure.designation "$(desig ofac-sdn 9100 person "$(printf 'VONAVI\xe2\x80\xae, Ivan')")" 400 name_invalid \
  "U+202E" "a designation whose name holds a right-to-left override"
refused_entry operator pressure.designation "$(desig ofac-sdn 9101 person "$(printf 'IVANOV\xe2\x80\x8b, Ivan')")" 400 name_invalid \
  "U+200B" "... a zero-width space"
refused_entry operator pressure.designation "$(desig ofac-sdn 9102 person "$(printf 'IVANOV\xe2\x81\xa6, Ivan')")" 400 name_invalid \
  "U+2066" "... a left-to-right isolate"
check "a zero-width non-joiner (Persian spelling) is kept in a designation" \
  post_as operator pressure.designation "$(desig ofac-sdn 9103 person "$(printf 'TEHRANI, Ali\xe2\x80\x8cReza')")"
check "... and dropped from its key: 'AliReza Tehrani' meets it exactly, as written" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name=AliReza+Tehrani'))
c=o['candidates'][0]
assert c['subject'] == '9103' and c['match'] == 'exact' and c['name'] == 'TEHRANI, Ali\u200cReza', o"
check "a name of U+337F (a compatibility ideograph) is folded, not name_empty" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' '$URL/api/v1/pressure/screen?name=%E3%8D%BF')\" = 200 ]"

# ---- the answer's ceiling: counted as it grows, 413, the server still serving ----
MANY=$(python3 -c "
import json
d=[{'subject':'m%d' % i,'type':'person','names':[{'name':'MUHAMMAD %d' % i,'script':'Latn'}],
    'listed':'2022-03-15','source':{'list':'un-sc','file':'$H'}} for i in range(100)]
print(json.dumps({'list':'un-sc','file':'$H','part':1,'parts':1,'designations':d}))")
check "a hundred designations named MUHAMMAD N, in one batch" post_as operator pressure.batch "$MANY"
python3 -c "print('name\n' + 'Muhammad\n' * 2000, end='')" >"$T/m.csv"
check "an 18 KB CSV whose answer would be about 100 MB: 413 answer_too_large naming the ceiling" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' -H 'Content-Type: text/csv' --data-binary @'$T/m.csv' '$URL/api/v1/pressure/screen?limit=100')\" = 413 ] &&
  grep -q answer_too_large '$T/b' && grep -q 33554432 '$T/b'"
check "... as CSV too" sh -c "
  [ \"\$(curl -s -o '$T/b' -w '%{http_code}' -H 'Content-Type: text/csv' --data-binary @'$T/m.csv' '$URL/api/v1/pressure/screen?limit=100&format=csv')\" = 413 ] &&
  grep -q answer_too_large '$T/b'"
check "... and the server still serves: 100 of those rows answered whole" python3 -c "
import json, subprocess
open('$T/m100.csv', 'w').write('name\n' + 'Muhammad\n' * 100)
t=subprocess.run(['curl','-s','-H','Content-Type: text/csv','--data-binary','@$T/m100.csv','$URL/api/v1/pressure/screen?limit=100'],capture_output=True).stdout
o=json.loads(t)
assert o['rows'] == 100 and all(len(r['candidates']) == 100 for r in o['results']), o['rows']"

finish
