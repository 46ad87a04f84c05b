"""hub.compat: the app refuses to start on a library version its internals were not checked
against, and the versions it names are the ones setup.cfg pins."""

from __future__ import annotations

import ast
import configparser
from importlib.metadata import version
from pathlib import Path

import pytest

from hub import compat, create_app
from hub.search import accelerator

ROOT = Path(__file__).resolve().parent.parent
SETUP_CFG = ROOT / "setup.cfg"


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


def _setup_cfg_pins() -> dict[str, str]:
    config = configparser.ConfigParser()
    config.read(SETUP_CFG)
    requirements = [
        line.strip()
        for line in config["options"]["install_requires"].splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    return dict(line.lower().split("==") for line in requirements if "==" in line)


def test_setup_cfg_pins_exactly_the_versions_written_for():
    pins = _setup_cfg_pins()
    for name, written_for in compat.WRITTEN_FOR.items():
        assert pins.get(name.lower()) == written_for, f"setup.cfg must pin {name}=={written_for}"


def test_setup_cfg_pins_the_whoosh_the_accelerator_was_written_for():
    pins = _setup_cfg_pins()
    for name, written_for in accelerator.WRITTEN_FOR.items():
        assert pins.get(name.lower()) == written_for, f"setup.cfg must pin {name}=={written_for}"


# Underscored names other libraries document as public.
DOCUMENTED_PUBLIC = {"_get_current_object", "_asdict", "_replace", "_fields", "_make"}
# The two modules that may read other libraries' private attributes.
MAY_READ_PRIVATE = {"hub/compat.py", "hub/search/accelerator.py"}


def test_other_libraries_private_attributes_are_read_in_two_modules_only():
    """`x._name` or `from lib import _name` where no hub module defines `_name`: another
    library's private attribute, allowed only in hub/compat.py (pinned versions, refused
    otherwise) and hub/search/accelerator.py (checked at start-up, switched off otherwise).
    A name the hub defines itself (`self._lock`, a `_private` function) is the hub's."""
    trees = {
        path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(), str(path))
        for path in sorted((ROOT / "hub").rglob("*.py"))
    }
    own = set().union(*(_defined_names(tree) for tree in trees.values()))
    found = []
    for path, tree in trees.items():
        if path in MAY_READ_PRIVATE:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                names = [node.attr]
            elif isinstance(node, ast.ImportFrom) and not (node.module or "").startswith("hub"):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if _is_private(name) and name not in own and name not in DOCUMENTED_PUBLIC:
                    found.append(f"{path}:{node.lineno}: {name}")
    assert not found, "other libraries' private attributes outside hub/compat.py: " + str(found)


def test_the_private_attribute_check_finds_whooshs_outside_the_accelerator():
    tree = ast.parse("def f(reader):\n    return reader._terms, ix._read_toc()\n")
    own = _defined_names(tree)
    used = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert {name for name in used if _is_private(name) and name not in own} == {
        "_terms",
        "_read_toc",
    }


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _defined_names(tree: ast.AST) -> set[str]:
    """The underscored names a module defines: functions, classes, attributes it assigns,
    variables, and names it imports as."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias) and node.asname:
            names.add(node.asname)
    return {name for name in names if _is_private(name)}
