#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# TLS: serve refuses a non-loopback address without a certificate, and serves
# HTTPS with one (libmicrohttpd's GnuTLS support). Only loopback is used.
source "$(dirname "$0")/lib.sh"

new_ledger tls
out=$("$W" serve --db "$(db_of tls)" --listen 192.0.2.1:8443 2>&1 || true)
check "a non-loopback address without TLS is refused" grep -q 'is not loopback: give --tls-cert and --tls-key' <<<"$out"
out=$("$W" serve --db "$(db_of tls)" --listen 127.0.0.1:1 --tls-cert /nonexistent 2>&1 || true)
check "--tls-cert without --tls-key is refused" grep -q 'go together' <<<"$out"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/key.pem" \
  -out "$T/cert.pem" -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
port=$(free_port)
"$W" serve --db "$(db_of tls)" $(key_args tls) --listen 127.0.0.1:$port --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" \
  2>"$T/tls.log" &
PIDS+=($!)
wait_for "the server over HTTPS" \
  curl -fs --cacert "$T/cert.pem" -o /dev/null "https://127.0.0.1:$port/log/checkpoint"
cp=$(curl -fs --cacert "$T/cert.pem" "https://127.0.0.1:$port/log/checkpoint" || true)
check "the checkpoint is served over HTTPS" grep -qx 'test.example/tls' <<<"$(head -1 <<<"$cp")"
check "plain HTTP is not answered on the TLS port" sh -c "! curl -fs -m 2 -o /dev/null http://127.0.0.1:$port/log/checkpoint"
finish
