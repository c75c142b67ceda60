#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# History (issue 11, point 5): UCDP's Georeferenced Event Dataset for Ukraine
# (tests/fixtures/ucdp/, CC BY 4.0) imported by the coordinator as
# history.batch entries in one batch; the yearly counts of events and deaths
# (best, high, low) by type of violence equal what Python's csv module counts
# from the same file, read independently (every byte as Latin-1: only the
# numeric columns are counted, so willing's Windows-1252 transcoding plays no
# part); UCDP's own values kept (id, dates from both of the file's formats,
# date_prec, where_prec, coordinates as written); text not UTF-8 transcoded
# and marked; the events by day and box for the map, a page at a time, JSON and
# CSV; attributed to UCDP, kept apart from members and monitors' reports;
# imports all or nothing (every skipped row named FILE:LINE: why; a file
# missing a column refused, naming it; nothing stored), a release imported once,
# a member may not import.
source "$(dirname "$0")/lib.sh"

GED=$SRC/tests/fixtures/ucdp/ged-ukraine.csv
new_ledger hist
start_server hist
new_member gb coordinator
new_member us member

# UCDP's yearly counts, computed here from the file, independently of willing
python3 - "$GED" >"$T/expected.json" <<'E'
import csv, io, json, sys
text = open(sys.argv[1], 'rb').read().decode('latin-1')
years = {}
for r in csv.DictReader(io.StringIO(text, newline='')):
    k = f"{int(r['year'])}|{int(r['type_of_violence'])}"
    c = years.setdefault(k, [0, 0, 0, 0])
    c[0] += 1
    for i, f in enumerate(('best', 'high', 'low')):
        c[i + 1] += int(r[f])
print(json.dumps(years))
E
SUM=$(sha256sum "$GED" | cut -d' ' -f1)

out=$("$W" history import-ucdp --server "$URL" --key "$T/us.key" "$GED" 2>&1 || true)
check "a member may not import UCDP's events (forbidden)" grep -q forbidden <<<"$out"
check "... and nothing is stored (404 no_history)" sh -c "[ \"\$(curl -s -o '$T/nh' -w '%{http_code}' '$URL/api/v1/history')\" = 404 ] && grep -q no_history '$T/nh'"

# a UCDP file with a column missing: a clear error naming it, nothing stored
python3 - "$GED" "$T/nobest.csv" <<'E'
import sys
src = open(sys.argv[1], 'rb').read().split(b'\n', 1)
open(sys.argv[2], 'wb').write(src[0].replace(b',best,', b',best_estimate,') + b'\n' + src[1])
E
set +e
"$W" history import-ucdp --server "$URL" --key "$T/gb.key" "$T/nobest.csv" >"$T/nb.out" 2>&1
rc=$?
set -e
check "a UCDP file without the column 'best' is refused (exit 1), naming it at line 1" \
  sh -c "[ $rc = 1 ] && grep -q \"nobest.csv:1: no column 'best'\" '$T/nb.out'"
check "... and nothing is stored" [ "$(status GET '/api/v1/history')" = 404 ]

check "--dry-run reads every row and prints the yearly counts" \
  sh -c "'$W' history import-ucdp --dry-run '$GED' >'$T/dry.out' 2>'$T/dry.err'"
check "... 3,883 events, none skipped, 27 transcoded from Windows-1252" \
  grep -q "read 3883 rows of .*: 3883 events, 0 skipped, 27 with text in Windows-1252" "$T/dry.err"
check "... 2022's line as Python counts it, and nothing sent" sh -c "
  grep -q '^2022 *536 ' '$T/dry.out' && grep -q 'nothing sent' '$T/dry.err' &&
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/history')\" = 404 ]"

check "the coordinator imports UCDP's file (3,883 events)" \
  sh -c "'$W' history import-ucdp --server '$URL' --key '$T/gb.key' '$GED' >'$T/imp.out' 2>'$T/imp.err'"
check "... and says what it stored" grep -q "imported 3883 events of UCDP GED release 24.1" "$T/imp.out"

