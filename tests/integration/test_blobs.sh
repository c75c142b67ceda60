#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Blobs against the real daemon (issue 10, point 1): documents by the SHA-256 of
# their bytes. A round trip through `willing blob put|get`; who reads a private
# blob (its uploader, a coordinator, a member an entry names) and that anyone
# else gets the very 404 of a hash not held; a public blob to anyone, with
# immutable caching, its ETag and 304; the same bytes again change nothing; and
# every refusal a 4xx naming it with nothing stored: bytes not the hash's, a
# body over --blob-max (refused from Content-Length before a byte is read), a
# path that is no hash, a media type too long, an unsigned upload, an observer.
# A slow upload is cut off and the server keeps serving; an acknowledged upload
# survives kill -9 (and the trace shows its 201 sent after the WAL's sync).
source "$(dirname "$0")/lib.sh"

MAX=4096
new_ledger bl
start_server bl --blob-max $MAX --client-timeout 5
for m in co:coordinator ua:host uk:member fr:member ob:observer; do new_member "${m%%:*}" "${m##*:}"; done
DB=$(db_of bl)
sha() { sha256sum "$1" | cut -c1-64; }
count() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
# of_blob SQL HASH: SQL's one value, its ? bound to the blob's hash (hex): on either engine
of_blob() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(sys.argv[2], (bytes.fromhex(sys.argv[3]),)).fetchone()[0])' "$DB" "$1" "$2"; }
code() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$T/body"; }
msg() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["message"])' "$T/body"; }
# sget KEY PATH [curl args]: a GET signed with KEY's member; the answer's headers in $T/headers
sget() {
  "$W" fetch --key "$T/$1.key" --print-headers "$URL$2" >"$T/sig"
  curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' "$URL$2" -H "$(sed -n 1p "$T/sig")" \
    -H "$(sed -n 2p "$T/sig")" "${@:3}"
}
# sput KEY HASH FILE [TYPE [QUERY]]: a signed PUT of FILE's bytes to /api/v1/blobs/HASH
sput() {
  "$W" fetch --key "$T/$1.key" --method PUT --type "${4:-text/plain}" --data "@$3" --status \
    "$URL/api/v1/blobs/$2${5:-}" >"$T/out" 2>/dev/null || true
  head -1 "$T/out"
  tail -n +2 "$T/out" >"$T/body"
}
header() { tr -d '\r' <"$T/headers" | awk -v h="$1" 'tolower($0) ~ "^" tolower(h) ":" {sub(/^[^:]*: */, ""); print; exit}'; }

# a private blob: the round trip
printf 'Draft agreement (illustrative): the text.\n' >"$T/text.txt"
H=$(sha "$T/text.txt")
out=$("$W" blob put --server "$URL" --key "$T/uk.key" --media text/plain "$T/text.txt" 2>&1)
check "blob put prints 'blob HASH', the file's SHA-256" [ "$out" = "blob $H" ]
check "  ... stored once, private, its uploader uk" [ "$(of_blob "SELECT CAST(count(*) AS TEXT) || max(public) || max(uploader) || max(media) FROM blobs WHERE hash = ?" "$H")" = "10uktext/plain" ]
check "blob get by its uploader writes the same bytes (-o)" sh -c "'$W' blob get --server '$URL' --key '$T/uk.key' -o '$T/got.txt' $H && cmp -s '$T/text.txt' '$T/got.txt'"
st=$(sget uk /api/v1/blobs/$H)
check "GET by its uploader: 200, the bytes, its media type" sh -c "[ $st = 200 ] && cmp -s '$T/text.txt' '$T/body' && [ \"$(header Content-Type)\" = text/plain ]"
check "  ... ETag \"HASH\", Cache-Control private, immutable" sh -c "[ '$(header ETag)' = '\"$H\"' ] && [ '$(header Cache-Control)' = 'private, max-age=31536000, immutable' ]"
check "  ... a sandbox: no script runs from a document" grep -q "sandbox" <<<"$(header Content-Security-Policy)"
st=$(sget co /api/v1/blobs/$H)
check "GET by a coordinator: 200" sh -c "[ $st = 200 ] && cmp -s '$T/text.txt' '$T/body'"

