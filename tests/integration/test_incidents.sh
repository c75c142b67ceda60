#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Incidents against the real daemon (issue 11, point 2): a small fixture whose incidents are
# computed by hand (joins and non-joins at the very edge of the distance and time windows,
# incompatible types apart, a report naming an oblast in none, an incident across the
# day's 19:30 Kyiv boundary in both days); the same reports posted in two orders to two
# daemons give the same incidents; merges and splits with their reasons change the answer
# and explain it; after kill -9 and a restart every answer is the same bytes; every bad
# merge or split is a 4xx naming the problem and the log does not grow.
source "$(dirname "$0")/lib.sh"

# T0 = 2026-11-30T12:00:00Z (14:00 Kyiv): the period of 2026-11-30 is
# [2026-11-29T17:30Z, 2026-11-30T17:30Z); 2026-11-30T17:30:00Z is the next day's.
T0=1796040000
EDGE=1796059800
# every report 100 m and 60 s precise: two join within 100+100+1000 = 1200 m and
# 60+60+600 = 720 s. North and south by metres on the sphere of R = 6371008.8 m:
lat() { python3 -c "import math,sys; print('%.7f' % (48.0 + float(sys.argv[1]) / (6371008.8 * math.pi / 180)))" "$1"; }
N1190=$(lat 1190)
S1210=$(lat -1210)
rep() { # LABEL TYPE LON LAT T [extra]
  echo "{\"observed\":$5,\"precision_s\":60,\"location\":{\"lon\":$3,\"lat\":$4,\"radius_m\":100},\"type\":\"$2\"${6:-},\"text\":\"$1\"}"
}
REPORTS=(
  "$(rep r1 explosion 37.0 48.0 $T0)"
  "$(rep r2 civilian_casualties 37.0 "$N1190" $((T0 + 720)))" # 1190 m, 720 s from r1: joins
  "$(rep r3 explosion 37.0 "$S1210" $T0)"                      # 1210 m from r1: does not
  "$(rep r4 bursts_shots 37.0 48.0 $((T0 - 721)))"             # 721 s before r1: does not
  "$(rep r5 restriction 37.0 48.0 $T0 ',"restriction":"denial"')" # incompatible: alone
  "$(rep r6 muzzle_flash 37.0 48.0 $((T0 + 100)))"             # joins r1, not r2 (casualties)
  "$(rep r7 weapon_in_violation 37.0 48.0 $T0 ',"weapon":{"type":"tank","count":2}')"
  "{\"observed\":$T0,\"precision_s\":60,\"location\":{\"oblast\":\"donetsk\"},\"type\":\"explosion\",\"text\":\"r8\"}"
  "$(rep r9 explosion 36.0 48.0 $EDGE)"                        # 19:30:00 Kyiv: the next day
  "$(rep r10 explosion 36.0 48.0 $((EDGE - 1)))"               # 19:29:59: this day; joins r9
)

setup_daemon() { # NAME: a ledger, its daemon, a monitor, a coordinator, a party (keys made once)
  new_ledger "$1"
  start_server "$1"
  for m in mon:monitor co:coordinator pa:party; do
    if [ -e "$T/${m%%:*}.key" ]; then
      "$W" member add --server "$URL" --key "$OPKEY" --id "${m%%:*}" --name "${m%%:*}" \
        --role "${m##*:}" --pubkey-file "$T/${m%%:*}.key" >/dev/null
    else new_member "${m%%:*}" "${m##*:}"; fi
  done
}
post() { # MEMBER KIND BODY: prints the index
  rm -f "$T/e.note"
  "$W" append --output "$T/e.note" --origin "$LEDGER_ORIGIN" --key "$T/$1.key" --kind "$2" \
    --body "$3" >/dev/null
  curl -fs -X POST "$URL/api/v1/entries" -H 'Content-Type: application/json' \
    --data "{\"entry\":\"$(base64 -w0 "$T/e.note")\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["index"])'
}
get() { curl -fs "$URL$1"; }

