"""The messages and notifications pages, as people use them in a browser: writing to
someone from their profile, reading and replying, the header's unread counts, marking
notifications read, and the email settings; a conversation you are not in is not there."""

from __future__ import annotations

from tests.web.conftest import Browser, banner, error_summary, field_error, text

API = "/api/v1"


def _signed_in(app, user) -> Browser:
    person = Browser(app)
    person.user = user
    person.sign_in(user)
    return person


def _unread(page, name: str) -> str:
    """The header's count, as a screen reader reads it ('' when there is none)."""
    badge = page.find(attrs={"data-unread": name})
    return "" if badge is None or badge.has_attr("hidden") else text(badge)


def _write(alice: Browser, bob, message: str):
    """From Bob's profile, as Alice: follow "Send a message" and send it."""
    profile = alice.get(f"/people/{bob.id}")
    link = next(a for a in profile.find_all("a") if text(a).startswith("Send a message"))
    assert text(link) == f"Send a message to {bob.name}"
    form_page = alice.get(link["href"].partition("#")[0])
    assert text(form_page.find(id="new-message")) == f"New message to {bob.name}"
    return alice.post("/messages", {"participant_ids": str(bob.id), "text": message})


def test_writing_to_someone_from_their_profile_and_reading_it(app, factory):
    alice_user = factory.user(name="Alice Ahmed")
    bob_user = factory.user(name="Bob Brown")
    alice, bob = _signed_in(app, alice_user), _signed_in(app, bob_user)

    blank = alice.post("/messages", {"participant_ids": str(bob_user.id), "text": " "}, status=200)
    assert error_summary(blank) == [("#text", "Enter your message")]
    assert field_error(blank, "text") == "Enter your message"

    sent = _write(alice, bob_user, "Could we compare *planning* notes?")
    path = sent.location
    assert path.startswith("/messages/")
    page = alice.get(path)
    assert text(page.h1) == "Conversation with Bob Brown"
    assert "compare planning notes?" in text(page.find(id="messages"))
    assert page.find(id="messages").em is not None  # Markdown, rendered

    # Bob's header counts the message and its notification, and his list marks it unread.
    home = bob.get("/")
    assert _unread(home, "messages") == "1 unread"
    assert _unread(home, "notifications") == "1 unread"
    listing = bob.get("/messages")
    item = listing.find(id=f"conversation-{path.rsplit('/', 1)[1]}")
    assert "Alice Ahmed" in text(item) and "Unread" in text(item)

    # Opening it marks it, and the notification of its message, read.
    opened = bob.get(item.a["href"])
    assert text(opened.h1) == "Conversation with Alice Ahmed"
    assert _unread(opened, "messages") == "" and _unread(opened, "notifications") == ""
    assert "Unread" not in text(bob.get("/messages").find(id="conversations").find_next("ul"))

    # Bob replies; Alice reads it, and writing again continues the same conversation.
    replied = bob.post(path, {"text": "Yes, Thursday?"})
    assert replied.location.startswith(path + "#message-")
    assert "Yes, Thursday?" in text(alice.get(path).find(id="messages"))
    again = _write(alice, bob_user, "Thursday it is.")
    assert again.location == path
    conversations = factory.client_for(bob_user).get(f"{API}/conversations").json
    assert len(conversations) == 1


def test_a_blank_reply_is_shown_beside_its_field_and_nothing_is_sent(app, factory):
    alice, bob = factory.user(), factory.user()
    conversation = factory.client_for(alice).post(
        f"{API}/conversations", json={"participant_ids": [bob.id], "text": "Hello"}
    )
    path = f"/messages/{conversation.json['id']}"
    page = _signed_in(app, bob).post(path, {"text": ""}, status=200)
    assert error_summary(page) == [("#text", "Enter your message")]
    messages = factory.client_for(bob).get(
        f"{API}/conversations/{conversation.json['id']}/messages"
    )
    assert len(messages.json) == 1


def test_someone_who_blocked_you_is_not_written_to(app, factory):
    alice, bob = factory.user(), factory.user(name="Bob Brown")
    assert factory.client_for(bob).post(f"{API}/people/{alice.id}/block").status_code in (200, 204)
    page = _signed_in(app, alice).post(
        "/messages", {"participant_ids": str(bob.id), "text": "Hello?"}, status=200
    )
    assert (
        field_error(page, "text")
        == "Someone in this conversation is not accepting messages from you."
    )
    assert factory.client_for(alice).get(f"{API}/conversations").json == []


def test_a_conversation_you_are_not_in_is_not_there(app, factory):
    alice, bob, carol = factory.user(), factory.user(), factory.user()
    conversation = factory.client_for(alice).post(
        f"{API}/conversations", json={"participant_ids": [bob.id], "text": "Just us"}
    )
    path = f"/messages/{conversation.json['id']}"
    outsider = _signed_in(app, carol)
    missing = outsider.get(path, status=404)
    assert "Just us" not in text(missing)
    outsider.post(path, {"text": "Let me in"}, status=404)
    outsider.get("/messages/999999", status=404)
    messages = factory.client_for(alice).get(
        f"{API}/conversations/{conversation.json['id']}/messages"
    )
    assert [m["body"] for m in messages.json] == ["Just us"]
    assert "Just us" not in text(outsider.get("/messages"))


def test_notifications_are_listed_linked_and_marked_read(app, factory):
    alice, bob, carol = (factory.user(name=n) for n in ("Alice Ahmed", "Bob Brown", "Cara Cole"))
    for sender in (alice, carol):
        sent = factory.client_for(sender).post(
            f"{API}/conversations", json={"participant_ids": [bob.id], "text": "Hi"}
        )
        assert sent.status_code == 201
    bob_page = _signed_in(app, bob)
    page = bob_page.get("/notifications")
    assert text(page.h1) == "Notifications"
    items = page.find(id="notifications").find_all("li", recursive=False)
    assert [text(i.a) for i in items] == [
        "Cara Cole sent you a message",
        "Alice Ahmed sent you a message",
    ]
    assert items[0].a["href"].startswith("/messages/")
    assert _unread(page, "notifications") == "2 unread"

    one = items[1].find("input", {"name": "ids"})["value"]
    bob_page.post("/notifications/read", {"ids": one})
    page = bob_page.get("/notifications?done=read")
    assert banner(page) == "Marked as read."
    assert _unread(page, "notifications") == "1 unread"
    assert "New" not in text(page.find(id=f"notification-{one}"))

    bob_page.post("/notifications/read", {"all": "true"})
    page = bob_page.get("/notifications")
    assert _unread(page, "notifications") == ""
    assert page.find("input", {"name": "ids"}) is None
    unread = factory.client_for(bob).get(f"{API}/notifications/unread-count").json
    assert unread == {"unread": 0}


def test_the_email_setting_is_chosen_on_the_notifications_page(app, factory, signed_in):
    page = signed_in.get("/notifications")
    assert (
        page.find("input", {"name": "notification_email", "checked": True})["value"] == "immediate"
    )
    signed_in.post("/notifications/settings", {"notification_email": "daily"})
    settings = factory.client_for(signed_in.user).get(f"{API}/me/notification-settings").json
    assert settings == {"notification_email": "daily"}
    wrong = signed_in.post("/notifications/settings", {"notification_email": "hourly"}, status=200)
    assert error_summary(wrong)[0][0] == "#notification_email"
    settings = factory.client_for(signed_in.user).get(f"{API}/me/notification-settings").json
    assert settings == {"notification_email": "daily"}
