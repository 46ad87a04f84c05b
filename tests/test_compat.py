"""hub.compat: the app refuses to start on a library version its internals were not checked
against, and the versions it names are the ones setup.cfg pins."""

from __future__ import annotations

import configparser
from importlib.metadata import version
from pathlib import Path

import pytest

from hub import compat, create_app

SETUP_CFG = Path(__file__).resolve().parent.parent / "setup.cfg"


def test_the_app_refuses_to_start_on_a_version_it_was_not_written_for(monkeypatch, tmp_path):
    installed = version("marshmallow")
    monkeypatch.setitem(compat.WRITTEN_FOR, "marshmallow", "3.0.0")
    with pytest.raises(compat.IncompatibleVersion) as refused:
        create_app({"HUB_ENV": "testing", "HUB_DATA_DIR": str(tmp_path)})
    message = str(refused.value)
    assert f"marshmallow {installed} is installed" in message
    assert "written for 3.0.0" in message
    assert "webargs" not in message  # only the library that differs


def test_the_installed_versions_are_the_ones_written_for():
    compat.check_versions()  # as create_app does: the suite runs on the pinned versions


def test_setup_cfg_pins_exactly_the_versions_written_for():
    config = configparser.ConfigParser()
    config.read(SETUP_CFG)
    requirements = [
        line.strip()
        for line in config["options"]["install_requires"].splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    pins = dict(line.lower().split("==") for line in requirements if "==" in line)
    for name, written_for in compat.WRITTEN_FOR.items():
        assert pins.get(name.lower()) == written_for, f"setup.cfg must pin {name}=={written_for}"
