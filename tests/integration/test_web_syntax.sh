#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The console's scripts parse (issue 8, point 5): every web/js/*.js is checked
# by `node --check` as the ES module the page loads (a syntax error fails here,
# not in a user's browser); and every page takes its header and navigation
# from web/js/nav.js rather than writing its own copy.
# Usage: test_web_syntax.sh path/to/willing (unused: the test reads the sources)
source "$(dirname "$0")/lib.sh"

command -v node >/dev/null || { not_ok "node missing: run scripts/deps.sh --test"; finish; }
n=0
for f in "$SRC"/web/js/*.js; do
  n=$((n + 1))
  # --input-type=module: parsed as a module, as <script type="module"> does
  if ! node --input-type=module --check <"$f" 2>"$T/err"; then
    not_ok "${f#"$SRC"/} parses as an ES module"
    sed 's/^/  # /' "$T/err"
  fi
done
check "node --check parsed the console's $n scripts" [ "$n" -gt 0 ]
for f in "$SRC"/web/*.html; do
  check "${f#"$SRC"/} loads its header from nav.js and writes no <nav> of its own" \
    sh -c "grep -q 'src=\"/static/js/nav.js\"' '$f' && ! grep -q '<nav' '$f'"
done
finish
