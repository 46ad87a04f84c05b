"""`flask hub prune`: audit entries and closed reports go after their retention periods;
open reports stay however old."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from hub.audit.models import AuditEntry
from hub.db import utcnow
from hub.extensions import db
from hub.reports.models import Report
from tests.groups.helpers import API, add_member, make_group, start_thread


@pytest.fixture
def app_settings() -> dict:
    return {"HUB_AUDIT_RETENTION_DAYS": 30, "HUB_REPORT_RETENTION_DAYS": 10}


def age(app, model, row_id: int, column: str, days: int) -> None:
    """Move a row's time `days` into the past, as if it had been written then."""
    with app.app_context():
        when = utcnow() - timedelta(days=days)
        db.session.execute(update(model).where(model.id == row_id).values({column: when}))
        db.session.commit()


def test_prune_deletes_what_is_past_its_retention_and_keeps_the_rest(app, factory):
    owner, member = factory.person(), factory.person()
    admin = factory.client_for(factory.user(is_admin=True))
    group_id = make_group(owner, "private")
    add_member(owner, group_id, member)
    threads = [start_thread(member, group_id, title=f"Thread {n}")["id"] for n in range(4)]
    reports = []
    for thread_id in threads:
        body = {"target_type": "thread", "target_id": thread_id, "reason": "Off topic."}
        reports.append(member.post(f"{API}/reports", json=body).json["id"])
    for report_id in reports[:3]:
        closed = owner.patch(f"{API}/reports/{report_id}", json={"status": "resolved"})
        assert closed.status_code == 200
    entries = [e["id"] for e in admin.get(f"{API}/admin/audit?page_size=100").json]
    old_entry, recent_entries = entries[-1], entries[:-1]
    age(app, AuditEntry, old_entry, "at", 31)
    age(app, Report, reports[0], "resolved_at", 11)  # closed long ago: goes
    age(app, Report, reports[1], "resolved_at", 9)  # closed recently: stays
    age(app, Report, reports[3], "created_at", 4000)  # open, however old: stays

    result = app.test_cli_runner().invoke(args=["hub", "prune"])

    assert result.exit_code == 0, result.output
    assert "Deleted 1 audit entries and 1 closed reports." in result.output
    left = [e["id"] for e in admin.get(f"{API}/admin/audit?page_size=100").json]
    assert left == recent_entries
    kept = {r["id"] for r in admin.get(f"{API}/admin/reports").json}
    assert kept == set(reports[1:])


def test_the_retention_periods_default_to_six_years_and_one_year(tmp_path, monkeypatch):
    from hub.config import load_settings

    monkeypatch.delenv("HUB_AUDIT_RETENTION_DAYS", raising=False)
    monkeypatch.delenv("HUB_REPORT_RETENTION_DAYS", raising=False)
    settings = load_settings({"HUB_DATA_DIR": str(tmp_path)})
    assert settings["HUB_AUDIT_RETENTION_DAYS"] == 2190
    assert settings["HUB_REPORT_RETENTION_DAYS"] == 365
    monkeypatch.setenv("HUB_AUDIT_RETENTION_DAYS", "3000")
    assert load_settings({"HUB_DATA_DIR": str(tmp_path)})["HUB_AUDIT_RETENTION_DAYS"] == 3000
