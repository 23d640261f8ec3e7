"""SARIF for GitHub code scanning: exact output on the demo, both validators, the shape GitHub needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES, ROOT, assert_matches_golden
from sarif_validators import multitool_errors, schema_errors

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def demo_sarif(tmp_path_factory) -> tuple[str, dict]:
    from conftest import run_ftscan

    out = tmp_path_factory.mktemp("sarif") / "demo.sarif"
    result = run_ftscan(
        "scan",
        str(FIXTURES / "demo"),
        "--root",
        str(FIXTURES / "demo"),
        "-f",
        "sarif",
        "-o",
        str(out),
        "--as-of",
        AS_OF,
        "--sarif-category",
        "demo",
    )
    assert result.returncode == 1, result.stderr
    text = out.read_text(encoding="utf-8")
    return text, json.loads(text)


def test_matches_golden_file(demo_sarif):
    text, _ = demo_sarif
    golden = GOLDEN / "demo.sarif"
    assert_matches_golden(text, golden)


def test_official_schema(demo_sarif):
    assert schema_errors(demo_sarif[1]) == []


def test_microsoft_validator_with_github_rules(demo_sarif, tmp_path):
    path = tmp_path / "demo.sarif"
    path.write_text(demo_sarif[0], encoding="utf-8")
    assert multitool_errors(path) == []


def test_shape_github_needs(demo_sarif):
    run = demo_sarif[1]["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"] and rule["helpUri"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["automationDetails"]["id"] == "demo/"
    assert run["results"], "the demo has findings"
    for result in run["results"]:
        assert result["level"] in ("error", "warning", "note")
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith(("/", "file:"))
        region = location["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        assert set(result["partialFingerprints"]) == {"ftscan/v1", "primaryLocationLineHash"}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "parse-error" for n in notes)


def test_clean_scan_has_empty_results(tmp_path):
    from conftest import run_ftscan

    (tmp_path / "ok.py").write_text("print('nothing to see')\n")
    result = run_ftscan("scan", str(tmp_path), "--root", str(tmp_path), "-f", "sarif", "--as-of", AS_OF)
    assert result.returncode == 0
    log = json.loads(result.stdout)
    assert log["runs"][0]["results"] == []
    assert schema_errors(log) == []


def test_uris_are_percent_encoded(tmp_path):
    from conftest import run_ftscan

    odd = tmp_path / "dir with space" / "ümlaut #1.py"
    odd.parent.mkdir()
    odd.write_text('M = "ft:gpt-4o-2024-08-06:northwind:s:Ab12Cd34"\n')
    result = run_ftscan("scan", str(tmp_path), "--root", str(tmp_path), "-f", "sarif", "--as-of", AS_OF)
    log = json.loads(result.stdout)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "dir%20with%20space/%C3%BCmlaut%20%231.py"
    assert schema_errors(log) == []


def test_deterministic(tmp_path):
    from conftest import run_ftscan

    args = ("scan", str(FIXTURES / "demo"), "--root", str(FIXTURES / "demo"), "-f", "sarif", "--as-of", AS_OF)
    assert run_ftscan(*args).stdout == run_ftscan(*args).stdout


def test_repo_root_is_default(tmp_path):
    """Run from the repository root, URIs carry the fixture's directory."""
    from conftest import run_ftscan

    result = run_ftscan("scan", "fixtures/demo/app/chat.py", "-f", "sarif", "--as-of", AS_OF, cwd=ROOT)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(result.stdout)["runs"][0]["results"]
    }
    assert uris == {"fixtures/demo/app/chat.py"}
