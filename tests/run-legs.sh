#!/usr/bin/env bash
# Run the whole suite twice in parallel: embedded (SQLite, in-process events) and scale-out
# (PostgreSQL + Redis). Starts PostgreSQL and Redis when they are installed but stopped; where
# they are missing, says so loudly and runs the embedded leg alone, except under CI=true.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TAKT_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
TEST_REDIS_URL=${TAKT_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
LOGS=$(mktemp -d)

source tests/services.sh

scale_out=yes
if ! pg_up || ! redis_up; then
  scale_out=no
  echo "################################################################################"
  echo "# PostgreSQL and/or Redis are not available: the scale-out leg CANNOT run here."
  echo "#   PostgreSQL on 127.0.0.1:5432: $(pg_up && echo up || echo MISSING)"
  echo "#   Redis on 127.0.0.1:6379:      $(redis_up && echo up || echo MISSING)"
  echo "# Install them (apt-get install postgresql redis-server) to test scale-out mode."
  echo "################################################################################"
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true: a missing leg fails the run."
    exit 1
  fi
fi

echo "== lint (ruff)"
.venv/bin/ruff check backend tests pwa/scripts || exit 1

echo "== types (mypy)"
.venv/bin/mypy || exit 1

echo "== PWA unit tests (Vitest)"
(cd pwa && npx vitest run) || exit 1

# On pwa/dist as it is, since `make pwa` skips a build whose inputs did not change.
echo "== PWA build check (service worker, manifest, an operator's first-load JavaScript)"
node pwa/scripts/check-build.mjs || exit 1

echo "== embedded leg (SQLite, in-process events), scale-out leg (PostgreSQL + Redis) and the"
echo "   browser leg (the built PWA on a Takt process, Debian's Chromium) in parallel"
env -u DATABASE_URL -u REDIS_URL -u TAKT_TEST_POSTGRES_URL \
  "$PY" -m pytest -q -p no:cacheprovider tests --ignore=tests/e2e >"$LOGS/sqlite.log" 2>&1 &
sqlite_pid=$!
env -u DATABASE_URL -u REDIS_URL -u TAKT_TEST_POSTGRES_URL \
  "$PY" -m pytest -q -p no:cacheprovider tests/e2e >"$LOGS/e2e.log" 2>&1 &
e2e_pid=$!
if [ "$scale_out" = yes ]; then
  env -u DATABASE_URL TAKT_TEST_POSTGRES_URL="$PG_URL" REDIS_URL="$TEST_REDIS_URL" \
    "$PY" -m pytest -q -p no:cacheprovider tests --ignore=tests/e2e >"$LOGS/postgres.log" 2>&1 &
  pg_pid=$!
fi
wait "$sqlite_pid"; sqlite_rc=$?
wait "$e2e_pid"; e2e_rc=$?
pg_rc=0
if [ "$scale_out" = yes ]; then wait "$pg_pid"; pg_rc=$?; fi

echo "== embedded leg: exit $sqlite_rc"
cat "$LOGS/sqlite.log"
echo "== browser leg: exit $e2e_rc (screenshots in test-results/screenshots)"
cat "$LOGS/e2e.log"
if [ "$scale_out" = yes ]; then
  echo "== scale-out leg: exit $pg_rc"
  cat "$LOGS/postgres.log"
fi
rm -rf "$LOGS"
[ "$sqlite_rc" -eq 0 ] && [ "$e2e_rc" -eq 0 ] && [ "$pg_rc" -eq 0 ]
