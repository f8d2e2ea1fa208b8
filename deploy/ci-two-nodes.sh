#!/usr/bin/env bash
# Two flipmastery nodes behind nginx on one PostgreSQL database, as a district runs them, with a class
# working through nginx: nothing may fail or get lost, and both nodes must serve.
#
# Each node has its own data dir (nothing on disk is shared but the uploads folder); they share the
# secret key, the database, the cache (Redis at 127.0.0.1:6379 when it answers, else the database's
# table) and the uploads folder. Checks, in order: a sign-in made on one node works on the other; the
# database cache counts atomically from two processes; benchmarks/class_load.py through nginx (a closed
# loop and a burst, every save and decision verified in the database, the grid checked against it);
# nginx's log shows no 5xx and requests served by both nodes (X-Flipmastery-Node).
#
# Needs nginx (installed with apt-get when missing) and PostgreSQL at 127.0.0.1:5432 (user postgres,
# trust). Makes and drops the database flipmastery_nodes; everything else lives in a temporary folder.
# nginx runs as this user, on a high port, with its pid, logs and temp files in that folder.
# Environment: NODES_STUDENTS (20), NODES_BURST (30), NODES_SECONDS (8), NODES_WORKERS (1 per node),
# NODES_CACHE=database to use the database's cache even when Redis answers.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null 2>&1 || {
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  }
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

server="postgres://postgres@127.0.0.1:5432"
database="$server/flipmastery_nodes"
work=$(mktemp -d -t flipmastery-nodes-XXXXXX)
pids=()

stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS flipmastery_nodes WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop_all EXIT

