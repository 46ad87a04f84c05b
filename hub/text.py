"""Markdown that people write, rendered to HTML that is safe to show."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}


def render_markdown(source: str | None) -> str:
    """Markdown source to sanitized HTML (raw HTML is escaped, then nh3 cleans the rest)."""
    if not source:
        return ""
    return nh3.clean(
        _markdown.render(source),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(source: str | None) -> str:
    """The words a reader of the rendered Markdown sees, without its markup or link
    targets: what search indexes and cuts snippets from. Each block (paragraph, heading,
    list item, table cell, code block) on a line of its own, so no two blocks' words join."""
    if not source:
        return ""
    blocks = []
    for token in _markdown.parse(source):
        if token.type == "inline":
            blocks.append(_inline_text(token.children or ()))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip("\n"))
    return "\n".join(block for block in blocks if block)


def _inline_text(tokens) -> str:
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif token.type == "image":  # a reader sees the alt text where it fails to load
            parts.append(_inline_text(token.children or ()))
    return "".join(parts)
