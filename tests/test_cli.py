"""The command line as a user meets it: exit codes, errors without tracebacks, rule commands."""

import json
import os
import subprocess
import sys

import pytest
from conftest import AS_OF, ROOT

from ftscan import __version__

MODEL_LINE = 'MODEL = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"\n'


def test_version(ftscan):
    result = ftscan("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"ftscan, version {__version__}"


def test_findings_exit_1_clean_exit_0(ftscan, tmp_path):
    (tmp_path / "clean.py").write_text("print('hello')\n")
    assert ftscan("scan", str(tmp_path), "--as-of", AS_OF).returncode == 0
    (tmp_path / "model.py").write_text(MODEL_LINE)
    result = ftscan("scan", str(tmp_path), "--as-of", AS_OF)
    assert result.returncode == 1
    assert "model.py:1:10: FT101 error" in result.stdout


def test_fail_on_and_exit_zero(ftscan, tmp_path):
    (tmp_path / "a.env").write_text("M=ft:gpt-4o-mini-2024-07-18:northwind:s:Bq7x2LmN\n")
    # a warning at this date (2027-01-14 is 53 days away)
    assert ftscan("scan", str(tmp_path), "--as-of", AS_OF, "--fail-on", "error").returncode == 0
    assert ftscan("scan", str(tmp_path), "--as-of", AS_OF, "--fail-on", "warning").returncode == 1
    assert ftscan("scan", str(tmp_path), "--as-of", AS_OF, "--exit-zero").returncode == 0


def test_as_of_moves_the_level_not_the_identity(ftscan, tmp_path):
    (tmp_path / "m.py").write_text(MODEL_LINE)
    before = json.loads(ftscan("scan", str(tmp_path), "-f", "json", "--as-of", "2026-06-01").stdout)
    after = json.loads(ftscan("scan", str(tmp_path), "-f", "json", "--as-of", AS_OF).stdout)
    assert [f["level"] for f in before["findings"]] == ["note"]
    assert [f["level"] for f in after["findings"]] == ["error"]
    assert before["findings"][0]["fingerprint"] == after["findings"][0]["fingerprint"]


def test_output_file_keeps_stdout_clean(ftscan, tmp_path):
    (tmp_path / "m.py").write_text(MODEL_LINE)
    out = tmp_path / "out.sarif"
    result = ftscan("scan", str(tmp_path), "-f", "sarif", "-o", str(out), "--as-of", AS_OF)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "1 finding (1 error, 0 warnings, 0 notes)" in result.stderr
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_bad_date_is_a_usage_error(ftscan):
    result = ftscan("scan", ".", "--as-of", "2026-13-01")
    assert result.returncode == 2
    assert "'2026-13-01' is not a date of the form YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_user_pack_exit_2_names_file_line_field(ftscan, tmp_path):
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        'pack: mine\nversion: "1"\nrules:\n  - id: X1\n    name: x\n    summary: s\n'
        "    help: h\n    match: {evidence: api-call, calls: [a.b]}\n    milestones: [nope]\n"
    )
    result = ftscan("scan", str(tmp_path), "--rules", str(pack))
    assert result.returncode == 2
    assert f"{pack}:9: rules[0].milestones[0]: unknown milestone 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def scan_with_call_rule(ftscan, tmp_path, rule_id: str, call: str, code: str):
    """Scan `code` (as `src/job.py`) with a user pack of one rule on the call glob `call`."""
    pack = tmp_path / "user.yaml"
    pack.write_text(
        'pack: user\nversion: "1"\nmilestones:\n'
        "  cutoff: {date: 2027-03-01, effect: the gateway stops, status: confirmed}\n"
        f"rules:\n  - id: {rule_id}\n    name: launcher\n    summary: Launches a fine-tune\n"
        f"    help: h\n    match: {{evidence: api-call, calls: ['{call}']}}\n"
        "    milestones: [cutoff]\n"
    )
    src = tmp_path / "src"
    src.mkdir()
    (src / "job.py").write_text(code)
    return ftscan("scan", str(src), "--rules", str(pack), "--as-of", "2027-01-01", "--root", str(src))


def test_user_pack_finds_an_internal_wrapper(ftscan, tmp_path):
    result = scan_with_call_rule(
        ftscan,
        tmp_path,
        "ACME1",
        "acme.ml.launch_finetune",
        "from acme.ml import launch_finetune as go\n\ngo(data='x')\n",
    )
    assert "job.py:3:1: ACME1 warning" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1


def test_unknown_rule_in_disable(ftscan):
    result = ftscan("scan", ".", "--disable", "FT999")
    assert result.returncode == 2
    assert "unknown rule ID(s): FT999" in result.stderr


def test_rules_list_shows_dates_and_status(ftscan):
    result = ftscan("rules", "list")
    assert result.returncode == 0
    assert "FT201  fine-tuning-job-created" in result.stdout
    assert "2027-01-06 (confirmed): no organization can create new fine-tuning jobs" in result.stdout


def test_rules_show_explains_a_rule(ftscan):
    result = ftscan("rules", "show", "FT101")
    assert result.returncode == 0
    assert "gpt-4o, gpt-4o-2024-08-06: 2027-01-14 (reported)" in result.stdout
    assert "any other base: no announced date" in result.stdout
    missing = ftscan("rules", "show", "FT000")
    assert missing.returncode == 2 and "no rule 'FT000'" in missing.stderr


