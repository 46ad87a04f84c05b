"""New messages without a reload, in two real browsers: a direct message sent in one
appears in the other's open conversation, and its unread count rises (personal.js over
the live channel's `personal_event`)."""

from __future__ import annotations

from tests.factories import PASSWORD
from tests.web.browser import new_page, sign_in_with_the_form

API = "/api/v1"


def test_a_message_sent_in_one_browser_appears_in_the_others_open_conversation(
    chromium, live_hub, factory
):
    alice = factory.user(name="Alice Ahmed")
    bob = factory.user(name="Bob Brown")
    started = factory.client_for(alice).post(
        f"{API}/conversations", json={"participant_ids": [bob.id], "text": "Hello Bob"}
    )
    path = f"/messages/{started.json['id']}"
    pages = {}
    for who in (alice, bob):
        page = new_page(chromium, live_hub)
        sign_in_with_the_form(page, live_hub, who.email, PASSWORD)
        page.goto(live_hub.path(path))
        page.wait_for_selector("#personal-events[data-connected]")
        pages[who.name] = page
    bobs = pages["Bob Brown"]
    assert bobs.locator('[data-unread="messages"]').is_hidden()  # opening it read it
    bobs.evaluate("window.notReloaded = true")

    alices = pages["Alice Ahmed"]
    alices.fill("#text", "Shall we meet on **Thursday**?")
    alices.click("main form button[type=submit]")
    alices.wait_for_url(f"**{path}#message-*")

    arrived = bobs.locator("#messages li").last
    arrived.get_by_text("Thursday").wait_for(timeout=5000)
    assert arrived.locator(".hub-message__author").inner_text() == "Alice Ahmed"
    assert arrived.locator("strong", has_text="Thursday").count() == 1  # the server's HTML
    assert bobs.locator("#messages li").count() == 2
    counts = bobs.locator('[data-unread="messages"]')
    counts.wait_for(state="visible", timeout=5000)
    assert counts.inner_text().split() == ["1", "unread"]
    assert bobs.locator('[data-unread="notifications"]').inner_text().split() == ["1", "unread"]
    assert "New message from Alice Ahmed" in bobs.locator("#personal-events").inner_text()
    assert bobs.evaluate("window.notReloaded") is True
    # The sender's own page shows her message once.
    assert alices.locator("#messages li", has_text="Thursday").count() == 1
    for page in pages.values():
        assert page.elsewhere == [], page.elsewhere
        page.context.close()
