"""Every label kind and every action the server can offer on a scanned record, every status it
can return for each object and every enum value a record shows has its words in both of the
app's languages: a screen never shows a raw key such as ``action.resume`` or a raw value such
as ``semi_finished``. Statuses have words per object (``status.lot.pending`` is not
``status.operation.pending``), in the glossary's Chinese."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest

from takt.inventory import schemas as inventory
from takt.inventory.serials import SerialStatus
from takt.labels.words import KIND_OBJECTS, STATUS_WORDS
from takt.masterdata import schemas as masterdata
from takt.platform import records
from takt.production import schemas as production
from takt.scan import register_record_kinds

LOCALES = Path(__file__).resolve().parents[2] / "pwa" / "src" / "i18n" / "locales"


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_kind_and_action_the_server_offers_has_words(locale):
    words = json.loads((LOCALES / f"{locale}.json").read_text(encoding="utf-8"))
    register_record_kinds()
    missing = []
    for kind in records.kinds():
        spec = records.spec(kind)
        assert spec is not None
        if kind not in words["kind"]:
            missing.append(f"kind.{kind}")
        missing += [f"action.{action}" for action, _ in spec.actions
                    if action not in words["action"]]
    assert records.kinds(), "no label kind registered: the check would pass on nothing"
    assert not missing, f"add to pwa/src/i18n/locales/{locale}.json: {sorted(set(missing))}"


def _codes(literal: object) -> set[str]:
    return set(typing.get_args(literal))


STATUSES: dict[str, set[str]] = {
    "work_order": _codes(production.WorkOrderStatus),
    "operation": _codes(production.OperationStatus),
    "workstation": _codes(production.WorkstationState),
    "equipment": _codes(masterdata.EquipmentStatus) | {"inactive"},  # a deactivated machine
    "lot": _codes(inventory.QualityStatus),
    "serial": _codes(SerialStatus),
    "count": _codes(inventory.CountStatus),
    "outsourcing": _codes(typing.get_type_hints(production.OutsourceOut)["status"]),
    "record": {"active", "inactive"},  # what a scan says of master data and badges
}
"""Every status the server returns, per object whose status it is."""

ENUMS: dict[str, set[str]] = {
    "item_kind": _codes(masterdata.ItemKind),
    "location_kind": _codes(masterdata.LocationKind),
    "warehouse_kind": _codes(masterdata.WarehouseKind),
    "party_kind": _codes(masterdata.PartyKind),
    "reason_kind": _codes(masterdata.ReasonKind),
}
"""Code words of master data the app shows as facts."""


def _words(locale: str) -> dict:
    return json.loads((LOCALES / f"{locale}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_status_of_every_object_and_every_enum_has_words(locale):
    words = _words(locale)
    assert all(STATUSES.values()) and all(ENUMS.values()), "a code list came back empty"
    missing = [f"status.{of}.{code}" for of, codes in STATUSES.items() for code in sorted(codes)
               if code not in words["status"].get(of, {})]
    missing += [f"enum.{name}.{code}" for name, codes in ENUMS.items() for code in sorted(codes)
                if code not in words["enum"].get(name, {})]
    missing += [f"stock.origin_{origin}" for origin in sorted(_codes(inventory.LotOrigin))
                if f"origin_{origin}" not in words["stock"]]
    assert not missing, f"add to pwa/src/i18n/locales/{locale}.json: {missing}"
    flat = [key for key, value in words["status"].items() if isinstance(value, str)]
    assert not flat, f"statuses need an object (status.<object>.<code>), not status.{flat}"


def test_the_chinese_words_that_mean_different_things_stay_apart():
    """The glossary's rules (../shared/reference/glossary-zh.md, section 0) where one English
    word needs two Chinese ones, and the words that were wrong before issue 13."""
    zh = _words("zh-CN")
    status = zh["status"]
    assert status["operation"]["held"] == "已挂起"  # not 待检: that is a held quantity
    assert status["work_order"]["on_hold"] == "已挂起"
    assert status["operation"]["paused"] == "已暂停"
    assert status["work_order"]["released"] == "已下达"
    assert status["lot"]["released"] == "已放行"
    assert status["operation"]["running"] == "加工中"
    assert status["work_order"]["in_progress"] == "生产中"
    assert status["lot"]["pending"] == "待检"
    assert status["operation"]["pending"] == "待上道"
    assert status["equipment"]["in_service"] == "在用"
    assert zh["role"]["supervisor"] == "车间主管"
    assert zh["action"]["hold"] == "挂起" and zh["production"]["pause"] == "暂停"
    assert zh["production"]["release"] == "下达" and zh["stock"]["releaseLot"] == "放行"
    everything = json.dumps(zh, ensure_ascii=False)
    for wrong in ("班组长", "进行中", "待处理", "发件箱"):
        assert wrong not in everything, f"{wrong} is not a glossary word for anything in the app"


def test_a_labels_status_words_are_the_apps_english_words_for_that_object():
    en = _words("en")["status"]
    register_record_kinds()
    assert set(records.kinds()) <= set(KIND_OBJECTS), "a label kind without a status object"
    for of in set(KIND_OBJECTS.values()):
        assert dict(STATUS_WORDS[of]) == {code: en[of][code] for code in STATUSES[of]}, of
