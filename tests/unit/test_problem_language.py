"""Every sentence the server says to a person has its zh-CN translation.

The backend's source is read as code (AST), so a module added later is checked without being
listed here: a domain error raised with a bare string or f-string, a ``Message`` template
missing from the zh-CN catalog, or a translation whose placeholders differ from the English
fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from takt.inventory.ledger import MovementKind
from takt.masterdata.services import RESOURCES
from takt.platform.i18n import (
    Message,
    catalog,
    catalog_key,
    negotiate,
    placeholders,
    term,
    translate,
)
from takt.platform.roles import ALL_ROLES
from takt.production.schemas import OperationStatus, WorkOrderStatus

BACKEND = Path(__file__).resolve().parents[2] / "backend" / "takt"
# Domain errors, and the errors whose sentence becomes one (exc.sentence).
DOMAIN_ERRORS = {"TaktError", "Invalid", "NotFound", "Conflict", "Unauthorized", "Forbidden",
                 "ScanTextError", "LabelTemplateError", "SchedulingError"}


ZH = catalog("zh-CN")


def _sources() -> list[Path]:
    return sorted(path for path in BACKEND.rglob("*.py") if "piccolo_migrations" not in path.parts)


def _templates() -> list[tuple[str, str, str | None]]:
    """(where, template, context) of every ``Message("literal", ...)`` in the backend."""
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Message" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                context = next((kw.value.value for kw in node.keywords if kw.arg == "context"
                                and isinstance(kw.value, ast.Constant)), None)
                where = f"{path.relative_to(BACKEND)}:{node.lineno}"
                found.append((where, node.args[0].value, context))
    return found


def _is_plain_sentence(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant | ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_plain_sentence(node.left) or _is_plain_sentence(node.right)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id == "str"


def test_domain_errors_are_raised_with_a_translatable_message() -> None:
    plain = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else None
            is_rewrap = isinstance(func, ast.Call) and isinstance(func.func, ast.Name) \
                and func.func.id == "type"
            if (name in DOMAIN_ERRORS or is_rewrap) and _is_plain_sentence(node.args[0]):
                plain.append(f"{path.relative_to(BACKEND)}:{node.lineno}")
    assert not plain, f"raise these with Message(...) and add the zh-CN sentence: {plain}"


def test_every_message_template_has_a_zh_cn_sentence_with_the_same_placeholders() -> None:
    templates = _templates()
    assert len(templates) > 200, "the AST walk no longer finds the sentences"
    missing, differing = [], []
    for where, template, context in templates:
        key = catalog_key(template, context)
        if key not in ZH:
            missing.append(f"{where}: {key!r}")
        elif placeholders(ZH[key]) != placeholders(template):
            differing.append(f"{where}: {key!r} -> {ZH[key]!r}")
    assert not missing, "add to backend/takt/platform/locales/zh-CN.json:\n" + "\n".join(missing)
    assert not differing, "placeholders differ:\n" + "\n".join(differing)


def test_every_zh_cn_sentence_is_still_used() -> None:
    used = {catalog_key(template, context) for _, template, context in _templates()}
    used |= {catalog_key(term("movement", kind), "movement") for kind in get_args(MovementKind)}
    used |= {key for key in ZH if key.split("|")[0] in {
        "work order status", "operation status", "outsourcing order status", "record", "side",
        "role"}}
    assert sorted(set(ZH) - used) == []


@pytest.mark.parametrize(("context", "values"), [
    ("movement", get_args(MovementKind)),
    ("work order status", get_args(WorkOrderStatus)),
    ("operation status", get_args(OperationStatus)),
    ("outsourcing order status", ("open", "closed", "cancelled")),
    ("role", ALL_ROLES),
    ("record", sorted({r.title for r in RESOURCES.values()}
                      | {r.title.lower() for r in RESOURCES.values()}
                      | {ref.entity for r in RESOURCES.values() for ref in r.refs.values()})),
])
def test_code_words_put_into_sentences_have_zh_cn_words(context: str, values: tuple[str]) -> None:
    untranslated = [value for value in values if translate(term(context, value), "zh-CN")
                    == str(term(context, value))]
    assert untranslated == []


def test_a_message_reads_as_english_and_translates_with_its_parts() -> None:
    sentence = Message("Lot {code} is already {status}.", code="L-7",
                       status=Message("blocked", context="lot status"))
    assert sentence == "Lot L-7 is already blocked."
    assert translate(sentence, "en") == "Lot L-7 is already blocked."
    assert translate(sentence, "zh-CN") == "批次 L-7 的状态已是“已冻结”。"


def test_a_sentence_without_translation_stays_english() -> None:
    assert translate(Message("No such sentence {x}.", x=1), "zh-CN") == "No such sentence 1."
    assert translate("a plain str", "zh-CN") == "a plain str"


@pytest.mark.parametrize(("header", "locale"), [
    (None, "en"),
    ("", "en"),
    ("zh-CN", "zh-CN"),
    ("zh", "zh-CN"),
    ("zh-Hans", "zh-CN"),
    ("ZH-cn,zh;q=0.9", "zh-CN"),
    ("zh-CN;q=0.4, en;q=0.8", "en"),
    ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
    ("fr-FR, zh-CN;q=0.5", "zh-CN"),
    ("de, fr;q=0.5", "en"),
    ("zh-TW", "en"),
    ("zh-CN;q=0", "en"),
    ("*", "en"),
    ("zh-CN;q=abc, en;q=0.1", "en"),
])
def test_accept_language_picks_the_preferred_supported_locale(header: str | None,
                                                             locale: str) -> None:
    assert negotiate(header) == locale