check "the yearly counts answer 200" [ "$(status GET '/api/v1/history')" = 200 ]
cp "$T/body" "$T/years.json"
check "every year and type's events, best, high and low equal Python's counts" python3 - "$T/years.json" "$T/expected.json" <<'E'
import json, sys
o = json.load(open(sys.argv[1])); want = json.load(open(sys.argv[2]))
got = {}
for y in o['years']:
    s = [0, 0, 0, 0]
    for t in y['by_type']:
        got[f"{y['year']}|{t['type_of_violence']}"] = [t['events'], t['best'], t['high'], t['low']]
        s = [a + b for a, b in zip(s, got[f"{y['year']}|{t['type_of_violence']}"])]
    assert s == [y['events'], y['best'], y['high'], y['low']], y
assert got == want, (set(got.items()) ^ set((k, tuple(v)) for k, v in want.items()))
tot = [sum(v[i] for v in want.values()) for i in range(4)]
assert [o['total'][k] for k in ('events', 'best', 'high', 'low')] == tot == [3883, 18480, 20272, 16369], tot
E
check "attributed to UCDP: source, release, the file's SHA-256, historical, third party" python3 -c "
import json; o=json.load(open('$T/years.json'))
assert o['source']=='ucdp-ged' and o['release']=='24.1' and o['third_party'] is True and o['historical'] is True, o
assert o['file']=='$SUM' and o['complete'] is True and o['parts']==len(o['entries']) > 1, o
assert 'Uppsala Conflict Data Program' in o['attribution'] and 'CC BY 4.0' in o['attribution'], o
assert 'not monitors' in o['attribution'] and o['types']['3']=='one-sided', o"
ENTRIES=$(python3 -c "import json; print(len(json.load(open('$T/years.json'))['entries']))")
check "the events are history.batch entries by the coordinator, one per part" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/entries?kind=history.batch&limit=1000'))['entries']
assert len(o)==$ENTRIES and {e['author'] for e in o}=={'gb'}, [e['author'] for e in o]
b=o[0]['body']; assert b['source']=='ucdp-ged' and b['file']=='$SUM' and b['part']==1, b"

check "the yearly counts as CSV hold the same figures" sh -c "'$W' history --server '$URL' --csv >'$T/years.csv'"
check "... per year and type" python3 - "$T/years.csv" "$T/expected.json" <<'E'
import csv, json, sys
want = json.load(open(sys.argv[2]))
got = {f"{r['year']}|{r['type_of_violence']}": [int(r[k]) for k in ('events', 'best', 'high', 'low')]
       for r in csv.DictReader(open(sys.argv[1], newline=''))}
assert got == want, got
E
check "willing history prints the table with UCDP's name" sh -c "'$W' history --server '$URL' >'$T/tab.out' &&
  grep -q 'Uppsala Conflict Data Program' '$T/tab.out' && grep -q '^2014 *1294 *4528 *5219 *4408 *1293/4483 *1/45' '$T/tab.out' &&
  grep -q '^all *3883 *18480 *20272 *16369' '$T/tab.out'"

# UCDP's own values, from both date formats; text transcoded and marked
check "the events of 22 January 2014 in Kyiv's box: UCDP's event 147997 as the file gives it" \
  [ "$(status GET '/api/v1/history/events?from=2014-01-22&to=2014-01-22&bbox=30,50,31,51')" = 200 ]
