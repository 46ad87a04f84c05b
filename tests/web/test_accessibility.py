"""axe-core in Chromium on every page, signed out and signed in, at desktop and phone
widths: no violation of WCAG 2.0/2.1/2.2 A and AA. Also no request to another site.

A new page is one line in AXE_WALK: (who, path[, what to do there first]). A path may
name the things `the_things_pages_show` makes: `{group}`, `{thread}`.
"""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.groups.helpers import API, make_group, reply, start_thread
from tests.library.helpers import fixture, upload
from tests.live.helpers import end, schedule, start
from tests.search.helpers import drain
from tests.web.browser import (
    WIDTHS,
    axe_violations,
    describe,
    new_page,
    sign_in_with_the_form,
)


def submit_empty(page) -> None:
    """Post the page's main form blank: its error summary and field errors are checked."""
    page.click("main form button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")


def submit_empty_thread(page) -> None:
    """Start a thread with neither title nor message."""
    page.click("#new-thread + form button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")


def submit_empty_form_after(heading_id: str):
    """Post the form after the heading `heading_id` blank (one of several on the page)."""

    def submit(page) -> None:
        page.click(f"#{heading_id} + form button[type=submit]")
        page.wait_for_selector(".govuk-error-summary")

    submit.__name__ = f"submit_empty_{heading_id.replace('-', '_')}"
    return submit


def submit_for_banner(page) -> None:
    """Post the page's main form (ask to connect from a profile, mark every notification
    read): the page after it, with its banner, is checked."""
    page.click("main form button[type=submit]")
    page.wait_for_selector(".govuk-notification-banner")


def live_connected(page) -> None:
    """The live room once live.js has joined: its controls are on the page."""
    page.wait_for_selector("body[data-live=connected]")


def ask_empty(page) -> None:
    """Ask a blank question in the live room: the refusal shows beside the field."""
    live_connected(page)
    page.click("#ask-form button[type=submit]")
    page.wait_for_selector("#ask-form .govuk-error-message")


OUT, IN = "signed out", "signed in"
LATER_PAGES = (
    "/groups/{group}/library",
    "/files",
    "/groups/{group}/suggestions",
    "/live",
    "/messages",
    "/notifications",
)
AXE_WALK = [
    (OUT, "/"),
    (OUT, "/sign-in"),
    (OUT, "/sign-in", submit_empty),
    (OUT, "/register"),
    (OUT, "/register", submit_empty),
    (OUT, "/password-reset"),
    (OUT, "/password-reset", submit_empty),
    (OUT, "/password-reset?sent=1"),
    (OUT, "/password-reset/new?token=x"),
    (OUT, "/password-reset/new?token=x", submit_empty),
    (OUT, "/verify-email?token=x"),
    (OUT, "/verify-email?token=x", submit_empty),
    (OUT, "/no-such-page"),
    (IN, "/"),
    (IN, "/?done=registered"),
    (IN, "/account"),
    (IN, "/sign-in"),
    (IN, "/no-such-page"),
    (IN, "/groups"),
    (IN, "/groups?q=zzz"),
    (IN, "/groups?q=" + "x" * 201),
    (IN, "/groups/{group}"),
    (IN, "/groups/{group}", submit_empty_thread),
    (IN, "/groups/{other_group}"),
    (IN, "/threads/{thread}"),
    (IN, "/threads/{thread}", submit_empty),
    (IN, "/search"),
    (IN, "/search?q=permitted"),
    (IN, "/search?q=permited"),
    (IN, "/search?q=permitted&type=thread&group_id={group}"),
    (IN, "/search?q=" + "x" * 201),
    (IN, "/search?q=ravi&type=person"),
    (IN, "/people"),
    (IN, "/people?q=ravi&role=officer"),
    (IN, "/people?role=mayor"),
    (IN, "/people/{asker}"),
    (IN, "/people/{asker}", submit_for_banner),
    (IN, "/people/{person}"),
    (IN, "/groups/{group}/library"),
    (IN, "/groups/{group}/library", submit_empty_form_after("upload")),
    (IN, "/groups/{group}/library?folder_id={folder}", submit_empty_form_after("new-folder")),
    (IN, "/files/{file}"),
    (IN, "/files/{file}", submit_empty_form_after("new-version")),
    (IN, "/files/{file}/delete"),
    (IN, "/groups/{group}/suggestions"),
    (IN, "/groups/{group}/suggestions", submit_empty_form_after("new-suggestion")),
    (IN, "/live/{live_session}", live_connected),
    (IN, "/live/{live_session}", ask_empty),
    (IN, "/live/{ended_session}"),
    (IN, "/live/{scheduled_session}"),
    (IN, "/messages"),
    (IN, "/messages?to={asker}"),
    (IN, "/messages?to={asker}", submit_empty),
    (IN, "/messages/{conversation}"),
    (IN, "/messages/{conversation}", submit_empty),
    (IN, "/notifications"),
    (IN, "/notifications", submit_for_banner),
]