# others: the same 404 as a hash not held
NOPE=$(printf 'never uploaded' | sha256sum | cut -c1-64)
st=$(status GET /api/v1/blobs/$NOPE)
nope="$st $(code) $(msg | sed "s/$NOPE/HASH/")"
check "a hash not held: 404 unknown_blob" [ "$st:$(code)" = "404:unknown_blob" ]
st=$(status GET /api/v1/blobs/$H)
check "a private blob to the public: the same 404" [ "$st $(code) $(msg | sed "s/$H/HASH/")" = "$nope" ]
st=$(sget fr /api/v1/blobs/$H)
check "a private blob to a member no entry names: the same 404" [ "$st $(code) $(msg | sed "s/$H/HASH/")" = "$nope" ]
check "  ... blob get says so and writes nothing" sh -c "! '$W' blob get --server '$URL' --key '$T/fr.key' -o '$T/fr.txt' $H 2>'$T/err' && grep -q 'that you may read' '$T/err' && [ ! -e '$T/fr.txt' ]"

# a reader an entry names, as the deal's apply records it (wl_store_blob_ref)
python3 -c 'import wldb,sys; d=wldb.connect(sys.argv[1], timeout=10); d.execute("INSERT INTO blob_refs VALUES(?, ?, 99)", (bytes.fromhex(sys.argv[2]), "fr")); d.commit()' "$DB" "$H"
st=$(sget fr /api/v1/blobs/$H)
check "a member an entry names reads it: 200" sh -c "[ $st = 200 ] && cmp -s '$T/text.txt' '$T/body'"
st=$(sget ua /api/v1/blobs/$H)
check "  ... and still no one else (the host): 404" [ "$st:$(code)" = "404:unknown_blob" ]
check "fsck finds a grant no entry made" sh -c "! '$W' fsck --db '$DB' >/dev/null 2>&1"
python3 -c 'import wldb,sys; d=wldb.connect(sys.argv[1], timeout=10); d.execute("DELETE FROM blob_refs"); d.commit()' "$DB"

