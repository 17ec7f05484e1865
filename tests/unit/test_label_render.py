"""Label rendering: templates, PNG, PDF sheets, ZPL and raw printing (the takt.labels package)."""

from __future__ import annotations

import functools
import io
import json
import re
import socket
from pathlib import Path

import msgspec
import pytest
import zxingcpp
from PIL import Image, ImageOps
from tests.fake_printer import fake_printer

from takt.labels import (
    KINDS,
    MIN_DOTS_PER_MODULE,
    QUIET_ZONE_MODULES,
    LabelTemplate,
    LabelTemplateError,
    LineElement,
    PrinterError,
    QrElement,
    TextElement,
    load_template,
    mm_to_dots,
    render_pdf,
    render_png,
    render_sheet_pages,
    render_zpl,
    send_to_printer,
)
from takt.labels import text as label_text

LABELS_DIR = Path(__file__).resolve().parents[2] / "labels"
BASE_URL = "HTTP://TAKT.LOCAL:8000"
DPIS = (203, 300)

# Realistic fields and codes per kind; the QR text is <PUBLIC_URL>/S/<KIND>/<CODE>.
SAMPLES: dict[str, dict[str, str]] = {
    "WO": {
        "code": "WO-2026-00001",
        "title": "Gearbox housing GH-200, machined",
        "item_code": "GH-200-M",
        "quantity": "250",
        "unit": "pcs",
        "line": "LINE 2",
        "due": "2026-03-14",
        "status": "RELEASED",
    },
    "OP": {
        "code": "WO-2026-00001-0020",
        "title": "CNC milling, second setup",
        "work_order": "WO-2026-00001",
        "workstation": "CNC-04",
        "quantity": "250",
        "unit": "pcs",
        "status": "READY",
    },
    "LOT": {
        "code": "L-2026-000123",
        "title": "Aluminium bar 6082 T6 d40",
        "item_code": "AL-6082-40",
        "quantity": "1250.5",
        "unit": "kg",
        "supplier_lot": "HX88123-7",
        "expiry": "2027-01-31",
        "status": "RELEASED",
    },
    "SN": {
        "code": "SN-2026-000123",
        "title": "Coolant pump P100",
        "item_code": "FG-PUMP-100",
        "work_order": "WO-2026-00042",
        "lot": "LOT-2026-00077",
        "operation": "WO-2026-00042-60",
        "status": "GENERATED",
    },
    "LOC": {
        "code": "WH1-A-01-02",
        "title": "Rack A, bay 1, shelf 2",
        "site": "Plant Linz",
        "status": "ACTIVE",
    },
    "WS": {"code": "CNC-04", "title": "DMG Mori NHX 4000", "line": "LINE 2", "status": "ACTIVE"},
    "EQ": {
        "code": "EQ-000457",
        "title": "Torque wrench 5-60 Nm",
        "serial": "SN 4471-2209",
        "workstation": "ASM-02",
        "status": "CALIBRATED",
    },
    "ITEM": {
        "code": "GH-200-M",
        "title": "Gearbox housing GH-200, machined",
        "unit": "pcs",
        "status": "ACTIVE",
    },
    "U": {
        "code": "U-0042",
        "name": "Maria Gonzalez Fernandez",
        "roles": "Operator, Setter",
        "title": "Takt operator badge",
        "status": "ACTIVE",
    },
}


def _fields(kind: str) -> dict[str, str]:
    return {**SAMPLES[kind], "kind": kind}


def _qr_text(kind: str) -> str:
    return f"{BASE_URL}/S/{kind}/{SAMPLES[kind]['code']}"


def _template(kind: str, dpi: int) -> LabelTemplate:
    return msgspec.structs.replace(load_template(kind, LABELS_DIR), dpi=dpi)


@functools.cache
def _png(kind: str, dpi: int) -> bytes:
    return render_png(_template(kind, dpi), _fields(kind), _qr_text(kind))


