#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/check-layers itself (issue 8): on a tiny tree of its own, built with the C compiler
# into CMake's object layout, it passes when the layers hold and fails, naming the files and
# what to fix, on each thing it guards: an include cycle, an include from lib/ to src/, between
# src/daemon and src/cli, from the pure core to the store or the ledger (directly or through a
# header), a call cycle between files (with the symbols that close it), a forbidden call, a
# file over 700 lines (700 pass), a file missing from docs/ARCHITECTURE.md and a file it names
# that is not there.
source "$(dirname "$0")/lib.sh"
CL=$SRC/scripts/check-layers
CC=${CC:-cc}

# the clean tree: a pure core (lib/util), a store, the ledger's header, a daemon and a CLI
mk() { mkdir -p "$(dirname "$1")" && cat >"$1"; }
CLEAN=$T/pristine
mk "$CLEAN/include/willing/wl.h" <<'EOF'
int wl_util(int x);
EOF
mk "$CLEAN/include/willing/ledger.h" <<'EOF'
#include "store/store.h"
EOF
mk "$CLEAN/lib/util/util.c" <<'EOF'
#include "willing/wl.h"
int wl_util(int x) { return x + 1; }
EOF
mk "$CLEAN/lib/store/store.h" <<'EOF'
#include "willing/wl.h"
int wl_store_get(int x);
EOF
mk "$CLEAN/lib/store/store.c" <<'EOF'
#include "store/store.h"
int wl_store_get(int x) { return wl_util(x); }
EOF
mk "$CLEAN/src/daemon/daemon.h" <<'EOF'
int d_route(int x);
int d_respond(int x);
EOF
mk "$CLEAN/src/daemon/router.c" <<'EOF'
#include "daemon.h"
#include "willing/ledger.h"
int d_route(int x) { return d_respond(wl_store_get(x)); }
EOF
mk "$CLEAN/src/daemon/respond.c" <<'EOF'
#include "daemon.h"
int d_respond(int x) { return x; }
EOF
mk "$CLEAN/src/cli/cli.c" <<'EOF'
#include "willing/wl.h"
int c_main(int x) { return wl_util(x); }
EOF
mk "$CLEAN/docs/ARCHITECTURE.md" <<'EOF'
# Architecture
## Where every file lives
```
include/willing/   wl.h (the base), ledger.h
lib/util/          util.c
lib/store/         store.h store.c
src/daemon/        daemon.h router.c respond.c
src/cli/           cli.c
```
## Next
EOF

# tree NAME: a fresh copy of the clean tree and its objects at $T/NAME (its path in $D)
tree() { D=$T/$1; cp -a "$CLEAN" "$D"; }
# layers: check-layers on $D after building its objects as CMake lays them out (each source
# newer than its object: a build with no header dependencies, enough here); output in $OUT
layers() {
  local f o
  for f in $(cd "$D" && find lib src -name '*.c'); do
    o=$D/build/CMakeFiles/t.dir/$f.o
    [ "$o" -nt "$D/$f" ] && continue
    mkdir -p "$(dirname "$o")"
    "$CC" -c -I"$D/include" -I"$D/lib" -I"$D/src" "$D/$f" -o "$o" || return 2
  done
  OUT=$("$CL" --root "$D" --build "$D/build" 2>&1)
}
passes() { layers && grep -q 'check-layers: ok' <<<"$OUT"; }
# fails TEXT...: check-layers exits 1 and its output holds every TEXT
fails() {
  local rc=0 s
  layers || rc=$?
  [ "$rc" -eq 1 ] || { echo "exit $rc: $OUT" >&2; return 1; }
  for s in "$@"; do grep -qF -- "$s" <<<"$OUT" || { echo "no '$s' in: $OUT" >&2; return 1; }; done
}

D=$CLEAN
check "the clean tree passes" passes

tree inc_cycle
mk "$D/src/daemon/a.h" <<<'#include "b.h"'
mk "$D/src/daemon/b.h" <<<'#include "a.h"'
sed -i 's|^src/daemon/        daemon.h|src/daemon/        a.h b.h daemon.h|' "$D/docs/ARCHITECTURE.md"
check "an include cycle fails, naming it" \
  fails "include cycle: src/daemon/a.h -> src/daemon/b.h -> src/daemon/a.h"

tree lib_src
sed -i '1i #include "daemon/daemon.h"' "$D/lib/util/util.c"
check "an include from lib/ to src/ fails" \
  fails "forbidden include: lib/util/util.c reaches src/daemon/daemon.h" "may not depend on src/"

tree daemon_cli
sed -i '1i #include "daemon/daemon.h"' "$D/src/cli/cli.c"
check "an include from src/cli to src/daemon fails" \
  fails "forbidden include: src/cli/cli.c reaches src/daemon/daemon.h"

tree core_store
mk "$D/include/willing/util.h" <<<'#include "willing/ledger.h"'
sed -i '1i #include "willing/util.h"' "$D/lib/util/util.c"
sed -i 's|wl.h (the base), ledger.h|wl.h (the base), ledger.h, util.h|' "$D/docs/ARCHITECTURE.md"
check "the pure core reaching the ledger and store through its header fails, blaming the header" \
  fails "forbidden include: include/willing/util.h reaches include/willing/ledger.h" \
  "the pure core may not depend on the store"
check "... and not each file that includes that header" \
  bash -c '! grep -q "lib/util/util.c reaches" <<<"$1"' _ "$OUT"

tree call_cycle
# respond.c calls back into router.c: the daemon's files call each other in a circle
cat >>"$D/src/daemon/respond.c" <<'EOF'
int d_again(int x) { return d_route(x); }
EOF
check "a call cycle fails, naming both files and the symbol that closes it" \
  fails "call cycle between 2 files: src/daemon/respond.c, src/daemon/router.c" \
  "src/daemon/respond.c uses src/daemon/router.c: d_route"

tree core_call
cat >>"$D/lib/util/util.c" <<'EOF'
int wl_store_get(int x);
int wl_util_stored(int x) { return wl_store_get(x); }
EOF
check "a call from the pure core into the store fails (and the cycle it makes)" \
  fails "forbidden call: lib/util/util.c uses lib/store/store.c (wl_store_get)" \
  "call cycle between 2 files: lib/store/store.c, lib/util/util.c"

tree long
for i in $(seq 700); do echo "/* $i */"; done >"$D/src/cli/long.c"
sed -i 's|^src/cli/           cli.c|src/cli/           cli.c long.c|' "$D/docs/ARCHITECTURE.md"
check "a file of 700 lines passes" passes
echo '/* 701 */' >>"$D/src/cli/long.c"
check "a file of 701 lines fails, naming it" fails "too long: src/cli/long.c has 701 lines"
cp "$D/src/cli/long.c" "$D/src/cli/long.js"
check "so does a script" fails "too long: src/cli/long.js has 701 lines"

tree undocumented
mk "$D/lib/util/more.c" <<<'int wl_more(void) { return 0; }'
check "a file not named in ARCHITECTURE.md fails, saying where to name it" \
  fails "not in docs/ARCHITECTURE.md: lib/util/more.c" "name more.c under lib/util/"
rm "$D/lib/util/more.c" "$D/lib/store/store.c"
check "a file ARCHITECTURE.md names that is not in the tree fails" \
  fails "docs/ARCHITECTURE.md names lib/store/store.c, which is not in the tree"

finish
