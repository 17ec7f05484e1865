"""Scanned text is parsed by content: Takt labels, GS1 supplier labels, bare codes."""

from __future__ import annotations

import dataclasses
from datetime import date

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

GS = "\x1d"
TODAY = date(2026, 11, 21)
GTIN = "09506000134352"  # the GS1 example GTIN, valid check digit


def gs1(**fields: object) -> Gs1:
    """A Gs1 result with every field None unless given."""
    values: dict[str, object] = {"gtin": None, "batch": None, "expiry": None, "serial": None}
    values.update(fields)
    return Gs1(**values)  # type: ignore[arg-type]


def scan(text: str, today: date = TODAY) -> LabelRef | Gs1 | BareCode:
    return parse_scan(text, today=today)


# --------------------------------------------------------------------------------------------
# Takt labels
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
    assert scan(label_url(public_url, kind, code)) == LabelRef(kind=kind, code=code.upper())


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HTTP://TAKT.LOCAL:8000/S/WO/WO-2026-00001", LabelRef("WO", "WO-2026-00001")),
        ("https://mes.example.com/takt/s/loc/RM-A-01-01", LabelRef("LOC", "RM-A-01-01")),
        ("https://10.0.0.5:8443/a/b/c/S/EQ/EQ-7", LabelRef("EQ", "EQ-7")),
        ("takt.local/S/LOT/L-1", LabelRef("LOT", "L-1")),
        ("HTTPS://T.EXAMPLE/S/OP/WO-1.10", LabelRef("OP", "WO-1.10")),
        ("HTTPS://T.EXAMPLE/S/U/JANE_DOE", LabelRef("U", "JANE_DOE")),
        ("HTTPS://T.EXAMPLE/S/ITEM/100-200", LabelRef("ITEM", "100-200")),
    ],
)
def test_label_accepts_any_scheme_host_port_and_path_prefix(text: str, expected: LabelRef) -> None:
    assert scan(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://takt.example.com/S/WO/WO-2026-00001",
        "HTTPS://TAKT.EXAMPLE.COM/S/WO/WO-2026-00001",
        "hTtPs://Takt.Example.com/s/Wo/wo-2026-00001",
    ],
)
def test_label_is_case_insensitive_and_returns_uppercase(text: str) -> None:
    assert scan(text) == LabelRef(kind="WO", code="WO-2026-00001")


def test_label_path_alone_is_a_label() -> None:
    assert scan("/S/WS/WS-101") == LabelRef(kind="WS", code="WS-101")


@pytest.mark.parametrize(
    "text",
    [
        "https://t.example/S/WS/WS-101/",
        "https://t.example/S/WS/WS-101?utm_source=label",
        "https://t.example/S/WS/WS-101/?a=1&b=2",
        "/S/WS/WS-101#top",
    ],
)
def test_label_ignores_trailing_slash_query_and_fragment(text: str) -> None:
    assert scan(text) == LabelRef(kind="WS", code="WS-101")


def test_label_code_is_percent_decoded_and_uppercased() -> None:
    assert scan("https://t.example/s/item/abc%2d1%5Fx%2E2") == LabelRef("ITEM", "ABC-1_X.2")


@pytest.mark.parametrize(
    "text",
    [
        "https://t.example/S/WO/A%2FB",  # an encoded '/'
        "https://t.example/S/WO/A%20B",  # an encoded space
        "https://t.example/S/LOT/%C3%84PFEL",  # a non-ASCII letter
        "https://t.example/S/LOC/..",
    ],
)
def test_label_with_an_impossible_code_is_refused(text: str) -> None:
    with pytest.raises(ScanTextError, match="Takt label"):
        scan(text)


def test_label_path_with_a_slash_in_the_code_is_not_a_label() -> None:
    assert scan("/S/WO/A/B") == BareCode("/S/WO/A/B")


