"""Refusals are answered in the reader's language (Accept-Language: en or zh-CN), the same words
as the app's; the machine code, status and extra members stay the same in every language."""

from __future__ import annotations

from tests.api.inventory import key, receive
from tests.api.production import released

ZH = {"Accept-Language": "zh-CN"}


async def _blocked_lot(client, as_role) -> str:
    lot = (await receive(client, as_role, item_code="RM-HOUS-P100", quantity=30,
                         location_code="RM-DOCK", supplier_code="SUP-ALUCAST",
                         supplier_lot="AC-L-1"))["lot_code"]
    blocked = await client.post(f"/api/v1/lots/{lot}/block", json={"note": "porosity"},
                                headers=as_role("inspector", **key()))
    assert blocked.status_code == 200, blocked.text
    return lot


async def test_a_refused_command_answers_in_chinese_when_asked_and_in_english_otherwise(
        client, as_role):
    lot = await _blocked_lot(client, as_role)
    path = f"/api/v1/lots/{lot}/block"
    chinese = await client.post(path, json={"note": "again"},
                                headers=as_role("supervisor", **key(), **ZH))
    english = await client.post(path, json={"note": "again"},
                                headers=as_role("supervisor", **key()))
    for answer in (chinese, english):
        assert answer.status_code == 409
        assert answer.headers["content-type"].startswith("application/problem+json")
    zh, en = chinese.json(), english.json()
    assert zh["detail"] == f"批次 {lot} 的状态已是“已冻结”。"
    assert en["detail"] == f"Lot {lot} is already blocked."
    assert (zh["title"], en["title"]) == ("状态冲突", "Conflict")
    assert {k: v for k, v in zh.items() if k not in ("detail", "title")} == {
        k: v for k, v in en.items() if k not in ("detail", "title")}
    assert (zh["code"], zh["quality_status"]) == ("lot.bad_status", "blocked")


async def test_the_language_follows_q_values_and_falls_back_to_english(client, as_role):
    lot = await _blocked_lot(client, as_role)
    path = f"/api/v1/lots/{lot}/block"

    async def detail(accept_language: str) -> str:
        answer = await client.post(path, json={"note": "again"}, headers=as_role(
            "supervisor", **key(), **{"Accept-Language": accept_language}))
        assert answer.status_code == 409
        return answer.json()["detail"]

    assert await detail("fr-FR, zh;q=0.8, en;q=0.5") == f"批次 {lot} 的状态已是“已冻结”。"
    assert await detail("en-GB, zh-CN;q=0.9") == f"Lot {lot} is already blocked."
    assert await detail("de-DE") == f"Lot {lot} is already blocked."


async def test_a_refused_work_report_body_is_framed_in_chinese_around_msgspecs_words(
        client, as_role):
    op = (await released(client, as_role))["operations"][0]["id"]
    answer = await client.post(f"/api/v1/operations/{op}/reports", json={"good": "many"},
                               headers=as_role("operator", **key(), **ZH))
    assert (answer.status_code, answer.json()["code"]) == (400, "request.invalid")
    detail = answer.json()["detail"]
    assert detail.startswith("请求无效（字段 ") and "）：" in detail
    assert answer.json()["errors"][0]["message"] in detail
    assert answer.json()["title"] == "请求有误"


async def test_sign_in_and_address_problems_answer_in_chinese(client, as_role):
    unsigned = await client.get("/api/v1/lots", headers=ZH)
    assert (unsigned.status_code, unsigned.json()["code"]) == (401, "auth.unauthorized")
    assert unsigned.json()["detail"] == "请先登录：此操作需要有效的会话或令牌。"
    nowhere = await client.get("/api/v1/no-such-thing", headers=as_role("operator", **ZH))
    assert (nowhere.status_code, nowhere.json()["detail"]) == (404, "此地址没有内容。")
    unknown = await client.get("/api/v1/scan", params={"code": "NO-SUCH-CODE"},
                               headers=as_role("operator", **ZH))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "scan.unknown")
    assert unknown.json()["detail"] == "Takt 不认识编码 'NO-SUCH-CODE'。"
