"""The demo repository end to end: exactly the findings in fixtures/demo/expected.txt."""

from __future__ import annotations

import json

from conftest import AS_OF, FIXTURES, ROOT, expected_lines, run_ftscan

DEMO = FIXTURES / "demo"


def test_demo_findings_are_exactly_the_expected_ones():
    result = run_ftscan("scan", str(DEMO), "--root", str(DEMO), "-f", "json", "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    got = [f"{f['path']}:{f['line']} {f['rule_id']} {f['level']}" for f in data["findings"]]
    assert got == expected_lines(DEMO)


def test_demo_notifications():
    result = run_ftscan("scan", str(DEMO), "--root", str(DEMO), "-f", "json", "--as-of", AS_OF)
    notes = [(n["path"], n["kind"]) for n in json.loads(result.stdout)["notifications"]]
    assert notes == [("training/py2_export.py", "parse-error")]


def test_readme_demo_command():
    """`ftscan scan fixtures/demo --as-of 2026-11-22`, as the README runs it."""
    result = run_ftscan("scan", "fixtures/demo", "--as-of", AS_OF, cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    findings = [line for line in lines if line.startswith("fixtures/demo/")]
    assert len(findings) == len(expected_lines(DEMO))
    assert any(line.startswith(f"{len(findings)} findings (") for line in lines)


def test_gitignored_directory_is_not_scanned():
    result = run_ftscan("scan", str(DEMO), "--root", str(DEMO), "-f", "json", "--as-of", AS_OF)
    assert not any(f["path"].startswith("generated/") for f in json.loads(result.stdout)["findings"])