def _decode(image: Image.Image) -> list[zxingcpp.Barcode]:
    return list(zxingcpp.read_barcodes(image))


def _qr_area_box(template: LabelTemplate) -> tuple[int, int, int, int]:
    qr = template.qr
    left, top = mm_to_dots(qr.x_mm, template.dpi), mm_to_dots(qr.y_mm, template.dpi)
    side = int(qr.size_mm * template.dpi / 25.4)
    return left, top, left + side, top + side


def _measure_modules(image: Image.Image, area: tuple[int, int, int, int]) -> tuple[int, int]:
    """Dots per module and modules per side, measured from the pixels of a QR area.

    Asserts on the way that every module is a uniform square of whole dots and that the
    quiet zone is at least 4 modules.
    """
    crop = image.convert("L").crop(area)
    bbox = ImageOps.invert(crop).getbbox()
    assert bbox is not None, "the QR area is blank"
    left, top, right, bottom = bbox
    assert right - left == bottom - top, "the QR symbol is not square"
    run = 0  # the top row of the top-left finder pattern is 7 dark modules
    while crop.getpixel((left + run, top)) < 128:
        run += 1
    assert run % 7 == 0, f"finder pattern of {run} dots is not 7 whole modules"
    dots = run // 7
    side = right - left
    assert side % dots == 0
    modules = side // dots
    assert modules >= 21 and (modules - 17) % 4 == 0, f"{modules} modules is not a QR size"
    for r in range(modules):
        for c in range(modules):
            x, y = left + c * dots, top + r * dots
            lo, hi = crop.crop((x, y, x + dots, y + dots)).getextrema()
            assert lo == hi, f"module ({r}, {c}) is not a whole block of dots"
    quiet = min(left, top, crop.width - right, crop.height - bottom)
    assert quiet >= QUIET_ZONE_MODULES * dots, "quiet zone narrower than 4 modules"
    return dots, modules


# -- templates ---------------------------------------------------------------------------------


def test_every_kind_has_a_template_file_named_by_its_lowercase_token() -> None:
    files = sorted(p.stem for p in LABELS_DIR.glob("*.json"))
    assert files == sorted(k.lower() for k in KINDS)
    for kind in KINDS:
        template = load_template(kind, LABELS_DIR)
        assert template.name
        assert template.dpi == 203


def test_template_sizes_are_badge_card_location_100x50_and_small_labels() -> None:
    badge = load_template("U", LABELS_DIR)
    assert (badge.width_mm, badge.height_mm) == (85.6, 54)
    loc = load_template("LOC", LABELS_DIR)
    assert (loc.width_mm, loc.height_mm) == (100, 50)
    for kind in ("WO", "LOT", "SN"):
        t = load_template(kind, LABELS_DIR)
        assert t.width_mm <= 70 and t.height_mm <= 50


def test_kind_token_is_case_insensitive() -> None:
    assert load_template("wo", LABELS_DIR) == load_template("WO", LABELS_DIR)
    assert load_template("Lot", LABELS_DIR).name == load_template("LOT", LABELS_DIR).name


def test_unknown_kind_raises_template_error_naming_the_kinds() -> None:
    with pytest.raises(LabelTemplateError, match="no label kind 'PALLET'.*WO, OP, LOT"):
        load_template("PALLET", LABELS_DIR)
    with pytest.raises(LabelTemplateError):
        load_template("../wo", LABELS_DIR)


def test_kind_without_a_file_raises_template_error(tmp_path: Path) -> None:
    with pytest.raises(LabelTemplateError, match="no label template for WO"):
        load_template("WO", tmp_path)


def test_invalid_json_raises_template_error_with_line(tmp_path: Path) -> None:
    (tmp_path / "wo.json").write_text('{"name": "x",\n "width_mm": }', encoding="utf-8")
    with pytest.raises(LabelTemplateError, match="not valid JSON.*line 2"):
        load_template("WO", tmp_path)


