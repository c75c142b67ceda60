#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitors' daily report page in Chromium (tests/browser/daily.mjs), against the real
# daemon with the reports of tests/integration/daily_fixture.sh: the period in Kyiv time,
# the summary by region, the zone, the restriction, the notable reports and the annex as
# the API gives them; another day picked from the form; and the page printed to PDF by
# the browser (Chromium's own print), whose text (pdftotext) holds the report's figures.
# Usage: test_daily_console.sh path/to/willing
source "$(dirname "$0")/../integration/lib.sh"

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }
command -v pdftotext >/dev/null || { echo "not ok - pdftotext missing: run scripts/deps.sh --test"; exit 1; }

source "$SRC/tests/integration/daily_fixture.sh" dc
check "the fixture's reports are logged" [ -n "$R8" ]
# a threshold the page's compliance section shows as an alert on the 29th (bz: 6 violations)
"$W" append --output "$T/th.note" --origin "$LEDGER_ORIGIN" --key "$T/coord.key" --kind monitor.threshold \
  --body '{"zone":"bz","type":"violations","above":5,"days":1,"text":"a heavy day in the buffer zone"}' >/dev/null
st=$(status POST /api/v1/entries -H 'Content-Type: application/json' --data "{\"entry\":\"$(base64 -w0 "$T/th.note")\"}")
TH=$(json_field index)
check "the coordinator's threshold is logged" [ "$st" = 201 ]

cd "$SRC/tests/browser"
if node daily.mjs "$URL" "$T" "$R1" "$R2" "$R3" "$R4" "$R5" "$TH"; then
  ok "the daily report page in Chromium (daily.mjs)"
else
  not_ok "the daily report page in Chromium (daily.mjs)"
fi
check "the printed PDF is a PDF" sh -c "head -c 5 '$T/daily.pdf' | grep -q '%PDF-'"
pdftotext -layout "$T/daily.pdf" "$T/daily.txt"
check "the PDF's text: the day, its period in Kyiv time and the figures of the report" python3 -c "
t=open('$T/daily.txt', encoding='utf-8').read()
for want in ['2026-03-29', '2026-03-28 19:30 (UTC+02:00)', '2026-03-29 19:30 (UTC+03:00)', '6 reports',
             'Донецька область', 'Vasylivka', 'denial', '3 tank', 'Compliance', 'a heavy day in the buffer zone']:
    assert want in t, (want, t[:2000])
assert 'Print or save as PDF' not in t, 'the controls are printed'"
finish
