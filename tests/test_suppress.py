"""Inline ignores, baselines and --changed-since, as a user drives them."""

from __future__ import annotations

import json
import subprocess

from conftest import AS_OF, run_ftscan
from sarif_validators import schema_errors

from ftscan.scan.ignores import find_ignores

JOB = """\
import openai

# ftscan: ignore[FT201] -- sandbox account, retired with the project
openai.fine_tuning.jobs.create(
    model="gpt-4o-mini-2024-07-18",
    training_file="file-1",  # ftscan: ignore[FT206]
)
openai.fine_tuning.jobs.create(model="gpt-3.5-turbo", training_file="file-2")
"""


def scan_json(ftscan, root, *args):
    result = ftscan("scan", str(root), "--root", str(root), "-f", "json", "--as-of", AS_OF, *args)
    return result, json.loads(result.stdout)


def rows(findings):
    return [(f["path"], f["line"], f["rule_id"]) for f in findings]


def test_python_ignores_cover_the_whole_statement(ftscan, tmp_path):
    (tmp_path / "train.py").write_text(JOB)
    _, data = scan_json(ftscan, tmp_path)
    assert rows(data["findings"]) == [("train.py", 8, "FT201"), ("train.py", 8, "FT206")]
    assert [(f["line"], f["rule_id"], f["suppression"]) for f in data["suppressed"]] == [
        (
            4,
            "FT201",
            {
                "kind": "inSource",
                "justification": "sandbox account, retired with the project",
                "source": "train.py:3",
            },
        ),
        (4, "FT206", {"kind": "inSource", "justification": "", "source": "train.py:6"}),
    ]
    assert data["summary"]["suppressed"] == 2


def test_suppressed_results_stay_in_sarif(ftscan, tmp_path):
    (tmp_path / "train.py").write_text(JOB)
    result = ftscan("scan", str(tmp_path), "--root", str(tmp_path), "-f", "sarif", "--as-of", AS_OF)
    log = json.loads(result.stdout)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], "suppressions" in r) for r in results] == [
        ("FT201", True),
        ("FT206", True),
        ("FT201", False),
        ("FT206", False),
    ]
    assert results[0]["suppressions"] == [
        {
            "kind": "inSource",
            "justification": "sandbox account, retired with the project",
            "properties": {"source": "train.py:3"},
        }
    ]
    assert schema_errors(log) == []


def test_no_ignores_audits_everything(ftscan, tmp_path):
    (tmp_path / "train.py").write_text(JOB)
    _, data = scan_json(ftscan, tmp_path, "--no-ignores")
    assert len(data["findings"]) == 4 and data["suppressed"] == []


def test_ignores_in_env_yaml_and_shell(ftscan, tmp_path):
    (tmp_path / ".env").write_text(
        "# ftscan: ignore[FT101] -- staging only\nSTAGING_MODEL=ft:gpt-3.5-turbo-0125:northwind::9tt19es9\n"
        "PROD_MODEL=ft:gpt-3.5-turbo-0125:northwind:prod:Ab12Cd34\n"
    )
    (tmp_path / "values.yaml").write_text(
        "model: ft:gpt-4o-2024-08-06:northwind:s:Kd82hQz1  # ftscan: ignore[FT101]\n"
    )
    (tmp_path / "run.sh").write_text("# ftscan: ignore-file[OP104, FT301]\nopenai api fine_tunes.list\n")
    _, data = scan_json(ftscan, tmp_path)
    assert rows(data["findings"]) == [(".env", 3, "FT101")]
    assert sorted(rows(data["suppressed"])) == [
        (".env", 2, "FT101"),
        ("run.sh", 2, "FT301"),
        ("run.sh", 2, "OP104"),
        ("values.yaml", 1, "FT101"),
    ]


