# SPDX-License-Identifier: Apache-2.0
# Debian's nginx serving a static mirror for a test (sourced after lib.sh): start_nginx DIR
# serves DIR at /log/ with contrib/nginx/willing-mirror.conf on a free loopback port and
# sets NURL; stop_nginx stops it. Used by tests/integration/test_mirror.sh and
# tests/browser/test_mirror_console.sh.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
NG=$T/nginx
NGINX_PID=""

stop_nginx() {
  [ -n "$NGINX_PID" ] && { kill -TERM "$NGINX_PID" && wait "$NGINX_PID"; } 2>/dev/null || true
  NGINX_PID=""
}

# nginx_ours: the nginx on NURL answers, and it is ours (the marker of this test's config)
nginx_ours() {
  kill -0 "$NGINX_PID" 2>/dev/null && [ "$(curl -fs "$NURL/willing-test-marker" 2>/dev/null)" = "mirror-$$" ]
}
nginx_up_or_gone() { nginx_ours || ! kill -0 "$NGINX_PID" 2>/dev/null; }

# start_nginx DIR: Debian's nginx as this test's user (root in CI's chroot: then it stays root,
# one process, no `user` switch), its own config, pid, logs and temporary files in $NG,
# serving DIR at /log/ on a free loopback port with the documented snippet; sets NURL
start_nginx() {
  local tries=0 port
  mkdir -p "$NG"
  sed "s#/srv/willing-mirror#$1#" "$SRC/contrib/nginx/willing-mirror.conf" >"$NG/mirror.conf"
  while :; do
    port=$(free_port)
    NURL=http://127.0.0.1:$port
    cat >"$NG/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $NG/nginx.pid;
error_log $NG/error.log;
events { worker_connections 64; }
http {
  access_log $NG/access.log;
  client_body_temp_path $NG/body;
  proxy_temp_path $NG/proxy;
  fastcgi_temp_path $NG/fastcgi;
  uwsgi_temp_path $NG/uwsgi;
  scgi_temp_path $NG/scgi;
  server {
    listen 127.0.0.1:$port;
    location = /willing-test-marker { return 200 "mirror-$$"; }
    include $NG/mirror.conf;
  }
}
EOF
    "$NGINX" -c "$NG/nginx.conf" -p "$NG/" -e "$NG/error.log" 2>>"$NG/stderr" &
    NGINX_PID=$!
    wait_for "nginx to answer or exit" nginx_up_or_gone || return 1
    nginx_ours && return 0
    tries=$((tries + 1)) # the port was taken between free_port and nginx's bind: another
    if [ "$tries" -ge 3 ]; then
      not_ok "nginx did not start: $(tail -3 "$NG/error.log" "$NG/stderr" 2>/dev/null)"
      return 1
    fi
  done
}

