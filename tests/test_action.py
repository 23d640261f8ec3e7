"""The composite GitHub Action and the workflows in the documentation.

The YAML is checked against the structure GitHub expects, by hand; the action's shell steps
are run here with bash, as the runner runs them, on the demo repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import AS_OF, FIXTURES, ROOT, run_ftscan

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step.get("id", step.get("name")): step for step in ACTION["runs"]["steps"]}
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
OUTPUTS_USED = set(re.findall(r"\bsteps\.([\w-]+)\.outputs\.([\w-]+)", yaml.safe_dump(ACTION)))
WORKFLOW_KEYS = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"}
STEP_KEYS = {
    "id",
    "if",
    "name",
    "uses",
    "run",
    "shell",
    "with",
    "env",
    "working-directory",
    "continue-on-error",
    "timeout-minutes",
}


def fenced_blocks(markdown: str, section: str | None, language: str) -> list[str]:
    """The ```language blocks of a Markdown document, or of one `## section` of it."""
    if section is not None:
        match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
        assert match, f"no section {section!r}"
        markdown = match.group(1)
    return re.findall(rf"^```{language}\n(.*?)^```", markdown, re.M | re.S)


def workflows() -> list[tuple[str, dict]]:
    docs = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [(f"docs/github-actions.md #{i}", b) for i, b in enumerate(fenced_blocks(docs, None, "yaml"))]
    blocks += [("README.md", b) for b in fenced_blocks(readme, "GitHub Actions", "yaml")]
    return [(where, yaml.safe_load(block)) for where, block in blocks]


WORKFLOWS = workflows()


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


# --- action.yml ---------------------------------------------------------------------------


def test_action_metadata():
    assert set(ACTION) <= {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
    assert ACTION["name"] and ACTION["description"]
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    for name, spec in inputs.items():
        assert set(spec) <= {"description", "required", "default", "deprecationMessage"}, name
        assert spec["description"], name
        assert isinstance(spec.get("default", ""), str), f"{name}: defaults are strings"
    assert {name: inputs[name].get("default") for name in inputs} == {
        "path": ".",
        "args": "",
        "config": "",
        "sarif-file": "ftscan.sarif",
        "category": "",
        "upload": "true",
        "annotations": "true",
        "summary": "true",
        "fail-on": "",
        "python-version": "3.12",
        "version": "",
    }
    for spec in ACTION["outputs"].values():
        assert spec["description"] and EXPRESSION.fullmatch(spec["value"])


def test_action_steps():
    steps = ACTION["runs"]["steps"]
    ids = [step["id"] for step in steps if "id" in step]
    assert len(ids) == len(set(ids))
    for step in steps:
        assert set(step) <= STEP_KEYS, step
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step["shell"] == "bash", "a composite run step needs its shell"
            assert not EXPRESSION.search(step["run"]), "inputs reach scripts through env, not ${{ }}"
            result = subprocess.run(
                ["bash", "-n"], input=step["run"], text=True, capture_output=True, check=False
            )
            assert result.returncode == 0, result.stderr
        else:
            assert "shell" not in step
            # pinned to a commit (tests/test_workflows.py checks the `# vX.Y.Z` beside it)
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    uses = [step["uses"].partition("@")[0] for step in steps if "uses" in step]
    assert uses == ["actions/setup-python", "github/codeql-action/upload-sarif"]
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["if"] == "inputs.upload == 'true'"
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}", "category": "${{ inputs.category }}"}


def test_action_references_exist():
    """Every `inputs.X` names an input, every `steps.X` an earlier step (what X sets: run it)."""
    inputs = set(ACTION["inputs"])
    seen: set[str] = set()
    for step in ACTION["runs"]["steps"]:
        texts = list(_strings({k: v for k, v in step.items() if k != "run"}))
        expressions = [m for text in texts for m in EXPRESSION.findall(text)] + [step.get("if", "")]
        for expression in expressions:
            for name in re.findall(r"\binputs\.([\w-]+)", expression):
                assert name in inputs, name
            for ref in re.findall(r"\bsteps\.([\w-]+)\.outputs\.", expression):
                assert ref in seen, f"{ref} is not an earlier step"
        if "id" in step:
            seen.add(step["id"])
    assert {ref for ref, _ in OUTPUTS_USED} <= seen


# --- workflows in the documentation -------------------------------------------------------


def test_documentation_has_the_workflows():
    names = [where for where, _ in WORKFLOWS]
    assert names == ["docs/github-actions.md #0", "docs/github-actions.md #1", "README.md"]


