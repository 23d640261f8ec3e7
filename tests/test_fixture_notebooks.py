"""Notebooks end to end: a cell that does not parse costs only itself; magics and strings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES, assert_matches_golden, expected_lines, run_ftscan
from sarif_validators import multitool_errors, schema_errors

NOTEBOOKS = FIXTURES / "notebooks"
GOLDEN = Path(__file__).parent / "golden" / "notebooks.sarif"


@pytest.fixture(scope="module")
def report() -> dict:
    result = run_ftscan("scan", str(NOTEBOOKS), "--root", str(NOTEBOOKS), "-f", "json", "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def sarif(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("notebooks") / "out.sarif"
    args = ("scan", str(NOTEBOOKS), "--root", str(NOTEBOOKS), "-f", "sarif", "-o", str(out), "--as-of", AS_OF)
    result = run_ftscan(*args)
    assert result.returncode == 1, result.stderr
    return out, out.read_text(encoding="utf-8")


def test_findings_are_exactly_the_expected_ones(report):
    got = [f"{f['path']}:{f['line']} {f['rule_id']} {f['level']}" for f in report["findings"]]
    assert got == expected_lines(NOTEBOOKS)


def test_the_cell_that_does_not_parse_is_named_with_its_lines(report):
    assert [(n["path"], n["kind"], n["message"]) for n in report["notifications"]] == [
        (
            "tweets.ipynb",
            "parse-error",
            "cell 5, line 1 (line 66 of the file): not valid Python 3 (syntax error); scanned as plain text",
        ),
    ]


def test_cell_coordinates_and_how_each_was_resolved(report):
    rows = [
        (
            f["line"],
            f["rule_id"],
            f["evidence"]["props"]["cell"],
            f["evidence"]["props"]["cell_line"],
            f["evidence"]["props"].get("resolved"),
        )
        for f in report["findings"]
    ]
    assert rows == [
        (9, "FT101", "0", "3", None),
        (56, "FT203", "4", "1", None),
        (57, "FT201", "4", "2", None),
        (57, "FT206", "4", "2", None),
        (67, "FT101", "5", "2", None),
        (68, "FT202", "5", "3", "text"),  # seen in the text of the cell that does not parse
        (77, "FT301", "6", "1", None),
        (77, "OP104", "6", "1", None),
        (88, "FT202", "7", "1", None),  # `client` from cell 2, across the cell that does not parse
    ]


def test_a_continued_shell_command_keeps_its_arguments(report):
    (cli,) = [f for f in report["findings"] if f["rule_id"] == "FT301"]
    assert (cli["evidence"]["props"]["arg:training_file"], cli["evidence"]["props"]["arg:model"]) == (
        "tweets.jsonl",
        "curie",
    )


def test_matches_golden_file(sarif):
    _, text = sarif
    assert_matches_golden(text, GOLDEN)


def test_both_validators(sarif):
    path, text = sarif
    assert schema_errors(json.loads(text)) == []
    assert multitool_errors(path) == []
