"""The group pages: the directory, a group with its forum, a thread with its replies;
joining, asking to join and handling requests, as a person does it in a browser."""

from __future__ import annotations

from hub.extensions import db
from hub.forum.models import Post, Thread
from hub.groups.models import Membership
from tests.groups.helpers import API, add_member, make_group, start_thread
from tests.web.conftest import Browser, banner, error_summary, field_error, text


def _signed_in(app, factory, **fields) -> Browser:
    person = Browser(app)
    person.user = factory.user(**fields)
    person.sign_in(person.user)
    return person


def _api_for(factory, browser: Browser):
    return factory.client_for(browser.user)


def test_the_directory_lists_groups_with_visibility_and_tags_and_finds_by_name_or_tag(
    factory, signed_in
):
    owner = factory.person()
    make_group(owner, "open", name="Planning officers", tags=["planning", "housing"])
    make_group(owner, "restricted", name="Audit committee chairs", tags=["audit"])
    make_group(owner, "hidden", name="Secret cabal", tags=["audit"])
    page = signed_in.get("/groups")
    assert text(page.h1) == "Groups"
    items = page.find(id="results").find_next("ul").find_all("li", class_="hub-list-item")
    assert [text(item.h3) for item in items] == ["Audit committee chairs", "Planning officers"]
    assert "Ask to join" in text(items[0]) and "Open" in text(items[1])
    assert [text(tag) for tag in items[1].find_all("strong", class_="govuk-tag")][1:] == [
        "housing",
        "planning",
    ]
    found = signed_in.get("/groups?q=planning")
    assert [text(h) for h in found.find_all("h3")] == ["Planning officers"]
    tag_link = items[0].find("a", href=lambda h: "tag=" in h)
    tagged = signed_in.get(tag_link["href"])
    assert [text(h) for h in tagged.find_all("h3")] == ["Audit committee chairs"]


def test_the_directory_pages_with_govuk_pagination(factory, signed_in):
    owner = factory.person()
    for n in range(21):
        make_group(owner, "open", name=f"Group {n:02d}")
    first = signed_in.get("/groups")
    nav = first.find("nav", class_="govuk-pagination")
    assert nav.find(attrs={"aria-current": "page"}).get_text(strip=True) == "1"
    second = signed_in.get(nav.find("a", rel="next")["href"])
    assert [text(h) for h in second.find_all("h3")] == ["Group 20"]


def test_a_long_search_is_refused_beside_the_field(signed_in):
    page = signed_in.get("/groups?q=" + "x" * 201)
    assert error_summary(page) == [("#q", "Longer than maximum length 200.")]
    assert field_error(page, "q") == "Longer than maximum length 200."


def test_a_person_starts_a_thread_and_replies_through_the_forms(app, factory, signed_in):
    owner = factory.person()
    group_id = make_group(owner, "open", name="Scrutiny", description="About *scrutiny*.")
    page = signed_in.get(f"/groups/{group_id}")
    assert text(page.h1) == "Scrutiny"
    assert page.find("em") is not None and text(page.find("em")) == "scrutiny"
    signed_in.post(page.find(id="membership").find_next("form")["action"], {})
    page = signed_in.get(f"/groups/{group_id}?done=joined")
    assert banner(page) == "You have joined this group."
    form = page.find(id="new-thread").find_next("form")
    response = signed_in.post(form["action"], {"title": "Call-in", "body": "How *often*?"})
    thread_path = response.location
    thread = signed_in.get(thread_path)
    assert text(thread.h1) == "Call-in"
    assert text(thread.find(id="posts").find("em")) == "often"
    reply_form = thread.find(id="reply").find_next("form")
    response = signed_in.post(reply_form["action"], {"body": "Twice a **year**."})
    assert response.status_code == 303 and response.location.partition("#")[0] == thread_path
    page = signed_in.get(thread_path)
    posts = page.find(id="posts").find_all("li", recursive=False)
    assert len(posts) == 2
    assert signed_in.user.name in text(posts[1]) and text(posts[1].find("strong", string="year"))
    assert response.location.endswith(f"#{posts[1]['id']}")
    listing = signed_in.get(f"/groups/{group_id}")
    row = listing.find("a", string="Call-in").find_parent("tr")
    assert text(row.find_all("td")[1]) == "1"