def test_unknown_kind_is_not_a_label() -> None:
    assert scan("https://t.example/S/XYZ/ABC") == BareCode("HTTPS://T.EXAMPLE/S/XYZ/ABC")


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n", "\t", " \r\n", "\x00"])
def test_trailing_cr_lf_tab_from_wedge_scanners_is_ignored(ending: str) -> None:
    assert scan("HTTP://T.EXAMPLE/S/WO/WO-1" + ending) == LabelRef("WO", "WO-1")
    assert scan("abc-123" + ending) == BareCode("ABC-123")


# --------------------------------------------------------------------------------------------
# GS1: element strings
# --------------------------------------------------------------------------------------------


def test_gs1_element_string_with_gs_between_variable_fields() -> None:
    text = f"01{GTIN}17261231" + f"10ABC123{GS}21S-42"
    assert scan(text) == gs1(
        gtin=GTIN, batch="ABC123", expiry=date(2026, 12, 31), serial="S-42", raw=text
    )


@pytest.mark.parametrize("identifier", ["]C1", "]d2", "]Q3", "]e0", "]J1"])
def test_gs1_symbology_identifier_is_stripped(identifier: str) -> None:
    text = f"{identifier}01{GTIN}10LOT7{GS}21SER9"
    assert scan(text) == gs1(gtin=GTIN, batch="LOT7", serial="SER9", raw=text)


def test_gs1_symbology_identifier_marks_data_without_gtin_as_gs1() -> None:
    assert scan("]C110LOT7") == gs1(batch="LOT7", raw="]C110LOT7")


def test_gs1_symbology_identifier_alone_is_refused() -> None:
    with pytest.raises(ScanTextError, match="no data"):
        scan("]C1\r\n")


def test_non_gs1_symbology_identifier_is_stripped_too() -> None:
    assert scan("]E04006381333931") == BareCode("4006381333931")
    assert scan("]Q1HTTP://T.EXAMPLE/S/EQ/EQ-1") == LabelRef("EQ", "EQ-1")


@pytest.mark.parametrize("separator", ["<GS>", "<gs>", "<Gs>"])
def test_gs1_literal_gs_text_from_wedge_scanners_is_a_separator(separator: str) -> None:
    text = f"01{GTIN}10ABC{separator}21XYZ"
    assert scan(text) == gs1(gtin=GTIN, batch="ABC", serial="XYZ", raw=text)


def test_gs1_leading_and_trailing_gs_are_ignored() -> None:
    text = f"{GS}01{GTIN}10ABC{GS}"
    assert scan(text) == gs1(gtin=GTIN, batch="ABC", raw=f"01{GTIN}10ABC")


def test_gs1_gs_after_a_fixed_length_field_is_tolerated() -> None:
    text = f"]C101{GTIN}{GS}17261231{GS}10ABC"
    assert scan(text) == gs1(gtin=GTIN, batch="ABC", expiry=date(2026, 12, 31), raw=text)


def test_gs1_values_keep_their_case() -> None:
    result = scan(f"01{GTIN}10abc{GS}21xYz")
    assert isinstance(result, Gs1)
    assert (result.batch, result.serial) == ("abc", "xYz")


@pytest.mark.parametrize(
    ("other", "needs_gs"),
    [
        ("00" + "106141411234567897", False),  # SSCC, n18
        ("02" + GTIN, False),  # contained GTIN, n14
        ("11260101", False),  # production date
        ("12260101", False),  # due date
        ("13260101", False),  # packaging date
        ("15260101", False),  # best before
        ("16260101", False),  # sell by
        ("2001", False),  # variant, n2
        ("3012345678", True),  # count, n..8
        ("3724", True),  # count of trade items, n..8
        ("3103001250", False),  # net weight kg, n6
        ("3162000900", False),  # 316n, n6
        ("3922199", True),  # 392n price, variable
        ("240ABC-1", True),
        ("241CUST-PART", True),
        ("250SECOND-SERIAL", True),
        ("251REF-TO-SOURCE", True),
        ("400PO-4711", True),
        ("4101234567890128", False),  # 410 ship to GLN, n13
        ("70032601011200", True),  # 7003 expiry date and time
        ("8008260101123015", True),
        ("90" + "X" * 30, True),
        ("91" + "Y" * 90, True),
        ("99INTERNAL", True),
    ],
)
def test_gs1_other_ais_are_skipped_by_their_known_length(other: str, needs_gs: bool) -> None:
    separator = GS if needs_gs else ""
    text = f"]C101{GTIN}{other}{separator}17270228" + f"10BATCH-1{GS}21SN1"
    assert scan(text) == gs1(
        gtin=GTIN, batch="BATCH-1", expiry=date(2027, 2, 28), serial="SN1", raw=text
    )