# ---- daemon A: the reports in their order ----
setup_daemon a
declare -A IDX
for i in "${!REPORTS[@]}"; do IDX[r$((i + 1))]=$(post mon monitor.report "${REPORTS[$i]}"); done
get "/api/v1/incidents?day=2026-11-30" >"$T/a.json"
check "the incidents of 2026-11-30, as computed by hand" python3 - "$T/a.json" \
  "$(for k in "${!IDX[@]}"; do echo "$k=${IDX[$k]}"; done | xargs)" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
idx = dict(kv.split('=') for kv in sys.argv[2].split())
idx = {k: int(v) for k, v in idx.items()}
lab = {v: k for k, v in idx.items()}
got = [[lab[r['report']] for r in i['reports']] for i in o['incidents']]
want = [['r1', 'r2', 'r6'], ['r3'], ['r4'], ['r5'], ['r7'], ['r10', 'r9']]
assert sorted(map(sorted, got)) == sorted(map(sorted, want)), got
assert [i['id'] for i in o['incidents']] == sorted(i['id'] for i in o['incidents']), o
assert o['day'] == '2026-11-30' and o['period'] == {'from': 1795973400, 'to': 1796059800}, o
assert o['more'] is False and o['type'] is None
inc = {lab[i['id']]: i for i in o['incidents']}
r = {lab[x['report']]: x for x in inc['r1']['reports']}
assert r['r1']['how'] == 'first' and r['r1']['via'] is None, r
assert (r['r2']['how'], lab[r['r2']['via']], r['r2']['distance_m'], r['r2']['gap_s']) == ('auto', 'r1', 1190, 720), r['r2']
assert (r['r6']['how'], lab[r['r6']['via']], r['r6']['distance_m'], r['r6']['gap_s']) == ('auto', 'r1', 0, 100), r['r6']
assert r['r2']['type'] == 'civilian_casualties' and r['r2']['observed'] == 1796040720
assert inc['r1']['t_min'] == 1796040000 and inc['r1']['t_max'] == 1796040720 and inc['r1']['size'] == 3
r9 = {lab[x['report']]: x for x in inc['r9']['reports']}
assert r9['r10']['via'] == idx['r9'] and r9['r10']['gap_s'] == 1
assert all(not i['overrides'] for i in o['incidents'])
PY
get "/api/v1/incidents?day=2026-12-01" >"$T/a2.json"
check "2026-12-01 holds the incident of r9 (19:30:00 Kyiv) alone" python3 -c "
import json; o = json.load(open('$T/a2.json'))
assert [i['id'] for i in o['incidents']] == [${IDX[r9]}], o"
get "/api/v1/incidents?day=2026-11-30&type=restriction" >"$T/a3.json"
check "type=restriction: the restriction's incident only" python3 -c "
import json; o = json.load(open('$T/a3.json'))
assert [i['id'] for i in o['incidents']] == [${IDX[r5]}] and o['type'] == 'restriction', o"
get "/api/v1/incidents?day=2026-11-30&type=civilian_casualties" >"$T/a4.json"
check "type=civilian_casualties: the incident holding the casualties, whole" python3 -c "
import json; o = json.load(open('$T/a4.json'))
assert [i['id'] for i in o['incidents']] == [${IDX[r1]}] and o['incidents'][0]['size'] == 3, o"
st=$(status GET "/api/v1/incidents/${IDX[r1]}")
check "one incident by its id: 200, the same as in the day's list" python3 -c "
import json; o = json.load(open('$T/body')); d = json.load(open('$T/a.json'))
assert '$st' == '200' and o == d['incidents'][0], o"
st=$(status GET "/api/v1/incidents/${IDX[r2]}")
check "a report that is not its incident's first is no incident's id: 404 unknown_incident" \
  [ "$st" = 404 ] && [ "$(json_field error)" = unknown_incident ]
