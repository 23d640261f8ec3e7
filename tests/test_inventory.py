"""`ftscan inventory`: exact plans for the fixtures, every format, redaction, escaping.

The HTML page is opened in headless Chromium (Debian's `chromium` package): without it the
page test is skipped locally and fails in CI.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES, ROOT, run_ftscan

from ftscan.inventory import build_inventory, render_inventory
from ftscan.inventory.apps import Applications, file_kind
from ftscan.inventory.build import same_base, status
from ftscan.inventory.csv_out import safe
from ftscan.inventory.ics import fold
from ftscan.inventory.owners import load_owners
from ftscan.inventory.plan import Deadline
from ftscan.inventory.repository import describe_repository
from ftscan.pipeline import ScanOptions, run_scan
from ftscan.rules.load import load_packs

EVERYWHERE = FIXTURES / "everywhere"
DEMO = FIXTURES / "demo"
FORMATS = ("markdown", "csv", "json", "html", "ics")
CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium"
UNKNOWN_RECIPE = {
    "found_by": None,
    "rebuildable": False,
    "pipelines": [],
    "training_data": [],
    "training_files": [],
}


def inventory(repo: Path, *args: str) -> str:
    """`ftscan inventory REPO --root REPO --as-of AS_OF ARGS`, its output read back byte for byte."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "inventory.out"
        result = run_ftscan(
            "inventory", str(repo), "--root", str(repo), "--as-of", AS_OF, "-o", str(out), *args
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return out.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def outputs() -> dict[tuple[str, str, bool], str]:
    """Every format of both fixtures, plain and with --redact-org, from one scan of each.

    Rendered in this process; `test_cli_renders_the_same` checks the command line agrees.
    """
    packs = load_packs(())
    found = {}
    for name in ("everywhere", "demo"):
        repo = FIXTURES / name
        options = ScanOptions(paths=[repo], root=repo, as_of=date.fromisoformat(AS_OF), jobs=1)
        findings, run = run_scan(packs, options)
        repository = describe_repository(repo)
        for redact in (False, True):
            plan = build_inventory(findings, run, repo, redact_org=redact, repository=repository)
            for fmt in FORMATS:
                found[(name, fmt, redact)] = render_inventory(plan, fmt)
    return found


@pytest.fixture(scope="module")
def everywhere() -> dict:
    return json.loads(inventory(EVERYWHERE, "-f", "json"))


@pytest.fixture(scope="module")
def demo() -> dict:
    return json.loads(inventory(DEMO, "-f", "json"))


def test_cli_renders_the_same(outputs, everywhere, demo):
    assert json.loads(outputs[("everywhere", "json", False)]) == everywhere
    assert json.loads(outputs[("demo", "json", False)]) == demo
    assert inventory(EVERYWHERE, "-f", "json", "--redact-org") == outputs[("everywhere", "json", True)]
    assert inventory(EVERYWHERE, "-f", "ics") == outputs[("everywhere", "ics", False)]  # no drift


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


# -- the everywhere fixture --------------------------------------------------------------------

SUPPORT = "ft:gpt-4o-mini-2024-07-18:northwind:support-v3:Bq7x2LmN"
ROUTER = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"
ESCALATION = "ft:gpt-4o-2024-08-06:northwind:escalation:Kd82hQz1"
OLD = "ft:gpt-3.5-turbo-1106:northwind:v1:Zx81Lq0a"
SUPPORT_V0 = "ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN"
ML = ["@dana-ml", "@northwind/ml"]
BACKEND = ["@northwind/support-backend"]

# id: base, inference end, days left, status, locations, mentions, applications, owners
EVERYWHERE_MODELS = {
    ROUTER: (
        "gpt-3.5-turbo-0125",
        "2026-10-23",
        -30,
        "stopped",
        6,
        1,
        ["."],
        [*ML, "@northwind/platform", "@northwind/support-backend"],
    ),
    "ft:gpt-4.1-nano-2025-04-14:northwind:fallback:Nn7Mm6Ll": (
        "gpt-4.1-nano-2025-04-14",
        "2026-10-23",
        -30,
        "stopped",
        1,
        0,
        ["."],
        ["@northwind/platform"],
    ),
    "ft:o4-mini-2025-04-16:northwind:grader:Mn3Op4Qr": (
        "o4-mini-2025-04-16",
        "2026-10-23",
        -30,
        "stopped",
        1,
        0,
        ["."],
        ["@northwind/sre"],
    ),
    "ft:gpt-4.1-2025-04-14:northwind:support-helm:Hl9Jk8Lm": (
        "gpt-4.1-2025-04-14",
        "2027-01-14",
        53,
        "at risk",
        1,
        0,
        ["."],
        ["@northwind/sre"],
    ),
    "ft:gpt-4.1-2025-04-14:northwind:x:Ab12Cd34": (
        "gpt-4.1-2025-04-14",
        "2027-01-14",
        53,
        "at risk",
        1,
        0,
        ["."],
        ML,
    ),
    "ft:gpt-4.1-mini-2025-04-14:northwind:triage:Pq8Rs7Tu": (
        "gpt-4.1-mini-2025-04-14",
        "2027-01-14",
        53,
        "at risk",
        1,
        0,
        ["."],
        ["@northwind/sre"],
    ),
    ESCALATION: (
        "gpt-4o-2024-08-06",
        "2027-01-14",
        53,
        "at risk",
        4,
        0,
        ["."],
        ["@northwind/platform", "@northwind/sre", "@northwind/support-backend"],
    ),
    SUPPORT: (
        "gpt-4o-mini-2024-07-18",
        "2027-01-14",
        53,
        "at risk",
        7,
        1,
        [".", "web"],
        ["@northwind/frontend", "@northwind/ml", "@northwind/platform", "@northwind/support-backend"],
    ),
}


def test_everywhere_models_exactly(everywhere):
    got = {
        m["id"]: (
            m["base"],
            m["inference_end"]["date"],
            m["days_left"],
            m["status"],
            len(m["locations"]),
            len(m["mentions"]),
            m["applications"],
            m["owners"],
        )
        for m in everywhere["models"]
    }
    assert got == EVERYWHERE_MODELS
    assert [m["id"] for m in everywhere["models"]] == list(EVERYWHERE_MODELS)  # soonest deadline first
    for model in everywhere["models"]:
        assert model["training_end"]["date"] == "2027-01-06"
        # No job of the fixture names a suffix: no job is known to make any of its models,
        # however many train on the same base beside data/train.jsonl. Nothing is guessed.
        assert model["recipe"] == UNKNOWN_RECIPE
    assert everywhere["summary"] == {
        "models": 8,
        "by_status": {"stopped": 3, "at risk": 5},
        "pipelines": 2,
        "training_data": 1,
        "mentions": 2,
        "cannot_rebuild": 8,
    }
    assert everywhere["codeowners"] == ".github/CODEOWNERS"


def test_everywhere_model_places(everywhere):
    """Every kind of place, with the key, variable or cell that carries the ID."""
    support = by_id(everywhere["models"])[SUPPORT]
    assert (support["org"], support["suffix"], support["checkpoints"]) == ("northwind", "support-v3", [])
    platform, compose = ["@northwind/platform"], "sets SUPPORT_MODEL; key services.support.environment[0]"
    assert [
        (p["link"], p["file_kind"], p["application"], p["detail"], p["owners"]) for p in support["locations"]
    ] == [
        (".env#L2", "env", ".", "sets SUPPORT_MODEL", platform),
        ("app/settings.py#L12", "code", ".", "reads SUPPORT_MODEL (set in .env:2)", BACKEND),
        ("config/app.json#L3", "config", ".", "key support.model", platform),
        ("data/batch.jsonl#L1", "data", ".", "key body.model", ["@northwind/ml"]),
        ("docker-compose.yml#L5", "config", ".", compose, platform),
        ("litellm/config.yaml#L4", "config", ".", "key model_list[0].litellm_params.model", platform),
        ("web/src/config.ts#L1", "code", "web", "", ["@northwind/frontend"]),
    ]
    assert [(p["link"], p["context"]) for p in support["mentions"]] == [("docs/MODELS.md#L3", "prose")]
    assert support["recipe"] == UNKNOWN_RECIPE
    router = by_id(everywhere["models"])[ROUTER]
    read = next(p for p in router["locations"] if p["path"] == "app/settings.py")
    assert (read["env_var"], read["set_in"], read["key_path"]) == ("ROUTER_MODEL", ".env:3", None)
    notebook = next(p for p in router["locations"] if p["path"] == "train.ipynb")
    assert (notebook["line"], notebook["cell"], notebook["owners"]) == (40, "2", ML[::-1])
    assert [p["link"] for p in by_id(everywhere["models"])[ESCALATION]["locations"]] == [
        "app/settings.py#L13",
        "docs/MODELS.md#L7",
        "k8s/support.yaml#L13",
        "pyproject.toml#L6",
    ]
    docs = by_id(everywhere["models"])[ESCALATION]["locations"][1]
    assert docs["owners"] == []  # `/docs/` has no owners: the last matching pattern wins


def test_everywhere_pipelines_data_and_mentions(everywhere):
    assert [
        (
            p["path"],
            p["file_kind"],
            p["owners"],
            p["bases"],
            p["status"],
            p["days_left"],
            p["models"],
            [(j["place"]["line"], j["base"], j["training_file"]) for j in p["jobs"]],
        )
        for p in everywhere["pipelines"]
    ] == [
        (
            ".github/workflows/retrain.yml",
            "ci",
            ["@northwind/platform"],
            [],
            "at risk",
            45,
            [],
            [(13, None, None)],
        ),
        (
            "train.ipynb",
            "notebook",
            ["@northwind/ml", "@dana-ml"],
            ["gpt-4o-mini", "gpt-4o-mini-2024-07-18"],
            "at risk",
            45,
            [SUPPORT],  # the CLI's `-m gpt-4o-mini -t file-abc`, then the SDK's keywords
            [(18, "gpt-4o-mini", "file-abc"), (22, "gpt-4o-mini-2024-07-18", "file-abc")],
        ),
    ]
    job = everywhere["pipelines"][1]["jobs"][1]
    assert job["base_end"]["date"] == "2027-01-14"
    assert [
        (t["place"]["path"], t["format"], t["records_sampled"], t["place"]["owners"])
        for t in everywhere["training_data"]
    ] == [("data/train.jsonl", "chat", 3, ["@northwind/ml"])]
    assert [(m["id"], m["reason"], [p["link"] for p in m["places"]]) for m in everywhere["mentions"]] == [
        (OLD, "low confidence only", [".env#L4", "pyproject.toml#L7"]),
        (SUPPORT_V0, "low confidence only", ["train.ipynb#L8"]),
    ]
    assert everywhere["training_end"]["date"] == "2027-01-06"


def test_applications_from_the_repository_top():
    """`ftscan inventory fixtures/everywhere` from the repository: applications named from there."""
    result = run_ftscan("inventory", "fixtures/everywhere", "--as-of", AS_OF, "-f", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    models = by_id(json.loads(result.stdout)["models"])
    assert models[SUPPORT]["applications"] == ["fixtures/everywhere", "fixtures/everywhere/web"]
    assert models[ROUTER]["applications"] == ["fixtures/everywhere"]


# -- the demo fixture --------------------------------------------------------------------------

# id: base, inference end, days left, status, locations, applications, rebuildable, pipelines
DEMO_MODELS = {
    "davinci:ft-northwind:faq-2023-03-31-13-59-13": (
        "davinci",
        "2024-01-04",
        -1053,
        "stopped",
        ["training/legacy_v0.py#L7"],
        ["training"],
        False,
        [],
    ),
    ROUTER: (
        "gpt-3.5-turbo-0125",
        "2026-10-23",
        -30,
        "stopped",
        [".env#L3", "app/chat.py#L18"],
        [".", "app"],
        False,
        [],
    ),
    "ft:gpt-3.5-turbo-1106:northwind:export:Zx81Lq0a": (
        "gpt-3.5-turbo-1106",
        "2026-10-23",
        -30,
        "stopped",
        ["training/py2_export.py#L4"],
        ["training"],
        False,
        [],
    ),
    "ft:gpt-4.1-mini-2025-04-14:": (
        "gpt-4.1-mini-2025-04-14",
        "2027-01-14",
        53,
        "at risk",
        ["app/chat.py#L24"],
        ["app"],
        False,
        [],
    ),
    ESCALATION: ("gpt-4o-2024-08-06", "2027-01-14", 53, "at risk", ["app/chat.py#L7"], ["app"], False, []),
    SUPPORT: (
        "gpt-4o-mini-2024-07-18",
        "2027-01-14",
        53,
        "at risk",
        [".env#L2", "app/chat.py#L14"],
        [".", "app"],
        False,
        [],
    ),
}


def test_demo_models_exactly(demo):
    got = {
        m["id"]: (
            m["base"],
            m["inference_end"]["date"],
            m["days_left"],
            m["status"],
            [p["link"] for p in m["locations"]],
            m["applications"],
            m["recipe"]["rebuildable"],
            m["recipe"]["pipelines"],
        )
        for m in demo["models"]
    }
    assert got == DEMO_MODELS
    assert [m["id"] for m in demo["models"]] == list(DEMO_MODELS)
    assert all(m["owners"] == [] and m["recipe"]["training_data"] == [] for m in demo["models"])
    assert by_id(demo["models"])["ft:gpt-4.1-mini-2025-04-14:"]["flavor"] == "partial"
    assert demo["codeowners"] is None
    # training/launch.py trains `suffix="support-v4"`: not the recipe of support-v3, the model in use.
    assert demo["summary"]["cannot_rebuild"] == 6


def test_demo_pipelines_and_mentions(demo):
    assert [
        (p["path"], p["application"], p["bases"], p["models"], [j["place"]["line"] for j in p["jobs"]])
        for p in demo["pipelines"]
    ] == [
        ("scripts/train.sh", "scripts", ["gpt-4o-mini-2024-07-18"], [SUPPORT], [3]),  # `-m` of the CLI
        ("training/launch.py", "training", ["gpt-4o-mini-2024-07-18"], [SUPPORT], [11]),
        (
            "training/legacy_v0.py",
            "training",
            ["curie", "gpt-3.5-turbo"],  # `FineTune.create` too
            [ROUTER, "ft:gpt-3.5-turbo-1106:northwind:export:Zx81Lq0a"],
            [5, 6],
        ),
        ("training/wrappers.py", "training", ["gpt-4.1-nano-2025-04-14"], [], [4, 5]),
    ]
    assert [[(u["path"], u["line"], u["value"]) for u in p["uploads"]] for p in demo["pipelines"]] == [
        [],
        [("training/launch.py", 10, "openai.files.create")],
        [("training/legacy_v0.py", 4, "openai.File.create")],
        [],
    ]
    fine_tune, job = demo["pipelines"][2]["jobs"]
    assert (fine_tune["base"], fine_tune["training_file"]) == ("curie", "file-XGinujblHPwGLSztz8cPS8XY")
    assert (job["training_file"], job["base_end"]["date"]) == ("file-abc123", "2026-10-23")
    assert demo["pipelines"][1]["jobs"][0]["suffix"] == "support-v4"
    assert [(m["id"], m["reason"], [p["link"] for p in m["places"]]) for m in demo["mentions"]] == [
        ("curie:ft-northwind-2022-07-10-22-06-17", "low confidence only", [".env#L4"]),
        ("job.fine_tuned_model", "model from a job", ["app/chat.py#L29"]),
        ("ft:gpt-4o-mini:my-org:custom-suffix:id", "placeholder", ["app/chat.py#L34"]),
    ]


# -- formats -----------------------------------------------------------------------------------


def test_json_is_versioned_sorted_and_deterministic(outputs):
    text = outputs[("everywhere", "json", False)]
    document = json.loads(text)
    assert document["ftscan_inventory_version"] == 2
    assert (document["as_of"], document["warn_within"], document["redacted"]) == (AS_OF, 90, False)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert inventory(EVERYWHERE, "-f", "json") == text  # the same bytes on every run


def test_csv_one_row_per_model_and_place(outputs, everywhere):
    rows = list(csv.DictReader(io.StringIO(outputs[("everywhere", "csv", False)], newline="")))
    expected = sum(len(m["locations"]) + len(m["mentions"]) for m in everywhere["models"])
    expected += sum(len(m["places"]) for m in everywhere["mentions"])
    expected += sum(len(p["scheduled"]) for p in everywhere["pipelines"])
    assert len(rows) == expected == 28
    scheduled = [r for r in rows if r["role"] == "scheduled pipeline"]
    assert [(r["path"], r["line"], r["detail"], r["training_end"]) for r in scheduled] == [
        (
            ".github/workflows/retrain.yml",
            "4",
            "runs .github/workflows/retrain.yml on schedule 0 3 1 * *",
            "2027-01-06",
        ),
    ]
    assert outputs[("everywhere", "csv", False)].count("\r\n") == len(rows) + 1
    support = [r for r in rows if r["model"] == SUPPORT]
    assert [(r["role"], r["path"], r["line"]) for r in support][:2] == [
        ("location", ".env", "2"),
        ("location", "app/settings.py", "12"),
    ]
    first = support[0]
    assert (first["status"], first["inference_end"], first["days_left"], first["training_end"]) == (
        "at risk",
        "2027-01-14",
        "53",
        "2027-01-06",
    )
    assert (first["env_var"], first["application"], first["rebuildable"], first["recipe"]) == (
        "SUPPORT_MODEL",
        ".",
        "no",
        "",
    )
    assert first["owners"] == "'@northwind/platform"  # a cell starting with @ is a formula to a spreadsheet
    router = [r for r in rows if r["model"] == ROUTER]
    assert router[0]["days_left"] == "-30"  # numbers stay numbers
    assert [r["role"] for r in rows if r["model"] == SUPPORT_V0] == ["mention"]


def test_csv_guard():
    assert [safe(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain", 5, -3)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "plain",
        5,
        -3,
    ]


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def events(text: str) -> list[dict[str, str]]:
    found, current = [], None
    for line in unfold(text):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return found


def test_ics_events(outputs, everywhere):
    text = outputs[("everywhere", "ics", False)]
    lines = unfold(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    found = events(text)
    assert len(found) == 2 * len(everywhere["models"]) + len(everywhere["pipelines"]) == 18
    assert len({e["UID"] for e in found}) == len(found)
    assert {e["DTSTAMP"] for e in found} == {"20261122T000000Z"}
    support = [e for e in found if e["SUMMARY"].startswith(SUPPORT.replace(",", "\\,"))]
    assert [(e["DTSTART;VALUE=DATE"], e["DTEND;VALUE=DATE"], e["STATUS"]) for e in support] == [
        ("20270114", "20270115", "TENTATIVE"),
        ("20270106", "20270107", "CONFIRMED"),
    ]
    description = support[0]["DESCRIPTION"]
    assert "\\n- app/settings.py:12 (code\\, .): reads SUPPORT_MODEL (set in .env:2)" in description
    assert re.search(r"(?<!\\)[,;]", description) is None  # TEXT escaping
    assert sum(1 for line in text.split("\r\n") if line.startswith(" ")) > 0  # long lines were folded


def test_ics_fold_keeps_characters_whole():
    line = "DESCRIPTION:" + "été ✓ " * 40
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line


def test_markdown(outputs):
    text = outputs[("everywhere", "markdown", False)]
    assert text.startswith("<!-- ftscan-inventory -->\n## ftscan inventory")
    summary = "8 fine-tuned models (3 stopped, 5 at risk), 2 training pipelines (1 scheduled), 1 training set"
    assert summary in text
    row = next(line for line in text.splitlines() if line.startswith(f"| `{ROUTER}`"))
    assert "| 2026-10-23 (30 days ago) | **stopped** | 6 |" in row
    assert "`@northwind/ml`" in row  # owners as code spans: posting the plan pings nobody
    demo = outputs[("demo", "markdown", False)]
    assert demo.count("| **recipe unknown** |") == 6  # the table's cell, 6 models
    assert demo.count("- recipe: **recipe unknown: no job in the scanned code makes this ID") == 6


def test_redact_org_in_every_format(outputs):
    for name in ("everywhere", "demo"):
        for fmt in FORMATS:
            text = outputs[(name, fmt, True)]
            assert "northwind" not in text.lower(), (name, fmt)
    document = json.loads(outputs[("everywhere", "json", True)])
    assert document["redacted"] is True
    support = by_id(document["models"])["ft:gpt-4o-mini-2024-07-18:<org>:support-v3:Bq7x2LmN"]
    assert support["org"] == "<org>"
    assert "@<org>/frontend" in support["owners"]
    assert "&lt;org&gt;" in outputs[("everywhere", "html", True)]
    legacy = json.loads(outputs[("demo", "json", True)])["models"][0]["id"]
    assert legacy == "davinci:ft-<org>:faq-2023-03-31-13-59-13"


# -- small repositories ------------------------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def test_checkpoints_suppressions_and_undated_bases(tmp_path):
    repo = write(
        tmp_path / "repo",
        {
            "svc/app.py": (
                'A = "ft:gpt-4o-mini-2024-07-18:acme-co:bot:Ab12Cd34"\n'
                'B = "ft:gpt-4o-mini-2024-07-18:acme-co:bot:Ab12Cd34:ckpt-step-300"\n'
                'C = "ft:gpt-4o-mini-2024-07-18:acme-co:bot:Ab12Cd34:ckpt-step-100"\n'
                'D = "ft:gpt-9-turbo:acme-co:future:Zz98Yy76"\n'
                'E = "ft:gpt-4.1-2025-04-14:acme-co:sandbox:Qw12Er34"  # ftscan: ignore[FT101] -- deleted\n'
            ),
        },
    )
    plan = json.loads(inventory(repo, "-f", "json"))
    models = by_id(plan["models"])
    bot_id = "ft:gpt-4o-mini-2024-07-18:acme-co:bot:Ab12Cd34"
    future_id = "ft:gpt-9-turbo:acme-co:future:Zz98Yy76"
    assert list(models) == [bot_id, future_id]
    bot = models[bot_id]
    assert bot["checkpoints"] == [100, 300]
    assert [(p["line"], p["checkpoint"]) for p in bot["locations"]] == [(1, None), (2, 300), (3, 100)]
    assert bot["applications"] == ["svc"]  # no project file: the top-level folder
    assert not bot["recipe"]["rebuildable"]
    future = models[future_id]
    assert (future["status"], future["days_left"]) == ("no announced date", None)
    assert future["inference_end"] is None


def test_untrusted_text_is_escaped(tmp_path):
    repo = write(
        tmp_path / "repo",
        {
            "@evil/config.yaml": (
                '"=HYPERLINK(1)|<script>alert(1)</script>": ft:gpt-4o-mini-2024-07-18:acme-co:bot:Ab12Cd34\n'
            ),
        },
    )
    html = inventory(repo, "-f", "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="%40evil/config.yaml#L1"' in html
    rows = list(csv.DictReader(io.StringIO(inventory(repo, "-f", "csv"), newline="")))
    assert rows[0]["path"] == "'@evil/config.yaml"
    assert rows[0]["key_path"].startswith("'=HYPERLINK(1)|")
    markdown = inventory(repo, "-f", "markdown")
    place = next(line for line in markdown.splitlines() if line.startswith("  - `@evil/config.yaml:1`"))
    assert "=HYPERLINK(1)\\|&lt;script&gt;" in place
    lines = unfold(inventory(repo, "-f", "ics"))
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "=HYPERLINK(1)|<script>alert(1)</script>" in description
    assert re.search(r"(?<!\\)[,;]", description.partition(":")[2]) is None


def test_redaction_reaches_paths_and_messages(tmp_path):
    repo = write(
        tmp_path / "repo",
        {
            "northwind-bot/app.py": 'MODEL = "ft:gpt-4o-mini-2024-07-18:northwind:bot:Ab12Cd34"\n',
            "placeholder.py": 'EXAMPLE = "ft:gpt-4o-mini:my-org:custom:id"\n',
        },
    )
    for fmt in FORMATS:
        text = inventory(repo, "-f", fmt, "--redact-org")
        assert "northwind" not in text.lower(), fmt
        assert fmt == "ics" or "my-org" in text, fmt  # placeholders name no organization (no event)
    plan = json.loads(inventory(repo, "-f", "json", "--redact-org"))
    assert plan["models"][0]["locations"][0]["path"] == "<org>-bot/app.py"


def test_codeowners_precedence_and_patterns(tmp_path):
    repo = write(
        tmp_path / "repo",
        {
            "docs/CODEOWNERS": "* @docs-file\n",
            "CODEOWNERS": "* @root-file\n",
            ".github/CODEOWNERS": (
                "*           @org/everyone\n"
                "*.py        @org/python  # inline comment, not an owner@example.com\n"
                "/svc/       @org/svc\n"
                "docs/*      docs@example.com\n"
                "**/logs     @org/logs\n"
                "/svc/vendored/\n"
            ),
        },
    )
    owners = load_owners(repo)
    assert owners.source == ".github/CODEOWNERS"
    assert owners.of("README.md") == ("@org/everyone",)
    assert owners.of("tools/x.py") == ("@org/python",)
    assert owners.of("svc/app.py") == ("@org/svc",)  # the last matching pattern wins
    assert owners.of("svc/vendored/lib.py") == ()  # a pattern without owners
    assert owners.of("docs/a.md") == ("docs@example.com",)
    assert owners.of("docs/deep/a.md") == ("@org/everyone",)  # `docs/*` is not recursive
    assert owners.of("a/b/logs/x.txt") == ("@org/logs",)
    (repo / ".github" / "CODEOWNERS").unlink()
    assert load_owners(repo).source == "CODEOWNERS"
    (repo / "CODEOWNERS").unlink()
    assert load_owners(repo).of("x") == ("@docs-file",)
    (repo / "docs" / "CODEOWNERS").unlink()
    assert load_owners(repo).source is None and load_owners(repo).of("x") == ()


def test_codeowners_of_the_enclosing_repository(tmp_path):
    """A scan root below the repository's top: GitHub's file at the top, paths from the top."""
    repo = write(tmp_path / "repo", {".github/CODEOWNERS": "/services/api/ @org/api\n"})
    (repo / ".git").mkdir()
    owners = load_owners(repo / "services")
    assert owners.source == "../.github/CODEOWNERS"
    assert owners.of("api/x.py") == ("@org/api",)


def test_applications_and_file_kinds(tmp_path):
    root = write(
        tmp_path / "repo",
        {
            "pyproject.toml": "",
            "web/package.json": "{}",
            "svc/api/Dockerfile": "",
            "tools/x.py": "",
        },
    )
    apps = Applications(root)
    paths = ("a.py", "web/src/x.ts", "svc/api/deep/m.py", "svc/other.py", "tools/x.py")
    assert [apps.of(p) for p in paths] == [".", "web", "svc/api", ".", "."]
    (root / "pyproject.toml").unlink()
    assert Applications(root).of("tools/x.py") == "tools"
    assert Applications(root).of("top.py") == "."
    assert [
        file_kind(p)
        for p in (
            ".env.prod",
            "train.ipynb",
            ".github/workflows/x.yml",
            "Dockerfile",
            "Makefile",
            "k8s/a.yaml",
            "data/t.jsonl",
            "README.md",
            "app/main.go",
        )
    ] == [
        "env",
        "notebook",
        "ci",
        "container",
        "script",
        "config",
        "data",
        "docs",
        "code",
    ]


def test_status_and_same_base():
    as_of = date(2026, 11, 22)

    def on(day: date | None) -> Deadline:
        return Deadline("m", day, "confirmed", "stops")

    assert status(on(date(2026, 11, 22)), as_of, 90) == (0, "stopped")
    assert status(on(date(2027, 2, 20)), as_of, 90) == (90, "at risk")
    assert status(on(date(2027, 2, 21)), as_of, 90) == (91, "ok")
    assert status(on(None), as_of, 90) == (None, "no announced date")
    assert status(None, as_of, 90) == (None, "no announced date")
    assert same_base("gpt-4o-mini", "gpt-4o-mini-2024-07-18")
    assert same_base("gpt-3.5-turbo", "gpt-3.5-turbo-0125")
    assert same_base("openai/gpt-4o", "gpt-4o")
    assert not same_base("gpt-4o", "gpt-4o-mini-2024-07-18")
    assert not same_base(None, "gpt-4o")


# -- the HTML page, in a browser ----------------------------------------------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = f"chromium is not installed; install it with: {CHROMIUM_INSTALL}"
    if _in_ci():
        pytest.fail(message)
    pytest.skip(message)


def browse(page: Path, profile: Path, *args: str, fragment: str = "") -> str:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
        *args,
        page.as_uri() + fragment,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_html_page_in_chromium(outputs, everywhere, tmp_path):
    page = tmp_path / "inventory.html"
    html = outputs[("everywhere", "html", False)]
    page.write_text(html, encoding="utf-8")
    assert not re.search(r"<(link|img|iframe)\b|<script\s+src|@import|url\(", html)
    assert re.findall(r"https?://[^\s\"'<>]+", html) == ["http://www.w3.org/2000/svg"]  # a namespace
    profile = tmp_path / "profile"
    shot = tmp_path / "inventory.png"
    browse(page, profile, f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    dom = browse(page, profile, "--dump-dom")
    assert 'data-filters="ready"' in dom  # the inline script ran
    assert dom.count('data-kind="model"') == len(everywhere["models"])
    assert dom.count('data-kind="pipeline"') == len(everywhere["pipelines"])
    for model in everywhere["models"]:
        assert f'<code class="id">{model["id"]}</code>' in dom
    for name in ("owner", "application", "status"):
        assert f'id="filter-{name}"' in dom
    assert '<option value="@northwind/sre">@northwind/sre</option>' in dom  # filled from the rows
    assert '<option value="web">web</option>' in dom
    assert "8 of 8 models shown" in dom
    assert '<a href="app/settings.py#L12">' in dom
    timeline = dom[dom.index("<svg") : dom.index("</svg>")]
    assert timeline.count('class="row model"') == 8 and timeline.count('class="row pipeline"') == 2
    assert "as of 2026-11-22" in timeline and "training ends 2027-01-06" in timeline

    filtered = browse(page, profile, "--dump-dom", fragment="#status=stopped&owner=%40northwind%2Fsre")
    assert "1 of 8 models shown" in filtered
    shown = r'<tr data-kind="model"(?![^>]*hidden)[^>]*>\s*<td><code class="id">([^<]+)'
    visible = re.findall(shown, filtered)
    assert visible == ["ft:o4-mini-2025-04-16:northwind:grader:Mn3Op4Qr"]
