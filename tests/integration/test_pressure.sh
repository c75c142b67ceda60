#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The pressure module (issue 12): pressure.designation entries by the operator
# (another authority's list, as reference data attributed to it) and by a
# member (its own list, with its own key); the designations a page at a time;
# screening a name against them: "Scherbakov" finds the Cyrillic Щербаков of
# one list and the Latin Shcherbakov of another, each with its score, the
# explanation and the data version (the log's size) it used. Refused, each a
# 4xx naming the problem with nothing stored: a designation for a member's list
# by a key not of that member (or by the operator), another authority's list
# by a member, a snapshot by a member, a name of 10,000 characters (in a
# designation and in a screening).
source "$(dirname "$0")/lib.sh"

new_ledger pr
start_server pr
DB=$(db_of pr)
cp "$OPKEY" "$T/operator.key"
new_member gb member
new_member us member

count() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
state() { echo "$(count 'SELECT count(*) FROM entries') $(count 'SELECT count(*) FROM designations') $(count 'SELECT count(*) FROM pressure_snapshots')"; }
post_as() { # MEMBER KIND BODY: 0 when logged ("willing append" posts it and waits)
  "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" >/dev/null
}
H=$(printf 'list' | sha256sum | cut -d' ' -f1)
desig() { # LIST SUBJECT NAME SCRIPT [EXTRA]: a designation's body
  printf '{"subject":"%s","type":"person","names":[{"name":"%s","script":"%s"}]%s,"listed":"2022-03-15","source":{"list":"%s","file":"%s"}}' \
    "$2" "$3" "$4" "${5:-}" "$1" "$H"
}

check "the operator designates Щербаков for the list ua-nsdc (reference data)" \
  post_as operator pressure.designation "$(desig ua-nsdc 1001 'Щербаков Сергей' Cyrl ',"dob":[{"date":"1961-05"}]')"
check "... and Shcherbakov for the list ofac-sdn" \
  post_as operator pressure.designation "$(desig ofac-sdn 36120 'SHCHERBAKOV, Sergei' Latn ',"countries":["Russia"]')"
check "the member gb designates for its own list with its own key" \
  post_as gb pressure.designation "$(desig gb rus-0042 'PETROV, Ivan' Latn)"
check "the operator records an import's snapshot" \
  post_as operator pressure.snapshot "{\"list\":\"ofac-sdn\",\"file\":\"$H\",\"date\":\"2022-03-15\",\"base\":null,\"counts\":{\"subjects\":1,\"added\":1,\"amended\":0,\"delisted\":0}}"
check "... a designation amended replaces its body and keeps its first entry" \
  post_as gb pressure.designation "$(desig gb rus-0042 'PETROV, Ivan' Latn ',"programmes":["RUSSIA-EO14024"]')"

check "the subjects answer 200" [ "$(status GET '/api/v1/pressure/subjects')" = 200 ]
check "... three designations by (source, subject), attributed, the latest body" python3 -c "
import json; o=json.load(open('$T/body')); s=o['subjects']
assert [(d['source'], d['subject']) for d in s] == [('gb','rus-0042'),('ofac-sdn','36120'),('ua-nsdc','1001')], s
assert s[0]['author'] == 'gb' and s[1]['author'] == 'operator', s
assert s[0]['designation']['programmes'] == ['RUSSIA-EO14024'] and s[0]['first_entry'] < s[0]['entry'], s[0]
assert 'next' not in o, o"
check "a page of one gives the cursor of the next" sh -c "[ \"\$(curl -s '$URL/api/v1/pressure/subjects?limit=1')\" != '' ]"
status GET '/api/v1/pressure/subjects?limit=1' >/dev/null
NEXT=$(json_field next)
check "... and the next page starts after it" python3 -c "
import json, urllib.request, urllib.parse
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/subjects?limit=1&after='+urllib.parse.quote('$NEXT')))
assert [d['subject'] for d in o['subjects']] == ['36120'], o"
check "... of one source" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/subjects?source=ua-nsdc'))
assert [d['subject'] for d in o['subjects']] == ['1001'], o"

