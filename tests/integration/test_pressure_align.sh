#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The pressure module's analyst decisions and alignment (issue 12, points 3
# and 4). Three members designate overlapping subjects at different dates: a
# vessel by its IMO number under two names, a person in Cyrillic by one and in
# Latin by another, namesakes whose dates of birth disagree, and an entity two
# lists name differently. The coordinator's decisions join and keep apart
# (a later decision on a pair overriding the earlier). Refused with nothing
# stored: a decision on a pair that does not exist, on a designation and
# itself, without a reason, by a member. fsck replays it all. Then, served again
# with sealing: the operator's reference list fr becomes a member's list when fr,
# a sealed member, announces itself, and the alignment is rebuilt at once.
source "$(dirname "$0")/lib.sh"

new_ledger pa
start_server pa
DB=$(db_of pa)
cp "$OPKEY" "$T/operator.key"
new_member gb member
new_member us member
new_member de member
new_member co coordinator

count() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
state() { echo "$(count 'SELECT count(*) FROM entries') $(count 'SELECT count(*) FROM pressure_decisions')"; }
post_as() { "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" >/dev/null; }
H=$(printf 'list' | sha256sum | cut -d' ' -f1)
desig() { # LIST SUBJECT TYPE NAME SCRIPT LISTED [EXTRA]
  printf '{"subject":"%s","type":"%s","names":[{"name":"%s","script":"%s"}]%s,"listed":"%s","source":{"list":"%s","file":"%s"}}' \
    "$2" "$3" "$4" "$5" "${7:-}" "$6" "$1" "$H"
}
decision() { # LIST:SUBJECT LIST:SUBJECT SAME REASON
  printf '{"a":{"list":"%s","subject":"%s"},"b":{"list":"%s","subject":"%s"},"same":%s,"reason":"%s"}' \
    "${1%%:*}" "${1#*:}" "${2%%:*}" "${2#*:}" "$3" "$4"
}

check "gb designates a tanker by its IMO number (2022-03-01)" post_as gb pressure.designation \
  "$(desig gb g1 vessel 'Sovcomflot Tanker Alpha' Latn 2022-03-01 ',"ids":[{"type":"IMO","value":"9610781"}]')"
check "... us the same tanker under another name, forty days later" post_as us pressure.designation \
  "$(desig us u1 vessel 'SCF ALPHA' Latn 2022-04-10 ',"ids":[{"type":"imo","value":"IMO 9610781"}]')"
check "gb designates Щербаков Сергей Иванович in Cyrillic (2022-02-24)" post_as gb pressure.designation \
  "$(desig gb g2 person 'Щербаков Сергей Иванович' Cyrl 2022-02-24 ',"dob":[{"date":"1961-05"}]')"
check "... us SHCHERBAKOV, Sergei Ivanovich in Latin, thirty days later" post_as us pressure.designation \
  "$(desig us u2 person 'SHCHERBAKOV, Sergei Ivanovich' Latn 2022-03-26 ',"dob":[{"date":"1961-05-14"}]')"
check "de designates Ocean Star (2022-06-15), us Ocean Star II with the same IMO number (2022-08-01)" sh -c "
  '$W' append --server '$URL' --key '$T/de.key' --kind pressure.designation --body '$(desig de d3 vessel 'Ocean Star' Latn 2022-06-15 ',"ids":[{"type":"IMO","value":"9300000"}]')' >/dev/null &&
  '$W' append --server '$URL' --key '$T/us.key' --kind pressure.designation --body '$(desig us u4 vessel 'Ocean Star II' Latn 2022-08-01 ',"ids":[{"type":"Vessel Registration Identification IMO","value":"IMO 9300000"}]')' >/dev/null"
check "... and the operator OFAC's (reference data)" post_as operator pressure.designation \
  "$(desig ofac-sdn 36120 person 'SHCHERBAKOV, Sergei Ivanovich' Latn 2022-02-24)"
check "gb and us each an Ivan Petrov, born ten years apart" sh -c "
  '$W' append --server '$URL' --key '$T/gb.key' --kind pressure.designation --body '$(desig gb g3 person 'Ivan Petrov' Latn 2022-05-01 ',"dob":[{"date":"1970"}]')' >/dev/null &&
  '$W' append --server '$URL' --key '$T/us.key' --kind pressure.designation --body '$(desig us u3 person 'PETROV, Ivan' Latn 2022-05-01 ',"dob":[{"date":"1980"}]')' >/dev/null"
