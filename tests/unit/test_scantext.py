"""Scanned text is parsed by content: Takt labels, GS1 supplier labels, bare codes.

The examples live in tests/data/scan-cases.json, which the app's parse.test.ts reads too, so
the handheld and the server are held to the same answers; what is left here is Python's own
(label URLs, the result types, the default date).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from takt.platform.scantext import (
    LABEL_KINDS,
    BareCode,
    Gs1,
    LabelRef,
    ScanTextError,
    label_url,
    parse_scan,
)

GTIN = "09506000134352"  # the GS1 example GTIN, valid check digit
SHARED = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "scan-cases.json").read_text("utf-8"))
TODAY = date.fromisoformat(SHARED["today"])


def _expected(case: dict[str, Any]) -> LabelRef | Gs1 | BareCode:
    want = case["expect"]
    if want["type"] == "label":
        return LabelRef(kind=want["kind"], code=want["code"])
    if want["type"] == "code":
        return BareCode(code=want["code"])
    expiry = date.fromisoformat(want["expiry"]) if want["expiry"] else None
    return Gs1(gtin=want["gtin"], batch=want["batch"], expiry=expiry, serial=want["serial"],
               raw=want["raw"])


def _today(case: dict[str, Any]) -> date:
    return date.fromisoformat(case["today"]) if "today" in case else TODAY


@pytest.mark.parametrize(
    "case", [c for c in SHARED["cases"] if "expect" in c],
    ids=lambda c: f"{c['name']}: {c['input'][:60]!r}")
def test_shared_case_reads_as_expected(case: dict[str, Any]) -> None:
    assert parse_scan(case["input"], today=_today(case)) == _expected(case)


@pytest.mark.parametrize(
    "case", [c for c in SHARED["cases"] if "refused" in c],
    ids=lambda c: f"{c['name']}: {c['input'][:60]!r}")
def test_shared_case_is_refused_with_its_sentence(case: dict[str, Any]) -> None:
    with pytest.raises(ScanTextError) as error:
        parse_scan(case["input"], today=_today(case))
    assert case["refused"] in str(error.value)


def test_shared_cases_cover_every_kind_of_answer() -> None:
    answers = {c["expect"]["type"] if "expect" in c else "refused" for c in SHARED["cases"]}
    assert answers == {"label", "gs1", "code", "refused"}


# --------------------------------------------------------------------------------------------
# Takt label URLs
# --------------------------------------------------------------------------------------------


def test_label_kinds_are_the_nine_record_kinds() -> None:
    assert LABEL_KINDS == ("WO", "OP", "LOT", "SN", "LOC", "WS", "EQ", "ITEM", "U")


@pytest.mark.parametrize("kind", LABEL_KINDS)
@pytest.mark.parametrize(
    "public_url",
    ["https://takt.example.com", "http://takt.local:8000/", "https://mes.example.com/takt/", ""],
)
@pytest.mark.parametrize("code", ["WO-2026-00001", "rm-a-01-01", "A_B.C", "7"])
def test_label_url_round_trips_through_parse_scan_for_every_kind(
    kind: str, public_url: str, code: str
) -> None:
    assert parse_scan(label_url(public_url, kind, code)) == LabelRef(kind=kind, code=code.upper())


def test_label_url_is_uppercase_and_drops_trailing_slashes_of_the_public_url() -> None:
    url = label_url("https://mes.example.com/takt//", "loc", "rm-a-01-01")
    assert url == "HTTPS://MES.EXAMPLE.COM/TAKT/S/LOC/RM-A-01-01"


def test_label_url_with_empty_public_url_is_the_path_alone() -> None:
    assert label_url("", "WS", "WS-101") == "/S/WS/WS-101"


@pytest.mark.parametrize(
    ("public_url", "kind", "code"),
    [
        ("https://t.example", "XX", "A1"),  # not a label kind
        ("https://t.example", "WO", ""),  # empty code
        ("https://t.example", "WO", "A/B"),  # '/' is never in a code
        ("https://t.example", "WO", "A B"),  # nor a space
        ("https://t.example", "WO", ".."),  # a dot segment would be eaten by browsers
        ("https://t.example?x=1", "WO", "A1"),  # a query in the base breaks the URL
    ],
)
def test_label_url_refuses_what_cannot_be_scanned_back(
    public_url: str, kind: str, code: str
) -> None:
    with pytest.raises(ValueError):
        label_url(public_url, kind, code)


# --------------------------------------------------------------------------------------------
# Python's own
# --------------------------------------------------------------------------------------------


def test_gs1_expiry_defaults_to_the_real_today() -> None:
    result = parse_scan(f"01{GTIN}17{date.today():%y%m%d}")
    assert isinstance(result, Gs1)
    assert result.expiry == date.today()


def test_scan_text_error_is_a_value_error() -> None:
    assert issubclass(ScanTextError, ValueError)


@pytest.mark.parametrize(
    "result",
    [LabelRef("WO", "WO-1"), BareCode("X"),
     Gs1(gtin=GTIN, batch=None, expiry=None, serial=None, raw="x")],
)
def test_results_are_frozen(result: object) -> None:
    field = dataclasses.fields(result)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, field, "changed")