def test_gs1_other_ai_as_the_last_field_is_skipped() -> None:
    text = f"01{GTIN}10B1{GS}400PO-1"
    assert scan(text) == gs1(gtin=GTIN, batch="B1", raw=text)


@pytest.mark.parametrize("unknown", ["05", "14", "19", "5X", "AB"])
def test_gs1_unknown_ai_is_refused(unknown: str) -> None:
    with pytest.raises(ScanTextError, match="does not know"):
        scan(f"]C101{GTIN}{unknown}123456{GS}10ABC")


@pytest.mark.parametrize(
    "text",
    [
        "]C101950600013435",  # GTIN one digit short
        "]C10109506000134352171231",  # expiry with four digits
        f"]C101{GTIN}17ABCDEF",  # expiry not digits
        f"]C101{GTIN}3103{GS}1234",  # net weight cut by a separator
    ],
)
def test_gs1_fixed_length_field_with_the_wrong_length_is_refused(text: str) -> None:
    with pytest.raises(ScanTextError, match="exactly"):
        scan(text)


def test_gs1_bad_gtin_check_digit_is_refused() -> None:
    with pytest.raises(ScanTextError) as error:
        scan("]C10109506000134353")
    assert str(error.value) == (
        "The GTIN 09506000134353 on this GS1 label has a wrong check digit."
    )


@pytest.mark.parametrize(("ai", "name"), [("10", "batch"), ("21", "serial")])
def test_gs1_batch_or_serial_longer_than_20_is_refused(ai: str, name: str) -> None:
    with pytest.raises(ScanTextError, match=f"{name} .* longer than 20"):
        scan(f"]C101{GTIN}{ai}{'A' * 21}")


def test_digits_with_an_over_long_batch_and_no_gs1_marker_stay_a_bare_code() -> None:
    text = f"01{GTIN}10{'A' * 21}"
    assert scan(text) == BareCode(text)


def test_gs1_batch_of_exactly_20_is_accepted() -> None:
    result = scan(f"01{GTIN}10{'A' * 20}")
    assert isinstance(result, Gs1)
    assert result.batch == "A" * 20


def test_gs1_empty_variable_field_is_refused() -> None:
    with pytest.raises(ScanTextError, match="empty"):
        scan(f"01{GTIN}10{GS}21X")


def test_gs1_conflicting_duplicate_ai_is_refused() -> None:
    with pytest.raises(ScanTextError, match="two different"):
        scan(f"01{GTIN}10A{GS}10B")


# --------------------------------------------------------------------------------------------
# GS1: bare digits
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "digits",
    [GTIN, "9506000134352", "036000291452", "95012346", "4006381333931"],
)
def test_bare_gtin_digits_stay_a_bare_code(digits: str) -> None:
    assert scan(digits) == BareCode(digits)


def test_digits_starting_with_01_and_14_digits_are_gs1() -> None:
    assert scan(f"01{GTIN}") == gs1(gtin=GTIN, raw=f"01{GTIN}")
    assert scan(f"01{GTIN}17261200") == gs1(
        gtin=GTIN, expiry=date(2026, 12, 31), raw=f"01{GTIN}17261200"
    )


def test_digits_starting_with_01_and_a_bad_check_digit_are_refused() -> None:
    # 01 + 14 digits + nothing else parses as an element string, so it is GS1 and checked.
    with pytest.raises(ScanTextError, match="wrong check digit"):
        scan("0109506000134353")


def test_digits_starting_with_01_whose_rest_does_not_parse_stay_a_bare_code() -> None:
    assert scan(f"01{GTIN}7") == BareCode(f"01{GTIN}7")
    assert scan(f"01{GTIN}05ABC") == BareCode(f"01{GTIN}05ABC")