check "de designates Alpha Trading LLC (2022-06-01), gb Alfa Trading (2022-07-01)" sh -c "
  '$W' append --server '$URL' --key '$T/de.key' --kind pressure.designation --body '$(desig de d1 entity 'Alpha Trading LLC' Latn 2022-06-01)' >/dev/null &&
  '$W' append --server '$URL' --key '$T/gb.key' --kind pressure.designation --body '$(desig gb g4 entity 'Alfa Trading' Latn 2022-07-01)' >/dev/null"

# decisions: refusals first, each with nothing stored
refused_entry co pressure.decision "$(decision gb:g4 de:nothere true 'one registry number')" 404 \
  unknown_designation "a pair that does not exist" "a decision on a designation not stored"
refused_entry co pressure.decision "$(decision nolist:g4 de:d1 true 'one registry number')" 404 \
  unknown_designation "nolist:g4" "... of a list not stored"
refused_entry co pressure.decision "$(decision gb:g4 gb:g4 true 'itself')" 400 invalid_body \
  "the same designation" "a decision on a designation and itself"
refused_entry co pressure.decision "$(decision gb:g4 de:d1 true '')" 400 invalid_body \
  "'reason' is needed" "a decision without a reason"
refused_entry co pressure.decision '{"a":{"list":"gb","subject":"g4"},"b":{"list":"de","subject":"d1"},"same":true}' 400 invalid_body \
  "'reason' is needed" "... or with none at all"
refused_entry co pressure.decision "$(decision gb:g4 de:d1 true '   ')" 400 invalid_body \
  "'reason' is needed" "... or a blank one"
refused_entry co pressure.decision "$(decision gb:g4 de:d1 true "$(python3 -c "print('x' * 2001)")")" 400 invalid_body \
  "'reason' is needed" "... or of 2,001 bytes"
refused_entry gb pressure.decision "$(decision gb:g4 de:d1 true 'one registry number')" 403 forbidden \
  "" "a decision by a member"

check "the coordinator decides de:d1 and gb:g4 are different" post_as co pressure.decision \
  "$(decision de:d1 gb:g4 false 'no evidence yet')"
check "... then the same (a later decision on the pair, written the other way round)" post_as co pressure.decision \
  "$(decision gb:g4 de:d1 true 'one registry number in both notices')"
check "the operator decides de:d3 is not us:u4, whatever their IMO numbers say" post_as operator pressure.decision \
  "$(decision us:u4 de:d3 false 'two ships: the number in the notice is a typo')"
check "... two decisions stored, the later one on the pair kept, in canonical order" python3 -c "
import wldb; r=wldb.connect('$DB').execute('SELECT a_list, a_subject, b_list, b_subject, same, reason, author FROM pressure_decisions ORDER BY 1,2').fetchall()
assert r == [('de','d1','gb','g4',1,'one registry number in both notices','co'), ('de','d3','us','u4',0,'two ships: the number in the notice is a typo','operator')], r"

SIZE=$(count 'SELECT count(*) FROM entries')
check "the alignment answers 200" [ "$(status GET /api/v1/pressure/alignment)" = 200 ]
cp "$T/body" "$T/matrix.json"
check "... with the data version, the members apart from the reference list, each one's subjects" python3 -c "
import json; o=json.load(open('$T/matrix.json'))
assert o['data_version'] == $SIZE, (o['data_version'], $SIZE)
assert o['members'] == [{'list':'de','subjects':2,'first':2},{'list':'gb','subjects':4,'first':3},{'list':'us','subjects':4,'first':2}], o['members']
assert o['references'] == [{'list':'ofac-sdn','subjects':1}], o['references']
assert o['subjects'] == 7 and o['subjects_of_members'] == 7 and o['kept_apart'] == 1, o
assert 'decision' in o['rule'] and 'identifier' in o['rule'], o
r = o['rule']  # in the order the code applies them: decisions first
assert r.index('decisions') < r.index('identifier') < r.index('name'), r"
check "... the matrix exactly: gaps, both, who followed whom and the median delay" python3 -c "
import json; o=json.load(open('$T/matrix.json'))
got = {(p['x'], p['y']): (p['x_not_y'], p['both'], p['y_after_x'], p['y_after_x_median_days'], p['same_day']) for p in o['pairs']}
want = {('gb','us'): (2, 2, 2, 35, 0), ('us','gb'): (2, 2, 0, None, 0),
        ('gb','de'): (3, 1, 0, None, 0), ('de','gb'): (1, 1, 1, 30, 0),
        ('us','de'): (4, 0, 0, None, 0), ('de','us'): (2, 0, 0, None, 0)}
