#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The console as a journalist meets it, in Debian's Chromium (journalist.mjs):
# an announcement's page shows the revealed pledge decoded and checks in the
# browser its commitment and its author's signature (a tampered value reads
# "Failed"); names, not ids; a statement's own date beside the ledger's time;
# amended and withdrawn pledges marked; each requirement's bar on its own scale
# with its figures; and at 390 px, readable labels and the gap column on screen.
# Usage: test_journalist.sh path/to/willing [screenshots-dir]
source "$(dirname "$0")/../integration/lib.sh"
SHOTS=${2:-}

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }

out=$("$W" init --db "$T/jn.db" --origin test.example/jn)
VKEY=$(awk '/^verifier key:/ {print $3}' <<<"$out")
OPKEY=$T/jn.db.operator.key
# the fingerprint `willing init` prints, when it prints one: the explorer must show the same
INIT_FP=$(grep -o '^fingerprint: *\([0-9a-f]\{4\} \)\{7\}[0-9a-f]\{4\}' <<<"$out" | sed 's/^fingerprint: *//' || true)
export INIT_FP
SEAL=1 start_server jn --seal-batch 1
for m in "gb:coordinator:United Kingdom" ua:host:Ukraine "fd:member:Freedonia (fictional)" \
  "wd:member:Westland (fictional)"; do
  IFS=: read -r id role name <<<"$m"
  "$W" keygen --out "$T/$id.key" --member "$id" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$id" --name "$name" --role "$role" \
    --pubkey-file "$T/$id.key" >/dev/null
done
"$W" append --server "$URL" --key "$T/gb.key" --kind statement \
  --body '{"text":"Willing to lead, with others.","source":"A summit, 2 March 2025","date":"2025-03-02"}' >/dev/null
req() { # id category quantity unit
  local out
  out=$("$W" append --server "$URL" --key "$T/gb.key" --kind requirement.set \
    --body "{\"requirement\":\"$1\",\"category\":\"$2\",\"quantity\":\"$3\",\"unit\":\"$4\",\"priority\":1}")
  "$W" append --server "$URL" --key "$T/ua.key" --kind requirement.endorse \
    --body "{\"requirement\":\"$1\",\"set\":$(awk '/^index/ {print $2}' <<<"$out")}" >/dev/null
}
req reassurance ground_forces 30000 troops
req air-policing air_policing 48 aircraft
req air-defence air_defence 5000 missiles
pledge() { "$W" pledge "$@" --server "$URL" --key "$T/${KEY:-fd}.key"; }
field() { awk -v k="$1" '$1 == k {print $2; exit}'; }
out=$(pledge add --category ground_forces --quantity 4000 --unit troops --period 2026-Q2 \
  --condition "requires(ua)" --text "illustrative")
TROOPS=$(field sealed <<<"$out")
out=$(pledge add --category air_policing --quantity 12 --unit aircraft)
JETS=$(field sealed <<<"$out")
JETS_ID=$(field pledge <<<"$out")
out=$(pledge amend --category air_policing --quantity 16 --unit aircraft "$JETS_ID")
JETS2=$(field sealed <<<"$out")
out=$(pledge add --category logistics --quantity 2 --unit aircraft)
LIFT=$(field sealed <<<"$out")
WD=$(pledge withdraw "$(field pledge <<<"$out")" | field sealed)
announce() {
  wait_envelope "$T/${KEY:-fd}.key" "$1"
  pledge announce "$1" | awk '/^index/ {print $2}'
}
IDX=$(announce "$TROOPS")
for s in "$JETS" "$JETS2" "$LIFT" "$WD"; do announce "$s" >/dev/null; done
# a member that announces a pledge, then withdraws from the coalition
out=$(KEY=wd pledge add --category maritime --quantity 2 --unit ships)
KEY=wd announce "$(field sealed <<<"$out")" >/dev/null
"$W" append --server "$URL" --key "$T/wd.key" --kind member.status \
  --body '{"member":"wd","status":"withdrawn"}' >/dev/null
[ -n "$IDX" ] || { not_ok "the pledges are announced"; finish; }
size=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
wait_checkpoint "$size"

cd "$SRC/tests/browser"
if node journalist.mjs "$URL" "$VKEY" "$IDX" "$SHOTS"; then
  ok "the console, as a journalist meets it, in Chromium (journalist.mjs)"
else
  not_ok "the console, as a journalist meets it, in Chromium (journalist.mjs)"
fi
finish
