#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The member's console in Chromium (tests/browser/member_console.mjs): two
# members on one browser each see only their own drafts and salts, told where
# they are kept, and may clear them; amending keeps a pledge's conditions;
# Announce is offered once; tables download as CSV with formulas neutralised;
# every pattern attribute compiles (the v flag); focus after sign-in; long
# unbroken names and ids on a 390 px screen.
# Usage: test_member_console.sh path/to/willing
source "$(dirname "$0")/../integration/lib.sh"

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }

new_ledger mc
SEAL=1 start_server mc --seal-batch 4
LONG=u$(printf 'a%.0s' $(seq 1 63)) # the longest member id: 64 characters, unbroken
LONGNAME=Name$(printf 'x%.0s' $(seq 1 150))
add() { # add ID NAME ROLE: the member, with a login key and a console key
  "$W" keygen --out "$T/$1.key" --member "$1" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$1" --name "$2" --role "$3" \
    --pubkey-file "$T/$1.key" >/dev/null
  for scope in login console; do
    pk=$("$W" keygen --out "$T/$1-$scope.key" --member "$1" --scope $scope | awk '/^public key:/ {print $3}')
    "$W" append --server "$URL" --key "$T/$1.key" --kind key.add \
      --body "{\"member\":\"$1\",\"key\":\"$pk\",\"scope\":\"$scope\"}" >/dev/null
  done
}
add gb "gb (test)" coordinator
add xa '=HYPERLINK("http://evil.example/","open")' member
add "$LONG" "$LONGNAME" member
# a pledge with conditions, sealed with the CLI: the console amends it
"$W" pledge add --server "$URL" --key "$T/xa.key" --category logistics --quantity 4 \
  --unit aircraft --condition "all(requires(gb), fact(ceasefire-signed))" >/dev/null

cd "$SRC/tests/browser"
if node member_console.mjs "$URL" "$T" "$LONG"; then
  ok "the member's console in Chromium (member_console.mjs)"
else
  not_ok "the member's console in Chromium (member_console.mjs)"
fi
finish