def test_shipped_rule_examples_pass(ftscan):
    result = ftscan("rules", "test")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("passed, 0 failed")


@pytest.mark.parametrize(
    "command",
    [("scan",), ("inventory",), ("baseline", "{tmp}/base.json")],
    ids=["scan", "inventory", "baseline"],
)
def test_a_missing_path_is_an_error(ftscan, tmp_path, command):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "m.py").write_text(MODEL_LINE)
    args = [part.format(tmp=tmp_path) for part in command]
    result = ftscan(*args, "srcc", "--as-of", AS_OF, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "Error: path does not exist: srcc\n"
    assert not (tmp_path / "base.json").exists()  # nothing written


def test_every_missing_path_is_named_and_existing_ones_do_not_help(ftscan, tmp_path):
    (tmp_path / "src").mkdir()
    result = ftscan("scan", "src", "srcc", "tsts", "--as-of", AS_OF, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "Error: paths do not exist: srcc, tsts\n")


def test_a_broken_link_named_on_the_command_line_is_a_notification(ftscan, tmp_path):
    (tmp_path / "gone.py").symlink_to(tmp_path / "nowhere.py")
    result = ftscan("scan", "gone.py", "--as-of", AS_OF, "-f", "json", cwd=tmp_path)
    assert result.returncode == 0
    assert [n["kind"] for n in json.loads(result.stdout)["notifications"]] == ["symlink"]


def test_merge_names_a_missing_log(ftscan, tmp_path):
    result = ftscan("merge", "part.sarif", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "Error: path does not exist: part.sarif\n")


def test_progress_on_stderr_when_asked(ftscan, tmp_path):
    for i in range(3):
        (tmp_path / f"m{i}.py").write_text(f'MODEL = "ft:gpt-4o-mini-2024-07-18:northwind::Zq8Lm{i}Xp"\n')
    (tmp_path / "notes.txt").write_text("nothing here\n")
    shown = ftscan(
        "scan",
        str(tmp_path),
        "--root",
        str(tmp_path),
        "--as-of",
        AS_OF,
        "--progress",
        "-o",
        str(tmp_path / "out.txt"),
    )
    assert shown.returncode == 1
    redraws = [line for line in shown.stderr.splitlines() if line.startswith("ftscan: ")]
    assert redraws[-1] == "ftscan: 4/4 files, 3 hits "  # the final count, whatever came before
    quiet = ftscan(
        "scan", str(tmp_path), "--root", str(tmp_path), "--as-of", AS_OF, "-o", str(tmp_path / "q")
    )
    assert "hits" not in quiet.stderr  # not a terminal: no progress unless asked


def test_user_call_glob_with_a_wildcard_root(ftscan, tmp_path):
    """A glob that names no package still sends the file to the parser."""
    code = "from together import Together\n\nTogether().fine_tuning.create(model='m')\n"
    result = scan_with_call_rule(ftscan, tmp_path, "TG1", "*.fine_tuning.create", code)
    assert "job.py:3:1: TG1 warning" in result.stdout, result.stdout + result.stderr


def test_color_forced_on_a_pipe_and_a_summary_beside_a_report_file(ftscan, tmp_path):
    (tmp_path / "m.py").write_text('M = "ft:gpt-4o-mini-2024-07-18:northwind::Zq8Lm1Xp"\n')
    common = ("scan", str(tmp_path), "--root", str(tmp_path), "--as-of", AS_OF)
    assert "\x1b[" in ftscan(*common, "--color").stdout
    assert "\x1b[" not in ftscan(*common).stdout  # a pipe: no colour unless asked
    written = ftscan(*common, "-o", str(tmp_path / "report.txt"))
    assert written.stdout == "" and written.stderr.startswith("1 finding (0 errors, 1 warning, 0 notes)")


def test_a_report_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    import os
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    (tmp_path / "m.py").write_text('M = "ft:gpt-4o-mini-2024-07-18:northwind::Zq8Lm1Xp"\n')
    args = [sys.executable, "-m", "ftscan", "scan", str(tmp_path), "--root", str(tmp_path), "--as-of", AS_OF]
    to_file = subprocess.run([*args, "-o", "/dev/full"], capture_output=True, text=True, check=False)
    with open("/dev/full", "w") as full:  # standard output on a full disk
        to_stdout = subprocess.run(args, stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert (to_file.returncode, to_stdout.returncode) == (2, 2)
    assert to_file.stderr.splitlines() == ["Error: cannot write /dev/full: No space left on device"]
    assert to_stdout.stderr.splitlines() == ["Error: cannot write the report: No space left on device"]


@pytest.mark.parametrize("buffered", [False, True])
def test_a_reader_that_leaves_is_exit_2_without_a_traceback(tmp_path, buffered):
    """`ftscan scan . | head`: a closed standard output is an error (2), never status 1,
    which means findings, and never a traceback; buffered or not, whenever it shows."""
    (tmp_path / "app.py").write_text('MODEL = "ft:gpt-4o-mini-2024-07-18:acme::9tt19es9"\n')
    env = {**os.environ, "PYTHONUNBUFFERED": "" if buffered else "1"}
    for args in (["rules", "list"], ["scan", str(tmp_path), "--as-of", AS_OF, "--no-progress"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "ftscan", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
        )  # fmt: skip
        process.stdout.close()  # the reader is gone before the first line
        _, err = process.communicate(timeout=120)
        assert process.returncode == 2, (args, err)
        assert b"Traceback" not in err and b"Exception ignored" not in err