check "... id, the day from '1/22/2014 12:00:00 AM', date_prec, where_prec, coordinates as written, deaths" python3 -c "
import json; o=json.load(open('$T/body'))
e=[x for x in o['events'] if x['id']==147997]; assert len(e)==1, o; e=e[0]
assert (e['date_start'], e['date_end'], e['date_prec'], e['where_prec'], e['latitude'], e['longitude'])==('2014-01-22','2014-01-22',1,1,'50.45','30.52333'), e
assert (e['best'], e['high'], e['low'], e['deaths_b'], e['type_of_violence'], e['line'])==(5,5,5,5,1,2), e
assert e['side_b']=='Maidan' and e['index']>0 and 'transcoded' not in e and o['third_party'] is True, e"
ID2=$(python3 -c "
import csv, io
t=open('$GED','rb').read().decode('latin-1')
for r in csv.DictReader(io.StringIO(t, newline='')):
    if r['date_start']=='05/02/2014 00:00': print(r['id']); break")
check "the other format, '05/02/2014 00:00', is month first: 2 May 2014" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/history/events?from=2014-05-02&to=2014-05-02&limit=1000'))
e=[x for x in o['events'] if x['id']==$ID2]; assert len(e)==1 and e[0]['date_start']=='2014-05-02', o"
check "where_description in Windows-1252 is transcoded to UTF-8 and marked" python3 -c "
import json, urllib.request
ev=[]; off=0
while off is not None:
    o=json.load(urllib.request.urlopen(f'$URL/api/v1/history/events?limit=1000&offset={off}'))
    ev+=o['events']; off=o.get('next_offset')
assert len(ev)==3883, len(ev)
t=[e for e in ev if 'transcoded' in e]
assert len(t)==27 and all(e['transcoded']=='windows-1252' for e in t), len(t)
assert any('49\u00b009' in e.get('where_description','') for e in t), [e.get('where_description') for e in t][:3]
assert any('\u2019' in e.get('where_description','') for e in t)"

# the map's data: events by days and box, paginated, equal to Python's selection
python3 - "$GED" >"$T/box.json" <<'E'
import csv, io, json, sys, datetime as dt
def day(s):
    d, t = s.split(' ', 1); m, dd, y = d.split('/'); return dt.date(int(y), int(m), int(dd)).isoformat()
t = open(sys.argv[1], 'rb').read().decode('latin-1')
ids = [int(r['id']) for r in csv.DictReader(io.StringIO(t, newline=''))
       if day(r['date_start']) <= '2022-12-31' and day(r['date_end']) >= '2022-02-24'
       and 46 <= float(r['latitude']) <= 52 and 29 <= float(r['longitude']) <= 40]
print(json.dumps(sorted(ids)))
E
check "the events of 24 February to 31 December 2022 in a box, page by page, are Python's" python3 - "$URL" "$T/box.json" <<'E'
import json, sys, urllib.request
want = json.load(open(sys.argv[2])); got = []; off = 0; pages = 0
while off is not None:
    o = json.load(urllib.request.urlopen(f"{sys.argv[1]}/api/v1/history/events?from=2022-02-24&to=2022-12-31&bbox=29,46,40,52&limit=50&offset={off}"))
    got += [e['id'] for e in o['events']]; off = o.get('next_offset'); pages += 1
    assert len(o['events']) <= 50
assert sorted(got) == want and len(got) == len(set(got)) and len(want) > 50, (len(got), len(want))
assert pages == (len(want) + 49) // 50, pages
E
check "... and as CSV, one line an event with UCDP's columns" sh -c "
  curl -fs '$URL/api/v1/history/events?from=2022-02-24&to=2022-12-31&bbox=29,46,40,52&limit=1000&format=csv' >'$T/ev.csv' &&
  python3 -c \"
import csv, json
r=list(csv.DictReader(open('$T/ev.csv', newline='')))
assert sorted(int(x['id']) for x in r)==json.load(open('$T/box.json')), len(r)
assert set(('date_prec','where_prec','best','high','low','latitude')) <= set(r[0]), r[0].keys()\""

for q in 'from=2022-2-1' 'from=2026-13-45' 'to=2022-02-30' 'bbox=40,46,29,52' 'bbox=1,2,3' 'type=4' 'limit=0' 'limit=1001' 'format=xml'; do
  check "a bad query ($q) is refused: 400 bad_query" sh -c "[ \"\$(curl -s -o '$T/bq' -w '%{http_code}' '$URL/api/v1/history/events?$q')\" = 400 ] && grep -q bad_query '$T/bq'"
done

# kept apart: no member, pledge or flow comes from UCDP's events
check "no side of UCDP's events becomes a member" python3 -c "
import json, urllib.request
m=json.load(urllib.request.urlopen('$URL/api/v1/members'))
assert {x['member'] for x in m['members']}=={'operator','gb','us'}, m"

out=$("$W" history import-ucdp --server "$URL" --key "$T/gb.key" "$GED" 2>&1 || true)
check "the same release again is refused (history_exists), nothing stored twice" grep -q history_exists <<<"$out"
check "... the counts unchanged" sh -c "curl -fs '$URL/api/v1/history' | cmp -s - '$T/years.json'"

# all or nothing: every skipped row named FILE:LINE: why, nothing stored
BAD=$T/bad.csv
python3 - "$GED" "$BAD" <<'E'
import sys
lines = open(sys.argv[1], 'rb').read().split(b'\n')
head, good = lines[0], lines[1]
def row(**kw):
    cols = head.decode().split(','); vals = good.decode('latin-1')
    import csv, io
    r = next(csv.reader(io.StringIO(vals))); d = dict(zip(cols, r)); d.update(kw)
    out = io.StringIO(); csv.writer(out, lineterminator='').writerow([d[c] for c in cols]); return out.getvalue().encode('latin-1')
rows = [head, good,
        row(id='900001', date_start='31/01/2014 00:00', date_end='31/01/2014 00:00'),
        row(id='900002', type_of_violence='4'),
        row(id='900003', latitude='91.5'),
        row(id='147997'),
        row(id='900004', date_end='1/21/2014 12:00:00 AM'),
        row(id='900005', where_description='a \x81 byte'),
        row(id='900006', year='2015')]
open(sys.argv[2], 'wb').write(b'\n'.join(rows) + b'\n')
E
set +e
"$W" history import-ucdp --server "$URL" --key "$T/gb.key" --release bad "$BAD" >"$T/bad.out" 2>&1
rc=$?
set -e
check "a file with bad rows is refused whole (exit 1)" [ "$rc" = 1 ]
check "... each skipped row named FILE:LINE: why" sh -c "grep -q '^$BAD:3: date_start' '$T/bad.out' &&
  grep -q '^$BAD:4: type_of_violence' '$T/bad.out' && grep -q '^$BAD:5: latitude' '$T/bad.out' &&
  grep -q '^$BAD:6: id: 147997 again (line 2 has it)' '$T/bad.out' && grep -q '^$BAD:7: date_end: before' '$T/bad.out' &&
  grep -q '^$BAD:8: where_description' '$T/bad.out' && grep -q '^$BAD:9: year' '$T/bad.out' &&
  [ \$(grep -c '^$BAD:' '$T/bad.out') = 7 ]"
check "... and nothing stored" [ "$(status GET '/api/v1/history?release=bad')" = 404 ]
set +e
"$W" history import-ucdp --server "$URL" --key "$T/gb.key" --release bad --skip-bad "$BAD" >"$T/skip.out" 2>&1
rc=$?
set -e
check "--skip-bad stores the good row and exits 2, listing the skipped ones" sh -c "[ $rc = 2 ] &&
  [ \$(grep -c '^$BAD:' '$T/skip.out') = 7 ] && grep -q 'imported 1 events' '$T/skip.out'"
check "... release bad holds that one event; the latest release is now bad" python3 -c "
import json, urllib.request
o=json.load(urllib.request.urlopen('$URL/api/v1/history?release=bad'))
assert o['total']=={'events':1,'best':5,'high':5,'low':5}, o
assert json.load(urllib.request.urlopen('$URL/api/v1/history'))['release']=='bad'
assert json.load(urllib.request.urlopen('$URL/api/v1/history?release=24.1'))['total']['events']==3883"

# the kind's own rules, for an entry written by hand: each a 4xx naming it, nothing stored
app() { "$W" append --server "$URL" --key "$T/gb.key" --kind history.batch --body "$1" 2>&1 || true; }
F=$(printf '%064d' 0)
EV='"line":2,"id":5,"year":2014,"type_of_violence":1,"conflict_name":"c","dyad_name":"d","side_a":"a","side_b":"b","where_prec":1,"latitude":"50.45","longitude":"30.52","date_prec":1,"date_start":"2014-01-22","date_end":"2014-01-22","deaths_a":0,"deaths_b":1,"deaths_civilians":0,"deaths_unknown":0,"high":1,"low":1'
out=$(app "{\"source\":\"ucdp-ged\",\"release\":\"x\",\"file\":\"$F\",\"part\":1,\"parts\":1,\"events\":[{$EV}]}")
check "an event without UCDP's 'best' is refused (invalid_body)" grep -q invalid_body <<<"$out"
check "... naming the event and its line" grep -q 'events\[0\] (line 2)' <<<"$out"
out=$(app "{\"source\":\"acled\",\"release\":\"x\",\"file\":\"$F\",\"part\":1,\"parts\":1,\"events\":[{$EV,\"best\":1}]}")
check "... and one from another source" grep -q "ucdp-ged" <<<"$out"
check "... nothing of either stored" [ "$(status GET '/api/v1/history?release=x')" = 404 ]

kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
check "fsck: the ledger with its history is sound" "$W" fsck --db "$(db_of hist)"
db_copy hist forged
db_sql forged "UPDATE history SET best=best+1 WHERE id=147997"
for k in log.key operator.key; do cp "$T/hist.db.$k" "$T/forged.db.$k"; done
out=$("$W" fsck --db "$(db_of forged)" 2>&1 || true)
check "fsck: a count changed in the store is found (history)" grep -q "history" <<<"$out"

finish
