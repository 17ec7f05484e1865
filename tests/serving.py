"""A real Takt process for the tests that talk to one over the network (the browser tests, the
API fuzz run): migrated, seeded with the demo factory, served, stopped."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

TAKT = [sys.executable, "-m", "takt"]


def free_port() -> int:
    """A TCP port on the loopback nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def seeded_takt(env: dict[str, str], port: int, log: Path, *,
                start_within_s: float = 60) -> Iterator[str]:
    """Migrate and seed the database ``env`` names, serve Takt on ``port`` (its output in
    ``log``) and yield its URL once ``/health`` answers; stop it afterwards. A server that
    does not come up fails the test with its log."""
    subprocess.run([*TAKT, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([*TAKT, "seed", "--demo"], env=env, check=True, capture_output=True)
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen([*TAKT, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + start_within_s
        while True:
            with contextlib.suppress(httpx.HTTPError):  # not listening yet
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Takt did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
