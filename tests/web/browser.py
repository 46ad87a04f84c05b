"""The browser harness: the hub served from a thread, driven by Debian's Chromium through
Playwright's Python API, with axe-core (vendored in tests/web/vendor) for accessibility.

Pages that come next add their walk to the axe test by one line (tests/web/test_accessibility.py
AXE_WALK); a journey test takes the `live_hub` and `chromium` fixtures.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from hub.live.runtime import runtime

CHROMIUM = os.environ.get("HUB_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: the standard public-sector websites are held to.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = {"desktop": 1280, "phone": 390}


def require_chromium() -> str:
    """The browser's path; else skip saying how to install it (fail in CI, which installs
    it with `make install-browser`)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    message = (
        f"Chromium is not installed at {CHROMIUM}: run `make install-browser` (Debian's "
        "chromium and chromium-driver) to run the browser tests."
    )
    if os.environ.get("HUB_TEST_REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (HUB_TEST_REQUIRE_SERVICES=1: CI must not skip these tests)")
    pytest.skip(message)


@dataclass
class LiveHub:
    """The test app, served over HTTP on a free port for the length of a test."""

    app: object
    url: str

    def path(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def live_hub(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    # Its own pages may use the session cookie on the live channel, as on PORT in use.
    app.config["HUB_ALLOWED_ORIGINS"] = [*app.config["HUB_ALLOWED_ORIGINS"], url]
    try:
        yield LiveHub(app, url)
    finally:
        runtime(app).stopped.set()  # the live loop, if a page started it
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run; each test opens its own contexts (cookie jars)."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(chromium, live_hub: LiveHub, width: int = WIDTHS["desktop"]):
    """A page in a fresh context (no cookies) that refuses to fetch from any other site,
    and records what it asked any other site for."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.elsewhere = []

    def only_the_hub(route):
        if route.request.url.startswith(live_hub.url):
            route.continue_()
        else:
            page.elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_hub)
    return page


def sign_in_with_the_form(page, live_hub: LiveHub, email: str, password: str) -> None:
    page.goto(live_hub.path("/sign-in"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(live_hub.path("/"))


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )
