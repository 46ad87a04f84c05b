"""Every message people read goes through Flask-Babel, so that a Welsh catalogue can
follow: a guard over hub/'s code for the ways a plain string slips past it, and the
catalogue that `pybabel extract -F babel.cfg -k lazy_gettext` makes from hub/."""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

import hub.errors

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "hub"
HUB_ERRORS = {
    name
    for name, value in vars(hub.errors).items()
    if isinstance(value, type) and issubclass(value, hub.errors.HubError)
}
TRANSLATING = {"_", "gettext", "ngettext", "lazy_gettext"}


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _a_validator(node: ast.Call) -> bool:
    """marshmallow's `validate.Length(...)`, `validate.Regexp(...)`..."""
    func = node.func
    return isinstance(func, ast.Attribute) and getattr(func.value, "id", None) == "validate"


def _plain_text(node: ast.expr) -> bool:
    """A string literal with words in it, or an f-string: text gettext never sees. (White
    space joining translated parts is not text.)"""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(node.value.strip())
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    return False


def _arguments(node: ast.Call, positions: slice, names: set[str]) -> list[ast.expr]:
    return node.args[positions] + [k.value for k in node.keywords if k.arg in names]


def _field_messages(node: ast.Call) -> list[ast.expr]:
    """The messages beside fields: `errors={"json": {"name": ["..."]}}`."""
    return [
        element
        for keyword in node.keywords
        if keyword.arg == "errors"
        for listed in ast.walk(keyword.value)
        if isinstance(listed, ast.List)
        for element in listed.elts
    ]


def untranslated(source: str, filename: str) -> list[str]:
    """`file:line: what` for each message in `source` that bypasses gettext."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name in HUB_ERRORS:
            messages = _arguments(node, slice(0, 1), {"message"}) + _field_messages(node)
            what = f"{name}(...)"
        elif name == "abort":
            messages, what = _arguments(node, slice(1, 2), {"message"}), "abort(...)"
        elif name == "queue_mail":
            messages, what = _arguments(node, slice(1, 3), {"subject", "body"}), "a mail"
        elif name == "ValidationError":
            messages, what = _arguments(node, slice(0, 1), {"message"}), "ValidationError"
        elif name in TRANSLATING:
            messages = [a for a in node.args if isinstance(a, ast.JoinedStr)]
            what = f"an f-string in {name}() (use %(name)s placeholders)"
        elif _a_validator(node):
            messages = [k.value for k in node.keywords if k.arg == "error"]
            what = f"validate.{name}(error=...)"
        else:
            continue
        if any(_plain_text(message) for message in messages):
            found.append(f"{filename}:{node.lineno}: {what}")
    return found


def test_no_domain_error_mail_or_validation_message_bypasses_gettext():
    found = []
    for path in sorted(HUB.rglob("*.py")):
        found += untranslated(path.read_text(), str(path.relative_to(ROOT)))
    assert found == [], "wrap these messages in gettext (`_`):\n" + "\n".join(found)


def _gettext_shadowed(tree: ast.Module, filename: str) -> list[str]:
    """Where a module that imports gettext as `_` binds `_` to something else (`a, _, b =
    ...`): a `_("...")` after it in the function calls a string."""
    if not any(
        isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == "_" for a in node.names)
        for node in ast.walk(tree)
    ):
        return []
    return [
        f"{filename}:{node.lineno}: `_` bound, hiding gettext"
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store))
        or (isinstance(node, ast.arg) and node.arg == "_")
    ]


def test_no_module_hides_gettext_behind_a_throwaway_name():
    found = []
    for path in sorted(HUB.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        found += _gettext_shadowed(tree, str(path.relative_to(ROOT)))
    assert found == [], "name these something else:\n" + "\n".join(found)


def test_the_guard_finds_each_kind_of_plain_message():
    source = """
raise NotFound("There is no such thing.")
raise Forbidden(f"Only {who} may.")
queue_mail(to, "A subject", _("A body"))
queue_mail(to, _("A subject"), f"Hello {name}")
raise ValidationError("Give your name.")
NAME = validate.Length(max=3, error="Too long.")
_(f"Hello {name}")
raise NotFound(_("Translated."))
queue_mail(to, subject, _("Since your last digest:") + "\\n\\n" + body)
raise Invalid(_("Fix it."), errors={"json": {"name": ["Empty."]}})
abort(422, "Say which.")
raise Invalid(_("Fix it."), errors={"json": {"name": [_("Empty.")]}})
"""
    found = untranslated(source, "example.py")
    assert [line.split(": ", 1)[0] for line in found] == [
        f"example.py:{n}" for n in (2, 3, 4, 5, 6, 7, 8, 11, 12)
    ]
    shadowing = "from flask_babel import gettext as _\nscheme, _, token = header.partition(' ')\n"
    assert _gettext_shadowed(ast.parse(shadowing), "example.py") == [
        "example.py:2: `_` bound, hiding gettext"
    ]


def _catalogue() -> dict[str, list[str]]:
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    messages: dict[str, list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(HUB), method_map, options_map, keywords=keywords
    ):
        for text in message if isinstance(message, tuple) else (message,):
            messages.setdefault(text, []).append(filename)
    return messages


def test_the_catalogue_holds_the_pages_errors_and_emails():
    catalogue = _catalogue()
    for message, where in (
        ("There is no account with this id.", "auth/service.py"),  # a domain error
        ("There is no post with this id, or you may not see it.", "forum/service.py"),
        ("Choose a new Knowledge Hub password", "auth/service.py"),  # an email's subject
        ("Hello %(name)s,\n\nA site admin approved your account.", "auth/service.py"),
        ("Tags are 1-60 letters, digits, spaces or -&'/.", "groups/schemas.py"),
        ("Skip to main content", ".html"),  # a page's
    ):
        assert message in catalogue, message
        assert any(where in filename for filename in catalogue[message]), catalogue[message]
