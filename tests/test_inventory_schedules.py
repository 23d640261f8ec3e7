"""Offline inventory: scheduled training pipelines and checkpoints chosen at run time.

fixtures/scheduled holds six pipelines: five run on a schedule (a GitHub Actions workflow
also run by hand, a Kubernetes CronJob running a module, a CronJob whose own command creates
the job, a crontab line, an Airflow DAG that creates the job), one only from a crontab under
`legacy/` (which `--exclude legacy` hides) and a Makefile target; and two models used
through checkpoints whose step is chosen at run time.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES
from test_inventory import inventory

from ftscan.inventory.schedules import Schedules, names_file, parse

SCHEDULED = FIXTURES / "scheduled"
SUPPORT = "ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN"
ESCALATION = "ft:gpt-4o-2024-08-06:northwind:escalation:Kd82hQz1"


@pytest.fixture(scope="module")
def plan() -> dict:
    return json.loads(inventory(SCHEDULED, "-f", "json"))


def test_scheduled_pipelines_in_json(plan):
    assert [(p["path"], p["scheduled"]) for p in plan["pipelines"]] == [
        ("dags/weekly_retrain.py", [{"by": "dags/weekly_retrain.py", "line": 15, "schedule": "0 6 * * 2"}]),
        ("jobs/retrain.py", [{"by": "k8s/retrain.yaml", "line": 13, "schedule": "30 2 * * *"}]),
        ("k8s/retrain.yaml", [{"by": "k8s/retrain.yaml", "line": 29, "schedule": "0 4 1 * *"}]),
        ("scripts/manual.py", [{"by": "legacy/crontab", "line": 1, "schedule": "45 1 * * *"}]),
        ("scripts/train.py", [{"by": ".github/workflows/nightly.yml", "line": 4, "schedule": "0 3 * * 1"}]),
        ("tools/refresh.py", [{"by": "ops/crontab", "line": 5, "schedule": "0 5 * * 0"}]),
    ]


def test_excluded_files_schedule_nothing_and_unscheduled_come_last():
    document = json.loads(inventory(SCHEDULED, "-f", "json", "--exclude", "legacy"))
    assert [(p["path"], len(p["scheduled"])) for p in document["pipelines"]] == [
        ("dags/weekly_retrain.py", 1),
        ("jobs/retrain.py", 1),
        ("k8s/retrain.yaml", 1),
        ("scripts/train.py", 1),
        ("tools/refresh.py", 1),
        ("scripts/manual.py", 0),
    ]


def test_scheduled_in_every_format():
    markdown = inventory(SCHEDULED, "--exclude", "legacy")
    table = markdown[markdown.index("### Training pipelines") :]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split(" | ")[:2] for row in rows] == [
        ["| `dags/weekly_retrain.py`", "**`0 6 * * 2`**"],
        ["| `jobs/retrain.py`", "**`30 2 * * *`**"],
        ["| `k8s/retrain.yaml`", "**`0 4 1 * *`**"],
        ["| `scripts/train.py`", "**`0 3 * * 1`**"],
        ["| `tools/refresh.py`", "**`0 5 * * 0`**"],
        ["| `scripts/manual.py`", "no"],
    ]
    assert (
        "- **runs on a schedule: `0 3 * * 1`, set in `.github/workflows/nightly.yml:4`; every run after "
        "2027-01-06 fails**"
    ) in markdown

    html = inventory(SCHEDULED, "-f", "html")
    pipelines = html[html.index('<table id="pipelines">') :]
    order = [pipelines.index(f"<code>{p}</code></a>") for p in ("jobs/retrain.py", "tools/refresh.py")]
    assert order == sorted(order)
    assert pipelines.count('<div class="flag scheduled">runs on a schedule: ') == 6
    assert pipelines.count('<div class="trigger">also runs ') == 2

    rows = list(csv.DictReader(io.StringIO(inventory(SCHEDULED, "-f", "csv"), newline="")))
    scheduled = [(r["path"], r["line"], r["detail"]) for r in rows if r["role"] == "scheduled pipeline"]
    assert ("ops/crontab", "5", "runs tools/refresh.py on schedule 0 5 * * 0") in scheduled
    assert len(scheduled) == 6

    ics = inventory(SCHEDULED, "-f", "ics").replace("\r\n ", "")
    assert (
        "Pipeline runs on a schedule: 0 5 * * 0\\, set in ops/crontab:5\\; every run after 2027-01-06 fails."
        in ics
    )


def test_every_trigger_is_listed_and_only_a_schedule_schedules(plan):
    """A workflow run by hand as well as nightly, a Makefile target: listed, never `scheduled`."""
    triggers = {p["path"]: p["triggers"] for p in plan["pipelines"]}
    assert triggers["scripts/train.py"] == [
        {"by": ".github/workflows/nightly.yml", "line": 4, "trigger": "schedule", "schedule": "0 3 * * 1"},
        {"by": ".github/workflows/nightly.yml", "line": 5, "trigger": "workflow_dispatch", "schedule": None},
    ]
    assert triggers["scripts/manual.py"] == [
        {"by": "Makefile", "line": 4, "trigger": "manual", "schedule": None},
        {"by": "legacy/crontab", "line": 1, "trigger": "schedule", "schedule": "45 1 * * *"},
    ]
    document = json.loads(inventory(SCHEDULED, "-f", "json", "--exclude", "legacy"))
    manual = next(p for p in document["pipelines"] if p["path"] == "scripts/manual.py")
    assert (manual["scheduled"], [t["trigger"] for t in manual["triggers"]]) == ([], ["manual"])
    markdown = inventory(SCHEDULED, "--exclude", "legacy")
    assert "- also runs by hand (a Makefile target), set in `Makefile:4`" in markdown
    assert "- also runs on `workflow_dispatch`, set in `.github/workflows/nightly.yml:5`" in markdown


def test_checkpoints_chosen_at_run_time_belong_to_their_model(plan):
    models = {m["id"]: m for m in plan["models"]}
    assert sorted(models) == [ESCALATION, SUPPORT]  # no model of its own for `...:ckpt-step-`
    support = models[SUPPORT]
    assert [(p["line"], p["checkpoint_at_run_time"], p["detail"]) for p in support["locations"]] == [
        (5, False, ""),
        (10, True, "a checkpoint, its step chosen at run time"),
    ]
    assert support["suffix"] == "support" and support["org"] == "northwind"
    assert [p["checkpoint_at_run_time"] for p in models[ESCALATION]["locations"]] == [False, True]
    assert plan["mentions"] == []
    markdown = inventory(SCHEDULED)
    assert (
        "- base `gpt-4o-mini-2024-07-18`, organization `northwind`, suffix `support`, checkpoints chosen "
        "at run time" in markdown
    )
    assert ":ckpt-step-`" not in markdown
    rows = list(csv.DictReader(io.StringIO(inventory(SCHEDULED, "-f", "csv"), newline="")))
    assert {r["model"] for r in rows if r["role"] == "location"} == {SUPPORT, ESCALATION}


def test_schedule_parsing():
    crontab = (
        "MAILTO=x\n# 0 1 * * * python train.py\n"
        "*/15 2-4 * * 1-5 python -m ml.train --fast\n@weekly train.sh\n"
    )
    entries = parse("ops/crontab", "crontab", crontab)
    assert [(e.line, e.schedule) for e in entries] == [(3, "*/15 2-4 * * 1-5"), (4, "@weekly")]
    assert names_file(entries[0].commands, "ml/train.py")
    assert not names_file(entries[0].commands, "ml/other.py")
    assert names_file("cd /srv && python3 /srv/app/scripts/train.py", "scripts/train.py")
    assert names_file("papermill notebooks/retrain.ipynb out.ipynb", "notebooks/retrain.ipynb")
    assert not names_file("python scripts/train.py", "other/scripts/train.py.bak")
    workflow = "on:\n  schedule:\n    - cron: '5 4 * * *'\n    - cron: \"0 0 1 1 *\"\njobs: {}\n"
    assert [(e.line, e.schedule) for e in parse("w.yml", "workflow", workflow)] == [
        (3, "5 4 * * *"),
        (4, "0 0 1 1 *"),
    ]
    assert parse("k.yaml", "yaml", "kind: Deployment\nspec:\n  schedule: '1 2 3 4 5'\n") == []


def test_trigger_parsing():
    """Workflow events inline and in a block, Makefile targets, orchestrator schedules."""
    inline = parse("w.yml", "workflow", "on: [push, pull_request]  # not: release\njobs: {}\n")
    assert [(e.trigger, e.line) for e in inline] == [("push", 1), ("pull_request", 1)]
    block = (
        "name: x\non:\n  push:\n    branches: [main]\n  release:\n    types: [published]\njobs:\n  push: {}\n"
    )
    assert [(e.trigger, e.line) for e in parse("w.yml", "workflow", block)] == [("push", 3), ("release", 5)]
    make = ".PHONY: train\ntrain: data\n\tpython scripts/train.py\n\nclean:\n\trm -rf x\nX := 1\n"
    targets = parse("Makefile", "makefile", make)
    assert [(e.line, e.trigger, e.commands) for e in targets] == [
        (2, "manual", "\tpython scripts/train.py"),
        (5, "manual", "\trm -rf x"),
    ]
    dag = (
        'with DAG("weekly", schedule="0 6 * * 2"):\n    pass\n'
        'defaults = dict(schedule="when asked")\n'
        'flow.serve(cron="*/5 * * * *")\n'
        'ScheduleDefinition(job=j, cron_schedule="@daily")\n'
    )
    assert [(e.line, e.schedule) for e in parse("dags/a.py", "orchestrator", dag)] == [
        (1, "0 6 * * 2"),
        (4, "*/5 * * * *"),
        (5, "@daily"),
    ]


def test_deployed_paths_name_files_of_a_project_scanned_from_above():
    """`/srv/app/tools/refresh.py` is `svc/tools/refresh.py` when the monorepo is the root."""
    assert names_file("python3 /srv/app/tools/refresh.py", "svc/tools/refresh.py")
    assert not names_file("python3 /srv/app/tools/refresh.py", "svc/jobs/refresh.py")
    assert not names_file("python3 /srv/refresh.py", "svc/tools/refresh.py")


def test_schedules_never_leave_the_root(tmp_path: Path):
    """A link to a crontab outside the root is not followed; a huge file is not read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "crontab").write_text("0 1 * * * python train.py\n")
    root = tmp_path / "repo"
    (root / "ops").mkdir(parents=True)
    (root / "ops" / "crontab").symlink_to(outside / "crontab")
    (root / "big.cron").write_text("0 2 * * * python train.py\n" + "#" * (600 * 1024))
    (root / "real.cron").write_text("0 3 * * * python train.py\n")
    found = Schedules.read(root, [root])
    assert [(e.by, e.schedule) for e in found.entries] == [("real.cron", "0 3 * * *")]


def test_as_of_is_pinned(plan):
    assert plan["as_of"] == AS_OF
