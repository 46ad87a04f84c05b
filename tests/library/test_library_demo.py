"""The demo libraries: a few real documents in each demo group, with their text."""

import pytest
from sqlalchemy import select

from hub.extensions import db
from hub.library.demo import seed_library_demo
from hub.library.models import LibraryFile
from tests.groups.helpers import make_group
from tests.library.helpers import API

pytestmark = pytest.mark.parametrize("database", ["sqlite"])


def test_seed_library_demo_fills_each_group_once(app, factory):
    owner = factory.person()
    open_group = make_group(owner, "open", name="Peer challenge")
    private_group = make_group(owner, "private", name="Flooding")
    with app.app_context():
        assert seed_library_demo() == 4
        assert seed_library_demo() == 0
        files = db.session.scalars(select(LibraryFile).order_by(LibraryFile.id)).all()
        assert {f.group_id for f in files} == {open_group, private_group}
        assert all(f.current_version.text_extracted for f in files)
        assert any("peer challenge" in f.current_version.extracted_text for f in files)
        db.session.remove()
    listed = owner.get(f"{API}/groups/{open_group}/library/files")
    assert len(listed.json) == 2 and all(f["text_extracted"] for f in listed.json)
