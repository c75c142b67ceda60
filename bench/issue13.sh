# SPDX-License-Identifier: Apache-2.0
# make bench's sections for issue 13 (beyond one machine), sourced by bench/run.sh, which
# defines W, B, OUT, ROOT, emit, new_port, serve, wrkjson, cpu_ticks, TCK and PIDS:
#   big_section: a log of BENCH_BIG_ENTRIES (default 10,000,000) entries bulk-loaded through
#     the library (bench/bulkload.c); the daemon's resident memory and its proofs over it,
#     once it has read its tree's tiles at start (its warm-up, timed);
#     its static mirror served by nginx and audited, tiles and root (verify --tiles-only)
#   pg_section: durable appends on a local PostgreSQL (scripts/pg-test.sh starts it), 64
#     clients one entry per POST; fail-over from a writer killed with -9 to a standby
# BENCH_ONLY=big|pg runs one of them alone (bench/run.sh).

# proof_single URL SIZE: 500 random inclusion proofs from one keep-alive client, their p50
# and p99 in ms as JSON
proof_single() {
  python3 - "$1" "$2" <<'PY'
import random,sys,time,http.client
url,size=sys.argv[1],int(sys.argv[2])
host,port=url[7:].split(":")
c=http.client.HTTPConnection(host,int(port))
ts=[]
for _ in range(500):
    i=random.randrange(size)
    t=time.perf_counter()
    c.request("GET","/api/v1/proof/inclusion?index=%d&size=%d"%(i,size))
    r=c.getresponse(); r.read()
    ts.append((time.perf_counter()-t)*1000)
ts.sort()
print('{"p50":%.3f,"p99":%.3f}'%(ts[250],ts[495]))
PY
}

# proofs_lua FILE: wrk's script of random inclusion proofs in a log of $SIZE entries
proofs_lua() {
  cat >"$1" <<'LUA'
local n = tonumber(os.getenv("SIZE"))
request = function()
  return wrk.format("GET", string.format("/api/v1/proof/inclusion?index=%d&size=%d", math.random(0, n - 1), n))
end
LUA
}

# mem PID: the process's VmRSS and VmHWM in KiB as JSON
mem() {
  awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {printf "{\"rss_kib\":%d,\"hwm_kib\":%d}", r, h}' \
    "/proc/$1/status"
}

# start_nginx_mirror DIR: Debian's nginx serving DIR at /log/ with contrib/nginx/
# willing-mirror.conf (as tests/integration/nginx.sh does) on a port of new_port; sets NPID, NURL
start_nginx_mirror() {
  local ng=$OUT/nginx
  mkdir -p "$ng"
  sed "s#/srv/willing-mirror#$1#" "$ROOT/contrib/nginx/willing-mirror.conf" >"$ng/mirror.conf"
  new_port
  NURL=$URL
  cat >"$ng/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $ng/nginx.pid;
error_log $ng/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $ng/body;
  proxy_temp_path $ng/proxy;
  fastcgi_temp_path $ng/fastcgi;
  uwsgi_temp_path $ng/uwsgi;
  scgi_temp_path $ng/scgi;
  server {
    listen 127.0.0.1:$P;
    include $ng/mirror.conf;
  }
}
EOF
  "$(command -v nginx || echo /usr/sbin/nginx)" -c "$ng/nginx.conf" -p "$ng/" -e "$ng/error.log" &
  NPID=$!
  PIDS+=("$NPID")
  for _ in $(seq 1 500); do curl -fs -o /dev/null "$NURL/log/checkpoint" && return 0; sleep 0.01; done
  return 1
}

big_section() {
  local big=${BENCH_BIG_ENTRIES:-10000000} db=$OUT/big.db vkey t0 t1 size
  echo "== ${big} entries bulk-loaded (issue 13): the daemon's memory and proofs, the mirror audited"
  "$W" init --db "$db" --origin bench.example/big >"$OUT/big-init.txt"
  vkey=$(awk '/^verifier key:/ {print $3}' "$OUT/big-init.txt")
  "$B/willing-bulkload" "$db" "$big" 4 >"$OUT/bulkload.json" 2>"$OUT/bulkload.log"
  emit big_load "$(python3 -c "import json,sys; o=json.load(open(sys.argv[1])); o['db_bytes']=int(sys.argv[2]); print(json.dumps(o))" "$OUT/bulkload.json" "$(stat -c %s "$db")")"
  new_port
  local lines warm=""
  lines=0
  [ -f "$OUT/serve.log" ] && lines=$(wc -l <"$OUT/serve.log")
  serve "$db"
  size=$(curl -fs "$URL/log/checkpoint" | sed -n 2p)
  # the daemon's warm-up: "the tree's N full tiles read once (M MiB, S s)" in its log; and
  # the writer's check of the file's structure at start (every page read once), which would
  # otherwise run beside the proofs: "the database's structure checked (S s)"
  local checked=""
  for _ in $(seq 1 3000); do
    warm=$(tail -n +"$((lines + 1))" "$OUT/serve.log" | sed -n "s/.*the tree's \([0-9]*\) full tiles read once (\([0-9]*\) MiB, \([0-9.]*\) s).*/{\"tiles\":\1,\"mib\":\2,\"seconds\":\3}/p")
    checked=$(tail -n +"$((lines + 1))" "$OUT/serve.log" | sed -n "s/.*the database's structure checked (\([0-9.]*\) s).*/\1/p")
    [ -n "$warm" ] && [ -n "$checked" ] && break
    sleep 0.2
  done
  echo "the daemon's warm-up: ${warm:-none seen}; its structure check: ${checked:-none seen} s"
  local started proofs single after
  started=$(mem "$SPID")
  proofs_lua "$OUT/big-proofs.lua"
  proofs=$(SIZE=$size wrk -t2 -c64 -d10s -s "$OUT/big-proofs.lua" "$URL" | wrkjson)
  single=$(proof_single "$URL" "$size")
  after=$(mem "$SPID")
  emit big_serve "$(python3 -c '
import json,sys
s,p,one,a,w=(json.loads(x) for x in sys.argv[1:6])
print(json.dumps({"size": int(sys.argv[6]), "started": s, "after_proofs": a, "proofs": p,
                  "proof_single_ms": one, "warm_up": w}))' "$started" "$proofs" "$single" "$after" \
    "${warm:-null}" "$size")"
  kill -TERM "$SPID"; wait "$SPID" 2>/dev/null || true

  t0=$(date +%s.%N)
  "$W" mirror --db "$db" --to "$OUT/big-mirror" --json >"$OUT/big-mirror.json"
  t1=$(date +%s.%N)
  emit big_mirror "$(python3 -c "import json; o=json.load(open('$OUT/big-mirror.json')); o['seconds']=round($t1-$t0,3); print(json.dumps(o))")"
  start_nginx_mirror "$OUT/big-mirror"
  t0=$(date +%s.%N)
  XDG_STATE_HOME=$OUT/big-verify "$W" verify "$NURL" --vkey "$vkey" --tiles-only --json \
    >"$OUT/big-verify.json"
  t1=$(date +%s.%N)
  emit big_verify_tiles "$(python3 -c "
import json; o=json.load(open('$OUT/big-verify.json')); t=$t1-$t0
o['command_seconds']=round(t,3); o['entries_per_s']=round(o['size']/t)
print(json.dumps(o))")"
  kill -TERM "$NPID"; wait "$NPID" 2>/dev/null || true
  # several GB: nothing else reads them
  rm -rf "$db" "$db-wal" "$db-shm" "$OUT/big-mirror" "$OUT/big-verify"
}

