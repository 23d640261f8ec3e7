"""Shared helpers: run the real CLI in a subprocess, as a user would."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The CLI keeps compiled rule packs in a cache directory: the tests use their own, removed
# when they end.
os.environ["FTSCAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="ftscan-test-cache-")
atexit.register(shutil.rmtree, os.environ["FTSCAN_CACHE_DIR"], ignore_errors=True)
FIXTURES = ROOT / "fixtures"
AS_OF = "2026-11-22"
# Annotated rule cases are inputs, not tests, whatever their names (`tests/rules/*/tests/test_*.py`).
collect_ignore = ["rules"]


def run_ftscan(*args: str, cwd: Path = ROOT, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ftscan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=input,
        timeout=120,
        check=False,
    )


def expected_lines(fixture: Path) -> list[str]:
    """The findings a fixture's `expected.txt` lists: its lines but blanks and `#` comments."""
    lines = (fixture / "expected.txt").read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def finding_at(report: dict, where: str, rule: str) -> dict:
    """The one finding of `rule` at `path:line` in a JSON report."""
    path, _, line = where.partition(":")
    (found,) = [
        f for f in report["findings"] if (f["path"], f["line"], f["rule_id"]) == (path, int(line), rule)
    ]
    return found


def assert_matches_golden(text: str, golden: Path) -> None:
    """`text` equals the golden file; FTSCAN_UPDATE_GOLDEN=1 rewrites it first, on purpose."""
    if os.environ.get("FTSCAN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "run with FTSCAN_UPDATE_GOLDEN=1 to accept"


@pytest.fixture
def ftscan():
    return run_ftscan