# a public blob
printf '{"type":"Point","coordinates":[30.5,50.4]}' >"$T/annex.geojson"
P=$(sha "$T/annex.geojson")
out=$("$W" blob put --server "$URL" --key "$T/uk.key" --public --media application/geo+json --json "$T/annex.geojson")
check "blob put --public --json: the server's answer" python3 -c "
import json,sys; o=json.loads(sys.argv[1])
assert o=={'hash':'$P','size':42,'media':'application/geo+json','public':True}, o" "$out"
st=$(curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' "$URL/api/v1/blobs/$P")
check "a public blob to anyone: 200, Cache-Control public, immutable" sh -c "[ $st = 200 ] && cmp -s '$T/annex.geojson' '$T/body' && [ '$(header Cache-Control)' = 'public, max-age=31536000, immutable' ]"
check "blob get without a key checks and prints it" sh -c "'$W' blob get --server '$URL' $P | cmp -s - '$T/annex.geojson'"
rm -f "$T/body"
st=$(curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' "$URL/api/v1/blobs/$P" -H "If-None-Match: \"$P\"")
check "If-None-Match with its ETag: 304, no body" sh -c "[ $st = 304 ] && [ ! -s '$T/body' ] && [ '$(header ETag)' = '\"$P\"' ]"
st=$(curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' "$URL/api/v1/blobs/$P" -H "If-None-Match: \"$H\"")
check "If-None-Match with another ETag: 200" [ "$st" = 200 ]
st=$(curl -s -I -o "$T/headers" -w '%{http_code}' "$URL/api/v1/blobs/$P")
check "HEAD: 200 with its length" sh -c "[ $st = 200 ] && [ '$(header Content-Length)' = 42 ]"

# the same bytes again: nothing changes
n0=$(count "SELECT count(*) FROM blobs")
st=$(sput fr "$H" "$T/text.txt" text/html "?public=1")
check "the same hash again: 200, as first stored (private, text/plain)" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200', '$st'
assert o['public'] is False and o['media']=='text/plain', o"
check "  ... nothing stored" [ "$(count "SELECT count(*) FROM blobs")$(of_blob "SELECT CAST(public AS TEXT) || uploader || media FROM blobs WHERE hash = ?" "$H")" = "${n0}0uktext/plain" ]

# refusals, each with nothing stored
refused() { # refused DESC STATUS CODE GOT: GOT is "STATUS" of the request just made
  check "$1: $2 $3, nothing stored" sh -c "[ '$4:$(code)' = '$2:$3' ] && [ $(count 'SELECT count(*) FROM blobs') = $n0 ]"
}
printf 'other bytes' >"$T/other.txt"
st=$(sput uk "$H" "$T/other.txt")
refused "bytes whose SHA-256 is not the path's" 400 hash_mismatch "$st"
head -c $((MAX + 1)) /dev/zero >"$T/big.bin"
# chunked: no Content-Length to refuse it by, so it is read up to the ceiling, the rest dropped
st=$(status PUT /api/v1/blobs/$(sha "$T/big.bin") --data-binary @"$T/big.bin" \
  -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream')
refused "a body over --blob-max" 413 too_large "$st"
check "  ... the message names the limit" grep -q "$MAX bytes" <<<"$(msg)"
head -c $MAX /dev/zero >"$T/max.bin"
st=$(sput uk "$(sha "$T/max.bin")" "$T/max.bin" application/octet-stream)
check "a body of exactly --blob-max: 201" [ "$st" = 201 ]
n0=$(count "SELECT count(*) FROM blobs")
st=$(sput uk "ABCDEF${H:6}" "$T/text.txt")
refused "a path that is not 64 lower-case hex digits" 400 bad_hash "$st"
st=$(status GET /api/v1/blobs/not-a-hash)
check "GET of a path that is no hash: 400 bad_hash" [ "$st:$(code)" = "400:bad_hash" ]
printf 'x' >"$T/x.txt"
st=$(sput uk "$(sha "$T/x.txt")" "$T/x.txt" "text/$(head -c 100 /dev/zero | tr '\0' a)")
refused "a media type over 100 characters" 400 bad_media "$st"
st=$(sput uk "$(sha "$T/x.txt")" "$T/x.txt" text/plain "?public=yes")
refused "public=yes" 400 bad_query "$st"
st=$(sput ob "$(sha "$T/x.txt")" "$T/x.txt")
refused "an upload by an observer" 403 forbidden "$st"
st=$(status PUT /api/v1/blobs/$(sha "$T/x.txt") --data-binary @"$T/x.txt" -H 'Content-Type: text/plain')
refused "an unsigned upload" 401 unauthenticated "$st"
st=$(status DELETE /api/v1/blobs/$H)
check "DELETE: 405" [ "$st:$(code)" = "405:method_not_allowed" ]

# refused from Content-Length alone, before a byte of the body is sent
python3 - "${URL##*:}" $((MAX + 1)) "$(sha "$T/big.bin")" >"$T/early" <<'PY'
import socket,sys
port,n,h=int(sys.argv[1]),int(sys.argv[2]),sys.argv[3]
s=socket.create_connection(("127.0.0.1",port),timeout=20)
s.sendall(("PUT /api/v1/blobs/%s HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % (h,n)).encode())
a=b""
while b"\r\n\r\n" not in a:
    c=s.recv(4096)
    if not c: break
    a+=c
print(a.split(b"\r\n")[0].decode())
PY
check "a Content-Length over --blob-max: 413 before the body is sent" grep -q '^HTTP/1.1 413' "$T/early"

# a slow upload is cut off at --client-timeout; the server keeps serving
python3 - "${URL##*:}" "$(sha "$T/big.bin")" >"$T/slow" <<'PY'
import socket,sys,time
port,h=int(sys.argv[1]),sys.argv[2]
s=socket.create_connection(("127.0.0.1",port),timeout=60)
s.sendall(("PUT /api/v1/blobs/%s HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 4000\r\n\r\n" % h).encode())
start=time.time()
try:
    while time.time()-start<60:
        s.sendall(b"x")      # a byte now and then: never the whole body
        s.settimeout(1)
        try:
            if s.recv(4096)==b"": break
        except socket.timeout: pass
    print("closed" if time.time()-start<60 else "open")
except (BrokenPipeError, ConnectionResetError):
    print("closed")
PY
check "a trickled upload is cut off" grep -qx closed "$T/slow"
check "  ... and the server keeps serving" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/blobs/$P') = 200 ] && [ $(count 'SELECT count(*) FROM blobs') = $n0 ]"

# an acknowledged upload survives kill -9; its 201 was sent after the WAL's sync
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
port=${URL##*:}
if [ -z "${WILLING_TEST_PG:-}" ]; then
  strace -f -ttt -qq -s 200 -e trace=fdatasync,fsync,pwrite64,write,writev,sendto,sendmsg \
    -o "$T/trace" "$W" serve --db "$DB" --listen 127.0.0.1:$port --interval 100 --seal-interval 0 \
    2>>"$T/bl.log" &
  STRACE_PID=$!
  PIDS+=("$STRACE_PID")
  wait_http "$URL/log/checkpoint"
  SERVE_PID=$(pgrep -P "$STRACE_PID" -f 'willing serve' || pgrep -n -f "serve --db $DB")
else # PostgreSQL syncs in its own processes: no trace of the daemon's; kill -9 still
  PORT=$port start_server bl
  SERVE_PID=$SERVER_PID STRACE_PID=$SERVER_PID
fi
# the marker throughout: every overflow page of it shows it in the first bytes the trace keeps
mark=DURABLE-MARKER-$(head -c 8 /dev/urandom | xxd -p)
# 128 KB: served in three pieces
for i in $(seq 4000); do echo "$mark"; done >"$T/durable.txt"
D=$(sha "$T/durable.txt")
st=$(sput uk "$D" "$T/durable.txt")
check "an upload acknowledged: 201" [ "$st" = 201 ]
kill -9 "$SERVE_PID"
wait "$STRACE_PID" 2>/dev/null || true
[ -n "${WILLING_TEST_PG:-}" ] ||
  check "its 201 went out after a sync that followed the write of its bytes" python3 - "$T/trace" <<'PY'
import re,sys
wrote=synced=None
for line in open(sys.argv[1], errors="replace"):
    m=re.match(r'^\d+\s+(\d+\.\d+)\s+(<\.\.\. )?(\w+)', line)
    if not m: continue
    t,name=float(m.group(1)),m.group(3)
    if name=="pwrite64" and "DURABLE-MARKER" in line and wrote is None: wrote=t
    if name in ("fdatasync","fsync") and wrote is not None and t>=wrote and "unfinished" not in line:
        synced=synced or t
    if "201 Created" in line and wrote is not None:
        assert synced is not None and synced<=t, (wrote, synced, t)
        sys.exit(0)
sys.exit(1)
PY
start_server bl --blob-max $MAX
st=$(sget uk /api/v1/blobs/$D)
check "after kill -9 and a restart: the same bytes" sh -c "[ $st = 200 ] && cmp -s '$T/durable.txt' '$T/body'"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
check "fsck: OK" "$W" fsck --db "$DB"
finish
