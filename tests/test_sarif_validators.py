"""Checks that the SARIF validators in tests/sarif_validators.py do their job.

A log that GitHub code scanning accepts must pass both validators, and a
broken one must fail both; otherwise a passing SARIF test proves nothing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import sarif_validators
from sarif_validators import multitool_errors, schema_errors

MINIMAL_LOG: dict[str, Any] = {
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0",
    "runs": [
        {
            "tool": {
                "driver": {
                    "name": "ftscan",
                    "version": "0.1.0",
                    "informationUri": "https://example.com/ftscan",
                    "rules": [
                        {
                            "id": "FT001",
                            "name": "ExampleRule",
                            "shortDescription": {"text": "Example rule."},
                            "fullDescription": {"text": "An example rule used to test the validators."},
                            "help": {"text": "Replace the flagged call."},
                            "defaultConfiguration": {"level": "warning"},
                        }
                    ],
                }
            },
            "results": [
                {
                    "ruleId": "FT001",
                    "ruleIndex": 0,
                    "level": "warning",
                    "message": {"text": "Something needs attention."},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"},
                                "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 12},
                            }
                        }
                    ],
                    "partialFingerprints": {"primaryLocationLineHash": "e9496ae3ebfced30:1"},
                }
            ],
        }
    ],
}


def broken_log() -> dict[str, Any]:
    """A log with an invalid result level and a result without a message."""
    log = copy.deepcopy(MINIMAL_LOG)
    result = log["runs"][0]["results"][0]
    result["level"] = "fatal"
    del result["message"]
    return log


def github_defects_log() -> dict[str, Any]:
    """A schema-valid log that breaks several of GitHub's own requirements."""
    log = copy.deepcopy(MINIMAL_LOG)
    run = log["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    del rule["help"]  # GH2012
    base = run["results"][0]
    absolute = copy.deepcopy(base)  # GH1006: absolute file URI and no checkout path
    absolute["locations"][0]["physicalLocation"]["artifactLocation"] = {"uri": "file:///work/src/app.py"}
    no_region = copy.deepcopy(base)  # GH1003
    del no_region["locations"][0]["physicalLocation"]["region"]
    no_text = copy.deepcopy(base)  # GH1007: message without text
    no_text["message"] = {"id": "default", "arguments": ["x"]}
    rule["messageStrings"] = {"default": {"text": "Problem with {0}."}}
    run["results"] = [absolute, no_region, no_text]
    return log


def write_log(directory: Path, log: dict[str, Any], name: str = "ftscan.sarif") -> Path:
    path = directory / name
    path.write_text(json.dumps(log, indent=2), encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# JSON schema


def test_schema_accepts_minimal_log() -> None:
    assert schema_errors(MINIMAL_LOG) == []


def test_schema_rejects_broken_log() -> None:
    errors = schema_errors(broken_log())
    assert any("fatal" in error for error in errors), errors
    assert any("'message' is a required property" in error for error in errors), errors
    assert all(error.startswith("$.runs[0].results[0]") for error in errors), errors


def test_schema_reports_json_paths() -> None:
    log = copy.deepcopy(MINIMAL_LOG)
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert schema_errors(log) == [
        "$.runs[0].results[0].locations[0].physicalLocation.region.startLine: 0 is less than the minimum of 1"
    ]


def test_schema_is_the_official_one() -> None:
    validator = sarif_validators._schema_validator()
    assert validator.schema["id"] == sarif_validators.SCHEMA_ID
    assert validator.schema["$schema"] == "http://json-schema.org/draft-04/schema#"


# --------------------------------------------------------------------------
# SARIF Multitool


def test_multitool_accepts_minimal_log(tmp_path: Path) -> None:
    assert multitool_errors(write_log(tmp_path, MINIMAL_LOG)) == []


def test_multitool_rejects_broken_log(tmp_path: Path) -> None:
    errors = multitool_errors(write_log(tmp_path, broken_log()))
    assert errors
    # The tool gives up on this log without a word; the canary catches that.
    assert any("MULTITOOL-ABORTED" in error for error in errors), errors


def test_multitool_reports_schema_violations(tmp_path: Path) -> None:
    log = copy.deepcopy(MINIMAL_LOG)
    del log["runs"][0]["results"][0]["message"]
    errors = multitool_errors(write_log(tmp_path, log))
    assert any(" error JSON1002: " in error and "'message'" in error for error in errors), errors
    assert not any("MULTITOOL-ABORTED" in error for error in errors), errors


def test_multitool_applies_github_rules(tmp_path: Path) -> None:
    errors = multitool_errors(write_log(tmp_path, github_defects_log()))
    reported = {error.split(": ")[1].split()[1] for error in errors}
    assert {"GH1003", "GH1006", "GH1007", "GH2012"} <= reported, errors
    assert all(error.startswith("ftscan.sarif(") for error in errors), errors


def test_multitool_handles_paths_with_spaces_and_semicolons(tmp_path: Path) -> None:
    directory = tmp_path / "a dir; with spaces"
    directory.mkdir()
    assert multitool_errors(write_log(directory, MINIMAL_LOG, "out file.sarif")) == []


# --------------------------------------------------------------------------
# Missing tools


def test_missing_tool_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sarif_validators, "find_multitool", lambda: None)
    with pytest.raises(pytest.skip.Exception, match=r"install-validators\.sh"):
        multitool_errors(write_log(tmp_path, MINIMAL_LOG))


def test_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(sarif_validators, "find_multitool", lambda: None)
    with pytest.raises(sarif_validators.ValidatorMissing, match=r"install-validators\.sh"):
        multitool_errors(write_log(tmp_path, MINIMAL_LOG))