python=$(uv run --quiet python -c "import sys; print(sys.executable)")  # its own pid, for stopping it
free_port() { "$python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
wait_for() {  # url, what
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "$2 did not answer at $1"; tail -n 40 "$work"/*.log || true; exit 1
}

# -- the shared things --------------------------------------------------------------------------------
export FLIPMASTERY_DATABASE_URL="$database"
FLIPMASTERY_SECRET_KEY=$("$python" -c "import secrets; print(secrets.token_urlsafe(50))")
export FLIPMASTERY_SECRET_KEY
export FLIPMASTERY_MEDIA_DIR="$work/media"
export FLIPMASTERY_PROXY_REAL_IP=1
mkdir -p "$FLIPMASTERY_MEDIA_DIR"
if [ "${NODES_CACHE:-}" != database ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  export FLIPMASTERY_REDIS_URL=redis://127.0.0.1:6379/7
  cache="Redis (127.0.0.1:6379/7)"
else
  cache="the database's table"
fi
psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS flipmastery_nodes WITH (FORCE)" >/dev/null 2>&1
psql -q "$server/postgres" -c "CREATE DATABASE flipmastery_nodes" >/dev/null
echo "== two nodes: the demo into PostgreSQL flipmastery_nodes; cache: $cache"
began=$SECONDS
step() { echo "  ($((SECONDS - began)) s) $*"; }
FLIPMASTERY_DATA_DIR="$work/a" "$python" -m flipmastery.cli load-demo --database-url "$database" | head -n 1
FLIPMASTERY_DATA_DIR="$work/a" "$python" -m flipmastery.cli load-demo --database-url "$database" >/dev/null 2>"$work/again.txt" \
  && { echo "load-demo loaded twice into the same database"; exit 1; }
grep -q "already holds data" "$work/again.txt" || { cat "$work/again.txt"; exit 1; }
echo "load-demo refuses the database the second time (it holds data)"

# -- the nodes and nginx --------------------------------------------------------------------------------
workers=${NODES_WORKERS:-1}
ports=()
for node in a b; do
  port=$(free_port)
  ports+=("$port")
  FLIPMASTERY_DATA_DIR="$work/$node" FLIPMASTERY_NODE_NAME="$node" \
    "$python" -m flipmastery.cli serve --host 127.0.0.1 --port "$port" --no-migrate --workers "$workers" \
    >"$work/node-$node.log" 2>&1 &
  pids+=("$!")
done
front=$(free_port)
mkdir -p "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<EOF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    log_format nodes '\$status \$upstream_http_x_flipmastery_node \$upstream_addr \$request_method \$uri';
    access_log $work/nginx/access.log nodes;
    upstream flipmastery {
        least_conn;
        server 127.0.0.1:${ports[0]} max_fails=3 fail_timeout=10s;
        server 127.0.0.1:${ports[1]} max_fails=3 fail_timeout=10s;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$front;
        include $repo/deploy/nginx/flipmastery-proxy.conf;
    }
}
EOF
"$nginx_bin" -t -q -c "$work/nginx/nginx.conf" -p "$work/nginx" -g "daemon off;" 2>&1 | grep -v "could not open error log" || true
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" -g "daemon off;" 2>"$work/nginx.log" &
pids+=("$!")
wait_for "http://127.0.0.1:${ports[0]}/login/" "node a"
wait_for "http://127.0.0.1:${ports[1]}/login/" "node b"
wait_for "http://127.0.0.1:$front/login/" "nginx"
echo "nodes a (:${ports[0]}) and b (:${ports[1]}), $workers process(es) each, behind nginx :$front ($((SECONDS - began)) s)"

# -- a sign-in on node a works on node b ----------------------------------------------------------------
jar="$work/cookies.txt"
curl -fsS -c "$jar" -b "$jar" -o "$work/login.html" "http://127.0.0.1:${ports[0]}/login/"
token=$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$work/login.html" | head -n 1)
signed=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode username=teacher --data-urlencode password=teacher \
  "http://127.0.0.1:${ports[0]}/login/")
code=$(curl -sS -b "$jar" -D "$work/home.headers" -o /dev/null -w '%{http_code}' "http://127.0.0.1:${ports[1]}/sections/")
home="$code $(sed -n 's/^x-flipmastery-node: *\([^[:space:]]*\).*/\1/Ip' "$work/home.headers")"
if [ "$signed" != 302 ] || [ "$home" != "200 b" ]; then
  echo "a sign-in on node a does not work on node b: sign-in $signed, her sections on node b: $home"; exit 1
fi
echo "signed in on node a, node b shows the teacher's sections (sessions and the secret key are shared)"

# -- the database cache counts atomically from two processes --------------------------------------------
FLIPMASTERY_CACHE=database FLIPMASTERY_DATA_DIR="$work/a" DJANGO_SETTINGS_MODULE=flipmastery.settings \
  "$python" - <<'EOF'
import multiprocessing

import django

django.setup()
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

call_command("createcachetable", verbosity=0)  # there already unless Redis is the nodes' cache


def count(_: int) -> None:
    for _ in range(150):
        cache.incr("nodes-counting")


cache.set("nodes-counting", 0, 300)
connections.close_all()  # each process opens its own
with multiprocessing.get_context("fork").Pool(2) as pool:
    pool.map(count, [0, 1])
total = cache.get("nodes-counting")
print(f"database cache: 2 processes × 150 increments = {total}")
raise SystemExit(0 if total == 300 else 1)
EOF

# -- a class through nginx ------------------------------------------------------------------------------
echo "class_load through nginx:"
if "$python" benchmarks/class_load.py --url "http://127.0.0.1:$front" --database-url "$database" \
  --data-dir "$work/a" --mode both --students "${NODES_STUDENTS:-20}" --burst "${NODES_BURST:-30}" \
  --seconds "${NODES_SECONDS:-8}" | sed 's/^/  /'; then
  status=0
else
  status=1
fi

# -- what nginx saw ---------------------------------------------------------------------------------------
log="$work/nginx/access.log"
total=$(wc -l <"$log")
failed=$(awk '$1 >= 500' "$log" | wc -l)
by_a=$(awk '$2 == "a"' "$log" | wc -l)
by_b=$(awk '$2 == "b"' "$log" | wc -l)
echo "nginx: $total requests, node a served $by_a, node b $by_b, $failed answered 5xx"
if grep -q "Traceback (most recent call last)" "$work"/node-*.log; then
  echo "a node logged an error:"; grep -h -A 20 "Traceback (most recent call last)" "$work"/node-*.log | head -n 40
  status=1
fi
if [ "$status" != 0 ] || [ "$failed" != 0 ] || [ "$by_a" = 0 ] || [ "$by_b" = 0 ]; then
  echo "two nodes: FAILED"; exit 1
fi
echo "two nodes: passed in $((SECONDS - began)) s"