def _minimal() -> dict:
    return {
        "name": "Test",
        "width_mm": 60,
        "height_mm": 40,
        "dpi": 203,
        "elements": [{"type": "qr", "x_mm": 1, "y_mm": 1, "size_mm": 30}],
    }


def test_template_missing_key_raises_template_error_naming_it() -> None:
    data = _minimal()
    del data["height_mm"]
    with pytest.raises(LabelTemplateError, match="missing 'height_mm'"):
        LabelTemplate.from_dict(data)
    data = _minimal()
    data["elements"].append({"type": "text", "x_mm": 1, "y_mm": 1, "field": "code"})
    with pytest.raises(LabelTemplateError, match="Element 2 .* missing 'height_mm'"):
        LabelTemplate.from_dict(data)


def test_unknown_element_type_raises_template_error_listing_the_types() -> None:
    data = _minimal()
    data["elements"].append({"type": "barcode128", "x_mm": 1, "y_mm": 1})
    with pytest.raises(LabelTemplateError, match="type 'barcode128'.*'qr', 'text'"):
        LabelTemplate.from_dict(data)


def test_misspelt_element_key_raises_template_error() -> None:
    data = _minimal()
    data["elements"].append({"type": "text", "field": "code", "x_mm": 1, "y_mm": 1, "hieght_mm": 3})
    with pytest.raises(LabelTemplateError, match="missing 'height_mm'"):
        LabelTemplate.from_dict(data)
    data["elements"][-1]["height_mm"] = 3
    with pytest.raises(LabelTemplateError, match="unknown 'hieght_mm'"):
        LabelTemplate.from_dict(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"width_mm": -5}, "width_mm -5; it must be more than 0"),
        ({"width_mm": "60"}, "width_mm '60'; it must be a number"),
        # Beyond any float: refused like text, where it used to escape as an OverflowError.
        ({"height_mm": 10**400}, "; it must be a number"),
        ({"width_mm": float("inf")}, "width_mm inf; it must be a number"),
        ({"dpi": 20}, "dpi 20"),
        ({"dpi": 203.5}, "dpi 203.5"),
        ({"elements": {}}, "'elements' as a list"),
        ({"elements": []}, "0 qr elements; it needs exactly one"),
        ({"name": ""}, "non-empty text 'name'"),
    ],
)
def test_bad_template_values_raise_template_error_with_a_sentence(
    change: dict, message: str
) -> None:
    data = {**_minimal(), **change}
    with pytest.raises(LabelTemplateError, match=re.escape(message)):
        LabelTemplate.from_dict(data)


@pytest.mark.parametrize(
    ("element", "message"),
    [
        ({"type": "qr", "x_mm": 40, "y_mm": 1, "size_mm": 30}, "outside the 60 x 40 mm label"),
        ({"type": "line", "x1_mm": 0, "y1_mm": 0, "x2_mm": 10, "y2_mm": 10}, "slanted"),
        ({"type": "text", "x_mm": 1, "y_mm": 1, "height_mm": 3}, "exactly one of 'field'"),
        (
            {"type": "text", "x_mm": 1, "y_mm": 1, "height_mm": 3, "field": "a", "text": "b"},
            "exactly one of 'field'",
        ),
        (
            {"type": "text", "x_mm": 1, "y_mm": 1, "height_mm": 3, "format": "{a.__class__}"},
            "plain field names",
        ),
        (
            {"type": "text", "x_mm": 1, "y_mm": 1, "height_mm": 3, "text": "x", "bold": "yes"},
            "true or false",
        ),
    ],
)
def test_bad_elements_raise_template_error_with_a_sentence(element: dict, message: str) -> None:
    data = _minimal()
    data["elements"].append(element)
    with pytest.raises(LabelTemplateError, match=re.escape(message)):
        LabelTemplate.from_dict(data)


