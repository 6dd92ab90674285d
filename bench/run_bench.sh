#!/usr/bin/env bash
# Load run (make bench): seed_scale into a fresh PostgreSQL database, gunicorn on loopback,
# 20 logged-in users per page, results into docs/benchmarks.md. Needs PostgreSQL on
# 127.0.0.1:5432 (user postgres); Redis is not needed (the pages enqueue nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var  # gunicorn's log; a fresh clone has no var/

PY=.venv/bin/python
PORT="${BENCH_PORT:-8765}"
WORKERS="${BENCH_WORKERS:-4}"
USERS="${BENCH_USERS:-20}"
DURATION="${BENCH_DURATION:-20}"
DB="${BENCH_DB:-plauen_bench}"
PGHOST=127.0.0.1
PASSWORD="bench-Passwort-2026"

export DATABASE_URL="postgres://postgres@${PGHOST}:5432/${DB}"
export PRODUCTION=false DEBUG=false REDIS_URL="" CELERY_BROKER_URL=""
export ALLOWED_HOSTS="127.0.0.1,localhost"
# Persistent database connections, as a deployment behind gunicorn would use them.
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"
export LOG_LEVEL=ERROR

if $PY -c "import socket; socket.create_connection(('127.0.0.1', ${PORT}), 1)" 2>/dev/null; then
  echo "port ${PORT} is in use: stop that server or set BENCH_PORT" >&2
  exit 1
fi

echo "== fresh database ${DB}"
psql -h "$PGHOST" -U postgres -q -c "DROP DATABASE IF EXISTS ${DB}" -c "CREATE DATABASE ${DB}"
DJANGO_SETTINGS_MODULE=plauen_digital.settings $PY manage.py migrate --noinput -v0

echo "== seed_scale"
start=$(date +%s)
seed_output=$(DJANGO_SETTINGS_MODULE=plauen_digital.settings $PY manage.py seed_scale --password "$PASSWORD")
seed_seconds=$(( $(date +%s) - start ))
echo "$seed_output"
GOAL_PATH=$(echo "$seed_output" | sed -n 's/.*comments: \(\/beteiligung\/[0-9]*\/ziele\/[0-9]*\/\).*/\1/p')
test -n "$GOAL_PATH"

echo "== gunicorn on 127.0.0.1:${PORT} (${WORKERS} workers)"
DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/gunicorn plauen_digital.wsgi:application \
  --bind "127.0.0.1:${PORT}" --workers "$WORKERS" --access-logfile - --log-level warning \
  >var/bench-gunicorn.log 2>&1 &
GUNICORN_PID=$!
trap 'kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if $PY -c "import socket; socket.create_connection(('127.0.0.1', ${PORT}), 1)" 2>/dev/null; then
    break
  fi
  sleep 0.5
done

echo "== load: ${USERS} users, ${DURATION} s per page"
SETUP="Set-up: \`make bench\` (bench/run_bench.sh); seed_scale on PostgreSQL $(psql -h "$PGHOST" -U postgres -Atc 'SHOW server_version' | cut -d' ' -f1) in ${seed_seconds} s (with its queries of the counts); gunicorn $($PY -c 'import gunicorn; print(gunicorn.__version__)') with ${WORKERS} sync workers on 127.0.0.1:${PORT}, DEBUG off, PRODUCTION off, CONN_MAX_AGE=${CONN_MAX_AGE}; ${USERS} logged-in users (Stadtrat) in a closed loop, ${DURATION} s per page after a warm-up; client and server on the same machine."
PAGES=(
  --page minimal=/bench/minimal/
  --page dashboard=/
  --page strategy=/strategie/
  --page goal-1000="${GOAL_PATH}"
  --page finance=/finanzen/
  --page parity=/ag-schule/paritaet/
)
$PY bench/load.py --base "http://127.0.0.1:${PORT}" --users "$USERS" --duration "$DURATION" \
  --password "$PASSWORD" --setup "$SETUP" --write docs/benchmarks.md --section results \
  "${PAGES[@]}"

echo "== service time: 1 user, ${SINGLE_DURATION:-5} s per page"
$PY bench/load.py --base "http://127.0.0.1:${PORT}" --users 1 --duration "${SINGLE_DURATION:-5}" \
  --password "$PASSWORD" --write docs/benchmarks.md --section single \
  --setup "The same server, one user: the time one request takes without queueing." \
  "${PAGES[@]}"