@pytest.mark.parametrize(("where", "workflow"), WORKFLOWS, ids=[w for w, _ in WORKFLOWS])
def test_workflow_structure(where, workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(workflow) - {True} <= WORKFLOW_KEYS
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    for entry in triggers["schedule"]:
        assert len(entry["cron"].split()) == 5
    permissions = workflow["permissions"]
    assert permissions["security-events"] == "write" and permissions["contents"] == "read"
    inputs = set(ACTION["inputs"])
    for job in workflow["jobs"].values():
        assert job["runs-on"]
        matrix = job.get("strategy", {}).get("matrix", {})
        steps = job["steps"]
        assert steps[0]["uses"].startswith("actions/checkout@v"), "check out before scanning"
        ours = [step for step in steps if step.get("uses", "").startswith("ftscan/ftscan@")]
        assert len(ours) == 1 and re.fullmatch(r"ftscan/ftscan@v\d+\.\d+\.\d+", ours[0]["uses"])
        for step in steps:
            assert set(step) <= STEP_KEYS and ("run" in step) != ("uses" in step)
        for key, value in ours[0].get("with", {}).items():
            assert key in inputs, f"{where}: no input {key!r}"
            for expression in EXPRESSION.findall(str(value)):
                for name in re.findall(r"\bmatrix\.([\w-]+)", expression):
                    assert name in matrix, name
        if matrix:
            assert "matrix." in ours[0]["with"]["category"], "each part needs its own category"


def test_documented_inputs_are_the_actions():
    docs = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    section = re.search(r"^## Inputs\n(.*?)^## ", docs, re.M | re.S).group(1)
    assert re.findall(r"^\| `([\w-]+)` \|", section, re.M) == list(ACTION["inputs"])
    outputs = re.search(r"^Outputs: (.*)\.$", section, re.M).group(1)
    assert re.findall(r"`([\w-]+)`", outputs) == list(ACTION["outputs"])


# --- the action's scripts, run with bash --------------------------------------------------


def _expand(value: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    def one(match: re.Match[str]) -> str:
        expression = match.group(1)
        if m := re.fullmatch(r"inputs\.([\w-]+)", expression):
            return inputs.get(m.group(1), ACTION["inputs"][m.group(1)].get("default", ""))
        if m := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            return outputs[m.group(1)][m.group(2)]
        raise AssertionError(f"unexpected expression {expression}")

    return EXPRESSION.sub(one, value)


def snapshot(target: Path) -> Path:
    """The checkout's tracked and untracked files: the action's own copy (pip builds inside it)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file() and not source.is_symlink():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def run_step(step_id, tmp_path, cwd, inputs=None, outputs=None, action_path=ROOT):
    """Run one `run:` step as the runner does; returns the process and the outputs it set."""
    step = STEPS[step_id]
    output_file = tmp_path / f"{step_id}.output"
    output_file.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env.update(
        {key: _expand(str(value), inputs or {}, outputs or {}) for key, value in step.get("env", {}).items()},
        GITHUB_OUTPUT=str(output_file),
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
        GITHUB_ACTION_PATH=str(action_path),
        RUNNER_TEMP=str(tmp_path),
        CI="true",
    )
    script = tmp_path / f"{step_id}.sh"
    script.write_text(step["run"], encoding="utf-8")
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = output_file.read_text().splitlines()
    return result, dict(line.split("=", 1) for line in lines if "=" in line)


@pytest.fixture
def demo(tmp_path) -> Path:
    """A workspace holding the demo repository as a subdirectory, like one part of a monorepo."""
    workspace = tmp_path / "workspace"
    shutil.copytree(FIXTURES / "demo", workspace / "demo")
    return workspace


def test_scan_step_on_the_demo(tmp_path, demo):
    inputs = {
        "path": "demo",
        "args": f"--as-of {AS_OF} --exclude 'demo/app/images.py' --warn-within \"90\"",
        "sarif-file": "reports/ftscan.sarif",
        "category": "demo part",
    }
    result, outputs = run_step("scan", tmp_path, demo, inputs, {"install": {"python": sys.executable}})
    assert result.returncode == 0, result.stderr

    log = json.loads((demo / "reports" / "ftscan.sarif").read_text(encoding="utf-8"))
    run = log["runs"][0]
    assert run["automationDetails"]["id"] == "demo part/"
    assert run["properties"]["asOf"] == AS_OF
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "demo/app/chat.py" in uris, "paths stay relative to the workspace"
    assert "demo/app/images.py" not in uris, "quoted args are split like a shell's"

    expected = json.loads(
        run_ftscan(
            "scan",
            "demo",
            "-f",
            "json",
            "--as-of",
            AS_OF,
            "--exclude",
            "demo/app/images.py",
            cwd=demo,
        ).stdout
    )["summary"]
    assert outputs["findings"] == str(expected["findings"]) == str(len(run["results"]))
    for name, level in (("errors", "error"), ("warnings", "warning"), ("notes", "note")):
        assert outputs[name] == str(expected["by_level"].get(level, 0))
    assert outputs["sarif-file"] == "reports/ftscan.sarif"
    assert {key for ref, key in OUTPUTS_USED if ref == "scan"} <= set(outputs)

    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == expected["findings"] + 1  # and the notification
    assert any(line.startswith("::error file=demo/app/chat.py,line=18,") for line in annotations)
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("<!-- ftscan-report -->\n## ftscan: ")
    assert summary.splitlines()[1].endswith(" in `demo part`"), "the category names the part"
    assert f"**{expected['findings']} findings**" in summary
    assert "`demo/app/chat.py:18`" in summary


def test_scan_step_with_defaults_and_no_extras(tmp_path, demo):
    inputs = {"annotations": "false", "summary": "false"}
    installed = {"install": {"python": sys.executable}}
    result, outputs = run_step("scan", tmp_path, demo / "demo", inputs, installed)
    assert result.returncode == 0, result.stderr
    assert not any(line.startswith("::") for line in result.stdout.splitlines())
    assert not (tmp_path / "summary.md").exists()
    log = json.loads((demo / "demo" / "ftscan.sarif").read_text(encoding="utf-8"))
    assert "automationDetails" not in log["runs"][0]
    assert int(outputs["findings"]) == len(log["runs"][0]["results"]) > 0


@pytest.mark.parametrize(
    ("fail_on", "counts", "code"),
    [
        ("error", (0, 3, 1), 0),
        ("error", (2, 0, 0), 1),
        ("warning", (0, 3, 1), 1),
        ("warning", (0, 0, 4), 0),
        ("note", (0, 0, 4), 1),
        ("severe", (0, 0, 0), 2),
    ],
)
def test_threshold_step(tmp_path, fail_on, counts, code):
    scan = dict(zip(("errors", "warnings", "notes"), map(str, counts), strict=True))
    result, _ = run_step("Check the threshold", tmp_path, tmp_path, {"fail-on": fail_on}, {"scan": scan})
    assert result.returncode == code, result.stdout + result.stderr
    if code:
        assert result.stdout.startswith("::error title=ftscan::")


def test_threshold_step_is_skipped_without_fail_on():
    assert STEPS["Check the threshold"]["if"] == "inputs.fail-on != ''"


@pytest.mark.slow
def test_install_then_scan(tmp_path, demo):
    """The install step builds a virtual environment from the action's checkout (PyPI for the rest)."""
    checkout = snapshot(tmp_path / "action")
    result, installed = run_step(
        "install", tmp_path, demo, {}, {"python": {"python-path": sys.executable}}, action_path=checkout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert {key for ref, key in OUTPUTS_USED if ref == "install"} <= set(installed)
    python = Path(installed["python"])
    assert python.is_relative_to(tmp_path / "ftscan-venv") and python.exists()
    result, outputs = run_step(
        "scan", tmp_path, demo, {"path": "demo", "args": f"--as-of {AS_OF}"}, {"install": installed}
    )
    assert result.returncode == 0, result.stderr
    assert int(outputs["errors"]) > 0


def test_commands_without_the_action(tmp_path, demo):
    """The `sh` block of docs/github-actions.md, run as written (with a fixed date)."""
    (block,) = fenced_blocks(
        (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8"), "Without the action", "sh"
    )
    script = 'ftscan() { "$FTSCAN_PYTHON" -m ftscan "$@" --as-of ' + AS_OF + "; }\n" + block
    env = {**os.environ, "FTSCAN_PYTHON": sys.executable, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=demo / "demo",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((demo / "demo" / "ftscan.sarif").read_text())["runs"][0]["results"]
    assert result.stdout.startswith("::warning file=.env,line=2,")
    assert "## ftscan" in (tmp_path / "summary.md").read_text()


# --- pull requests from forks (SECURITY.md) -------------------------------------------------


def fork_workflow() -> dict:
    (block,) = fenced_blocks((ROOT / "SECURITY.md").read_text(encoding="utf-8"), None, "yaml")
    return yaml.safe_load(block)


def test_the_fork_workflow_runs_with_a_read_only_token_and_the_base_configuration():
    workflow = fork_workflow()
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"pull_request"}, "never pull_request_target"
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    checkouts = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@v")]
    assert len(checkouts) == 2 and all(step["with"]["persist-credentials"] is False for step in checkouts)
    base = checkouts[1]["with"]
    assert base["ref"] == "${{ github.event.pull_request.base.sha }}"
    (ours,) = [step for step in job["steps"] if step.get("uses", "").startswith("ftscan/ftscan@")]
    assert set(ours["with"]) <= set(ACTION["inputs"])
    assert ours["with"]["config"].startswith(base["path"] + "/")
    assert f"--exclude {base['path']}/" in ours["with"]["args"], "the base checkout is not scanned"
    assert ours["with"]["upload"] is False


@pytest.fixture
def fork(tmp_path) -> tuple[Path, Path]:
    """The demo as a fork's pull request checks it out: its own configuration would read a
    credentials file; the base branch's, checked out beside it, adds a pack of its own."""
    workspace = tmp_path / "workspace"
    shutil.copytree(FIXTURES / "demo", workspace)
    (workspace / ".git").mkdir()
    credentials = tmp_path / "credentials"
    credentials.write_text("https://x-access-token:ghp_FORKplanted0123456789@github.com\n")
    (workspace / "pyproject.toml").write_text(
        f'[tool.ftscan]\nrules = ["{credentials}"]\nexclude = ["**"]\n', encoding="utf-8"
    )
    (workspace / "app" / "marker.py").write_text("# BASE-MARKER-7\n", encoding="utf-8")
    base = workspace / fork_workflow()["jobs"]["ftscan"]["steps"][1]["with"]["path"]
    (base / ".git").mkdir(parents=True)
    (base / "ci").mkdir()
    (base / "pyproject.toml").write_text('[tool.ftscan]\nrules = ["ci/base.yaml"]\n', encoding="utf-8")
    (base / "ci" / "base.yaml").write_text(
        'pack: base\nversion: "1"\nrules:\n  - id: BASE1\n    name: base-marker\n    summary: A marker\n'
        '    help: Set by the base branch.\n    match: {evidence: text, pattern: "BASE-MARKER-[0-9]+"}\n',
        encoding="utf-8",
    )
    return workspace, credentials


def test_the_config_input_replaces_the_trees_own_configuration(tmp_path, fork):
    workspace, _ = fork
    steps = fork_workflow()["jobs"]["ftscan"]["steps"]
    (ours,) = [step for step in steps if "ftscan/ftscan@" in step.get("uses", "")]
    inputs = {k: str(v).lower() if isinstance(v, bool) else v for k, v in ours["with"].items()}
    inputs["args"] += f" --as-of {AS_OF}"
    installed = {"install": {"python": sys.executable}}
    result, outputs = run_step("scan", tmp_path, workspace, inputs, installed)
    assert result.returncode == 0, result.stderr
    log = json.loads((workspace / "ftscan.sarif").read_text(encoding="utf-8"))
    results = log["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert "app/marker.py" in uris and "app/chat.py" in uris, "the base's pack and excludes apply"
    assert not any(uri.startswith(".ftscan-base/") for uri in uris)
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    for text in (result.stdout, result.stderr, summary, json.dumps(log)):
        assert "FORKplanted" not in text

    # Without the input the tree's own configuration is refused before the file is read.
    result, _ = run_step("scan", tmp_path, workspace, {"annotations": "false", "summary": "false"}, installed)
    assert result.returncode == 2
    assert "tool.ftscan.rules: " in result.stderr and "is an absolute path" in result.stderr
    assert "FORKplanted" not in result.stdout + result.stderr

    # `none`: no configuration at all, so no exclude either.
    result, outputs = run_step("scan", tmp_path, workspace, {"config": "none", "summary": "false"}, installed)
    assert result.returncode == 0, result.stderr
    log = json.loads((workspace / "ftscan.sarif").read_text(encoding="utf-8"))
    assert int(outputs["findings"]) == len(log["runs"][0]["results"]) > 0
    assert "BASE1" not in {r["ruleId"] for r in log["runs"][0]["results"]}