def test_bad_and_unused_ignores_are_reported_not_fatal(ftscan, tmp_path):
    (tmp_path / "a.py").write_text(
        'MODEL = "ft:gpt-4o-2024-08-06:northwind:s:Kd82hQz1"  # ftscan: ignore\n'
        "x = 1  # ftscan: ignore[FT999]\n"
        "y = 2  # ftscan: ignore[FT201]\n"
    )
    result, data = scan_json(ftscan, tmp_path, "--report-unused-ignores")
    assert result.returncode == 1
    assert [(n["kind"], n["message"]) for n in data["notifications"]] == [
        (
            "ignore-comment",
            "line 1: `ftscan: ignore` names no rule and ignores nothing; write `ftscan: ignore[RULE]`",
        ),
        ("ignore-comment", "line 2: unknown rule FT999"),
        ("unused-ignore", "line 3: `ftscan: ignore[FT201]` suppresses nothing"),
    ]


def test_ignore_text_inside_a_string_is_not_a_comment():
    assert find_ignores("a.py", 'x = "# ftscan: ignore[FT101]"\n', "python") == ()


def test_baseline_survives_lines_inserted_above(ftscan, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    app = repo / "app.py"
    app.write_text(
        'A = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"\nB = "ft:gpt-4o-2024-08-06:northwind:s:Kd82hQz1"\n'
    )
    baseline = tmp_path / "baseline.json"
    written = ftscan("baseline", str(baseline), str(repo), "--root", str(repo), "--as-of", AS_OF)
    assert written.returncode == 0 and "wrote 2 finding(s)" in written.stderr
    content = json.loads(baseline.read_text())
    assert content["ftscan_baseline_version"] == 1
    assert all(set(entry) == {"fingerprint", "path", "rule", "value"} for entry in content["findings"])
    before = baseline.read_text()
    app.write_text(
        '"""Models."""\nimport os\n\n'
        + app.read_text()
        + 'C = "ft:gpt-4.1-2025-04-14:northwind:new:Pq8Rs7Tu"\n'
    )
    result = ftscan("scan", str(repo), "--root", str(repo), "--baseline", str(baseline), "--as-of", AS_OF)
    assert result.returncode == 1
    reported = [line for line in result.stdout.splitlines() if line.startswith("app.py:")]
    assert reported == [line for line in reported if line.startswith("app.py:6:")] and len(reported) == 1
    assert "not shown: 2 in the baseline" in result.stdout
    assert baseline.read_text() == before  # a scan never rewrites it


def test_baseline_errors(ftscan, tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("[]")
    result = ftscan("scan", str(tmp_path), "--baseline", str(bad))
    assert result.returncode == 2 and "not an ftscan baseline" in result.stderr


def git(repo, *args):
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "HOME": str(repo),
            "PATH": "/usr/bin:/bin",
        },
    )


