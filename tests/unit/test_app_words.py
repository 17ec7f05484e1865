"""Every label kind and every action the server can offer on a scanned record has its words in
both of the app's languages: a screen never shows a raw key such as ``action.resume``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from takt.platform import records
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
