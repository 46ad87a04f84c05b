"""Page tests: fetch a page as a browser would and read the parsed HTML, as a person reads
it (the way GOV.UK Notify's admin tests do)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.factories import PASSWORD
from tests.groups.helpers import add_member

# The browser harness's fixtures, defined once for every test module here (one Chromium
# for the run).
from tests.web.browser import chromium, live_hub  # noqa: E402,F401


@pytest.fixture
def database() -> str:
    """Pages read the database through the same services as the API, whose tests cover
    both databases: the pages run on SQLite."""
    return "sqlite"


def text(element) -> str:
    """What a person reads in an element: its text with the white space collapsed."""
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def assert_page_shell(soup: BeautifulSoup) -> None:
    """What every page has: British English, a title, one h1, the skip link first, and
    nothing from another site."""
    assert soup.html["lang"] == "en-GB"
    assert text(soup.title).endswith("– Knowledge Hub")
    assert len(soup.find_all("h1")) == 1
    first = soup.body.find(True)
    assert first.name == "a" and first["href"] == "#main-content", first
    assert soup.find(id="main-content").name == "main"
    for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag):
            if element.get(attribute):
                assert element[attribute].startswith("/"), element


class Browser:
    """A test client that keeps its cookies, reads pages and posts their forms."""

    def __init__(self, app) -> None:
        self.app = app
        self.client = app.test_client()
        self.last: BeautifulSoup | None = None

    def get(self, path: str, status: int = 200) -> BeautifulSoup:
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code, response.location)
        self.last = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        if response.mimetype == "text/html" and status != 303:
            assert_page_shell(self.last)
        return self.last

    def csrf_token(self) -> str:
        """The token a form of the last page carries (a page is fetched first, as a
        person would)."""
        if self.last is None or self.last.find("input", {"name": "csrf_token"}) is None:
            self.get("/sign-in" if not self.signed_in() else "/account")
        return self.last.find("input", {"name": "csrf_token"})["value"]

    def signed_in(self) -> bool:
        return self.client.get_cookie("hub_session") is not None

    def post(self, path: str, data: dict, status: int = 303, csrf: bool = True):
        """Post a form; answers the response when it redirects, else the parsed page."""
        if csrf:
            data = {"csrf_token": self.csrf_token(), **data}
        response = self.client.post(path, data=data)
        assert response.status_code == status, (path, response.status_code)
        if status in (302, 303):
            self.last = None  # its forms' tokens may belong to the state before the post
            return response
        self.last = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        if response.mimetype == "text/html":
            assert_page_shell(self.last)
        return self.last

    def sign_in(self, user, password: str = PASSWORD) -> None:
        self.get("/sign-in")
        self.post("/sign-in", {"email": user.email, "password": password})
        assert self.signed_in()


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app)


@pytest.fixture
def signed_in(app, factory) -> Browser:
    """A browser signed in through the sign-in page, with its person as `.user`."""
    person = Browser(app)
    person.user = factory.user()
    person.sign_in(person.user)
    return person


def signed_in_member(app, factory, owner, group_id: int, role: str = "member", **fields):
    """A new person, signed in through the sign-in page and made a member of the group (by
    its owner's invitation, through the API), with their person as `.user`."""
    person = Browser(app)
    person.user = factory.user(**fields)
    person.sign_in(person.user)
    add_member(owner, group_id, factory.client_for(person.user), role)
    return person


def error_summary(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """The error summary's (link target, message) pairs; [] when there is none."""
    summary = soup.find(class_="govuk-error-summary")
    if summary is None:
        return []
    assert text(summary.find("h2")) == "There is a problem"
    return [(a["href"], text(a)) for a in summary.find_all("a")]


def field_error(soup: BeautifulSoup, name: str) -> str:
    """The error message beside a field (without its visually hidden 'Error:'), and the
    field names it in aria-describedby."""
    message = soup.find(id=f"{name}-error")
    if message is None:
        return ""
    field = soup.find(id=name)
    if field.get("type") in ("radio", "checkbox"):
        field = field.find_parent("fieldset")  # a group of choices is described as one
    assert f"{name}-error" in field.get("aria-describedby", "").split()
    return text(message).removeprefix("Error:").strip()


def banner(soup: BeautifulSoup) -> str:
    return text(soup.find(class_="govuk-notification-banner__heading"))
