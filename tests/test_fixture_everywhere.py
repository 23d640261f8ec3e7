"""IDs outside Python, end to end: every kind of file, env links as SARIF related locations."""

from __future__ import annotations

import json

import pytest
from conftest import AS_OF, FIXTURES, expected_lines, run_ftscan
from sarif_validators import multitool_errors, schema_errors

EVERYWHERE = FIXTURES / "everywhere"


@pytest.fixture(scope="module")
def sarif(tmp_path_factory):
    out = tmp_path_factory.mktemp("everywhere") / "out.sarif"
    result = run_ftscan(
        "scan", str(EVERYWHERE), "--root", str(EVERYWHERE), "-f", "sarif", "-o", str(out), "--as-of", AS_OF
    )
    assert result.returncode == 1, result.stderr
    return out, json.loads(out.read_text())


def test_findings_are_exactly_the_expected_ones():
    result = run_ftscan("scan", str(EVERYWHERE), "--root", str(EVERYWHERE), "-f", "json", "--as-of", AS_OF)
    data = json.loads(result.stdout)
    got = [f"{f['path']}:{f['line']} {f['rule_id']} {f['level']}" for f in data["findings"]]
    assert got == expected_lines(EVERYWHERE)
    assert [(n["path"], n["kind"]) for n in data["notifications"]] == [("train.ipynb", "parse-error")]


def test_env_read_links_to_every_definition(sarif):
    _, log = sarif
    results = log["runs"][0]["results"]
    (read,) = [r for r in results if _where(r) == ("app/settings.py", 9)]
    assert "read from `ROUTER_MODEL` (set in .env:3)" in read["message"]["text"]
    assert [(_where(loc), loc["message"]["text"]) for loc in read["relatedLocations"]] == [
        ((".env", 3), "`ROUTER_MODEL` is set to `ft:gpt-3.5-turbo-0125:northwind::9tt19es9` here"),
        (("Dockerfile", 2), "`ROUTER_MODEL` is set to `ft:gpt-3.5-turbo-0125:northwind::9tt19es9` here"),
        (
            ("docker-compose.yml", 10),
            "`ROUTER_MODEL` is set to `ft:gpt-3.5-turbo-0125:northwind::9tt19es9` here",
        ),
    ]
    (definition,) = [r for r in results if _where(r) == (".env", 3)]
    assert [(_where(loc), loc["message"]["text"]) for loc in definition["relatedLocations"]] == [
        (("app/settings.py", 9), "`ROUTER_MODEL` is read here (pydantic_settings.BaseSettings)"),
    ]


def test_notebook_results_point_at_raw_lines(sarif):
    _, log = sarif
    rows = {(_where(r), r["ruleId"]): r["properties"] for r in log["runs"][0]["results"]}
    assert rows[(("train.ipynb", 40), "FT101")]["cell"] == "2"
    assert rows[(("train.ipynb", 18), "OP104")]["cell_line"] == "2"


def test_key_paths_reach_sarif_properties(sarif):
    _, log = sarif
    rows = {_where(r): r["properties"] for r in log["runs"][0]["results"]}
    assert rows[("litellm/config.yaml", 4)]["key_path"] == "model_list[0].litellm_params.model"
    assert rows[("docker-compose.yml", 5)]["key_path"] == "services.support.environment[0]"


def test_both_validators(sarif):
    path, log = sarif
    assert schema_errors(log) == []
    assert multitool_errors(path) == []


def _where(item: dict) -> tuple[str, int]:
    physical = item["locations"][0]["physicalLocation"] if "locations" in item else item["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical["region"]["startLine"]
