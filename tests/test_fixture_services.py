"""A service per language (Go, Java, Ruby, C#, PHP, shell, Terraform) and an Azure notebook,
end to end: exactly the findings in fixtures/services/expected.txt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES, assert_matches_golden, expected_lines, finding_at, run_ftscan
from sarif_validators import multitool_errors, schema_errors

SERVICES = FIXTURES / "services"
GOLDEN = Path(__file__).parent / "golden" / "services.sarif"


@pytest.fixture(scope="module")
def report() -> dict:
    result = run_ftscan("scan", str(SERVICES), "--root", str(SERVICES), "-f", "json", "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_findings_are_exactly_the_expected_ones(report):
    got = [f"{f['path']}:{f['line']} {f['rule_id']} {f['level']}" for f in report["findings"]]
    assert got == expected_lines(SERVICES)
    assert report["notifications"] == []


MUST_NOT = [
    ("go-trainer/internal/finetune/registry.go", 10),  # the service's own CreateFineTuningJob
    ("go-trainer/internal/finetune/trainer_test.go", 17),  # a fake client's method, in a test
    ("java-distiller/src/main/java/com/northwind/distill/JobStore.java", 13),  # a map's create
    ("ruby-mentor/app/services/fine_tunes.rb", 25),  # an upload for assistants
    ("ops/scripts/upload-training.sh", 17),  # an upload for assistants
    ("infra/terraform/main.tf", 21),  # a file for assistants
    ("php-helpdesk/src/Training/Trainer.php", 36),  # files()->list()
]


@pytest.mark.parametrize(("path", "line"), MUST_NOT)
def test_must_not_lines(report, path: str, line: int):
    assert [f["rule_id"] for f in report["findings"] if (f["path"], f["line"]) == (path, line)] == []


@pytest.mark.parametrize(
    ("where", "language", "sdk", "model"),
    [
        ("go-trainer/internal/finetune/trainer.go:26", "go", "go-openai", "gpt-4o-mini-2024-07-18"),
        (
            "java-distiller/src/main/java/com/northwind/distill/Distiller.java:27",
            "java",
            "openai-java",
            "gpt-4.1-mini-2025-04-14",
        ),
        ("ruby-mentor/app/services/fine_tunes.rb:12", "ruby", "ruby-openai", "gpt-3.5-turbo-0125"),
        ("dotnet-support/Training/SupportTrainer.cs:17", "csharp", "openai-dotnet", "gpt-4o-2024-08-06"),
        ("php-helpdesk/src/Training/Trainer.php:22", "php", "openai-php", "gpt-4.1-2025-04-14"),
        ("infra/terraform/main.tf:17", "terraform", None, "gpt-4o-mini-2024-07-18"),
    ],
)
def test_a_job_carries_its_language_sdk_and_base(report, where, language, sdk, model):
    """Same rule, message shape and fingerprint scheme as Python; the language is a property."""
    job = finding_at(report, where, "FT201")
    assert job["evidence"]["props"]["language"] == language
    assert job["evidence"]["props"].get("sdk") == sdk
    assert job["evidence"]["props"]["arg:model"] == model
    assert job["message"].startswith(
        f"Creates an OpenAI fine-tuning job: `openai.fine_tuning.jobs.create` on base `{model}`"
    )


def test_the_azure_notebook_is_azures_alone(report):
    notebook = [f for f in report["findings"] if f["path"] == "notebooks/azure-finetune.ipynb"]
    assert {f["rule_id"] for f in notebook} == {"AZ101", "AZ201", "AZ202", "AZ203", "AZ206"}
    deployed = finding_at(report, "notebooks/azure-finetune.ipynb:61", "AZ101")
    assert "2027-03-31" in deployed["message"] and "2027-01-14" not in deployed["message"]


def test_terraform_ids_name_their_resource_and_attribute(report):
    deployed = finding_at(report, "infra/terraform/main.tf:33", "AZ101")
    assert (
        deployed["evidence"]["props"]["key_path"]
        == "resource.azurerm_cognitive_deployment.support.model.name"
    )
    tfvars = finding_at(report, "infra/terraform/prod.tfvars:1", "FT101")
    assert tfvars["evidence"]["props"]["key_path"] == "support_model"


def test_sarif_matches_golden_file(tmp_path):
    out = tmp_path / "services.sarif"
    result = run_ftscan(
        "scan",
        str(SERVICES),
        "--root",
        str(SERVICES),
        "-f",
        "sarif",
        "-o",
        str(out),
        "--as-of",
        AS_OF,
        "--sarif-category",
        "services",
    )
    assert result.returncode == 1, result.stderr
    text = out.read_text(encoding="utf-8")
    assert_matches_golden(text, GOLDEN)
    assert schema_errors(json.loads(text)) == []
    assert multitool_errors(out) == []


def test_the_inventory_lists_azure_models_apart_with_microsofts_dates():
    result = run_ftscan("inventory", str(SERVICES), "--root", str(SERVICES), "-f", "json", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    models = {m["id"]: m for m in json.loads(result.stdout)["models"]}
    azure = models["gpt-4o-mini-2024-07-18.ft-b044a9d3cf9c4228b5d393567f693b83"]
    assert azure["flavor"] == "azure"
    assert azure["inference_end"]["date"] == "2027-03-31"
    assert azure["training_end"] is None  # OpenAI's 2027-01-06 is not Azure's
    # The notebook trains `suffix="support"`; the ID carries no suffix: no job is known to make it.
    assert (azure["recipe"]["found_by"], azure["recipe"]["pipelines"]) == (None, [])
    openai = models["ft:gpt-4o-mini-2024-07-18:northwind:support-v3:Bq7x2LmN"]
    assert openai["inference_end"]["date"] == "2027-01-14"
    assert "notebooks/azure-finetune.ipynb" not in openai["recipe"]["pipelines"]
    markdown = run_ftscan("inventory", str(SERVICES), "--root", str(SERVICES), "--as-of", AS_OF).stdout
    openai_part, _, azure_part = markdown.partition("### Azure OpenAI fine-tuned models (Microsoft's dates)")
    assert "ft:gpt-4o-mini-2024-07-18:northwind" in openai_part
    assert ".ft-b044a9d3cf9c4228b5d393567f693b83" in azure_part.partition("### Training pipelines")[0]