# --------------------------------------------------------------------------------------------
# GS1: human-readable form
# --------------------------------------------------------------------------------------------


def test_gs1_parenthesised_human_readable_form() -> None:
    text = f"(01){GTIN}(17)261231(10)ABC123"
    assert scan(text) == gs1(gtin=GTIN, batch="ABC123", expiry=date(2026, 12, 31), raw=text)


def test_gs1_parenthesised_form_tolerates_spaces_and_skips_other_ais() -> None:
    text = f"(01) {GTIN} (3103) 001250 (21) SN-9 (400) PO 1"
    assert scan(text) == gs1(gtin=GTIN, serial="SN-9", raw=text)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (f"(01){GTIN[:-1]}3", "wrong check digit"),
        (f"(01){GTIN}(17)261", "exactly 6 digits"),
        (f"(01){GTIN}(05)X", "does not know"),
        (f"(01){GTIN}(310)001250", "does not know"),  # 310n is a four-digit AI
    ],
)
def test_gs1_parenthesised_form_with_errors_is_refused(text: str, match: str) -> None:
    with pytest.raises(ScanTextError, match=match):
        scan(text)


# --------------------------------------------------------------------------------------------
# GS1: Digital Link
# --------------------------------------------------------------------------------------------


def test_gs1_digital_link_with_qualifiers_and_expiry_in_the_query() -> None:
    text = f"https://id.gs1.org/01/{GTIN}/10/ABC123/21/S1?17=261231"
    assert scan(text) == gs1(
        gtin=GTIN, batch="ABC123", expiry=date(2026, 12, 31), serial="S1", raw=text
    )


def test_gs1_digital_link_on_any_host_with_a_path_prefix() -> None:
    text = f"https://brand.example.com:8443/products/dl/01/{GTIN}/10/L%2F7%20a?linkType=all"
    assert scan(text) == gs1(gtin=GTIN, batch="L/7 a", raw=text)


@pytest.mark.parametrize("short", ["95012346", "036000291452", "9506000134352"])
def test_gs1_digital_link_pads_short_gtins_to_14_digits(short: str) -> None:
    result = scan(f"https://id.gs1.org/01/{short}")
    assert isinstance(result, Gs1)
    assert result.gtin == short.zfill(14)


def test_gs1_digital_link_in_uppercase_keeps_the_value_case() -> None:
    text = f"HTTPS://ID.GS1.ORG/01/{GTIN}/22/V1/10/AbC/21/x1/?17=270200&3103=000500"
    assert scan(text) == gs1(
        gtin=GTIN, batch="AbC", serial="x1", expiry=date(2027, 2, 28), raw=text
    )


def test_gs1_digital_link_short_names_are_understood() -> None:
    text = f"https://example.com/gtin/{GTIN}/lot/B7?exp=261231"
    assert scan(text) == gs1(gtin=GTIN, batch="B7", expiry=date(2026, 12, 31), raw=text)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (f"https://id.gs1.org/01/{GTIN[:-1]}9", "wrong check digit"),
        (f"https://id.gs1.org/01/{GTIN}?17=261332", "not a real date"),
        (f"https://id.gs1.org/01/{GTIN}?17=2612", "six digits"),
        (f"https://id.gs1.org/01/{GTIN}/10", "without a value"),
        (f"https://id.gs1.org/01/{GTIN}/10/{'B' * 21}", "longer than 20"),
        (f"https://id.gs1.org/01/{GTIN}/batch/B1", "application identifier"),
    ],
)
def test_gs1_digital_link_with_errors_is_refused(text: str, match: str) -> None:
    with pytest.raises(ScanTextError, match=match):
        scan(text)


def test_url_that_is_neither_label_nor_digital_link_is_a_bare_code() -> None:
    text = "https://blog.example/2026/01/15/post"
    assert scan(text) == BareCode(text.upper())


