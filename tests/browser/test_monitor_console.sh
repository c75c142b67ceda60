#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitors' page in Chromium (tests/browser/monitor.mjs), against the real daemon with
# the reports of tests/integration/daily_fixture.sh and UCDP's staged history: the map of a
# day holds as many reports as the API gives (points, cluster totals, oblasts), at every
# zoom the page asks; the day, the type and the timeline's days change them; UCDP's layer
# is its own, attributed to UCDP; an incident's reports are outlined together; signed in as a monitor, the reports it sent, and a report
# written in the browser while the daemon is down stays pending in the outbox, then is
# sent (and logged, its index visible through the API) once the daemon is back; a report
# the log refuses shows the log's error.
# Usage: test_monitor_console.sh path/to/willing
source "$(dirname "$0")/../integration/lib.sh"

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }

source "$SRC/tests/integration/daily_fixture.sh" mc
check "the fixture's reports are logged" [ -n "$R8" ]
# 2026-03-31: two explosions 5 minutes and about 300 m apart (one incident), and shots far away
I1=$(post_report mon2 "{\"observed\":$(t 2026-03-31T08:00:00Z),\"precision_s\":600,$(at 37.50 48.50),\"type\":\"explosion\",\"count\":2}")
I2=$(post_report mon2 "{\"observed\":$(t 2026-03-31T08:05:00Z),\"precision_s\":600,$(at 37.503 48.502),\"type\":\"explosion\",\"count\":1}")
I3=$(post_report mon2 "{\"observed\":$(t 2026-03-31T09:00:00Z),\"precision_s\":600,$(at 35.00 47.00),\"type\":\"bursts_shots\"}")
check "three reports of 2026-03-31 logged" [ -n "$I3" ]
check "the API joins the two explosions into one incident" python3 -c "
import json, urllib.request; o=json.load(urllib.request.urlopen('$URL/api/v1/incidents?day=2026-03-31'))
assert [sorted(r['report'] for r in i['reports']) for i in o['incidents'] if i['size']>1]==[sorted([$I1,$I2])], o"
if "$W" history import-ucdp --server "$URL" --key "$T/coord.key" "$SRC/tests/fixtures/ucdp/ged-ukraine.csv" \
  >"$T/imp.out" 2>&1; then ok "UCDP's staged file imported by the coordinator"
else not_ok "UCDP's import: $(tail -3 "$T/imp.out")"; fi
# the monitor's login and console keys, for its own section and the outbox
for s in login console; do
  pk=$("$W" keygen --out "$T/mon-$s.key" --member mon --scope $s | awk '/^public key:/ {print $3}')
  "$W" append --server "$URL" --key "$T/mon.key" --kind key.add \
    --body "{\"member\":\"mon\",\"key\":\"$pk\",\"scope\":\"$s\"}" >/dev/null
done

PORT_=${URL##*:}
cd "$SRC/tests/browser"
if node monitor.mjs "$URL" "$T" "$R4" "$SERVER_PID" "$W" "$T/mc.db" "$PORT_"; then
  ok "the monitors' page in Chromium (monitor.mjs)"
else
  not_ok "the monitors' page in Chromium (monitor.mjs)"
fi
# the daemon monitor.mjs started again after stopping this one
[ -s "$T/server2.pid" ] && PIDS+=("$(cat "$T/server2.pid")")
finish
