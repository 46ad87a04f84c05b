"""Issue 20's journey in Chromium, as a new person takes it: register, sign in, find a peer,
join a group, reply in a thread, upload a document (a real office file), find it by a word
inside it, vote on a suggestion. Once with the mouse, once with the keyboard alone.

The journey is written once; a hand (`Mouse` or `Keyboard`) does each step its way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.library.helpers import FIXTURES, PHRASES
from tests.search.helpers import drain
from tests.web.browser import new_page
from tests.web.test_keyboard import focused_text, tab_to

DOCUMENT = FIXTURES / "sample.docx"  # made by LibreOffice (tests/fixtures/make_fixtures.sh)
WORD_INSIDE = PHRASES["sample.docx"].split()[0]  # "heron": in its text, not in its name
PASSWORD = "allotments for everyone"
MOST_TABS = 250  # the longest page (a group's) has fewer stops than this


class Mouse:
    """Points and clicks; types into fields."""

    def __init__(self, page) -> None:
        self.page = page

    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)

    def choose(self, name: str, value: str) -> None:
        self.page.check(f"input[name={name}][value={value}]")

    def choose_file(self, selector: str, path: Path) -> None:
        self.page.set_input_files(selector, str(path))

    def follow(self, selector: str) -> None:
        self.page.click(selector)

    def press(self, selector: str) -> None:
        self.page.click(selector)


class Keyboard:
    """Tab to each thing, then types, or Enter on a link, Space on a button, arrows in a
    group of radios, Space on a file field (the file chooser is answered as a person
    would answer it)."""

    def __init__(self, page) -> None:
        self.page = page
        # Ask for file choosers now, long before the upload: Playwright turns interception
        # on without waiting for the browser, so a listener added just before the key
        # press can lose the race, and the chooser opens unseen (CI, 2026-12-06).
        page.on("filechooser", lambda _chooser: None)

    def tab_to(self, selector: str) -> None:
        tab_to(self.page, selector, MOST_TABS)

    def fill(self, selector: str, value: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(value)

    def choose(self, name: str, value: str) -> None:
        self.tab_to(f"input[name={name}]")
        for _ in range(10):
            if self.page.evaluate("() => document.activeElement.value") == value:
                self.page.keyboard.press("Space")
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no choice {value} for {name}")

    def choose_file(self, selector: str, path: Path) -> None:
        self.tab_to(selector)
        with self.page.expect_file_chooser() as chooser:
            self.page.keyboard.press("Space")
        chooser.value.set_files(str(path))

    def follow(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def press(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():  # each button here posts or sends its form
            self.page.keyboard.press("Space")


@pytest.fixture
def world(factory) -> dict:
    """What the newcomer finds: a peer who runs an open group with a thread and a
    suggestion."""
    peer = factory.user(name="Ravi Patel", organisation="Leeds City Council")
    api = factory.client_for(peer)
    group = api.post(
        "/api/v1/groups",
        json={"name": "Food growing", "description": "Allotments.", "visibility": "open"},
    ).json["id"]
    thread = api.post(
        f"/api/v1/groups/{group}/threads",
        json={"title": "Waiting lists", "body": "How long are yours?"},
    ).json["id"]
    suggestion = api.post(
        f"/api/v1/groups/{group}/suggestions",
        json={"title": "Share a seed library", "body": "Swap seeds each spring."},
    ).json["id"]
    drain(factory.app)  # the peer, made outside a request, into the people finder
    return {"peer": peer.id, "group": group, "thread": thread, "suggestion": suggestion}


def h1(page) -> str:
    return page.locator("h1").inner_text()


def take_the_journey(page, hub, hand, world) -> None:
    group = world["group"]

    # Register, sign out, and sign in with the new account.
    page.goto(hub.path("/"))
    hand.follow("main a[href='/register']")
    page.wait_for_url(hub.path("/register"))
    hand.fill("#name", "Grace Hopper")
    hand.fill("#email", "grace.hopper@leeds.gov.uk")
    hand.fill("#password", PASSWORD)
    hand.choose("role", "councillor")
    hand.press("main button[type=submit]")
    page.wait_for_url(hub.path("/?done=registered"))
    hand.press("nav button[type=submit]")
    page.wait_for_url(hub.path("/?done=signed-out"))
    hand.follow("nav a[href='/sign-in']")
    hand.fill("#email", "grace.hopper@leeds.gov.uk")
    hand.fill("#password", PASSWORD)
    hand.press("main button[type=submit]")
    page.wait_for_url(hub.path("/"))
    assert h1(page) == "Your feed"

    # Find a peer, and ask to connect.
    hand.follow("nav a[href='/people']")
    hand.fill("#q", "Ravi")
    hand.press("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/people\?q=Ravi"))
    hand.follow(f"main a[href='/people/{world['peer']}']")
    assert h1(page) == "Ravi Patel"
    hand.press("#connection ~ form button[type=submit]")
    page.wait_for_url(re.compile(r".*done=pending"))

    # Join a group.
    hand.follow("nav a[href='/groups']")
    hand.follow(f"main a[href='/groups/{group}']")
    assert h1(page) == "Food growing"
    hand.press("#membership + form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/groups/{group}\?done=joined"))

    # Reply in a thread.
    hand.follow(f"main a[href='/threads/{world['thread']}']")
    hand.fill("#body", "About two years in Leeds.")
    hand.press("#reply + form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/threads/{world['thread']}#post-\d+"))
    assert "About two years in Leeds." in page.locator("#posts").inner_text()

    # Upload a document to the group's library.
    hand.follow(f"main .govuk-breadcrumbs a[href^='/groups/{group}']")
    hand.follow(f"main a[href='/groups/{group}/library']")
    hand.choose_file("#file", DOCUMENT)
    hand.fill("#title", "Allotment strategy")
    hand.press("#upload + form button[type=submit]")
    page.wait_for_url(re.compile(r".*/files/\d+\?done=uploaded"))
    file_path = page.url.removeprefix(hub.url).partition("?")[0]
    assert h1(page) == "Allotment strategy"

    # Find it by a word inside it.
    hand.follow("nav a[href='/search']")
    hand.fill("#q", WORD_INSIDE)
    hand.press("main form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(rf".*/search\?q={WORD_INSIDE}"))
    assert "<mark>" in page.locator("#main-content").inner_html()
    hand.follow(f"main a[href='{file_path}']")
    assert h1(page) == "Allotment strategy"

    # Vote on a suggestion.
    hand.follow(f"main .govuk-breadcrumbs a[href='/groups/{group}']")
    hand.follow(f"main a[href='/groups/{group}/suggestions']")
    hand.press(f"#suggestion-{world['suggestion']} form button[type=submit]")
    page.wait_for_url(re.compile(r".*done=voted"))
    votes = page.locator(f"#suggestion-{world['suggestion']} .hub-suggestion__votes p")
    assert votes.inner_text() == "1 vote · including yours"


@pytest.mark.long
def test_the_journey_with_the_mouse(chromium, live_hub, world):
    page = new_page(chromium, live_hub)
    take_the_journey(page, live_hub, Mouse(page), world)
    assert page.elsewhere == []
    page.context.close()


@pytest.mark.long
def test_the_journey_with_the_keyboard_alone(chromium, live_hub, world):
    page = new_page(chromium, live_hub)
    page.goto(live_hub.path("/"))
    page.keyboard.press("Tab")
    assert focused_text(page) == "Skip to main content"
    take_the_journey(page, live_hub, Keyboard(page), world)
    assert page.elsewhere == []
    page.context.close()