def test_template_error_is_a_value_error() -> None:
    assert issubclass(LabelTemplateError, ValueError)
    assert issubclass(PrinterError, OSError)


# -- PNG ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("kind", KINDS)
def test_png_qr_decodes_to_the_url_as_full_qr_not_micro_qr(kind: str, dpi: int) -> None:
    image = Image.open(io.BytesIO(_png(kind, dpi)))
    results = _decode(image)
    assert [r.text for r in results] == [_qr_text(kind)]
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    assert results[0].format != zxingcpp.BarcodeFormat.MicroQRCode


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("kind", KINDS)
def test_png_qr_uses_error_correction_level_q(kind: str, dpi: int) -> None:
    results = _decode(Image.open(io.BytesIO(_png(kind, dpi))))
    assert results[0].ec_level == "Q"


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("kind", KINDS)
def test_png_is_label_size_in_dots_with_dpi_metadata(kind: str, dpi: int) -> None:
    template = _template(kind, dpi)
    image = Image.open(io.BytesIO(_png(kind, dpi)))
    assert image.format == "PNG"
    assert image.mode in ("1", "L")
    assert image.size == (
        round(template.width_mm / 25.4 * dpi),
        round(template.height_mm / 25.4 * dpi),
    )
    assert tuple(round(v) for v in image.info["dpi"]) == (dpi, dpi)


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("kind", KINDS)
def test_png_qr_modules_are_whole_dots_at_least_four_with_quiet_zone(kind: str, dpi: int) -> None:
    template = _template(kind, dpi)
    image = Image.open(io.BytesIO(_png(kind, dpi)))
    dots, modules = _measure_modules(image, _qr_area_box(template))
    assert dots >= MIN_DOTS_PER_MODULE
    side = _qr_area_box(template)[2] - _qr_area_box(template)[0]
    assert dots == side // (modules + 2 * QUIET_ZONE_MODULES)


def test_uppercase_url_fits_a_30_mm_qr_at_203_dpi_in_alphanumeric_mode() -> None:
    data = _minimal()
    template = LabelTemplate.from_dict(data)
    url = "HTTP://TAKT.LOCAL:8000/S/WO/WO-2026-00001"
    image = Image.open(io.BytesIO(render_png(template, {}, url)))
    dots, modules = _measure_modules(image, _qr_area_box(template))
    assert modules == 29  # version 3: 41 alphanumeric characters at level Q
    assert dots == 6


def test_png_renders_at_600_dpi_with_whole_dot_modules() -> None:
    template = _template("LOT", 600)
    image = Image.open(io.BytesIO(render_png(template, _fields("LOT"), _qr_text("LOT"))))
    assert image.size == (mm_to_dots(60, 600), mm_to_dots(40, 600))
    assert [r.text for r in _decode(image)] == [_qr_text("LOT")]
    dots, _ = _measure_modules(image, _qr_area_box(template))
    assert dots >= 4 * 600 // 203


def test_text_bound_to_a_missing_field_renders_empty() -> None:
    data = _minimal()
    bare = LabelTemplate.from_dict(data)
    data["elements"].append(
        {"type": "text", "field": "supplier_lot", "x_mm": 33, "y_mm": 5, "height_mm": 4}
    )
    with_text = LabelTemplate.from_dict(data)
    url = _qr_text("LOT")
    assert render_png(with_text, {"code": "L-1"}, url) == render_png(bare, {}, url)
    assert render_png(with_text, {"supplier_lot": "X1"}, url) != render_png(bare, {}, url)


def test_qr_data_too_long_for_the_area_at_four_dots_raises() -> None:
    template = load_template("WO", LABELS_DIR)
    long_url = f"{BASE_URL}/S/LOT/" + "A" * 200
    with pytest.raises(LabelTemplateError, match="does not fit in .* at 4 dots a module"):
        render_png(template, {}, long_url)
    with pytest.raises(LabelTemplateError, match="does not fit"):
        render_zpl(template, {}, long_url)


