"""docs/permissions.md's tables are generated from hub/policy.py, so they cannot drift.

After changing a group rule, regenerate them and review the diff:
HUB_UPDATE_DOCS=1 pytest tests/groups/test_permissions_doc.py
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from hub import policy
from hub.policy import GroupAccess

DOC = Path(__file__).parents[2] / "docs" / "permissions.md"
BEGIN = "<!-- begin: generated from hub/policy.py by tests/groups/test_permissions_doc.py -->"
END = "<!-- end: generated -->"

PERSONAS = {
    "non-member": GroupAccess(),
    "requester": GroupAccess(requested=True),
    "invitee": GroupAccess(invited=True),
    "member": GroupAccess(role="member"),
    "moderator": GroupAccess(role="moderator"),
    "owner": GroupAccess(role="owner"),
    "banned": GroupAccess(banned=True),
    "site admin": GroupAccess(site_admin=True),
}
JOIN = {"member": "member", "pending": "pending", "forbidden": "403", "hidden": "404"}


def _seen(rule):
    """A rule as the API applies it: first the group must be visible (else 404)."""

    def cell(group, access):
        if not policy.can_see_group(group, access):
            return "404"
        return "yes" if rule(group, access) else "no"

    return cell


RULES = [
    ("see the group (GET /groups/{id})", _seen(lambda g, a: True)),
    (
        "listed in the directory (GET /groups)",
        lambda g, a: "yes" if policy.can_list_group(g, a) else "no",
    ),
    (
        "read content: members, threads, files, suggestions, sessions",
        _seen(policy.can_read_group_content),
    ),
    ("list members (GET /groups/{id}/members)", _seen(policy.can_list_members)),
    ("POST /groups/{id}/join", lambda g, a: JOIN[policy.join_outcome(g, a)]),
    (
        "leave (POST /groups/{id}/leave; the last owner gets 409)",
        lambda g, a: "yes" if policy.can_leave_group(g, a) else "404",
    ),
    ("edit name, description, tags", _seen(policy.can_edit_group)),
    ("change the visibility", _seen(policy.can_change_group_visibility)),
    ("archive (DELETE /groups/{id})", _seen(policy.can_archive_group)),
    ("see, approve and decline join requests", _seen(policy.can_handle_join_requests)),
    ("invite people", _seen(policy.can_invite_to_group)),
    ("change members' roles", _seen(policy.can_change_member_roles)),
    (
        "remove or ban a member or moderator",
        _seen(lambda g, a: policy.can_remove_member(g, a, "member")),
    ),
    ("remove or ban an owner", _seen(lambda g, a: policy.can_remove_member(g, a, "owner"))),
    ("lift a ban (DELETE /groups/{id}/bans/{user_id})", _seen(policy.can_lift_ban)),
    (
        "cancel an invitation (DELETE /groups/{id}/invitations/{user_id})",
        _seen(policy.can_cancel_invitation),
    ),
    ("report its content (else 404: POST /reports)", _seen(policy.can_report_group_content)),
    ("see, resolve and dismiss reports about it", _seen(policy.can_read_group_reports)),
    ("read its audit log (GET /groups/{id}/audit)", _seen(policy.can_read_group_audit)),
]


def generated_tables() -> str:
    lines = []
    for visibility in ("open", "restricted", "private", "hidden"):
        group = SimpleNamespace(visibility=visibility, archived_at=None)
        lines += [
            f"### {visibility.title()} groups",
            "",
            "| | " + " | ".join(PERSONAS) + " |",
            "| --- |" + " --- |" * len(PERSONAS),
        ]
        for label, rule in RULES:
            cells = [rule(group, access) for access in PERSONAS.values()]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def test_the_permissions_doc_matches_the_policy():
    text = DOC.read_text()
    head, _, rest = text.partition(BEGIN + "\n")
    _, found, tail = rest.partition(END)
    assert found, f"{DOC} lost its markers {BEGIN!r} ... {END!r}"
    expected = head + BEGIN + "\n" + generated_tables() + END + tail
    if os.environ.get("HUB_UPDATE_DOCS") == "1":
        DOC.write_text(expected)
    assert text == expected, (
        "docs/permissions.md disagrees with hub/policy.py; if the policy change is meant, "
        "run HUB_UPDATE_DOCS=1 pytest tests/groups/test_permissions_doc.py and review the diff."
    )