st=$(status GET "/api/v1/incidents/${IDX[r8]}")
check "a report naming an oblast is in no incident: 404" [ "$st" = 404 ]
st=$(status GET "/api/v1/incidents?day=2026-13-01")
check "a day that is not a date: 400 bad_day" [ "$st" = 400 ] && [ "$(json_field error)" = bad_day ]
st=$(status GET "/api/v1/incidents")
check "no day: 400 bad_day" [ "$st" = 400 ] && [ "$(json_field error)" = bad_day ]
st=$(status GET "/api/v1/incidents?day=2026-11-30&type=rumour")
check "an unknown type: 400 bad_query naming type" python3 -c "
import json; o = json.load(open('$T/body')); assert '$st' == '400' and o['error'] == 'bad_query' and 'type' in o['message'], o"
st=$(status GET "/api/v1/incidents/abc")
check "an id that is not a number: 400 bad_query" [ "$st" = 400 ]
st=$(status POST "/api/v1/incidents" --data '{}')
check "POST /api/v1/incidents: 405" [ "$st" = 405 ]

# ---- bad merges and splits: each refused, naming the problem; the log does not grow ----
DB=$(db_of a)
state() { python3 -c 'import wldb,sys; d=wldb.connect(sys.argv[1]); print([d.execute(q).fetchone()[0] for q in sys.argv[2:]])' "$DB" \
  "SELECT count(*) FROM entries" "SELECT count(*) FROM report_overrides"; }
R1=${IDX[r1]} R3=${IDX[r3]} R4=${IDX[r4]} R6=${IDX[r6]}
refused_entry pa monitor.merge "{\"reports\":[$R3,$R4],\"reason\":\"x\"}" 403 forbidden monitor.merge \
  "a merge by a party's key"
refused_entry pa monitor.split "{\"reports\":[$R6],\"reason\":\"x\"}" 403 forbidden monitor.split \
  "a split by a party's key"
refused_entry mon monitor.merge "{\"reports\":[$R3],\"reason\":\"x\"}" 400 invalid_body "reports" \
  "a merge of one report"
refused_entry mon monitor.split "{\"reports\":[],\"reason\":\"x\"}" 400 invalid_body "reports" \
  "a split of none"
refused_entry mon monitor.merge "{\"reports\":[$R3,$R4]}" 400 reason_missing "reason" \
  "a merge without a reason"
refused_entry co monitor.split "{\"reports\":[$R6]}" 400 reason_missing "reason" \
  "a split without a reason"
refused_entry co monitor.split "{\"reports\":[$R6],\"reason\":\" \"}" 400 reason_missing "reason" \
  "a split with a blank reason"
refused_entry mon monitor.merge "{\"reports\":[$R3,$R4],\"reason\":\"   \"}" 400 reason_missing "reason" \
  "a merge with a blank reason"
refused_entry mon monitor.merge "{\"reports\":[$R3,$R4],\"reason\":\"\"}" 400 invalid_body "reason" \
  "an empty reason"
refused_entry mon monitor.merge "{\"reports\":[$R3,$R4],\"reason\":\"$(head -c 2001 /dev/zero | tr '\0' a)\"}" \
  400 invalid_body "reason" "a reason of 2,001 bytes"
refused_entry mon monitor.merge "{\"reports\":[$R3,$R4,$R3],\"reason\":\"x\"}" 400 invalid_body \
  "reports[2]: report $R3 is named twice" "a report named twice"
refused_entry mon monitor.merge "{\"reports\":[$R3,1],\"reason\":\"x\"}" 400 invalid_body \
  "reports[1]: entry 1 is not a monitor.report" "an index that is a member, not a report"
refused_entry mon monitor.split "{\"reports\":[999999],\"reason\":\"x\"}" 400 invalid_body \
  "reports[0]: entry 999999" "an index past the log"
refused_entry mon monitor.split "{\"reports\":[\"$R6\"],\"reason\":\"x\"}" 400 invalid_body \
  "reports[0]" "an index that is a string"
refused_entry mon monitor.split "{\"reports\":[$R6],\"reason\":\"x\",\"by\":\"me\"}" 400 invalid_body \
  "by" "an unknown field"
check "after the refusals the incidents are unchanged" \
  [ "$(get "/api/v1/incidents?day=2026-11-30")" = "$(cat "$T/a.json")" ]