def test_qr_data_beyond_any_qr_version_raises() -> None:
    template = load_template("LOC", LABELS_DIR)
    with pytest.raises(LabelTemplateError, match="more than any QR code holds"):
        render_png(template, {}, "A" * 5000)


# -- PDF ---------------------------------------------------------------------------------------


def _sheet(kind: str, n: int) -> list[tuple[LabelTemplate, dict[str, str], str]]:
    template = load_template(kind, LABELS_DIR)
    out = []
    for i in range(n):
        code = f"{SAMPLES[kind]['code']}-{i:02d}"
        out.append((template, {**_fields(kind), "code": code}, f"{BASE_URL}/S/{kind}/{code}"))
    return out


@pytest.mark.parametrize("page", ["A4", "Letter"])
def test_pdf_has_pdf_header_and_two_pages_for_30_work_order_labels(page: str) -> None:
    # 60 x 40 mm at 300 dpi in 5 mm margins with 4 mm gaps: 3 across, 6 down, 18 a page.
    pdf = render_pdf(_sheet("WO", 30), page=page)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 2
    assert re.search(rb"/Count 2\b", pdf)


def test_pdf_pages_are_page_size_at_300_dpi() -> None:
    a4 = render_sheet_pages(_sheet("LOT", 1), "A4")
    letter = render_sheet_pages(_sheet("LOT", 1), "letter")
    assert a4[0].size == (2480, 3508)
    assert letter[0].size == (2550, 3300)


def test_pdf_sheet_qr_codes_decode_with_whole_dot_modules() -> None:
    labels = _sheet("WO", 3) + [
        (load_template(k, LABELS_DIR), _fields(k), _qr_text(k)) for k in KINDS
    ]
    pages = render_sheet_pages(labels, "A4")
    decoded = {r.text for page in pages for r in _decode(page)}
    assert decoded == {qr_text for _, _, qr_text in labels}
    # The first label sits at the top-left margin; its QR keeps whole 300 dpi dots.
    first = msgspec.structs.replace(labels[0][0], width_mm=60, height_mm=40, dpi=300)
    margin = mm_to_dots(5, 300)
    left, top, right, bottom = _qr_area_box(first)
    dots, _ = _measure_modules(
        pages[0], (left + margin, top + margin, right + margin, bottom + margin)
    )
    assert dots >= MIN_DOTS_PER_MODULE


def test_pdf_rejects_unknown_page_size_and_empty_list() -> None:
    with pytest.raises(ValueError, match="no page size 'A3'"):
        render_pdf(_sheet("WO", 1), page="A3")
    with pytest.raises(ValueError, match="no labels"):
        render_pdf([])


# -- ZPL ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("kind", KINDS)
def test_zpl_is_one_label_with_qr_level_q_and_size_in_dots(kind: str, dpi: int) -> None:
    template = _template(kind, dpi)
    zpl = render_zpl(template, _fields(kind), _qr_text(kind))
    assert zpl.startswith("^XA")
    assert zpl.endswith("^XZ")
    assert zpl.count("^XA") == 1 and zpl.count("^XZ") == 1
    assert "^CI28" in zpl
    assert f"^PW{template.width_dots}" in zpl
    assert f"^LL{template.height_dots}" in zpl
    assert "^FDQA," + _qr_text(kind) + "^FS" in zpl
    match = re.search(r"\^BQN,2,(\d+)", zpl)
    assert match is not None
    assert MIN_DOTS_PER_MODULE <= int(match.group(1)) <= 10
    assert "^FD" + SAMPLES[kind]["code"] + "^FS" in zpl


def test_zpl_magnification_equals_png_dots_per_module() -> None:
    template = _template("WO", 203)
    zpl = render_zpl(template, _fields("WO"), _qr_text("WO"))
    image = Image.open(io.BytesIO(_png("WO", 203)))
    dots, _ = _measure_modules(image, _qr_area_box(template))
    assert f"^BQN,2,{dots}^" in zpl


