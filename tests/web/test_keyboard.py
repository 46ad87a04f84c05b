"""Keyboard only: register, sign out and sign in without the mouse, in Chromium. (The
whole journey of issue 20, its uploads and votes too, by keyboard: test_journey.py.)"""

from __future__ import annotations

from tests.web.browser import (
    new_page,
)

MOST_TABS = 40


def tab_to(page, selector: str, most: int = MOST_TABS) -> None:
    """Press Tab until the element `selector` names has the focus, as a keyboard user
    would; fail if it never does within `most` presses."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def focused_text(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_register_sign_out_and_sign_in_with_the_keyboard_alone(chromium, live_hub):
    page = new_page(chromium, live_hub)
    page.goto(live_hub.path("/"))

    page.keyboard.press("Tab")
    assert focused_text(page) == "Skip to main content"
    page.keyboard.press("Enter")  # the skip link: the next Tab is in the main content

    tab_to(page, "main a[href='/register']")
    page.keyboard.press("Enter")
    page.wait_for_url(live_hub.path("/register"))

    tab_to(page, "#name")
    page.keyboard.type("Grace Hopper")
    tab_to(page, "#email")
    page.keyboard.type("grace.hopper@leeds.gov.uk")
    tab_to(page, "#password")
    page.keyboard.type("compilers are for people")
    tab_to(page, "input[name=role]")
    page.keyboard.press("ArrowDown")  # the second choice: officer
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(live_hub.path("/?done=registered"))
    assert page.locator("h1").inner_text() == "Your feed"

    tab_to(page, "nav button[type=submit]")
    assert focused_text(page) == "Sign out"
    page.keyboard.press("Enter")
    page.wait_for_url(live_hub.path("/?done=signed-out"))

    tab_to(page, "nav a[href='/sign-in']")
    page.keyboard.press("Enter")
    page.wait_for_url(live_hub.path("/sign-in"))
    tab_to(page, "#email")
    page.keyboard.type("grace.hopper@leeds.gov.uk")
    tab_to(page, "#password")
    page.keyboard.type("compilers are for people")
    page.keyboard.press("Enter")  # Enter in a field submits its form
    page.wait_for_url(live_hub.path("/"))
    assert page.locator("h1").inner_text() == "Your feed"

    tab_to(page, "nav a[href='/account']")
    page.keyboard.press("Enter")
    page.wait_for_url(live_hub.path("/account"))
    assert page.locator("#name").input_value() == "Grace Hopper"
    assert page.locator("input[name=role][value=officer]").is_checked()
    assert page.elsewhere == []
    page.context.close()