# the PostgreSQL server of pg_section (stopped by pg_stop, from run.sh's exit trap too)
PGDIR=""
pg_stop() {
  if [ -n "$PGDIR" ]; then "$ROOT/scripts/pg-test.sh" stop "$PGDIR" >/dev/null 2>&1 || true; fi
  PGDIR=""
}

# append_until URL KEY: tries an append on URL every 20 ms until one is acknowledged (30 s
# at most); non-zero if none was
append_until() {
  local i
  for i in $(seq 1 1500); do
    "$W" append --server "$1" --key "$2" --kind statement --body "{\"text\":\"failover $i\"}" \
      >/dev/null 2>&1 && return 0
    sleep 0.02
  done
  return 1
}

pg_section() {
  local url opkey t0 t1 c0 c1 res secs wpid wurl keys
  echo "== PostgreSQL (issue 13): durable appends, 64 clients, one entry per POST; fail-over"
  PGDIR=$OUT/pg
  WILLING_PG_PORTS=${BENCH_PG_PORTS:-} "$ROOT/scripts/pg-test.sh" start "$PGDIR" >/dev/null
  url=$("$ROOT/scripts/pg-test.sh" createdb "$PGDIR" bench)
  opkey=$OUT/pg.operator.key
  keys=(--log-key "$OUT/pg.log.key" --operator-key "$opkey")
  "$W" init --db "$url" --origin bench.example/pg "${keys[@]}" >"$OUT/pg-init.txt"
  new_port
  serve "$url" "${keys[@]}"
  wpid=$SPID wurl=$URL
  "$W" keygen --out "$OUT/pg1.key" --member pg1 >/dev/null
  "$W" member add --server "$URL" --key "$opkey" --id pg1 --name pg1 --role member \
    --pubkey-file "$OUT/pg1.key" >/dev/null
  c0=$(cpu_ticks "$SPID")
  res=$("$B/willing-loadgen" --key "$OUT/pg1.key" --origin bench.example/pg --port "$P" \
    --clients 64 --count "${BENCH_PG_COUNT:-100000}")
  c1=$(cpu_ticks "$SPID")
  secs=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['seconds'])" "$res")
  emit appends_pg "$(python3 -c "
import json,sys; o=json.loads(sys.argv[1]); o['server_cpu_share']=round(($c1-$c0)/$TCK/$secs/$(nproc),3)
print(json.dumps(o))" "$res")"

  # fail-over: a second daemon on the same database waits as a standby; the writer is killed
  # with -9; the time until the standby acknowledges a write
  new_port
  "$W" serve --db "$url" --listen "127.0.0.1:$P" "${keys[@]}" 2>>"$OUT/serve-standby.log" &
  SPID=$!
  PIDS+=("$SPID")
  for _ in $(seq 1 1000); do curl -fs -o /dev/null "$URL/log/checkpoint" && break; sleep 0.01; done
  "$W" append --server "$wurl" --key "$opkey" --kind statement --body '{"text":"before"}' >/dev/null
  if "$W" append --server "$URL" --key "$opkey" --kind statement --body '{"text":"standby"}' \
    >/dev/null 2>&1; then
    # two writers at once: no standby to time (the writer's lock is not there)
    emit failover_ms null
    emit failover_note '"the second daemon acknowledged a write while the first lived: no standby"'
    kill -TERM "$SPID" "$wpid"; wait "$SPID" "$wpid" 2>/dev/null || true
    pg_stop
    return 0
  fi
  t0=$(date +%s%N)
  kill -9 "$wpid"
  if append_until "$URL" "$opkey"; then
    t1=$(date +%s%N)
    emit failover_ms "$(((t1 - t0) / 1000000))"
  else
    emit failover_ms null
  fi
  kill -TERM "$SPID"; wait "$SPID" 2>/dev/null || true
  pg_stop
}