assert got == want, got"
check "the gaps of gb not us answer 200" [ "$(status GET '/api/v1/pressure/alignment/gaps?by=gb&not=us')" = 200 ]
check "... Alfa Trading (joined with de's Alpha Trading LLC by the decision) and gb's Ivan Petrov" python3 -c "
import json; o=json.load(open('$T/body'))
assert o['data_version'] == $SIZE and 'next' not in o, o
s = o['subjects']
assert [x['subject'] for x in s] == ['de:d1', 'gb:g3'], s
assert [(m['list'], m['listed'], m['delay_days'], m['first']) for m in s[0]['members']] == [('de','2022-06-01',0,True), ('gb','2022-07-01',30,False)], s[0]
assert [(j['a'], j['b'], j['by']) for j in s[0]['joined']] == [('de:d1','gb:g4','decision')], s[0]
assert [d['subject'] for d in s[1]['designations']] == ['g3'], s[1]"
check "every subject: the tanker by its IMO number, Щербаков across scripts with OFAC's as a reference, the two Ocean Stars kept apart" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/alignment/subjects'))
s = {x['subject']: x for x in o['subjects']}
assert sorted(s) == ['de:d1','de:d3','gb:g1','gb:g2','gb:g3','us:u3','us:u4'], sorted(s)
t = s['gb:g1']
assert [(m['list'], m['delay_days']) for m in t['members']] == [('gb',0),('us',40)], t
assert [(j['by'], j['why']) for j in t['joined']] == [('identifier', 'the identifier imo:9610781')], t
p = s['gb:g2']
assert sorted((d['list'], d['subject']) for d in p['designations']) == [('gb','g2'),('ofac-sdn','36120'),('us','u2')], p
assert p['references'] == [{'list':'ofac-sdn','listed':'2022-02-24'}], p
assert {j['by'] for j in p['joined']} == {'name'}, p
assert [(m['list'], m['delay_days']) for m in p['members']] == [('gb',0),('us',30)], p
assert [d['subject'] for d in s['de:d3']['designations']] == ['d3'] and s['de:d3']['joined'] == [], s['de:d3']"
check "a page of one gives the cursor of the next" python3 -c "
import json, urllib.request, urllib.parse
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/alignment/subjects?by=gb&limit=1'))
assert [x['subject'] for x in o['subjects']] == ['de:d1'] and o['next'] == 'de:d1', o
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/alignment/subjects?by=gb&limit=2&after='+urllib.parse.quote(o['next'])))
assert [x['subject'] for x in o['subjects']] == ['gb:g1', 'gb:g2'] and o['next'] == 'gb:g2', o"
check "the matrix as CSV" python3 -c "
import csv, io, urllib.request
r = urllib.request.urlopen('$URL/api/v1/pressure/alignment.csv')
assert r.headers['Content-Type'].startswith('text/csv'), r.headers
rows = list(csv.DictReader(io.StringIO(r.read().decode())))
gu = [x for x in rows if x['x'] == 'gb' and x['y'] == 'us'][0]
assert (gu['x_not_y'], gu['both'], gu['y_after_x'], gu['y_after_x_median_days'], gu['data_version']) == ('2','2','2','35','$SIZE'), gu
assert len(rows) == 6, rows"
check "the gaps as CSV" python3 -c "
import csv, io, urllib.request
rows = list(csv.DictReader(io.StringIO(urllib.request.urlopen('$URL/api/v1/pressure/alignment/gaps.csv?by=us&not=gb').read().decode())))
assert [(r['subject'], r['name'], r['lists']) for r in rows] == [('us:u3', 'PETROV, Ivan', 'us 2022-05-01'), ('us:u4', 'Ocean Star II', 'us 2022-08-01')], rows"
check "willing pressure align prints the pairs" sh -c "'$W' pressure align --server '$URL' | grep -qx 'gb not us: 2 (both 2; us after gb 2 times, median 35 days)'"
check "... and --csv the CSV" sh -c "'$W' pressure align --server '$URL' --csv | grep -q '^gb,us,2,2,2,35,0,$SIZE'"
check "... exiting 0" sh -c "'$W' pressure align --server '$URL' --csv >/dev/null"
check "gaps without not, of an unknown list, or of a list and itself: 400" sh -c "
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/pressure/alignment/gaps?by=gb')\" = 400 ] &&
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/pressure/alignment/gaps?by=gb&not=fr')\" = 400 ] &&
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/pressure/alignment/gaps?by=gb&not=gb')\" = 400 ]"
check "a later decision on the pair (same: true) joins the two Ocean Stars" post_as operator pressure.decision \
  "$(decision de:d3 us:u4 true 'the same ship: the registry confirms one hull')"