# ---- a merge and a split, with their reasons ----
# with the command line: `willing incident merge|split`
before=$(state)
check "willing incident merge without --reason: exit 2, nothing sent" python3 -c "
import subprocess, sys
p = subprocess.run(['$W', 'incident', 'merge', '--server', '$URL', '--key', '$T/mon.key',
                    '--reports', '$R3,$R4'], capture_output=True, text=True)
assert p.returncode == 2 and '--reason' in p.stderr, p"
check "willing incident split --reason '   ': exit 2, nothing sent" python3 -c "
import subprocess, sys
p = subprocess.run(['$W', 'incident', 'split', '--server', '$URL', '--key', '$T/mon.key',
                    '--reports', '$R6', '--reason', '   '], capture_output=True, text=True)
assert p.returncode == 2 and '--reason' in p.stderr, p"
check "willing incident split --reports 5,x: exit 2 naming --reports" python3 -c "
import subprocess
p = subprocess.run(['$W', 'incident', 'split', '--server', '$URL', '--key', '$T/mon.key',
                    '--reports', '$R6,x', '--reason', 'r'], capture_output=True, text=True)
assert p.returncode == 2 and '--reports' in p.stderr, p"
for bad in "" "$R3,,$R4" "$R3," ",$R3" "x" "$R3,-4" "$R3 $R4"; do
  check "willing incident merge --reports '$bad': exit 2 naming --reports, nothing sent" python3 -c "
import subprocess, sys
p = subprocess.run(['$W', 'incident', 'merge', '--server', '$URL', '--key', '$T/mon.key',
                    '--reports', sys.argv[1], '--reason', 'r'], capture_output=True, text=True)
assert p.returncode == 2 and '--reports' in p.stderr, p" "$bad"
done
check "willing incident merge naming a member's entry: exit 1 with the server's reason" python3 -c "
import subprocess
p = subprocess.run(['$W', 'incident', 'merge', '--server', '$URL', '--key', '$T/mon.key',
                    '--reports', '$R3,1', '--reason', 'r'], capture_output=True, text=True)
assert p.returncode == 1 and 'reports[1]: entry 1 is not a monitor.report' in p.stderr, p"
check "willing incident split by a party: exit 1, forbidden" python3 -c "
import subprocess
p = subprocess.run(['$W', 'incident', 'split', '--server', '$URL', '--key', '$T/pa.key',
                    '--reports', '$R6', '--reason', 'r'], capture_output=True, text=True)
assert p.returncode == 1 and 'monitor.split' in p.stderr, p"
check "the command line's refusals stored nothing" [ "$(state)" = "$before" ]
check "willing incident --help: both subcommands" sh -c "'$W' incident --help | grep -q 'incident merge' && '$W' incident split --help | grep -q 'reason'"
M=$("$W" incident merge --server "$URL" --key "$T/mon.key" --reports "$R3,$R4" \
  --reason "one shelling, seen from two posts" | awk '/^index/ {print $2}')
S=$("$W" incident split --server "$URL" --key "$T/co.key" --reports "$R6" \
  --reason "the flash was another gun's" | awk '/^index/ {print $2}')
get "/api/v1/incidents?day=2026-11-30" >"$T/b.json"
check "the merge joins r3 and r4, the split takes r6 out, each saying why" python3 - "$T/b.json" \
  "$R1 ${IDX[r2]} $R3 $R4 $R6 $M $S" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
r1, r2, r3, r4, r6, m, s = map(int, sys.argv[2].split())
inc = {i['id']: i for i in o['incidents']}
assert [x['report'] for x in inc[r1]['reports']] == [r1, r2], inc[r1]
assert r4 not in inc and [x['report'] for x in inc[r3]['reports']] == [r3, r4], inc[r3]
j = inc[r3]['reports'][1]
assert (j['how'], j['via'], j['override'], j['gap_s']) == ('merged', r3, m, 721), j
assert inc[r3]['overrides'] == [{'index': m, 'op': 'merge', 'reports': [r3, r4],
                                 'reason': 'one shelling, seen from two posts'}], inc[r3]
assert [x['report'] for x in inc[r6]['reports']] == [r6], inc[r6]
assert inc[r6]['overrides'] == [{'index': s, 'op': 'split', 'reports': [r6],
                                 'reason': "the flash was another gun's"}], inc[r6]
