#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Secrets do not outlive their use (issue 14, point 15): the TLS private key
# as serve read it is nowhere in the daemon's memory after an early refusal,
# the log's and the operator's keys nowhere after serving and stopping; the
# CLI wipes a key file it read and refuses. Each runs with
# tests/integration/memscan.c preloaded, which reads the process's own memory
# at exit and says whether a secret is still there.
source "$(dirname "$0")/lib.sh"

cc -shared -fPIC -O1 -o "$T/memscan.so" "$SRC/tests/integration/memscan.c"
# an ASan build's runtime wants to come first (the shim reads memory, it does not
# allocate); leaks at an early refusal are not what this test is about
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0
hexof() { od -An -tx1 -v | tr -d ' \n'; }

new_ledger sec
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/key.pem" \
  -out "$T/cert.pem" -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
# the key's second base64 line: the private scalar's and the public point's bytes
TLS_SECRET=$(sed -n 3p "$T/key.pem" | tr -d '\n' | hexof)
LOG_SECRET=$(grep -v -- '-----\|: ' "$T/sec.db.log.key" | tr -d '\n' | hexof)
seed() { # the raw 32-byte seed of a willing key file, as hex
  python3 -c 'import base64,sys
t = open(sys.argv[1]).read().split("-----")[2]
print(base64.b64decode("".join(t.split()))[16:48].hex())' "$1"
}
LOG_SEED=$(seed "$T/sec.db.log.key")
OP_SEED=$(seed "$T/sec.db.operator.key")
check "the secrets to look for are known (${#TLS_SECRET} and ${#LOG_SECRET} hex digits)" \
  test "${#TLS_SECRET}" -ge 64 -a "${#LOG_SECRET}" -ge 64

# serve_scanned SECRET LOG ARGS...: runs serve with the shim; its stderr in $T/LOG
serve_scanned() {
  local secret=$1 log=$2; shift 2
  WL_TEST_SECRET_HEX=$secret LD_PRELOAD=$T/memscan.so "$W" serve "$@" 2>"$T/$log" || true
}

# refused early: after the TLS files are read, before serving
serve_scanned "$TLS_SECRET" early1.err --db "$T/nope.db" --listen 127.0.0.1:1 \
  --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
check "a refusal after reading the TLS key (no such ledger) ..." grep -q 'does not exist' "$T/early1.err"
check "  ... leaves no copy of the TLS key in memory" \
  grep -q 'memscan: the secret is not in memory at exit' "$T/early1.err"
serve_scanned "$TLS_SECRET" early2.err --db "$(db_of sec)" $(key_args sec) --listen 127.0.0.1:1 \
  --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" --log-key /nonexistent
check "a refusal later (no log key) ..." grep -q 'cannot read the log key' "$T/early2.err"
check "  ... leaves no copy of the TLS key in memory" \
  grep -q 'memscan: the secret is not in memory at exit' "$T/early2.err"

# serving over HTTPS, then stopped. Not the TLS key's text here: GnuTLS, which parses it
# when the server starts, frees its own copy unwiped (seen under ASan, whose allocator
# keeps freed memory); our buffer of it is checked by the refusals above.
port=$(free_port)
WL_TEST_SECRET_HEX=$LOG_SECRET,$LOG_SEED,$OP_SEED LD_PRELOAD=$T/memscan.so "$W" serve --db "$(db_of sec)" $(key_args sec) \
  --listen 127.0.0.1:$port --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" 2>"$T/served.log" &
pid=$!
PIDS+=($pid)
wait_for "the server over HTTPS" \
  curl -fs --cacert "$T/cert.pem" -o /dev/null "https://127.0.0.1:$port/log/checkpoint"
kill -TERM "$pid"
wait "$pid" || true
check "after serving over HTTPS and stopping, neither the log's nor the operator's key is in memory" \
  grep -q 'memscan: the secret is not in memory at exit' "$T/served.log"

# the CLI: a key file read but of no use (it names no member) is wiped before the refusal
"$W" keygen --out "$T/anon.key" >/dev/null
WL_TEST_SECRET_HEX=$(seed "$T/anon.key") LD_PRELOAD=$T/memscan.so "$W" whoami \
  --server http://127.0.0.1:1 --key "$T/anon.key" 2>"$T/cli.err" || true
check "the CLI refuses a key file that names no member ..." grep -q 'names no member' "$T/cli.err"
check "  ... and leaves no copy of the key in memory" \
  grep -q 'memscan: the secret is not in memory at exit' "$T/cli.err"
finish
