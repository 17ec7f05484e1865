"""Document numbering: ``WO-2026-00001``, per document type and year, never reused."""

from __future__ import annotations

from datetime import UTC, datetime

from takt.platform.tables import DocumentSequence

__all__ = ["next_document_code", "next_document_codes"]


async def next_document_code(doc_type: str, at: datetime | None = None, *, width: int = 5) -> str:
    """Hand out the next number of ``doc_type`` for the year of ``at``.

    Call it inside the command's transaction: a rolled-back command gives its number back
    before anyone else saw it, and a committed number is never handed out again. On PostgreSQL
    the guarded increment holds a row lock, so concurrent callers get distinct numbers.
    """
    return (await next_document_codes(doc_type, 1, at, width=width))[0]


async def next_document_codes(doc_type: str, count: int, at: datetime | None = None, *,
                              width: int = 5) -> list[str]:
    """Hand out ``count`` consecutive numbers of ``doc_type`` in one increment (a bulk import
    numbers a thousand orders without a thousand round trips). Same rules as
    :func:`next_document_code`."""
    if count < 1:
        return []
    year = (at or datetime.now(UTC)).year
    doc_type = doc_type.upper()
    key = f"{doc_type}-{year}"
    await DocumentSequence.insert(
        DocumentSequence(sequence_key=key, doc_type=doc_type, year=year, last_value=0)
    ).on_conflict(target=DocumentSequence.sequence_key, action="DO NOTHING")
    rows = await (
        DocumentSequence.update(
            {DocumentSequence.last_value: DocumentSequence.last_value + count})
        .where(DocumentSequence.sequence_key == key)
        .returning(DocumentSequence.last_value)
    )
    last = rows[0]["last_value"]
    return [f"{doc_type}-{year}-{n:0{width}d}" for n in range(last - count + 1, last + 1)]