check "... and the alignment, of the new data version, says so: us followed de 47 days later" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/alignment'))
assert o['data_version'] == $SIZE + 1 and o['subjects'] == 6 and o['kept_apart'] == 0, o
got = {(p['x'], p['y']): (p['x_not_y'], p['both'], p['y_after_x'], p['y_after_x_median_days']) for p in o['pairs']}
assert got[('de','us')] == (1, 1, 1, 47) and got[('us','de')] == (3, 1, 0, None), got"

# the alignment and the screening index are rebuilt when what they read changes, not after any write
ask() { python3 -c "
import json, sys, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/' + sys.argv[1]))
assert o['data_version'] == int(sys.argv[2]) and ('subjects' not in o or o['subjects'] == int(sys.argv[3])), o" "$@"; }
check "... and the screening index of the same version" ask 'screen?name=Ocean+Star' $((SIZE + 1)) 0
check "a statement (a kind neither reads) is written" post_as gb statement '{"text":"unrelated"}'
check "... the alignment answers from the same build: data_version still the log's size before it" \
  ask alignment $((SIZE + 1)) 6
check "... and so does the screening" ask 'screen?name=Ocean+Star' $((SIZE + 1)) 0
check "de designates Zeta Shipping" post_as de pressure.designation \
  "$(desig de d5 entity 'Zeta Shipping' Latn 2022-09-01)"
check "... the alignment is rebuilt at once and counts it" ask alignment $((SIZE + 3)) 7
check "... and the screening finds it" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name=Zeta+Shipping'))
assert o['data_version'] == $SIZE + 3 and o['candidates'][0]['subject'] == 'd5', o"

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
check "fsck replays the log into the same designations and decisions" "$W" fsck --db "$DB"

# a change in the public members rebuilds the alignment (06a9505): the list fr, the operator's
# reference data, then fr a sealed member (nothing public changes), then fr announced: its
# list now a member's, a column of the matrix
SEAL=1 start_server pa --seal-batch 1
matrix() { python3 -c "
import json, sys, urllib.request
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/alignment'))
print(o['data_version'], ' '.join(m['list'] for m in o['members']), '/', ' '.join(r['list'] for r in o['references']))"; }
check "the operator imports the list fr, the tanker among it (not a member's list)" post_as operator \
  pressure.designation "$(desig fr f1 vessel 'SCF Alpha' Latn 2022-05-01 ',"ids":[{"type":"IMO","value":"9610781"}]')"
M1=$(matrix)
check "... fr a reference list ($M1)" [ "${M1#* }" = "de gb us / fr ofac-sdn" ]
"$W" keygen --out "$T/fr.key" --member fr >/dev/null
check "fr joins as a sealed member" "$W" member add --server "$URL" --key "$OPKEY" --id fr --name fr \
  --role member --pubkey-file "$T/fr.key" --sealed --json
check "... the alignment is kept: fr still a reference, the same data_version" [ "$(matrix)" = "$M1" ]
announce_fr() {
  "$W" member announce --server "$URL" --key "$T/fr.key" >"$T/announce.out" 2>&1 ||
    ! grep -Eq 'not_yet_published|announce after that' "$T/announce.out"
}
WAIT_SECONDS=90 wait_for "fr's sealed membership published, to announce" announce_fr
check "fr announces itself" grep -q '^fr announced' "$T/announce.out"
M2=$(matrix)
check "... the alignment is rebuilt at once: a new data_version, fr a member's column ($M2)" \
  sh -c "[ '${M2%% *}' -gt '${M1%% *}' ] && [ '${M2#* }' = 'de fr gb us / ofac-sdn' ]"
check "... fr's tanker one subject with gb's and us's: each pair with fr both designate it" python3 -c "
import json, urllib.request
o = json.load(urllib.request.urlopen('$URL/api/v1/pressure/alignment'))
got = {(p['x'], p['y']): (p['x_not_y'], p['both']) for p in o['pairs']}
assert got[('fr', 'gb')] == (0, 1) and got[('fr', 'us')] == (0, 1), got"
finish
