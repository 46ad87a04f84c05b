"""Stored XSS: whatever people write, body_html is harmless wherever it is shown."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from tests.groups.helpers import API, make_group, reply, start_thread

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="#" onclick="alert(1)">click</a>',
    "<div onmouseover='alert(1)'>hover</div>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#58;alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<p style="background:url(javascript:alert(1))">css</p>',
    '<div style="width: expression(alert(1))">ie</div>',
    "<style>body{background:url('javascript:alert(1)')}</style>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<object data="javascript:alert(1)"></object>',
    "<img src=x onerror=alert(1)//",
    "<<img src=x onerror=alert(1)>>",
    "<a href=javascript&colon;alert(1)>x</a>",
    "<img src=`x` onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    '[x](javascript:alert(1) "title")',
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    "<a href='https://example.org' onmouseover='alert(1)'>ok</a>",
    '@[x" onmouseover="alert(1)](user:1)',
    "@[<script>alert(1)</script>](user:1)",
    "```html\n<script>alert(1)</script>\n```",
    "<!--><script>alert(1)</script>-->",
    "<base href=javascript:alert(1)//>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]
DANGEROUS_TAGS = {
    "script",
    "svg",
    "math",
    "style",
    "iframe",
    "object",
    "embed",
    "base",
    "meta",
    "form",
    "button",
    "link",
    "body",
    "details",
}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered and "<svg" not in lowered and "<style" not in lowered
    # Attributes are judged parsed, so that a quoted, escaped `onclick=` inside a title
    # (harmless text) is not mistaken for an event handler.
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in DANGEROUS_TAGS, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in ("href", "src", "action", "formaction", "data"):
                target = re.sub(r"[\x00-\x20]", "", unescape(value or "")).lower()
                assert "javascript:" not in target and "vbscript:" not in target, html
                assert not target.startswith("data:"), html
                assert ":" not in target.split("/")[0] or target.startswith(SAFE_SCHEMES), html


@pytest.fixture
def forum(factory):
    owner = factory.person()
    group_id = make_group(owner)
    return owner, group_id, start_thread(owner, group_id)


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 20


@pytest.mark.parametrize("database", ["sqlite"])
def test_replies_and_edits_are_harmless(forum):
    owner, _group_id, thread = forum
    for payload in PAYLOADS:
        post = reply(owner, thread["id"], payload)
        assert post["body"] == payload
        assert_harmless(post["body_html"])
        edited = owner.patch(f"{API}/posts/{post['id']}", json={"body": f"edit {payload}"})
        assert edited.status_code == 200
        assert_harmless(edited.json["body_html"])
    listed = owner.get(f"{API}/threads/{thread['id']}/posts?page_size=100").json
    assert len(listed) == len(PAYLOADS) + 1
    for post in listed:
        assert_harmless(post["body_html"])


@pytest.mark.parametrize("database", ["sqlite"])
def test_opening_posts_suggestions_and_the_feed_are_harmless(forum):
    owner, group_id, _thread = forum
    for payload in PAYLOADS:
        thread = start_thread(owner, group_id, title=payload[:200], body=payload)
        assert_harmless(thread["first_post"]["body_html"])
        made = owner.post(
            f"{API}/groups/{group_id}/suggestions", json={"title": payload[:200], "body": payload}
        )
        assert made.status_code == 201
        assert_harmless(made.json["body_html"])
    for item in owner.get(f"{API}/me/feed?page_size=100").json:
        assert_harmless(item["body_html"])


def test_payloads_keep_harmless_markup_working(forum):
    owner, _group_id, thread = forum
    post = reply(owner, thread["id"], "[GOV.UK](https://www.gov.uk) and **bold**")
    assert (
        '<a href="https://www.gov.uk" rel="nofollow noopener noreferrer">GOV.UK</a>'
        in (post["body_html"])
    )
    assert "<strong>bold</strong>" in post["body_html"]


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<img src="x" onerror="alert(1)">',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="data:text/html,hi">x</a>',
        "<svg></svg>",
        '<p style="color:red">x</p>',
    ],
)
def test_the_checker_catches_what_it_looks_for(html):
    with pytest.raises(AssertionError):
        assert_harmless(html)
