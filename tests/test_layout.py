"""Where code and tests live: one top-level package a feature, and tests that mirror them.

docs/architecture.md ("Layout") states the rule; this keeps it true as features are added.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "hub"
TESTS = ROOT / "tests"

# Test folders that are not a package's tests: data, whole-system runs, the browser harness.
NOT_A_PACKAGE = {"fixtures", "e2e", "__pycache__"}


def _packages(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if (p / "__init__.py").exists()}


def test_features_are_top_level_packages():
    nested = sorted(
        f"hub/{package.parent.name}/{package.name}"
        for package in HUB.glob("*/*")
        if (package / "__init__.py").exists() and package.parent.name not in {"templates"}
    )
    assert nested == [], f"a feature belongs at the top of hub/, not inside another: {nested}"


def test_every_test_folder_is_named_after_a_hub_package():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir()} - NOT_A_PACKAGE
    strays = sorted(folder for folder in folders if not (HUB / folder / "__init__.py").exists())
    assert strays == [], f"tests/<folder> must mirror hub/<package>: {strays}"


def test_every_package_has_its_tests_in_its_own_folder():
    untested = sorted(
        package for package in _packages(HUB) if not any((TESTS / package).glob("test_*.py"))
    )
    assert untested == [], f"hub/<package> without tests/<package>/test_*.py: {untested}"
