"""Importing work orders: a JSON array or a CSV file in, all or none created (and released)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from typing import Any

import msgspec

from takt.masterdata.tables import Line
from takt.platform.codes import next_document_codes
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Invalid
from takt.platform.i18n import Message
from takt.production import schemas as s
from takt.production.common import as_utc, insert_chunked, utc_now
from takt.production.planning import (
    Catalogue,
    Planned,
    RowError,
    plan_work_order,
    release_many,
    work_order_audit,
)
from takt.production.tables import WorkOrder

__all__ = ["IMPORT_COLUMNS", "MAX_IMPORT_ROWS", "import_work_orders", "parse_import"]

MAX_IMPORT_ROWS = 5000
IMPORT_COLUMNS = ("item_code", "quantity", "due_at", "priority", "route_code",
                  "customer_order_ref", "lot")


def parse_import(body: bytes, content_type: str) -> list[Any]:
    """The rows of an import body: a JSON array of work orders, or CSV with a header row
    (``item_code,quantity,due_at,priority,route_code,customer_order_ref,lot``).

    Raises:
        Invalid: the body is neither, or has no rows or too many.
    """
    if "csv" in content_type:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(Message("The CSV file must be UTF-8 text."),
                          code="import.unreadable") from None
        reader = csv.DictReader(io.StringIO(text))
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        unknown = [name for name in header if name not in IMPORT_COLUMNS]
        if "item_code" not in header or "quantity" not in header or unknown:
            optional = ", ".join(IMPORT_COLUMNS[2:])
            raise Invalid(Message(
                "The CSV needs a header row with item_code and quantity, and may add "
                "{optional}; it has unknown columns {unknown}.", optional=optional,
                unknown=", ".join(unknown)) if unknown else Message(
                "The CSV needs a header row with item_code and quantity, and may add "
                "{optional}.", optional=optional), code="import.bad_header")
        reader.fieldnames = header
        rows: list[Any] = [{key: (value or "").strip() for key, value in row.items()
                            if key is not None} for row in reader]
    else:
        try:
            rows = msgspec.json.decode(body)
        except msgspec.DecodeError:
            raise Invalid(Message("Send a JSON array of work orders, or CSV with Content-Type "
                                  "text/csv."), code="import.unreadable") from None
        if not isinstance(rows, list):
            raise Invalid(Message("Send a JSON array of work orders."), code="import.not_a_list")
    if not rows:
        raise Invalid(Message("The import holds no work orders."), code="import.empty")
    if len(rows) > MAX_IMPORT_ROWS:
        raise Invalid(Message("One import takes at most {max_rows} work orders; split the file.",
                              max_rows=MAX_IMPORT_ROWS), code="import.too_many")
    return rows


def _csv_due(text: str) -> datetime:
    """A due time from CSV: ISO 8601; a date alone means the end of that day (UTC)."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(23, 59, 59), tzinfo=UTC)
    return datetime.fromisoformat(text)


def _row_in(row: Any) -> s.WorkOrderIn:
    """One import row as a create body; CSV cells are text, empty meaning absent."""
    if not isinstance(row, dict):
        raise RowError(Message("Each row must be an object with item_code and quantity."))
    if all(isinstance(value, str) for value in row.values()):
        values: dict[str, Any] = {key: value for key, value in row.items() if value != ""}
        if "priority" in values:
            try:
                values["priority"] = int(values["priority"])
            except ValueError:
                raise RowError(Message("priority must be a whole number from 1 to 9."),
                               "priority") from None
        if "due_at" in values:
            try:
                values["due_at"] = as_utc(_csv_due(values["due_at"]))
            except ValueError:
                raise RowError(Message("due_at must be a date (2026-12-01) or an ISO 8601 "
                                       "time."), "due_at") from None
        row = values
    try:
        return msgspec.convert(row, s.WorkOrderIn, strict=False)
    except msgspec.ValidationError as exc:
        # msgspec's words name the field and the rule exactly; they stay as they are, as in
        # the frame of any other refused body.
        message = str(exc)
        where = message.rsplit("`$.", 1)[-1].rstrip("`") if "`$." in message else None
        raise RowError(message, where) from None


async def import_work_orders(uow: UnitOfWork, rows: list[Any], *, release: bool
                             ) -> s.ImportOut:
    """Create many work orders at once (and release them when asked): all or none. Every bad
    row is listed in the 422 problem (``errors: [{row, field, message}]``, rows from 1)."""
    parsed: list[tuple[int, s.WorkOrderIn]] = []
    errors: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        try:
            parsed.append((number, _row_in(row)))
        except RowError as exc:
            errors.append({"row": number, "field": exc.field, "message": exc.message})
    catalogue = await Catalogue.load(
        {data.item_code.upper() for _, data in parsed},
        {data.route_code.upper() for _, data in parsed if data.route_code})
    planned: list[Planned] = []
    for number, data in parsed:
        try:
            plan = plan_work_order(catalogue, data)
        except RowError as exc:
            errors.append({"row": number, "field": exc.field, "message": exc.message})
            continue
        planned.append(plan)
        problem = catalogue.bom_problems.get(plan.item.id) if release else None
        if problem is not None:
            errors.append({"row": number, "field": "item_code",
                           "message": Message("{item} cannot be released: {problem}",
                                              item=plan.item.code, problem=problem)})
    if errors:
        errors.sort(key=lambda error: error["row"])
        first = errors[0]
        # Each row's sentence is answered in the reader's language with the problem itself.
        raise Invalid(Message("{count} of {total} rows cannot be imported, so none was; row "
                              "{row}: {message}", count=len(errors), total=len(rows),
                              row=first["row"], message=first["message"]),
                      code="import.invalid_rows", errors=errors)
    now = utc_now()
    codes = await next_document_codes("WO", len(planned))
    status = "released" if release else "draft"
    wo_rows = [{**plan.values, "code": code, "status": status,
                "released_at": now if release else None}
               for plan, code in zip(planned, codes, strict=True)]
    inserted = await insert_chunked(WorkOrder, wo_rows, WorkOrder.id, WorkOrder.code)
    ids = {row["code"]: row["id"] for row in inserted}
    for row in wo_rows:
        row["id"] = ids[row["code"]]
    if release:
        await release_many(wo_rows, catalogue)
    audits: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = [
        ("work_order.create", "work_order", row["code"], None,
         work_order_audit({**row, "status": "draft"}, row["code"])) for row in wo_rows]
    if release:
        audits += [("work_order.release", "work_order", row["code"], {"status": "draft"},
                    {"status": "released"}) for row in wo_rows]
    await uow.audit_many(audits)
    line_ids = {row["line"] for row in wo_rows if row["line"] is not None}
    if line_ids:
        for line in await Line.select(Line.code).where(Line.id.is_in(sorted(line_ids))):
            uow.emit("work_orders.imported", str(len(wo_rows)), f"line:{line['code']}")
    return s.ImportOut(created=len(wo_rows), released=len(wo_rows) if release else 0,
                       codes=codes)
