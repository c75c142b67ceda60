#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The daemon reads HTTP strictly (issue 14 point 11): a request a proxy in
# front might frame differently from us (request smuggling) is refused with
# 400 and a JSON error, unread, and its connection closed so that nothing
# hidden in it is served; a path with an encoded NUL is refused too.
# Raw requests over sockets: curl would not send most of these.
source "$(dirname "$0")/lib.sh"

new_ledger strict
start_server strict
port=${URL##*:}

# raw REQUEST (printf escapes): prints "STATUS ERROR RESPONSES" for what comes
# back on one connection before the server closes it
raw() {
  printf "$1" | python3 -c '
import json,re,socket,sys
req=sys.stdin.buffer.read()
s=socket.create_connection(("127.0.0.1",int(sys.argv[1])))
s.sendall(req)
s.settimeout(5)
data=b""
try:
    while True:
        d=s.recv(65536)
        if not d: break
        data+=d
except OSError:
    pass
resps=[]  # (status, body) of each response, read by its Content-Length
rest=data
while rest.startswith(b"HTTP/1.1 "):
    head,_,rest=rest.partition(b"\r\n\r\n")
    m=re.search(rb"(?im)^content-length: *(\d+)",head)
    n=int(m.group(1)) if m else len(rest)
    resps.append((head.split(b" ")[1].decode(),rest[:n]))
    rest=rest[n:]
status,body=resps[0] if resps else ("none",b"")
n=len(resps)+(1 if rest else 0)
try:
    code=json.loads(body)["error"]
except Exception:
    code="not-json"
print(status, code, n)' "$port"
}
expect_raw() { # expect_raw "case" "STATUS ERROR RESPONSES" REQUEST
  local got
  got=$(raw "$3")
  if [ "$got" = "$2" ]; then ok "$1: $got"; else not_ok "$1: want $2, got $got"; fi
}

entry_req='POST /api/v1/entries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
smuggled='GET /log/checkpoint HTTP/1.1\r\nHost: x\r\n\r\n'

expect_raw "two Content-Length headers that differ" "400 ambiguous_length 1" \
  "${entry_req}Content-Length: 2\r\nContent-Length: 45\r\n\r\n{}${smuggled}"
expect_raw "Content-Length with Transfer-Encoding" "400 ambiguous_length 1" \
  "${entry_req}Content-Length: 45\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}"
expect_raw "Transfer-Encoding with a space before the colon" "400 malformed_header 1" \
  "${entry_req}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n${smuggled}"
expect_raw "a space before the colon, beside Content-Length" "400 malformed_header 1" \
  "${entry_req}Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${smuggled}"
expect_raw "a Transfer-Encoding other than chunked" "400 ambiguous_length 1" \
  "${entry_req}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${smuggled}"
expect_raw "Transfer-Encoding twice" "400 ambiguous_length 1" \
  "${entry_req}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}"
expect_raw "Transfer-Encoding in HTTP/1.0" "400 ambiguous_length 1" \
  'POST /api/v1/entries HTTP/1.0\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
expect_raw "an encoded NUL in the path" "400 bad_path 1" \
  'GET /log/checkpoint%%00 HTTP/1.1\r\nHost: x\r\n\r\n'
expect_raw "an encoded NUL in the query" "400 bad_path 1" \
  'GET /api/v1/proof/inclusion?index=0%%00&size=1 HTTP/1.1\r\nHost: x\r\n\r\n'
expect_raw "HTTP/1.1 with an empty Host" "400 missing_host 1" \
  'GET /log/checkpoint HTTP/1.1\r\nHost:\r\n\r\n'
expect_raw "two Host header fields" "400 malformed_header 1" \
  'GET /log/checkpoint HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'

# what a strict reading still accepts: one chunked body, repeated equal lengths,
# pipelined requests on one connection
expect_raw "a chunked body is read" "400 malformed_json 1" \
  "${entry_req}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{]\r\n0\r\n\r\n"
expect_raw "the same Content-Length twice" "400 malformed_json 1" \
  "${entry_req}Content-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{]"
got=$(raw "${smuggled}GET /log/checkpoint HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check "two pipelined requests get two answers ($got)" [ "$got" = "200 not-json 2" ]
check "and the server still serves" [ "$(status GET /log/checkpoint)" = 200 ]
# libmicrohttpd complains at start-up when its logger is not its first option
check "the HTTP layer starts without complaint" \
  bash -c "! grep -q 'is not the first option' '$T/strict.log'"
finish