def test_zpl_escapes_caret_and_tilde_in_field_data() -> None:
    template = load_template("WO", LABELS_DIR)
    zpl = render_zpl(template, {"code": "A^XZ~JR_1", "title": "Größe"}, _qr_text("WO"))
    assert "A_5EXZ_7EJR_5F1" in zpl
    assert "^XZ" not in zpl[:-3]
    assert "~" not in zpl
    assert "Gr_C3_B6_C3_9Fe" in zpl  # UTF-8 bytes, read as such under ^CI28


def test_zpl_cuts_long_text_with_an_ellipsis() -> None:
    template = load_template("WO", LABELS_DIR)
    title = "Gearbox housing GH-200 machined, anodised and laser marked for export"
    zpl = render_zpl(template, {"title": title}, _qr_text("WO"))
    line = next(x for x in zpl.splitlines() if "Gearbox" in x)
    assert line.endswith("_E2_80_A6^FS")  # U+2026 in UTF-8
    assert title not in zpl


def test_zpl_draws_lines_with_graphic_box() -> None:
    zpl = render_zpl(load_template("WO", LABELS_DIR), {}, _qr_text("WO"))
    assert re.search(r"\^FO\d+,\d+\^GB\d+,\d+,\d+\^FS", zpl)


# -- printing ----------------------------------------------------------------------------------


def test_send_to_printer_delivers_the_zpl_bytes_over_tcp() -> None:
    zpl = render_zpl(load_template("LOT", LABELS_DIR), _fields("LOT"), _qr_text("LOT"))
    with fake_printer() as printer:
        send_to_printer(zpl, "127.0.0.1", printer.port, timeout=5)
        assert printer.received(timeout=5) == zpl.encode("utf-8")


def test_send_to_printer_raises_printer_error_on_a_closed_port() -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(PrinterError, match=f"printer at 127.0.0.1:{port}"):
        send_to_printer("^XA^XZ", "127.0.0.1", port, timeout=2)


# -- the template files themselves -------------------------------------------------------------


def test_template_files_are_plain_json_with_one_qr_element() -> None:
    for path in LABELS_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        template = LabelTemplate.from_dict(data)
        assert sum(isinstance(e, QrElement) for e in template.elements) == 1


def test_no_template_element_overlaps_the_qr_area() -> None:
    for kind in KINDS:
        template = load_template(kind, LABELS_DIR)
        qr = template.qr
        qx0, qy0, qx1, qy1 = qr.x_mm, qr.y_mm, qr.x_mm + qr.size_mm, qr.y_mm + qr.size_mm
        for el in template.elements:
            if isinstance(el, TextElement):
                width = el.width_limit_mm(template.width_mm)
                box = (el.x_mm, el.y_mm, el.x_mm + width, el.y_mm + 1.25 * el.height_mm)
            elif isinstance(el, LineElement):
                box = (
                    min(el.x1_mm, el.x2_mm),
                    min(el.y1_mm, el.y2_mm),
                    max(el.x1_mm, el.x2_mm),
                    max(el.y1_mm, el.y2_mm),
                )
            else:
                continue
            overlaps = box[0] < qx1 and qx0 < box[2] and box[1] < qy1 and qy0 < box[3]
            assert not overlaps, f"{kind}: {el} overlaps the QR area"


def test_png_renders_with_pillow_font_when_no_system_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(label_text, "_dejavu_path", lambda bold: None)
    label_text.font_and_stroke.cache_clear()
    try:
        template = load_template("U", LABELS_DIR)
        png = render_png(template, {**_fields("U"), "name": "Jürgen Größ"}, _qr_text("U"))
    finally:
        label_text.font_and_stroke.cache_clear()
    assert [r.text for r in _decode(Image.open(io.BytesIO(png)))] == [_qr_text("U")]
