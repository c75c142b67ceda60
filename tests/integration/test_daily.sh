#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitors' daily report against the real daemon (issue 11, point 4): the period of
# a day ends at 19:30 Kyiv time, on the day the clocks change too (2026-03-29: the period
# runs from 17:30 UTC the day before to 16:30 UTC); each report is summed in its oblast
# (by the map's boundaries, or the oblast it names), in the zones that hold it (weapons
# by type), restrictions listed with their place, casualties and weapons inside a zone
# noted, every report in the annex by index; the CSV has one row per report; bad days
# and formats are 400 naming them. Every expected figure is written here by hand.
source "$(dirname "$0")/lib.sh"

source "$(dirname "$0")/daily_fixture.sh" dy

st=$(status GET /api/v1/daily/2026-03-29)
cp "$T/body" "$T/d.json"
check "GET /api/v1/daily/2026-03-29: 200" [ "$st" = 200 ]
check "the period: 19:30 EET on the 28th (17:30Z) to 19:30 EEST on the 29th (16:30Z)" python3 -c "
import json; o=json.load(open('$T/d.json'))['period']
assert o['from']==$(t 2026-03-28T17:30:00Z) and o['to']==$(t 2026-03-29T16:30:00Z), o
assert o['from_local']=='2026-03-28 19:30 (UTC+02:00)' and o['to_local']=='2026-03-29 19:30 (UTC+03:00)', o"
check "the reports of the period, by index: not 16:45Z on the 29th nor 17:20Z on the 28th" python3 -c "
import json; o=json.load(open('$T/d.json'))
got=[r['index'] for r in o['annex']]
assert got==sorted([$R1,$R2,$R3,$R4,$R7,$R8]) and o['reports']==6, got"
check "by region: Donetsk 5 explosions and 1 projectile (6 violations) and the tanks; Kharkiv's casualties; Zaporizhzhia's restriction by name; Kyiv city's bursts" python3 -c "
import json; o=json.load(open('$T/d.json'))
r={x['region']:x for x in o['regions']}
d=r['Донецька область']
assert d['reports']==3 and d['violations']==6, d
assert d['by_type']=={'explosion':5,'weapon_in_violation':1,'projectile':1}, d
assert r['Харківська область']['by_type']=={'civilian_casualties':2} and r['Харківська область']['violations']==0, r
assert r['Запорізька область']['by_type']=={'restriction':1}, r
assert r['Місто Київ']['violations']==4, r
assert [x['region'] for x in o['regions']]==sorted(r), 'regions in order'"
check "by zone: bz holds the explosions, the projectile and 3 tanks; nothing else is in a zone" python3 -c "
import json; o=json.load(open('$T/d.json'))
assert len(o['zones'])==1, o['zones']
z=o['zones'][0]
assert z['zone']=='bz' and z['type']=='buffer' and z['reports']==3 and z['violations']==6, z
assert z['weapons']=={'tank':3}, z
rows={r['index']:r for r in o['annex']}
assert rows[$R1]['zones']==['bz'] and rows[$R4]['zones']==[] and rows[$R3]['zones']==[], rows"
check "restrictions with their place; notable: the casualties and the tanks inside a zone" python3 -c "
import json; o=json.load(open('$T/d.json'))
x=o['restrictions']
assert len(x)==1 and x[0]['index']==$R3 and x[0]['restriction']=='denial', x
assert x[0]['place']=='Vasylivka, Запорізька область' and x[0]['text']=='denied passage at a checkpoint', x
assert sorted(o['notable'])==sorted([$R2,$R4]), o['notable']"
check "each annex row keeps observed, its precision, the logged time and the report as signed" python3 -c "
import json; o=json.load(open('$T/d.json'))
r={x['index']:x for x in o['annex']}[$R2]
assert r['observed']==$(t 2026-03-29T09:00:00Z) and r['precision_s']==3600 and r['author']=='mon2', r
assert r['logged']>=$(date +%s)-600 and r['report']['weapon']=={'type':'tank','count':3}, r"

st=$(status GET '/api/v1/daily/2026-03-29?format=csv')
check "the CSV: 200, a header and one row per report, in index order" python3 -c "
import csv,io; rows=list(csv.reader(io.open('$T/body', newline='', encoding='utf-8')))
assert '$st'=='200', '$st'
assert rows[0]==['index','observed_utc','precision_s','logged_utc','author','type','count','place','region','zones'], rows[0]
assert [int(r[0]) for r in rows[1:]]==sorted([$R1,$R2,$R3,$R4,$R7,$R8]), rows
r={x[0]:x for x in rows[1:]}['$R1']
assert r[1]=='2026-03-29T08:00:00Z' and r[5]=='explosion' and r[6]=='5' and r[8]=='Донецька область' and r[9]=='bz', r"

st=$(status GET /api/v1/daily/2026-03-30)
check "the next day holds the report of 19:45 EEST on the 29th" python3 -c "
import json; o=json.load(open('$T/body')); assert '$st'=='200' and [r['index'] for r in o['annex']]==[$R5], o['annex']"
st=$(status GET /api/v1/daily/2025-01-01)
check "a day without reports: 200, nothing in it" python3 -c "
import json; o=json.load(open('$T/body')); assert '$st'=='200' and o['reports']==0 and o['annex']==[] and o['regions']==[], o"

for bad in 2026-02-30 2026-3-29 yesterday 2026-03-29x; do
  st=$(status GET "/api/v1/daily/$bad")
  check "GET /api/v1/daily/$bad: 400 bad_day" sh -c "[ '$st' = 400 ] && [ \"\$(python3 -c 'import json;print(json.load(open(\"$T/body\"))[\"error\"])')\" = bad_day ]"
done
st=$(status GET '/api/v1/daily/2026-03-29?format=xml')
check "format=xml: 400 bad_query naming format" sh -c "[ '$st' = 400 ] && grep -q format '$T/body'"
st=$(status POST /api/v1/daily/2026-03-29 -H 'Content-Type: application/json' --data '{}')
check "POST: 405" [ "$st" = 405 ]
# the report is kept between requests: a report logged after it was read is in the next read
curl -s "$URL/api/v1/daily/2026-03-29" >/dev/null
R9=$(post_report mon "{\"observed\":$(t 2026-03-29T11:00:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"explosion\"}")
st=$(status GET /api/v1/daily/2026-03-29)
check "a report logged after the day's report was read is in the next read (7 reports)" python3 -c "
import json; o=json.load(open('$T/body')); assert '$st'=='200' and o['reports']==7 and $R9 in [r['index'] for r in o['annex']], o['reports']"
check "still serving" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/daily/2026-03-29')\" = 200 ]"
finish