SIZE=$(count 'SELECT count(*) FROM entries')
check "screening Scherbakov answers 200" [ "$(status GET '/api/v1/pressure/screen?name=Scherbakov')" = 200 ]
check "... both lists' Shcherbakov, Cyrillic and Latin, explained, with the data version" python3 -c "
import json; o=json.load(open('$T/body')); c=o['candidates']
assert o['data_version'] == $SIZE, (o['data_version'], $SIZE)
got = {x['source']: x for x in c}
assert set(got) == {'ua-nsdc', 'ofac-sdn'}, c
assert got['ua-nsdc']['name'] == 'Щербаков Сергей' and got['ua-nsdc']['subject'] == '1001', c
assert 'BGN' in got['ua-nsdc']['schemes'] or 'ICAO' in got['ua-nsdc']['schemes'], c
for x in c: assert x['score'] > 0 and x['why'] and x['match'] in ('exact','loose','partial'), x"
check "a date of birth that agrees is said so" python3 -c "
import json, urllib.request, urllib.parse
o=json.load(urllib.request.urlopen('$URL/api/v1/pressure/screen?name='+urllib.parse.quote('Sergey Shcherbakov')+'&dob=1961-05-02'))
got = {x['source']: x for x in o['candidates']}
assert got['ua-nsdc']['dob'] == 'month', got"

# refusals, each with nothing stored
refused_entry us pressure.designation "$(desig gb rus-0043 'Ivanov Ivan' Latn)" 403 forbidden \
  "member gb's" "a designation for gb's list by a key of us"
refused_entry operator pressure.designation "$(desig gb rus-0043 'Ivanov Ivan' Latn)" 403 forbidden \
  "member gb's" "... or by the operator's"
refused_entry us pressure.designation "$(desig eu-fsf eu-1 'Ivanov Ivan' Latn)" 403 forbidden \
  "imported by the operator" "another authority's list by a member"
refused_entry gb pressure.snapshot "{\"list\":\"gb\",\"file\":\"$H\",\"date\":\"2022-03-15\",\"base\":null,\"counts\":{\"subjects\":1,\"added\":1,\"amended\":0,\"delisted\":0}}" \
  403 forbidden "" "a snapshot by a member"
refused_entry gb pressure.designation "$(desig gb rus-0045 'Ivanov Ivan' Latn ',"amended":"1999-01-01","delisted":"1990-01-01"')" \
  400 invalid_body "'amended' (1999-01-01) is before 'listed' (2022-03-15)" \
  "a designation amended and delisted before it was listed"
refused_entry gb pressure.designation "$(desig gb rus-0046 'Ivanov Ivan' Latn | sed 's/2022-03-15/9999-12-31/')" \
  400 invalid_body "'listed' (9999-12-31) is after the entry's own time" \
  "a designation listed in 9999 (a member backdating no other can match)"
FUTURE=$(date -u -d '+3 days' +%F)
refused_entry gb pressure.batch "{\"list\":\"gb\",\"file\":\"$H\",\"part\":1,\"parts\":1,\"designations\":[$(desig gb rus-0047 'Ivanov Ivan' Latn | sed "s/2022-03-15/$FUTURE/")]}" \
  400 invalid_body "designations[0]: pressure.designation: 'listed' ($FUTURE) is after the entry's own time" \
  "a batch whose designation is listed three days ahead"
refused_entry operator pressure.designation "$(desig a:b x-1 'Ivanov Ivan' Latn)" 400 invalid_body \
  "no ':', which separates LIST:SUBJECT" "a list id holding ':' (a decision could never name it)"
LONG=$(python3 -c "print('a' * 10000)")
refused_entry gb pressure.designation "$(desig gb rus-0044 "$LONG" Latn)" 413 name_too_long \
  "512 bytes" "a designation with a name of 10,000 characters"
before=$(state)
check "screening a name of 10,000 characters: 413 name_too_long, as the designation" sh -c "
  [ \"\$(curl -s -o '$T/long' -w '%{http_code}' '$URL/api/v1/pressure/screen?name=$LONG')\" = 413 ] &&
  grep -q name_too_long '$T/long'"
check "... screening no name: 400 bad_query" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/pressure/screen')\" = 400 ]"
check "... a malformed cursor: 400" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/pressure/subjects?after=nocolon')\" = 400 ]"
check "... and nothing was stored by any refusal" [ "$before" = "$(state)" ]

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
check "fsck replays the log into the same designations and snapshots" "$W" fsck --db "$DB"
finish
