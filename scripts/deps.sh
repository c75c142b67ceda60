#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian package that building, running and testing willing needs:
# with no option what `make run` needs (building, and the demo script's curl and
# python3), with --test what `make check` needs too. Idempotent: packages already
# present are not touched, and apt-get update runs only when something is missing.
# Usage: scripts/deps.sh [--test|--bench]
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config
  libmicrohttpd-dev libjansson-dev libsodium-dev libssl-dev libsqlite3-dev
  libcurl4-openssl-dev libxml2-dev libcsv-dev
  libgeos-dev libicu-dev libpq-dev
)
# scripts/demo.sh, run by `make run`; Leaflet, which the daemon serves to the deal page's map
run_pkgs=(curl python3 libjs-leaflet)
test_pkgs=(
  libcmocka-dev clang clang-format libclang-rt-14-dev strace
  golang-go golang-golang-x-mod-dev openssl
  chromium fonts-dejavu-core nodejs procps xxd libxml2-utils poppler-utils
  nginx
  postgresql python3-psycopg2
)

bench_pkgs=(wrk)

want=("${build_pkgs[@]}" "${run_pkgs[@]}")
case "${1:-}" in
  --test) want+=("${test_pkgs[@]}") ;;
  --bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  "") ;;
  *) echo "usage: scripts/deps.sh [--test|--bench]" >&2; exit 2 ;;
esac

# npm: Debian's package, unless a Node.js install already brings it
if [ "${1:-}" != "" ] && ! command -v npm >/dev/null 2>&1; then want+=(npm); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# the browser tests' tooling, from npm, pinned by tests/browser/package-lock.json
if [ "${1:-}" != "" ]; then
  here=$(cd "$(dirname "$0")/.." && pwd)
  lock=$here/tests/browser/package-lock.json
  stamp=$here/tests/browser/node_modules/.willing-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    echo "deps: npm ci in tests/browser" >&2
    (cd "$here/tests/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$lock" "$stamp"
  fi
fi