PY
get "/api/v1/daily/2026-11-30" >"$T/daily.json"
get "/api/v1/incidents/$R1" >"$T/inc1.json"
check "the daily report's notable incidents: the casualties' incident as the engine has it" \
  python3 -c "
import json; d = json.load(open('$T/daily.json')); i = json.load(open('$T/inc1.json'))
assert d['notable'] == [${IDX[r2]}], d['notable']
assert d['notable_incidents'] == [i], d['notable_incidents']
assert [x['report'] for x in i['reports']] == [$R1, ${IDX[r2]}], i"
for d in 2026-11-30 2026-12-01; do get "/api/v1/incidents?day=$d" >"$T/before-$d.json"; done
get "/api/v1/incidents/$R3" >"$T/before-one.json"

# ---- kill -9 and restart: the same bytes ----
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server a
for d in 2026-11-30 2026-12-01; do
  check "after kill -9 and a restart, the incidents of $d are the same bytes" \
    [ "$(get "/api/v1/incidents?day=$d")" = "$(cat "$T/before-$d.json")" ]
done
check "after the restart, incident $R3 is the same bytes" \
  [ "$(get "/api/v1/incidents/$R3")" = "$(cat "$T/before-one.json")" ]
check "fsck replays the log to the same tables (report_overrides too)" "$W" fsck --db "$(db_of a)"
db_copy a t
python3 -c "
import wldb; t=wldb.connect('$(db_of t)')
n=t.execute(\"UPDATE report_overrides SET reports='[1,2]' WHERE idx=(SELECT max(idx) FROM report_overrides)\").rowcount
t.commit(); assert n==1, n"
if "$W" fsck --db "$(db_of t)" >/dev/null 2>"$T/fsck-t.err"; then not_ok "fsck passed a store whose override was altered"; else
  check "fsck finds an override altered in the store (report_overrides)" grep -q 'report_overrides' "$T/fsck-t.err"; fi

# ---- daemon B: the same reports in the reverse order ----
setup_daemon b
declare -A IDXB
for ((i = ${#REPORTS[@]} - 1; i >= 0; i--)); do IDXB[r$((i + 1))]=$(post mon monitor.report "${REPORTS[$i]}"); done
get "/api/v1/incidents?day=2026-11-30" >"$T/b-rev.json"
check "the same reports in the reverse order: the same incidents, report by report" python3 - \
  "$T/a.json" "$T/b-rev.json" "$(for k in "${!IDX[@]}"; do echo "$k=${IDX[$k]}=${IDXB[$k]}"; done | xargs)" <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
la, lb = {}, {}
for kv in sys.argv[3].split():
    k, x, y = kv.split('=')
    la[int(x)], lb[int(y)] = k, k
def sets(o, lab):
    return sorted(sorted(lab[r['report']] for r in i['reports']) for i in o['incidents'])
assert sets(a, la) == sets(b, lb), (sets(a, la), sets(b, lb))
def times(o, lab):
    return sorted((i['t_min'], i['t_max'], i['size']) for i in o['incidents'])
assert times(a, la) == times(b, lb)
PY
# ---- daemon C: a write is answered while a read holds the engine; a read after it sees it ----
# WL_TEST_INCIDENTS_READ_DELAY_MS (src/daemon/faults.c): the first read holds the engine 15 s.
WL_TEST_INCIDENTS_READ_DELAY_MS=15000 setup_daemon c
C1=$(post mon monitor.report "$(rep c1 explosion 30.0 50.0 $T0)")
curl -fs -o "$T/c-slow.json" "$URL/api/v1/incidents/$C1" &
SLOW=$!
wait_for "the read holding the engine" grep -q 'WL_TEST_INCIDENTS_READ_DELAY_MS' "$T/c.log"
C2=$(post mon monitor.report "$(rep c2 explosion 30.0 50.0 $((T0 + 60)))")
check "a report is acknowledged while a read holds the engine (the read still running)" \
  kill -0 "$SLOW"
CM=$(post mon monitor.split "{\"reports\":[$C2],\"reason\":\"another gun\"}")
check "a split is acknowledged while a read holds the engine (the read still running)" \
  kill -0 "$SLOW"
wait "$SLOW" || true
check "the held read answers, with the incident as it was" python3 -c "
import json; o = json.load(open('$T/c-slow.json')); assert [r['report'] for r in o['reports']] == [$C1], o"
get "/api/v1/incidents/$C2" >"$T/c2.json"
check "a read after the writes sees them: the split report its own incident, saying why" python3 -c "
import json; o = json.load(open('$T/c2.json'))
assert [r['report'] for r in o['reports']] == [$C2] and o['overrides'][0]['index'] == $CM, o"
C3=$(post mon monitor.report "$(rep c3 explosion 30.0 50.0 $((T0 + 120)))")
get "/api/v1/incidents/$C1" >"$T/c1.json"
check "a report posted just before a read is in its incident" python3 -c "
import json; o = json.load(open('$T/c1.json'))
assert [r['report'] for r in o['reports']] == [$C1, $C3], o"
# ---- the daily report's notable incidents are the engine's: ids and reports across days ----
# c4 (2026-11-30, 19:29:59 Kyiv) and c5 (casualties, 2026-12-01) join across 19:30: one
# incident, id c4; c6 (casualties, 2026-11-30) and c7 (2026-12-01) apart, merged.
C4=$(post mon monitor.report "$(rep c4 explosion 31.0 50.0 $((EDGE - 1)))")
C5=$(post mon monitor.report "$(rep c5 civilian_casualties 31.0 50.0 $((EDGE + 60)))")
C6=$(post mon monitor.report "$(rep c6 civilian_casualties 32.0 50.0 $T0)")
C7=$(post mon monitor.report "$(rep c7 explosion 33.0 50.0 $((EDGE + 600)))")
CJ=$(post mon monitor.merge "{\"reports\":[$C6,$C7],\"reason\":\"one strike\"}")
for d in 2026-11-30 2026-12-01; do get "/api/v1/daily/$d" >"$T/c-daily-$d.json"; done
get "/api/v1/incidents/$C4" >"$T/c4.json"
get "/api/v1/incidents/$C6" >"$T/c6.json"
check "2026-12-01's notable incident across 19:30 is GET /api/v1/incidents/<id>'s, id and reports" \
  python3 -c "
import json; d = json.load(open('$T/c-daily-2026-12-01.json')); i = json.load(open('$T/c4.json'))
assert [x['report'] for x in i['reports']] == [$C4, $C5], i
assert $C5 in d['notable'] and i in d['notable_incidents'], d['notable_incidents']
assert all(n['id'] != $C5 for n in d['notable_incidents']), d['notable_incidents']"
check "2026-11-30's notable incident merged with a report of 2026-12-01 is the engine's" \
  python3 -c "
import json; d = json.load(open('$T/c-daily-2026-11-30.json')); i = json.load(open('$T/c6.json'))
assert [x['report'] for x in i['reports']] == [$C6, $C7] and i['overrides'][0]['index'] == $CJ, i
assert $C6 in d['notable'] and i in d['notable_incidents'], d['notable_incidents']"
# ---- the start-up build does not hold writes: reads wait for it, then see them ----
# WL_TEST_INCIDENTS_BUILD_DELAY_MS (src/daemon/faults.c): the build at start takes 15 s more.
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
WL_TEST_INCIDENTS_BUILD_DELAY_MS=15000 start_server c
wait_for "the start-up build under way" grep -q 'WL_TEST_INCIDENTS_BUILD_DELAY_MS' "$T/c.log"
curl -fs -o "$T/c-start.json" "$URL/api/v1/incidents/$C1" &
SLOW=$!
C8=$(post mon monitor.report "$(rep c8 explosion 30.0 50.0 $((T0 + 180)))")
check "a report is acknowledged while the start-up build runs (a read still waiting for it)" \
  kill -0 "$SLOW"
wait "$SLOW" || true
check "the read that waited for the build sees the report posted meanwhile" python3 -c "
import json; o = json.load(open('$T/c-start.json'))
assert [r['report'] for r in o['reports']] == [$C1, $C3, $C8], o"
finish
