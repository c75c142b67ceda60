#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The explorer audits a static mirror (issue 13, point 4): a log of 302 entries (two level-0
# tiles, one of them partial) is mirrored by `willing mirror` into a directory that Debian's
# nginx serves with contrib/nginx/willing-mirror.conf on another loopback port than the
# daemon's; the explorer, served by the daemon and pointed at the nginx URL, checks the
# checkpoint, an entry's inclusion (the proof computed in the browser from the tiles) and the
# whole log's root; a byte changed in a bundle or a tile of the directory makes them fail
# (tests/browser/mirror_console.mjs). Usage: test_mirror_console.sh path/to/willing
source "$(dirname "$0")/../integration/lib.sh"
source "$SRC/tests/integration/nginx.sh"
LG=$(dirname "$W")/willing-loadgen
trap 'stop_nginx; cleanup' EXIT

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }
[ -x "$NGINX" ] || { echo "not ok - nginx is not installed (scripts/deps.sh --test installs it)"; exit 1; }

new_ledger mx
start_server mx
new_member us member
"$LG" --key "$T/us.key" --origin test.example/mx --port "${URL##*:}" --clients 1 --batch 300 \
  --count 300 --seq-base 1000000 >/dev/null
wait_checkpoint 302
"$W" mirror --db "$T/mx.db" --to "$T/mirror" >/dev/null
check "the mirror holds two level-0 tiles, one partial, and a level-1 one" \
  test -f "$T/mirror/tile/0/000" -a -f "$T/mirror/tile/0/001.p/46" -a -f "$T/mirror/tile/1/000.p/1"
start_nginx "$T/mirror"
check "nginx serves it on another port than the daemon's" test "${NURL##*:}" != "${URL##*:}"

cd "$SRC/tests/browser"
if node mirror_console.mjs "$URL" "$NURL/log" "$VKEY" "$T/mirror"; then
  ok "the explorer audits the mirror in Chromium (mirror_console.mjs)"
else
  not_ok "the explorer audits the mirror in Chromium (mirror_console.mjs)"
fi
stop_nginx
finish