def test_changed_since_scans_changed_and_untracked_files(ftscan, tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "old.py").write_text('A = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"\n')
    (tmp_path / "edited.py").write_text("x = 1\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "start")
    (tmp_path / "edited.py").write_text('B = "ft:gpt-4o-2024-08-06:northwind:s:Kd82hQz1"\n')
    (tmp_path / "new.py").write_text('C = "ft:gpt-4.1-2025-04-14:northwind:new:Pq8Rs7Tu"\n')
    _, data = scan_json(ftscan, tmp_path, "--changed-since", "HEAD")
    assert sorted(f["path"] for f in data["findings"]) == ["edited.py", "new.py"]
    (tmp_path / "old.py").unlink()  # a file deleted since the ref is not a path the user named
    _, data = scan_json(ftscan, tmp_path, "--changed-since", "HEAD")
    assert sorted(f["path"] for f in data["findings"]) == ["edited.py", "new.py"]
    assert data["notifications"] == []
    bad = ftscan("scan", str(tmp_path), "--changed-since", "nope")
    assert bad.returncode == 2 and "'nope' is not a commit" in bad.stderr


def test_thousands_of_ignores_in_one_file_each_cover_their_own_line(ftscan, tmp_path):
    lines = []
    for i in range(3000):
        if i % 3:  # two in three calls are ignored, each by its own comment
            lines.append("# ftscan: ignore[FT201] -- one of many")
        lines.append(f'client.fine_tuning.jobs.create(model="gpt-4o", training_file="file-{i}")')
    lines.append("# ftscan: ignore[FT201] -- suppresses nothing")
    lines.append("x = 1")
    source = "from openai import OpenAI\nclient = OpenAI()\n" + "\n".join(lines) + "\n"
    (tmp_path / "many.py").write_text(source)
    _, data = scan_json(ftscan, tmp_path, "--report-unused-ignores")
    jobs = [f for f in data["findings"] if f["rule_id"] == "FT201"]
    kept = [f for f in data["suppressed"] if f["rule_id"] == "FT201"]
    assert len(jobs) == 1000 and len(kept) == 2000
    assert all(f["suppression"]["source"] == f"many.py:{f['line'] - 1}" for f in kept)
    unused = [n for n in data["notifications"] if n["kind"] == "unused-ignore"]
    assert [n["message"] for n in unused] == ["line 5003: `ftscan: ignore[FT201]` suppresses nothing"]


def test_a_baseline_and_a_report_inside_the_repository_are_not_scanned(ftscan, tmp_path):
    """They hold the IDs they report: scanned, they would report themselves."""
    (tmp_path / "app.py").write_text('A = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"\n')
    (tmp_path / "ftscan.toml").write_text('baseline = "ftscan-baseline.json"\n')
    written = ftscan("baseline", "ftscan-baseline.json", "--as-of", AS_OF, cwd=tmp_path)
    assert written.returncode == 0 and "wrote 1 finding(s)" in written.stderr  # the configured file
    again = ftscan("baseline", "ftscan-baseline.json", "--as-of", AS_OF, cwd=tmp_path)
    assert "wrote 1 finding(s)" in again.stderr  # not filtered by the old baseline, nor scanning it
    report = ftscan("scan", "-f", "json", "-o", "report.json", "--as-of", AS_OF, cwd=tmp_path)
    assert report.returncode == 0, report.stdout + report.stderr  # the one finding is in the baseline
    assert "0 findings" in report.stderr
    inventory = json.loads(ftscan("inventory", "-f", "json", "--as-of", AS_OF, cwd=tmp_path).stdout)
    located = {p["path"] for m in inventory["models"] for p in m["locations"]}
    assert "ftscan-baseline.json" not in located and "app.py" in located  # the configured baseline
    rescan = json.loads(ftscan("scan", "-f", "json", "--as-of", AS_OF, "--no-config", cwd=tmp_path).stdout)
    assert {f["path"] for f in rescan["findings"]} == {"app.py", "ftscan-baseline.json", "report.json"}


def test_a_renamed_rule_is_still_ignored_and_disabled_by_its_old_id(tmp_path):
    """FT103 became AZ101: an ignore comment, `--disable` and per-path ignores that name the
    old ID keep working, and `rules show FT103` explains AZ101."""
    azure = "gpt-4o-mini-2024-07-18.ft-b044a9d3cf9c4228b5d393567f693b83"
    (tmp_path / "a.py").write_text(f'MODEL = "{azure}"  # ftscan: ignore[FT103] -- kept until March\n')
    (tmp_path / "b.py").write_text(f'MODEL = "{azure}"\n')
    result = run_ftscan("scan", str(tmp_path), "--root", str(tmp_path), "-f", "json", "--as-of", AS_OF)
    report = json.loads(result.stdout)
    (suppressed,) = report["suppressed"]
    assert (suppressed["path"], suppressed["rule_id"]) == ("a.py", "AZ101")
    assert [(f["path"], f["rule_id"]) for f in report["findings"]] == [("b.py", "AZ101")]
    assert not [n for n in report["notifications"] if n["kind"] == "ignore-comment"]
    disabled = run_ftscan(
        "scan", str(tmp_path), "--root", str(tmp_path), "--disable", "FT103", "--as-of", AS_OF
    )
    assert disabled.returncode == 0, disabled.stderr
    assert "AZ101" in run_ftscan("rules", "show", "FT103").stdout
