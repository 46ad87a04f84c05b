"""Notification email: off, immediate (the default) or a daily digest, through the outbox."""

from tests.groups.helpers import (
    API,
    add_member,
    content_kinds,
    make_group,
    remove_member,
    reply,
    sent_mail,
    start_thread,
)
from tests.live.helpers import schedule, start


def set_email(person, choice: str) -> None:
    response = person.patch(f"{API}/me/notification-settings", json={"notification_email": choice})
    assert response.status_code == 200, response.json
    assert response.json == {"notification_email": choice}


def mail_to(app, user) -> list:
    return [m for m in sent_mail(app) if m.to == [user.email]]


def run_digest(app):
    """`flask hub digest`, as the flask command runs it: inside an app context."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["hub", "digest"])


def forum_with(factory, **names):
    """An owner, a member (following a thread by the owner) and that thread."""
    owner = factory.person(name=names.get("owner", "Amira Khan"))
    member_user = factory.user(name=names.get("member", "Ben Jones"))
    member = factory.client_for(member_user)
    group_id = make_group(owner, "private", name="Audit leads")
    add_member(owner, group_id, member)
    thread = start_thread(owner, group_id, title="Peer challenge")
    assert member.post(f"{API}/threads/{thread['id']}/subscribe").status_code == 200
    return owner, member, member_user, group_id, thread


def test_settings_default_to_immediate_and_can_change(factory):
    person = factory.person()
    response = person.get(f"{API}/me/notification-settings")
    assert response.status_code == 200 and response.json == {"notification_email": "immediate"}

    for choice in ("daily", "off", "immediate"):
        set_email(person, choice)
        assert person.get(f"{API}/me/notification-settings").json["notification_email"] == choice

    wrong = person.patch(f"{API}/me/notification-settings", json={"notification_email": "hourly"})
    assert wrong.status_code == 422 and "notification_email" in wrong.json["errors"]["json"]
    assert person.patch(f"{API}/me/notification-settings", json={}).status_code == 422


def test_immediate_mails_each_notification(app, factory):
    owner, member, member_user, _group_id, thread = forum_with(factory)
    before = len(mail_to(app, member_user))

    reply(owner, thread["id"], "New figures are in.")

    mails = mail_to(app, member_user)[before:]
    assert len(mails) == 1
    assert mails[0].subject == "Amira Khan replied in “Peer challenge” (Audit leads)"
    # Links to pages, at HUB_BASE_URL: the thread, the notifications and their settings.
    base = app.config["HUB_BASE_URL"].rstrip("/")
    assert f"{base}/threads/{thread['id']}\n" in mails[0].body
    assert f"{base}/notifications\n" in mails[0].body
    assert f"notification settings ({base}/notifications#settings)" in mails[0].body
    assert "/api/v1/" not in mails[0].body


def test_mails_link_a_live_session_and_a_suggestion_to_their_pages(app, factory):
    owner, member, member_user, group_id, _thread = forum_with(factory)
    base = app.config["HUB_BASE_URL"].rstrip("/")
    session_id = schedule(owner, group_id)["id"]
    start(owner, session_id)
    idea = member.post(f"{API}/groups/{group_id}/suggestions", json={"title": "Meet", "body": "x"})
    moved = owner.patch(f"{API}/suggestions/{idea.json['id']}", json={"status": "under_review"})
    assert moved.status_code == 200, moved.json

    bodies = "".join(mail.body for mail in mail_to(app, member_user))
    assert f"{base}/live/{session_id}\n" in bodies
    assert f"{base}/groups/{group_id}/suggestions#suggestion-{idea.json['id']}\n" in bodies


def test_off_sends_no_mail_but_keeps_the_notification(app, factory):
    owner, member, member_user, _group_id, thread = forum_with(factory)
    set_email(member, "off")
    before = len(mail_to(app, member_user))

    reply(owner, thread["id"], "Quietly.")

    assert len(mail_to(app, member_user)) == before
    assert content_kinds(member) == ["reply"]


def test_mail_subjects_stay_on_one_line(app, factory):
    owner, member, member_user, group_id, _thread = forum_with(factory)
    thread = start_thread(owner, group_id, title="Line one\nBcc: victim@example.org")

    reply(owner, thread["id"], f"@[Ben Jones](user:{member.user_id})")

    subject = mail_to(app, member_user)[-1].subject
    assert "\n" not in subject and "Line one Bcc:" in subject


def test_daily_sends_one_digest_of_what_is_unread(app, factory):
    owner, member, member_user, _group_id, thread = forum_with(factory)
    set_email(member, "daily")
    before = len(mail_to(app, member_user))
    reply(owner, thread["id"], "First update")
    reply(owner, thread["id"], f"Second, @[Ben Jones](user:{member.user_id})")
    assert len(mail_to(app, member_user)) == before

    result = run_digest(app)

    assert result.exit_code == 0, result.output
    assert "Digests queued for 1 of 1" in result.output
    digests = mail_to(app, member_user)[before:]
    assert len(digests) == 1
    assert digests[0].subject == "Knowledge Hub: 2 new notifications"
    assert "Amira Khan replied in “Peer challenge”" in digests[0].body
    assert "Amira Khan mentioned you in “Peer challenge”" in digests[0].body

    again = run_digest(app)
    assert again.exit_code == 0 and "Digests queued for 0 of 1" in again.output
    assert len(mail_to(app, member_user)[before:]) == 1


def test_the_digest_leaves_out_what_was_read_and_groups_since_left(app, factory):
    owner, member, member_user, group_id, thread = forum_with(factory)
    other_group = make_group(owner, name="Housing")
    add_member(owner, other_group, member)
    other_thread = start_thread(owner, other_group, title="Housing news")
    member.post(f"{API}/threads/{other_thread['id']}/subscribe")
    set_email(member, "daily")
    reply(owner, thread["id"], "In the group they will leave")
    read = reply(owner, other_thread["id"], "Already read")
    read_ids = [
        n["id"]
        for n in member.get(f"{API}/notifications").json
        if n["data"].get("post_id") == read["id"]
    ]
    assert member.post(f"{API}/notifications/read", json={"ids": read_ids}).status_code == 200
    reply(owner, other_thread["id"], "Still unread")
    remove_member(owner, group_id, member)
    before = len(mail_to(app, member_user))

    assert run_digest(app).exit_code == 0

    digest = mail_to(app, member_user)[before:]
    assert len(digest) == 1
    assert digest[0].subject == "Knowledge Hub: 1 new notification"
    assert "Housing news" in digest[0].body and "Peer challenge" not in digest[0].body


def test_a_removed_member_gets_no_further_notifications_or_mail(app, factory):
    owner, member, member_user, group_id, thread = forum_with(factory)
    reply(owner, thread["id"], "While a member")
    assert content_kinds(member) == ["reply"]
    mails_before = len(mail_to(app, member_user))

    remove_member(owner, group_id, member)
    reply(owner, thread["id"], f"After, @[Ben Jones](user:{member.user_id})")

    # No new notification or mail; the earlier one no longer shows the private group either.
    assert content_kinds(member) == []
    assert len(mail_to(app, member_user)) == mails_before


def test_a_banned_member_of_an_open_group_hears_nothing_more(app, factory):
    owner = factory.person()
    member_user = factory.user(name="Cy Long")
    member = factory.client_for(member_user)
    group_id = make_group(owner)
    add_member(owner, group_id, member)
    thread = start_thread(member, group_id)
    mails_before = len(mail_to(app, member_user))

    remove_member(owner, group_id, member, ban=True)
    reply(owner, thread["id"], "@Cy Long are you there?")
    reply(owner, thread["id"], f"@[Cy Long](user:{member.user_id})")

    assert content_kinds(member) == []
    assert len(mail_to(app, member_user)) == mails_before
