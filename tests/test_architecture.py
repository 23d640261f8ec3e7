"""The layout docs/ARCHITECTURE.md describes holds: the import rules, and a wheel with every package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the `ftscan` package of `tree`, with the contracts of its pyproject.toml."""
    # That tree's ftscan, not the installed one; wide enough that no contract line wraps.
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "300"}
    lint = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", lint, "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_packages_keep_the_import_rules():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("ftscan/walk/kinds.py", "import ftscan.scan", "only the packages below it"),
        ("ftscan/match/links.py", "from ftscan.report import text", "only the packages below it"),
        ("ftscan/types.py", "import ftscan.rules.globs", "only the packages below it"),
        ("ftscan/scan/javascript/sdk.py", "import ftscan.scan.python.sdk", "Each kind's scanner"),
    ],
)
def test_an_import_against_the_rules_breaks_the_check(tmp_path, module, line, contract):
    """The check is not vacuous: one import in the wrong direction fails it, naming the contract."""
    shutil.copytree(ROOT / "ftscan", tmp_path / "ftscan", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [text for text in result.stdout.splitlines() if " BROKEN" in text]
    assert len(broken) == 1 and contract in broken[0], result.stdout


def test_a_wheel_holds_every_package_of_the_tree():
    """setuptools is given the package list by hand (the rule packs are mapped into
    `ftscan.rules.packs`): a package missing from it would be missing from every install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "ftscan").rglob("__init__.py")
    }
    assert listed == on_disk | {"ftscan.rules.packs"}
    assert project["tool"]["setuptools"]["package-dir"] == {"ftscan.rules.packs": "rules"}
