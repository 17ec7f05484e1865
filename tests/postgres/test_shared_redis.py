"""Scale-out: two Takt installations on one Redis (each its REDIS_PREFIX) never hear each
other's events."""

from __future__ import annotations

import asyncio
import os
import uuid

from takt.platform.mode import Mode


def _mode(prefix: str) -> Mode:
    return Mode(name="scale-out", uses_postgres=True, uses_redis=True,
                redis_url=os.environ["REDIS_URL"], redis_prefix=prefix)


async def test_events_stay_within_their_installation():
    plant_a, plant_b = (_mode(f"takt-test-{uuid.uuid4().hex[:8]}").channels_backend()
                        for _ in range(2))
    for backend in (plant_a, plant_b):
        await backend.on_startup()
    try:
        await plant_a.subscribe(["line:L1"])
        await plant_b.subscribe(["line:L1"])
        await asyncio.sleep(0.2)  # Redis confirms the subscriptions
        await plant_a.publish(b"report at plant A", ["line:L1"])

        async def first(backend):
            return await anext(backend.stream_events())

        assert await asyncio.wait_for(first(plant_a), 5) == ("line:L1", b"report at plant A")
        try:
            heard = await asyncio.wait_for(first(plant_b), 1)
        except TimeoutError:
            heard = None
        assert heard is None
    finally:
        for backend in (plant_a, plant_b):
            await backend.on_shutdown()