def test_an_empty_reply_is_refused_beside_the_field_and_nothing_is_stored(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    thread_id = start_thread(owner, group_id)["id"]
    member = _signed_in(app, factory)
    add_member(owner, group_id, _api_for(factory, member))
    member.get(f"/threads/{thread_id}")
    page = member.post(f"/threads/{thread_id}/posts", {"body": "   "}, status=200)
    assert error_summary(page) == [("#body", "Enter your reply")]
    assert field_error(page, "body") == "Enter your reply"
    with app.app_context():
        assert db.session.query(Post).count() == 1


def test_an_empty_thread_is_refused_beside_its_fields(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    member = _signed_in(app, factory)
    add_member(owner, group_id, _api_for(factory, member))
    member.get(f"/groups/{group_id}")
    page = member.post(f"/groups/{group_id}/threads", {"title": "", "body": ""}, status=200)
    assert error_summary(page) == [
        ("#title", "Enter a title for the thread"),
        ("#body", "Enter the thread's first message"),
    ]
    assert field_error(page, "title") == "Enter a title for the thread"
    with app.app_context():
        assert db.session.query(Thread).count() == 0


def test_a_non_member_gets_not_found_for_a_private_groups_thread(app, factory, signed_in):
    owner = factory.person()
    group_id = make_group(owner, "private", name="Cabinet")
    thread_id = start_thread(owner, group_id, title="Budget")["id"]
    page = signed_in.get(f"/threads/{thread_id}", status=404)
    assert text(page.h1) == "Page not found"
    assert "Budget" not in text(page)
    group = signed_in.get(f"/groups/{group_id}")  # the group is listed, its content is not
    assert text(group.h1) == "Cabinet"
    assert group.find("a", string="Budget") is None
    assert "People join this group by invitation" in text(group)


def test_a_hidden_group_is_not_found_by_a_non_member(factory, signed_in):
    owner = factory.person()
    group_id = make_group(owner, "hidden")
    assert text(signed_in.get(f"/groups/{group_id}", status=404).h1) == "Page not found"


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_stored(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    thread_id = start_thread(owner, group_id)["id"]
    member = _signed_in(app, factory)
    add_member(owner, group_id, _api_for(factory, member))
    member.post(f"/threads/{thread_id}/posts", {"body": "Hello"}, status=400, csrf=False)
    member.post(f"/groups/{group_id}/threads", {"title": "T", "body": "B"}, status=400, csrf=False)
    outsider = _signed_in(app, factory)
    outsider.post(f"/groups/{group_id}/join", {}, status=400, csrf=False)
    with app.app_context():
        assert db.session.query(Post).count() == 1
        assert db.session.query(Thread).count() == 1
        assert db.session.query(Membership).filter_by(user_id=outsider.user.id).count() == 0


def test_asking_to_join_shows_pending_and_a_moderator_approves(app, factory):
    owner = _signed_in(app, factory, name="Olive Owner")
    group_id = make_group(_api_for(factory, owner), "restricted", name="Chairs")
    asker = _signed_in(app, factory, name="Asha Asker")
    page = asker.get(f"/groups/{group_id}")
    assert "Only members can read" in text(page)
    form = page.find(id="membership").find_next("form")
    assert text(form.button) == "Ask to join this group"
    response = asker.post(form["action"], {})
    page = asker.get(response.location)
    assert banner(page) == "Your request to join has been sent to the group's moderators."
    assert "You have asked to join this group" in text(page)
    assert page.find(id="membership").find_next("form") is None
    mod_page = owner.get(f"/groups/{group_id}")
    row = mod_page.find(id="requests").find_next("table").tbody.tr
    assert "Asha Asker" in text(row)
    approve = next(f for f in row.find_all("form") if text(f.button).startswith("Approve"))
    response = owner.post(approve["action"], {})
    assert banner(owner.get(response.location)) == (
        "The request has been approved: they are now a member."
    )
    page = asker.get(f"/groups/{group_id}")
    assert "You are a member of this group." in text(page)
    assert page.find(id="forum") is not None


def test_a_member_leaves_and_the_last_owner_may_not(app, factory):
    owner = _signed_in(app, factory)
    group_id = make_group(_api_for(factory, owner), "open")
    owner.get(f"/groups/{group_id}")
    page = owner.post(f"/groups/{group_id}/leave", {}, status=409)
    assert "owner" in text(page.find("main")).lower()
    member = _signed_in(app, factory)
    add_member(_api_for(factory, owner), group_id, _api_for(factory, member))
    member.get(f"/groups/{group_id}")
    response = member.post(f"/groups/{group_id}/leave", {})
    assert banner(member.get(response.location)) == "You have left the group."
    api = _api_for(factory, member)
    assert api.get(f"{API}/groups/{group_id}").json["my_role"] is None


def test_the_header_links_to_groups_when_signed_in(browser, signed_in):
    assert signed_in.get("/").find("a", string="Groups")["href"] == "/groups"
    assert browser.get("/").find("a", string="Groups") is None
