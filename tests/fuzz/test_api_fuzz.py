"""The whole API fuzzed: schemathesis against a real Takt server, over every operation of its
OpenAPI document, as admin and as operator.

The server is a throwaway ``takt serve`` seeded with the demo factory, on the leg's engine:
SQLite with in-process events, or, when ``TAKT_TEST_POSTGRES_URL`` is set, a fresh PostgreSQL
database with Redis. The run has a fixed seed and an example budget per operation
(``TAKT_FUZZ_EXAMPLES``), so it takes a few minutes and fails the same way twice. It reads the
operations from ``/schema/openapi.json``: a new module's routes are fuzzed with no work here.

A run passes with no 5xx answer and no answer outside what the document promises (status code,
media type, body schema). "Rejected generated data" (a request the document allows, refused
by a rule of the business, such as an unknown code) is counted and printed, not failed.

Run it alone: ``.venv/bin/python -m pytest -q -s tests/fuzz`` (add the PostgreSQL + Redis
variables of ``tests/run-legs.sh`` for the scale-out server).
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from takt.platform.roles import ADMIN, OPERATOR
from tests.serving import free_port, seeded_takt

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("TAKT_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("REDIS_URL")
SEED = 12
EXAMPLES = int(os.environ.get("TAKT_FUZZ_EXAMPLES", "5"))
ROLES = (ADMIN, OPERATOR)
FIGURES: list[str] = []
"""One line per run, printed at the end of the session (tests/fuzz/conftest.py)."""

GATED_CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
                "response_schema_conformance", "response_headers_conformance")
"""What the run fails on: a 5xx, and any answer the OpenAPI document does not describe."""

COUNTED_CHECKS = ("positive_data_acceptance",)
"""What the run counts and prints: requests the document allows that the server refused."""

# Each of these sends traffic to a server only on this machine, and no case waits long.
_REQUEST_TIMEOUT_S = 30


def _pg(sql: str) -> None:
    """Run one statement on the PostgreSQL admin connection (in a thread of its own, so the
    suite's event loop is left alone)."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


@dataclass
class Server:
    url: str
    engine: str
    log: Path

    def token(self, role: str) -> str:
        response = httpx.post(f"{self.url}/api/v1/auth/login",
                              json={"username": role, "password": "takt-demo"}, timeout=10)
        response.raise_for_status()
        return str(response.json()["access_token"])


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    run = uuid.uuid4().hex[:8]
    data_dir = Path(tempfile.mkdtemp(prefix=f"takt-fuzz-{run}-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "TAKT_TEST_POSTGRES_URL", "DB_POOL_MAX"}}
    env.update(TAKT_DATA_DIR=str(data_dir), PWA_DIR=str(data_dir / "no-pwa-build"),
               PUBLIC_URL=url, LOGIN_RATE_LIMIT_PER_MINUTE="100000",
               PICCOLO_CONF="takt.piccolo_conf", LOG_LEVEL="WARNING")
    database = None
    engine = "SQLite, in-process events"
    if PG_ADMIN_URL:
        database = f"takt_fuzz_{run}"
        _pg(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{database}"
        env["REDIS_PREFIX"] = f"takt-fuzz-{run}"
        engine = "PostgreSQL"
        if REDIS_URL:
            env["REDIS_URL"] = REDIS_URL
            engine += " + Redis"
    log = data_dir / "server.log"
    try:
        with seeded_takt(env, port, log):
            yield Server(url, engine, log)
    finally:
        if database:
            _pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(data_dir, ignore_errors=True)


@dataclass
class Figures:
    """What one schemathesis run did, read from its NDJSON event stream."""

    operations: set[str] = field(default_factory=set)
    cases: int = 0
    failures: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    """Per gated failure code (ST101 ...), one line per distinct operation and title."""
    rejected: set[str] = field(default_factory=set)
    """Operations where the server refused some request the document allows."""
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        failed = sum(len(lines) for lines in self.failures.values())
        by_code = ", ".join(f"{code}: {len(items)}"
                            for code, items in sorted(self.failures.items()))
        head = (f"{len(self.operations)} operations, {self.cases} examples, {failed} failures "
                f"({by_code or 'none'}), {len(self.rejected)} operations with rejected "
                f"generated data, {len(self.errors)} errors")
        lines = [head]
        for code, items in sorted(self.failures.items()):
            lines += [f"  {code} {item}" for item in sorted(items)]
        lines += [f"  error: {error}" for error in self.errors]
        return "\n".join(lines)


def read_figures(ndjson: Path) -> Figures:
    figures = Figures()
    seen: set[tuple[str, str, str]] = set()
    for line in ndjson.read_text().splitlines():
        event = json.loads(line)
        if "NonFatalError" in event:
            error = event["NonFatalError"]
            figures.errors.append(f"{error.get('label')}: {str(error.get('info', ''))[:300]}")
            continue
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        label = recorder["label"]
        if label.split(" ", 1)[0] in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
            figures.operations.add(label)
        figures.cases += len(recorder.get("cases", {}))
        for checks in recorder.get("checks", {}).values():
            for check in checks:
                if check["status"] != "failure":
                    continue
                failure = check["failure_info"]["failure"]
                operation = failure.get("operation") or label
                if check["name"] in COUNTED_CHECKS:
                    figures.rejected.add(operation)
                    continue
                key = (failure["code"], operation, failure["title"])
                if key in seen:
                    continue
                seen.add(key)
                message = " ".join(str(failure.get("message", "")).split())[:240]
                figures.failures[failure["code"]].append(
                    f"{operation}: {failure['title']}: {message}")
    return figures


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_without_5xx_and_as_documented(
        server: Server, role: str, tmp_path: Path) -> None:
    token = server.token(role)
    ndjson = tmp_path / "events.ndjson"
    command = [
        sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
        "--no-color", "run", f"{server.url}/schema/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--checks", ",".join(GATED_CHECKS + COUNTED_CHECKS),
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(EXAMPLES), "--seed", str(SEED), "--workers", "1",
        "--generation-database", "none", "--no-shrink",
        "--request-timeout", str(_REQUEST_TIMEOUT_S),
        "--suppress-health-check", "all",
        "--report", "ndjson", "--report-ndjson-path", str(ndjson),
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.fuzz.hooks",
           "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    # Run from the test's own folder: schemathesis keeps a crash cache where it runs.
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=900)
    elapsed = time.monotonic() - started
    if not ndjson.exists():
        pytest.fail(f"schemathesis made no report (exit {result.returncode}):\n"
                    f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    figures = read_figures(ndjson)
    summary = (f"fuzz as {role} on {server.engine}: {figures.summary()} "
               f"in {elapsed:.0f} s")
    FIGURES.append(summary.splitlines()[0])
    assert figures.operations, f"no operation was fuzzed:\n{result.stdout[-4000:]}"
    # A traceback's last line names the exception: enough to find the bug from the test log.
    log_lines = server.log.read_text().splitlines()
    exceptions = [line for line, following in zip(log_lines, [*log_lines[1:], ""], strict=True)
                  if line and not line.startswith((" ", "Traceback")) and (
                      not following or not following.startswith(" "))
                  and ("Error" in line or "Exception" in line)]
    assert not figures.failures and not figures.errors, (
        f"{summary}\n\nserver exceptions:\n" + "\n".join(exceptions[-20:]))
