"""Document numbering: ``WO-2026-00001``, per document type and year, never reused."""

from __future__ import annotations

from datetime import UTC, datetime

from takt.platform.tables import DocumentSequence

__all__ = ["next_document_code"]


async def next_document_code(doc_type: str, at: datetime | None = None, *, width: int = 5) -> str:
    """Hand out the next number of ``doc_type`` for the year of ``at``.

    Call it inside the command's transaction: a rolled-back command gives its number back
    before anyone else saw it, and a committed number is never handed out again. On PostgreSQL
    the guarded increment holds a row lock, so concurrent callers get distinct numbers.
    """
    year = (at or datetime.now(UTC)).year
    doc_type = doc_type.upper()
    key = f"{doc_type}-{year}"
    await DocumentSequence.insert(
        DocumentSequence(sequence_key=key, doc_type=doc_type, year=year, last_value=0)
    ).on_conflict(target=DocumentSequence.sequence_key, action="DO NOTHING")
    rows = await (
        DocumentSequence.update({DocumentSequence.last_value: DocumentSequence.last_value + 1})
        .where(DocumentSequence.sequence_key == key)
        .returning(DocumentSequence.last_value)
    )
    return f"{doc_type}-{year}-{rows[0]['last_value']:0{width}d}"
