"""The Node/TypeScript app end to end: exactly the findings in fixtures/node/expected.txt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES, assert_matches_golden, expected_lines, finding_at, run_ftscan
from sarif_validators import multitool_errors, schema_errors

NODE = FIXTURES / "node"
GOLDEN = Path(__file__).parent / "golden" / "node.sarif"


@pytest.fixture(scope="module")
def report() -> dict:
    result = run_ftscan("scan", str(NODE), "--root", str(NODE), "-f", "json", "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_findings_are_exactly_the_expected_ones(report):
    got = [f"{f['path']}:{f['line']} {f['rule_id']} {f['level']}" for f in report["findings"]]
    assert got == expected_lines(NODE)


MUST_NOT = [
    ("src/app/api/chat/route.ts", 5),  # a type-only import
    ("src/app/api/chat/route.ts", 21),  # db.fineTuningJobs.findMany()
    ("src/app/api/chat/route.ts", 22),  # flags.fineTuning
    ("server/assistant.js", 16),  # the Mistral SDK's fineTuning.jobs.create
    ("src/components/ModelPicker.tsx", 4),  # a price table's key
    ("types/openai.d.ts", 3),  # a declaration
    ("types/openai.d.ts", 5),  # a commented example in a declaration file
    ("public/vendor.min.js", 1),  # a minified bundle: text only
]


def test_an_azure_client_job_is_azures_alone(report):
    """No OpenAI rule reports an AzureOpenAI client's job; the azure-openai pack does."""
    fired = [f["rule_id"] for f in report["findings"] if (f["path"], f["line"]) == ("scripts/train.ts", 30)]
    assert fired == ["AZ201", "AZ206"]


@pytest.mark.parametrize(("path", "line"), MUST_NOT)
def test_must_not_lines(report, path: str, line: int):
    assert [f["rule_id"] for f in report["findings"] if (f["path"], f["line"]) == (path, line)] == []


def test_a_region_that_does_not_parse_is_reported_and_keeps_its_findings(report):
    assert [(n["path"], n["kind"], n["message"]) for n in report["notifications"]] == [
        (
            "src/broken.ts",
            "parse-error",
            "does not parse at line 2; those regions were scanned as plain text",
        ),
    ]
    assert finding_at(report, "src/broken.ts:1", "FT101")["evidence"]["value"].endswith(":Rt5Vb7Np")
    assert finding_at(report, "src/broken.ts:3", "FT202")["evidence"]["props"]["resolved"] == "guess"


def test_node_sdk_calls_carry_the_python_names_and_their_arguments(report):
    job = finding_at(report, "scripts/train.ts:15", "FT206")
    assert job["evidence"]["value"] == "openai.fine_tuning.jobs.create"
    assert job["evidence"]["props"]["arg:model"] == "gpt-3.5-turbo-0125"  # through `const BASE`
    assert job["evidence"]["props"]["client"] == "OpenAI"
    upload = finding_at(report, "legacy/finetune-v3.js:8", "FT203")
    assert (upload["evidence"]["value"], upload["evidence"]["props"]["arg:purpose"]) == (
        "openai.File.create",
        "fine-tune",
    )
    assert (
        finding_at(report, "scripts/train.ts:17", "FT202")["evidence"]["value"]
        == "openai.fine_tuning.jobs.list_events"
    )


def test_model_flow_names_the_call_and_key(report):
    picker = finding_at(report, "src/components/ModelPicker.tsx:21", "FT101")
    assert picker["message"].startswith(
        "Uses an OpenAI fine-tuned model: `ft:gpt-4o-mini-2024-07-18:northwind:summaries:Hn4Tz2Kc` "
        "(base gpt-4o-mini-2024-07-18), passed as `model=` to `@langchain/openai.ChatOpenAI`."
    )
    drafts = finding_at(report, "src/app/api/chat/route.ts:13", "FT101")
    assert (drafts["evidence"]["call"], drafts["evidence"]["keyword"]) == ("@ai-sdk/openai.openai", "model")


def test_env_reads_join_the_dotenv_definitions(report):
    read = finding_at(report, "src/components/ModelPicker.tsx:12", "FT101")
    assert "read from `NEXT_PUBLIC_ROUTER_MODEL` (set in .env:3)" in read["message"]
    assert read["level"] == "error"
    assert [(r["path"], r["line"]) for r in read["related"]] == [(".env", 3)]
    definition = finding_at(report, ".env:2", "FT101")
    assert "read by src/app/api/chat/route.ts:8" in definition["message"]


def test_sarif_matches_golden_file(tmp_path):
    out = tmp_path / "node.sarif"
    result = run_ftscan(
        "scan",
        str(NODE),
        "--root",
        str(NODE),
        "-f",
        "sarif",
        "-o",
        str(out),
        "--as-of",
        AS_OF,
        "--sarif-category",
        "node",
    )
    assert result.returncode == 1, result.stderr
    text = out.read_text(encoding="utf-8")
    assert_matches_golden(text, GOLDEN)
    assert schema_errors(json.loads(text)) == []
    assert multitool_errors(out) == []
