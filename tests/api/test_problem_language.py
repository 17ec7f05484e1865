"""Refusals are answered in the reader's language (Accept-Language: en or zh-CN), the same words
as the app's; the machine code, status and extra members stay the same in every language."""

from __future__ import annotations

from tests.api.inventory import key, receive
from tests.api.production import operation, released

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


async def test_a_refused_work_report_answers_in_chinese_as_the_operator_asks(client, as_role):
    wo = await released(client, as_role)
    first, second = wo["operations"][0], wo["operations"][1]
    path = f"/api/v1/operations/{first['id']}/reports"
    chinese = await client.post(path, json={"good": 500},
                                headers=as_role("operator", **key(), **ZH))
    english = await client.post(path, json={"good": 500}, headers=as_role("operator", **key()))
    for answer in (chinese, english):
        assert (answer.status_code, answer.json()["code"]) == (409, "report.exceeds_available")
    available, unit = english.json()["available"], wo["unit"]
    assert chinese.json()["available"] == available
    assert chinese.json()["detail"] == (f"工序 {first['code']} 的可报数量只剩 {available} {unit}"
                                        f"（共 {available}，已报 0）；您报了 500 {unit}。")
    assert english.json()["detail"] == (
        f"Only {available} {unit} are available to operation {first['code']} ({available} in "
        f"all, 0 reported); you reported 500 {unit}.")
    assert chinese.json()["title"] == "状态冲突"
    nothing = await client.post(f"/api/v1/operations/{second['id']}/reports", json={"good": 1},
                                headers=as_role("operator", **key(), **ZH))
    assert nothing.status_code == 409
    assert nothing.json()["detail"] == (f"工序 {second['code']} 还没有可报数量："
                                        "上道工序尚未转入合格品。")
    assert (await operation(client, as_role, first["id"]))["good"] == "0"


async def test_an_operation_in_the_wrong_state_is_named_with_the_glossarys_words(client, as_role):
    wo = await released(client, as_role)
    first = wo["operations"][0]
    paused = await client.post(f"/api/v1/operations/{first['id']}/pause",
                               headers=as_role("operator", **key(), **ZH))
    assert (paused.status_code, paused.json()["code"]) == (409, "operation.bad_status")
    assert paused.json()["detail"] == f"工序 {first['code']} 的状态是“可开工”；不能暂停。"


async def test_every_refused_import_row_is_told_in_chinese_too(client, as_role):
    csv = "item_code,quantity,priority\nFG-PUMP-100,2,\nNOPE,1,\nFG-PUMP-100,2,high\n"
    answers = [await client.post("/api/v1/work-orders/import", content=csv.encode(),
                                 headers=as_role("planner", **key(), **language,
                                                 **{"Content-Type": "text/csv"}))
               for language in (ZH, {})]
    chinese, english = (answer.json() for answer in answers)
    assert [answer.status_code for answer in answers] == [422, 422]
    assert chinese["detail"] == "3 行中有 2 行无法导入，因此全部未导入；第 2 行：没有物料 NOPE。"
    assert english["detail"] == "2 of 3 rows cannot be imported, so none was; row 2: There is " \
        "no item NOPE."
    assert [(e["row"], e["field"], e["message"]) for e in chinese["errors"]] == [
        (2, "item_code", "没有物料 NOPE。"),
        (3, "priority", "priority（优先级）必须是 1 到 9 的整数。")]
    assert [e["message"] for e in english["errors"]] == [
        "There is no item NOPE.", "priority must be a whole number from 1 to 9."]
    assert (await client.get("/api/v1/work-orders", headers=as_role("planner"))).json()[
        "total"] == 0
