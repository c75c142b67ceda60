#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The console in a real browser: Debian's Chromium, headless, driven by npm's
# playwright-core (tests/browser/console.mjs), against the real daemon on
# loopback with a small coalition: every page loads without a console error
# and passes axe-core; entries are verified in the browser against the key the
# user supplies, and a tampered proof or a checkpoint signed by another key
# shows as failed; a member signs in with a login key file, sees its sealed
# pledge, signs out, and the old session is refused.
# Usage: test_console.sh path/to/willing [screenshots-dir]
source "$(dirname "$0")/../integration/lib.sh"
SHOTS=${2:-}

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }

# another log's key: a checkpoint checked with it must fail
new_ledger other
OTHER_VKEY=$VKEY
new_ledger con
# a witness cosigns the log's checkpoints; the explorer checks its cosignature
"$W" keygen --out "$T/w1.key" >/dev/null
wport=$(free_port)
"$W" witness --db "$T/w1.db" --key "$T/w1.key" --name "witness.example/w1" \
  --log "$VKEY" --listen 127.0.0.1:$wport 2>"$T/w1.log" &
PIDS+=($!)
wait_for "the witness to start" witness_started "$T/w1.log"
WVKEY=$(awk '/cosignature key/ {print $5}' "$T/w1.log")
export WVKEY
SEAL=1 start_server con --seal-batch 4 --witness "http://127.0.0.1:$wport+$WVKEY"
for m in gb:coordinator ua:host xa:member; do
  id=${m%%:*}; role=${m##*:}
  "$W" keygen --out "$T/$id.key" --member "$id" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$id" --name "$id (test)" --role "$role" \
    --pubkey-file "$T/$id.key" >/dev/null
done
# xa's officer signs in with a login key
pk=$("$W" keygen --out "$T/xa-login.key" --member xa --scope login | awk '/^public key:/ {print $3}')
"$W" append --server "$URL" --key "$T/xa.key" --kind key.add \
  --body "{\"member\":\"xa\",\"key\":\"$pk\",\"scope\":\"login\"}" >/dev/null
pk=$("$W" keygen --out "$T/xa-console.key" --member xa --scope console | awk '/^public key:/ {print $3}')
"$W" append --server "$URL" --key "$T/xa.key" --kind key.add \
  --body "{\"member\":\"xa\",\"key\":\"$pk\",\"scope\":\"console\"}" >/dev/null
pk=$("$W" keygen --out "$T/gb-login.key" --member gb --scope login | awk '/^public key:/ {print $3}')
"$W" append --server "$URL" --key "$T/gb.key" --kind key.add \
  --body "{\"member\":\"gb\",\"key\":\"$pk\",\"scope\":\"login\"}" >/dev/null
for pair in gb:console ua:login ua:console; do
  id=${pair%%:*}; scope=${pair##*:}
  pk=$("$W" keygen --out "$T/$id-$scope.key" --member "$id" --scope "$scope" | awk '/^public key:/ {print $3}')
  "$W" append --server "$URL" --key "$T/$id.key" --kind key.add \
    --body "{\"member\":\"$id\",\"key\":\"$pk\",\"scope\":\"$scope\"}" >/dev/null
done
"$W" append --server "$URL" --key "$T/gb.key" --kind statement \
  --body '{"text":"Willing to lead, with others.","source":"a test"}' >/dev/null
out=$("$W" append --server "$URL" --key "$T/gb.key" --kind requirement.set \
  --body '{"requirement":"lift","category":"logistics","quantity":"10","unit":"aircraft","priority":1,"needed_by":"2026-Q3"}')
"$W" append --server "$URL" --key "$T/ua.key" --kind requirement.endorse \
  --body "{\"requirement\":\"lift\",\"set\":$(awk '/^index/ {print $2}' <<<"$out")}" >/dev/null
SEALED=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category logistics --quantity 4 \
  --unit aircraft --period 2026-Q3 | awk '/^sealed/ {print $2; exit}')
"$W" pledge add --server "$URL" --key "$T/xa.key" --category ground_forces --quantity 200 \
  --unit troops --condition "requires(ua)" >/dev/null
# a member that has not announced: the coordinator sees it, the public does not
"$W" keygen --out "$T/sx.key" --member sx >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --sealed --id sx --name "Sx (sealed, test)" \
  --role member --pubkey-file "$T/sx.key" >/dev/null
size=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
wait_checkpoint "$size"

cd "$SRC/tests/browser"
if node console.mjs "$URL" "$VKEY" "$OTHER_VKEY" "${LOGIN-$T/xa-login.key}" "$SEALED" "$T/gb-login.key" "$SHOTS"; then
  ok "the console in Chromium (console.mjs)"
else
  not_ok "the console in Chromium (console.mjs)"
fi
finish
