#!/usr/bin/env bash
# make bench: needs PostgreSQL on 127.0.0.1:5432 (trust auth for postgres) and Redis on
# 127.0.0.1:6379. Starts them when they are installed but stopped (tests/services.sh, shared with tests/run-legs.sh);
# when either is missing, says what to install and fails. Then runs tests/bench/bench.py.
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python

source tests/services.sh

if ! pg_up || ! redis_up; then
  echo "################################################################################"
  echo "# make bench needs PostgreSQL and Redis on this machine; it cannot run here."
  echo "#   PostgreSQL on 127.0.0.1:5432: $(pg_up && echo up || echo MISSING)"
  echo "#   Redis on 127.0.0.1:6379:      $(redis_up && echo up || echo MISSING)"
  echo "# Install them (apt-get install postgresql redis-server) and run make bench again."
  echo "################################################################################"
  exit 2
fi

exec "$PY" tests/bench/bench.py "$@"
