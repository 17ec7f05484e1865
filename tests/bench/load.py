"""The load generator of ``make bench``, run as its own process so it never shares an event
loop with the servers it measures.

Reads one JSON job on stdin, writes one JSON result on stdout:

- ``{"mode": "http", ...}``: ``concurrency`` clients send requests back to back for
  ``warmup`` + ``duration`` seconds; only requests started after the warm-up count. Paths are
  taken round-robin; ``idempotency: true`` sends a fresh ``Idempotency-Key`` with each request.
  With ``requests: N`` the run stops once N measured requests have started (``duration`` is
  then the longest it may take), and ``seconds`` is the time they took.
- ``{"mode": "ws", ...}``: ``subscribers`` websockets follow a topic, then ``reports`` work
  reports are posted one after another; for every event each subscriber receives, the delay
  from the event's ``at`` (stamped by the server just before the report's transaction commits)
  to its arrival, and from the report's HTTP answer to its arrival.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import sys
import time
import uuid
from datetime import datetime
from typing import Any

import aiohttp

__all__ = ["percentile", "run_http", "run_ws", "summary_ms"]


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile of already sorted values (``None`` when there are none)."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def summary_ms(values: list[float]) -> dict[str, float | None]:
    values = sorted(values)
    return {
        "p50_ms": _ms(percentile(values, 0.50)),
        "p95_ms": _ms(percentile(values, 0.95)),
        "p99_ms": _ms(percentile(values, 0.99)),
        "max_ms": _ms(values[-1] if values else None),
        "mean_ms": _ms(sum(values) / len(values) if values else None),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


async def run_http(job: dict[str, Any]) -> dict[str, Any]:
    base: str = job["base"]
    method: str = job["method"]
    paths: list[str] = job["paths"]
    headers: dict[str, str] = job.get("headers", {})
    body = json.dumps(job["body"]).encode() if job.get("body") is not None else None
    if body is not None:
        headers = {**headers, "Content-Type": "application/json"}
    expect = set(job.get("expect", [200]))
    concurrency: int = job["concurrency"]
    warmup: float = job["warmup"]
    duration: float = job["duration"]
    fresh_key: bool = job.get("idempotency", False)
    cap: int | None = job.get("requests")

    next_path = itertools.cycle(paths).__next__
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    failures: list[str] = []
    errors = 0
    started_measured = 0
    last_end = 0.0

    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        measure_from = started + warmup
        stop_at = measure_from + duration

        async def client() -> None:
            nonlocal errors, started_measured, last_end
            while True:
                begin = time.perf_counter()
                if begin >= stop_at:
                    return
                if begin >= measure_from and cap is not None:
                    if started_measured >= cap:
                        return
                    started_measured += 1
                request_headers = ({**headers, "Idempotency-Key": str(uuid.uuid4())}
                                   if fresh_key else headers)
                try:
                    async with session.request(method, base + next_path(), data=body,
                                               headers=request_headers) as response:
                        answer = await response.read()
                        status = response.status
                except (aiohttp.ClientError, TimeoutError) as exc:
                    status, answer = 0, repr(exc).encode()
                end = time.perf_counter()
                if begin < measure_from:
                    continue
                last_end = max(last_end, end)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status in expect:
                    latencies.append(end - begin)
                else:
                    errors += 1
                    if len(failures) < 5:
                        failures.append(f"{status}: {answer[:300].decode(errors='replace')}")

        await asyncio.gather(*(client() for _ in range(concurrency)))
    seconds = duration if cap is None else max(last_end - measure_from, 1e-9)
    return {"ok": len(latencies), "errors": errors, "statuses": statuses,
            "failures": failures, "seconds": round(seconds, 3),
            "rps": round(len(latencies) / seconds, 1), **summary_ms(latencies),
            "latencies_ms": [round(value * 1000, 3) for value in latencies]}


async def run_ws(job: dict[str, Any]) -> dict[str, Any]:
    base: str = job["base"]
    ws_url: str = base.replace("http", "ws", 1) + job["ws_path"]
    subscribers: int = job["subscribers"]
    operations: list[int] = job["operations"]
    report_count: int = job["reports"]
    interval: float = job["interval"]
    headers: dict[str, str] = {**job["headers"], "Content-Type": "application/json"}

    arrivals: list[tuple[float, dict[str, Any]]] = []
    ready = 0
    connect_errors: list[str] = []

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        sockets: list[aiohttp.ClientWebSocketResponse] = []
        gate = asyncio.Semaphore(50)  # no connection storm while opening

        async def subscribe() -> None:
            nonlocal ready
            async with gate:
                try:
                    socket = await session.ws_connect(ws_url, heartbeat=None)
                    while True:  # hello, then subscribed
                        message = json.loads((await socket.receive(timeout=30)).data)
                        if message.get("type") == "subscribed":
                            break
                        if message.get("type") == "error":
                            raise RuntimeError(message.get("message"))
                except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                    connect_errors.append(repr(exc))
                    return
            sockets.append(socket)
            ready += 1

        opened = time.perf_counter()
        await asyncio.gather(*(subscribe() for _ in range(subscribers)))
        open_s = time.perf_counter() - opened

        expected = ready * report_count
        reported = 0
        all_arrived = asyncio.Event()

        async def listen(socket: aiohttp.ClientWebSocketResponse) -> None:
            nonlocal reported
            async for message in socket:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                arrived = time.time()
                data = json.loads(message.data)
                arrivals.append((arrived, data))
                if (data.get("event") or {}).get("type") == "operation.reported":
                    reported += 1
                    if reported >= expected:
                        all_arrived.set()

        listeners = [asyncio.create_task(listen(socket)) for socket in sockets]
        await asyncio.sleep(0.5)

        reports: dict[str, tuple[float, float]] = {}  # op id -> (sent, answered) wall times
        report_errors: list[str] = []
        for number in range(report_count):
            op_id = operations[number % len(operations)]
            sent = time.time()
            async with session.post(
                    f"{base}/api/v1/operations/{op_id}/reports", data=b'{"good":1,"scrap":0}',
                    headers={**headers, "Idempotency-Key": str(uuid.uuid4())}) as response:
                body = await response.read()
                answered = time.time()
                if response.status != 201:
                    report_errors.append(f"{response.status}: {body[:300].decode()}")
            reports[str(op_id)] = (sent, answered)
            await asyncio.sleep(interval)

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_arrived.wait(), timeout=10)
        for socket in sockets:
            await socket.close()
        for listener in listeners:
            listener.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)

    from_commit: list[float] = []
    from_answer: list[float] = []
    delivered = 0
    for arrived, message in arrivals:
        event = message.get("event") or {}
        if event.get("type") != "operation.reported" or event.get("id") not in reports:
            continue
        delivered += 1
        from_commit.append(arrived - datetime.fromisoformat(event["at"]).timestamp())
        from_answer.append(arrived - reports[event["id"]][1])
    return {
        "subscribers": ready, "connect_errors": connect_errors[:5],
        "connect_failures": len(connect_errors), "open_s": round(open_s, 2),
        "reports": report_count, "report_errors": report_errors[:5],
        "expected": expected, "delivered": delivered,
        "from_commit": summary_ms(from_commit), "from_answer": summary_ms(from_answer),
    }


def main() -> None:
    job = json.load(sys.stdin)
    runner = {"http": run_http, "ws": run_ws}[job["mode"]]
    result = asyncio.run(runner(job))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
