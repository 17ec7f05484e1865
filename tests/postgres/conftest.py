"""PostgreSQL-only behaviour (row locks, concurrent transactions) runs on the scale-out leg."""

import os

collect_ignore_glob = [] if os.environ.get("TAKT_TEST_POSTGRES_URL") else ["test_*.py"]
