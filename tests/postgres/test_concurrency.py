"""Concurrent commands on PostgreSQL: one effect per Idempotency-Key, distinct document numbers."""

from __future__ import annotations

import asyncio

import msgspec

from takt.masterdata import services
from takt.masterdata.schemas import PartyIn
from takt.platform.codes import next_document_code
from takt.platform.commands import Actor, execute, run_command
from takt.platform.tables import AuditEntry, DocumentSequence

PLANNER = Actor(user_id=2, username="planner", roles=frozenset({"planner"}))


async def test_racing_requests_with_one_key_make_one_record_and_the_same_answer(service_db):
    data = PartyIn(code="SUP-RACE", name="Race supplier", kind="supplier")
    resource = services.RESOURCES["parties"]

    async def send():
        return await run_command(PLANNER,
                                 lambda uow: services.create_record(uow, resource, data),
                                 idempotency_key="race-key", fingerprint="same-body",
                                 status_code=201)

    results = await asyncio.gather(*(send() for _ in range(8)))
    bodies = {msgspec.json.decode(r.body)["code"] for r in results}
    assert bodies == {"SUP-RACE"}
    assert sum(not r.replayed for r in results) == 1
    assert await AuditEntry.count().where(AuditEntry.entity_code == "SUP-RACE") == 1


async def test_concurrent_document_numbers_are_distinct_and_gapless(service_db):
    async def number() -> str:
        return await execute(Actor.system(), lambda uow: next_document_code("NCR"))

    codes = await asyncio.gather(*(number() for _ in range(20)))
    assert len(set(codes)) == 20
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 21))
    row = await DocumentSequence.select().where(DocumentSequence.doc_type == "NCR").first()
    assert row["last_value"] == 20