# --------------------------------------------------------------------------------------------
# GS1: expiry dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "yymmdd", "expected"),
    [
        (date(2026, 11, 21), "261231", date(2026, 12, 31)),
        (date(2026, 11, 21), "760101", date(2076, 1, 1)),  # +50 years: this century
        (date(2026, 11, 21), "770101", date(1977, 1, 1)),  # +51 years: the century before
        (date(2026, 11, 21), "990101", date(1999, 1, 1)),
        (date(2026, 11, 21), "000101", date(2000, 1, 1)),
        (date(2060, 6, 1), "110101", date(2011, 1, 1)),  # -49 years: this century
        (date(2060, 6, 1), "100101", date(2110, 1, 1)),  # -50 years: the century after
        (date(1999, 12, 31), "020101", date(2002, 1, 1)),
        (date(1999, 12, 31), "490101", date(2049, 1, 1)),
        (date(1999, 12, 31), "500101", date(1950, 1, 1)),
    ],
)
def test_gs1_expiry_year_follows_the_gs1_century_rule(
    today: date, yymmdd: str, expected: date
) -> None:
    result = scan(f"01{GTIN}17{yymmdd}", today=today)
    assert isinstance(result, Gs1)
    assert result.expiry == expected


@pytest.mark.parametrize(
    ("yymmdd", "expected"),
    [
        ("260200", date(2026, 2, 28)),
        ("280200", date(2028, 2, 29)),  # leap year
        ("260400", date(2026, 4, 30)),
        ("261200", date(2026, 12, 31)),
    ],
)
def test_gs1_expiry_day_00_means_the_last_day_of_the_month(yymmdd: str, expected: date) -> None:
    result = scan(f"(01){GTIN}(17){yymmdd}")
    assert isinstance(result, Gs1)
    assert result.expiry == expected


@pytest.mark.parametrize("yymmdd", ["261301", "260001", "260431", "270229"])
def test_gs1_expiry_that_is_not_a_real_date_is_refused(yymmdd: str) -> None:
    with pytest.raises(ScanTextError, match="expiry date"):
        scan(f"01{GTIN}17{yymmdd}")


def test_gs1_expiry_defaults_to_the_real_today() -> None:
    result = parse_scan(f"01{GTIN}17{date.today():%y%m%d}")
    assert isinstance(result, Gs1)
    assert result.expiry == date.today()


# --------------------------------------------------------------------------------------------
# Bare codes and limits
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wo-2026-00001", "WO-2026-00001"),
        ("  rm-a-01 \r\n", "RM-A-01"),
        ("\ufeffabc\t", "ABC"),
        ("Schraube M8 x 20", "SCHRAUBE M8 X 20"),
    ],
)
def test_anything_else_is_a_bare_code_trimmed_and_uppercased(text: str, expected: str) -> None:
    assert scan(text) == BareCode(expected)


@pytest.mark.parametrize("text", ["", "   ", "\r\n", "\t\x00\x1d"])
def test_empty_scan_is_refused(text: str) -> None:
    with pytest.raises(ScanTextError, match="empty"):
        scan(text)


def test_scan_longer_than_512_characters_is_refused() -> None:
    with pytest.raises(ScanTextError, match="at most 512"):
        scan("A" * 513)


def test_scan_of_exactly_512_characters_plus_line_ending_is_accepted() -> None:
    assert scan("A" * 512 + "\r\n") == BareCode("A" * 512)


def test_scan_text_error_is_a_value_error() -> None:
    assert issubclass(ScanTextError, ValueError)


@pytest.mark.parametrize(
    "result",
    [LabelRef("WO", "WO-1"), BareCode("X"), gs1(gtin=GTIN, raw="x")],
)
def test_results_are_frozen(result: object) -> None:
    field = dataclasses.fields(result)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, field, "changed")


@pytest.mark.parametrize("text", ["https://a]b/01/09506000134352", "https://[x]/01/09506000134352"])
def test_a_web_address_with_an_unreadable_host_is_a_sentence_not_a_crash(text: str) -> None:
    with pytest.raises(ScanTextError, match="host cannot be read"):
        parse_scan(text)
