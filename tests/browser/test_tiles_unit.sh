#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The explorer's tile reader (web/js/tiles.js) checked in Node.js against RFC 9162's vectors
# and a reference tree (tests/browser/tiles_unit.mjs). Usage: test_tiles_unit.sh [willing]
# web/js has no package.json: Debian 12's Node.js 18 reads its .js files as CommonJS (newer
# versions look at the syntax), so the modules are read from a copy marked as ES modules.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
mkdir -p "$D/web/js" "$D/tests/browser"
cp "$here"/../../web/js/*.js "$D/web/js/"
echo '{"type": "module"}' >"$D/web/js/package.json"
cp "$here/tiles_unit.mjs" "$here/tap.mjs" "$D/tests/browser/"
ln -s "$here/../vectors" "$D/tests/vectors"
ln -s "$here/node_modules" "$D/tests/browser/node_modules"
cd "$D/tests/browser" && node tiles_unit.mjs