def the_things_pages_show(factory, person) -> dict[str, int]:
    """A restricted group the person owns, with tags, a thread with a reply, a pending
    request to join, a folder, a file, a suggestion with a vote and live sessions (live,
    ended and scheduled); a private group they do not belong to; and a message to them (a
    conversation and a notification)."""
    owner = factory.client_for(person)
    group = make_group(owner, "restricted", name="Planning officers", tags=["planning", "housing"])
    asker = factory.person(name="Ravi Patel")
    assert asker.post(f"{API}/groups/{group}/join").status_code == 202
    thread = start_thread(owner, group, title="Permitted development")["id"]
    reply(owner, thread, "See *the guidance*.")
    folder = owner.post(f"{API}/groups/{group}/library/folders", json={"name": "Minutes"})
    file = upload(owner, group, "strategy.docx", fixture("sample.docx"), description="A *draft*.")
    idea = {"title": "Meet online", "body": "To save *time*."}
    suggestion = owner.post(f"{API}/groups/{group}/suggestions", json=idea)
    owner.post(f"{API}/suggestions/{suggestion.json['id']}/vote")
    other = make_group(factory.person(), "private", name="Cabinet members")
    live, ended, scheduled = (schedule(owner, group)["id"] for _ in range(3))
    for session_id in (live, ended):
        start(owner, session_id)
        asked = f"{API}/live-sessions/{session_id}/questions"
        assert owner.post(asked, json={"text": "What changed?"}).status_code == 201
    end(owner, ended)
    conversation = asker.post(
        f"{API}/conversations", json={"participant_ids": [person.id], "text": "Hello *Amira*"}
    ).json["id"]
    drain(factory.app)  # the people made outside a request, into the search index
    return {
        "group": group,
        "thread": thread,
        "other_group": other,
        "folder": folder.json["id"],
        "file": file.json["id"],
        "asker": asker.user_id,
        "person": person.id,
        "live_session": live,
        "ended_session": ended,
        "scheduled_session": scheduled,
        "conversation": conversation,
    }


# The walk in parts, one test each, so that pytest-xdist's workers share it.
PARTS = {
    "signed out": [step for step in AXE_WALK if step[0] == OUT],
    "groups, threads, search and people": [
        step for step in AXE_WALK if step[0] == IN and not step[1].startswith(LATER_PAGES)
    ],
    "library, suggestions, live room, messages and notifications": [
        step for step in AXE_WALK if step[0] == IN and step[1].startswith(LATER_PAGES)
    ],
}


@pytest.mark.long
@pytest.mark.timeout(360)
@pytest.mark.parametrize("part", PARTS.values(), ids=PARTS.keys())
def test_every_page_has_no_wcag_a_or_aa_violations(chromium, live_hub, factory, part):
    """Each page is loaded once and checked at each width: the viewport changes under the
    loaded page, as when a phone turns, and the media queries and the header's menu
    follow it."""
    person = factory.user(name="Amira Khan")
    things = the_things_pages_show(factory, person)
    page = new_page(chromium, live_hub)
    if part[0][0] == IN:
        sign_in_with_the_form(page, live_hub, person.email, PASSWORD)
    failures = []
    for _who, path, *then in part:
        page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
        page.goto(live_hub.path(path.format(**things)))
        for step in then:
            step(page)
        for name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            violations = axe_violations(page)
            if violations:
                steps = [s.__name__ for s in then]
                failures.append(f"{path} {steps} at {name} width:\n{describe(violations)}")
    assert page.elsewhere == [], page.elsewhere
    page.context.close()
    assert not failures, "\n\n".join(failures)
