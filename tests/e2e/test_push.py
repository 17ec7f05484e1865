"""The service worker shows every push as a notification (the andon module sends them)."""

from __future__ import annotations

import json

from tests.e2e.flows import sign_in_with_password, wait_for_service_worker


def test_a_push_message_always_becomes_a_notification(profile_page, server):
    page = profile_page
    page.context.grant_permissions(["notifications"], origin=server.url)
    sign_in_with_password(page, "supervisor")
    wait_for_service_worker(page)
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    # The registration arrives as a CDP event; on a busy machine that takes a while.
    for _ in range(100):
        live = [r["registrationId"] for r in registrations if not r["isDeleted"]]
        if live:
            break
        page.wait_for_timeout(100)
    assert live, "the service worker registration never showed up over CDP"
    registration_id = live[0]
    payload = {"title": "Andon on L1", "body": "WS-103 waits for material", "url": "/r/WS/WS-103",
               "tag": "andon-42", "actions": [{"action": "ack", "title": "Acknowledge"}]}
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": server.url, "registrationId": registration_id, "data": json.dumps(payload)})
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": server.url, "registrationId": registration_id, "data": "plain words"})
    shown: list[list[str]] = []
    for _ in range(150):
        shown = page.evaluate(
            "navigator.serviceWorker.ready.then(r => r.getNotifications())"
            ".then(n => n.map(x => [x.title, x.body, x.tag]))")
        if len(shown) == 2:
            break
        page.wait_for_timeout(100)
    assert sorted(shown) == sorted([["Andon on L1", "WS-103 waits for material", "andon-42"],
                                    ["Takt", "plain words", ""]])
