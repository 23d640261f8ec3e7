"""Shapes of real fine-tuning code end to end: IDs as dict keys, helpers, HTTP uploads, CLI
defaults, held clients, extensionless scripts, instructor, DSPy students, test doubles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES, assert_matches_golden, expected_lines, run_ftscan
from sarif_validators import multitool_errors, schema_errors

REALWORLD = FIXTURES / "realworld"
GOLDEN = Path(__file__).parent / "golden" / "realworld.sarif"


@pytest.fixture(scope="module")
def findings() -> list[dict]:
    result = run_ftscan("scan", str(REALWORLD), "--root", str(REALWORLD), "-f", "json", "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["notifications"] == []
    return data["findings"]


@pytest.fixture(scope="module")
def sarif(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("realworld") / "out.sarif"
    result = run_ftscan(
        "scan", str(REALWORLD), "--root", str(REALWORLD), "-f", "sarif", "-o", str(out), "--as-of", AS_OF
    )
    assert result.returncode == 1, result.stderr
    return out, out.read_text(encoding="utf-8")


def test_findings_are_exactly_the_expected_ones(findings):
    got = [f"{f['path']}:{f['line']} {f['rule_id']} {f['level']}" for f in findings]
    assert got == expected_lines(REALWORLD)


def _props(findings: list[dict], path: str, line: int, rule: str) -> dict[str, str]:
    (found,) = [f for f in findings if (f["path"], f["line"], f["rule_id"]) == (path, line, rule)]
    return found["evidence"]["props"]


def test_ids_as_keys_carry_their_key_path(findings):
    assert _props(findings, "app/labels.py", 6, "FT101") == {
        "key_path": 'MODEL_LABELS["ft:gpt-3.5-turbo-0125:northwind:churn:9tt19es9"]'
    }
    assert _props(findings, "app/labels.py", 10, "FT101") == {
        "key_path": 'RESULTS.eval["ft:gpt-4.1-mini-2025-04-14:northwind:triage:Bm4nQ2Lr"]'
    }
    assert _props(findings, "notebooks/compare.ipynb", 28, "FT101") == {
        "cell": "2",
        "cell_line": "2",
        "key_path": "scores.ft:gpt-4o-mini-2024-07-18:northwind:churn:Q7rT2mXz",
    }


def test_helper_calls_name_the_helpers_they_go_through(findings):
    assert _props(findings, "pipeline/upload.py", 28, "FT203") == {
        "arg:purpose": "fine-tune",
        "client": "OpenAI",
        "via": "upload_file <- upload_all",
    }
    assert _props(findings, "pipeline/upload.py", 39, "FT206")["arg:model"] == "gpt-4o-mini-2024-07-18"
    assert _props(findings, "pipeline/http_upload.py", 19, "FT203") == {
        "arg:purpose": "fine-tune",
        "via": "httpx.post",
    }


def test_test_doubles_are_notes_that_say_so(findings):
    doubles = [f for f in findings if f["path"].startswith("tests/")]
    assert doubles and {f["level"] for f in doubles} == {"note"}
    assert {f["evidence"]["props"]["context"] for f in doubles} == {"test-double"}


def test_matches_golden_sarif(sarif):
    _, text = sarif
    assert_matches_golden(text, GOLDEN)


def test_sarif_is_valid(sarif):
    path, text = sarif
    assert schema_errors(json.loads(text)) == []
    assert multitool_errors(path) == []
