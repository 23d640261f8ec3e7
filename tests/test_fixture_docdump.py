"""Documentation dumps: API mentions in prose are not dependencies; code in them still is."""

from __future__ import annotations

import json
import re

import pytest
from conftest import AS_OF, FIXTURES, assert_matches_golden, run_ftscan
from sarif_validators import multitool_errors, schema_errors

from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan.text import scan_text
from ftscan.scan.text.prose import is_sentence, is_table_row

DOCDUMP = FIXTURES / "docdump"
GOLDEN = FIXTURES.parent / "tests" / "golden" / "docdump.sarif"


def expected() -> tuple[list[str], list[str]]:
    found, must_not = [], []
    for line in (DOCDUMP / "expected.txt").read_text().splitlines():
        if line.startswith("# must-not: "):
            must_not.append(line.removeprefix("# must-not: ").split()[0])
        elif line.strip() and not line.startswith("#"):
            found.append(line)
    return found, must_not


def scan(*args: str):
    return run_ftscan("scan", str(DOCDUMP), "--root", str(DOCDUMP), "--as-of", AS_OF, "--no-config", *args)


@pytest.fixture(scope="module")
def report():
    result = scan("-f", "json")
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_findings_are_exactly_the_expected_ones(report):
    got = [f"{f['path']}:{f['line']} {f['rule_id']} {f['level']}" for f in report["findings"]]
    assert got == expected()[0]
    assert report["notifications"] == []


def test_must_not_lines_hold_mentions_and_are_not_reported(report):
    patterns = derive_patterns(load_packs([]), [r for p in load_packs([]) for r in p.rules])
    reported = {f"{f['path']}:{f['line']}" for f in report["findings"]}
    for place in expected()[1]:
        path, _, line = place.rpartition(":")
        raw = scan_text(path, (DOCDUMP / path).read_text(), patterns)  # the finders, prose included
        assert any(ev.span.line == int(line) for ev in raw.evidence), f"{place} holds no mention"
        assert place not in reported


def test_a_real_id_in_prose_is_a_low_confidence_note(report):
    (note,) = [f for f in report["findings"] if f["path"] == "data/openai_docs.txt" and f["line"] == 10]
    assert note["evidence"]["value"] == "ft:gpt-4o-mini-2024-07-18:northwind:support-v3:Bq7x2LmN"
    assert (note["level"], note["evidence"]["confidence"]) == ("note", "low")
    assert note["evidence"]["props"] == {"context": "prose"}


def test_sarif_matches_golden_file_and_validates(tmp_path):
    out = tmp_path / "docdump.sarif"
    result = scan("-f", "sarif", "-o", str(out))
    assert result.returncode == 1, result.stderr
    text = out.read_text(encoding="utf-8")
    assert_matches_golden(text, GOLDEN)
    assert schema_errors(json.loads(text)) == []
    assert multitool_errors(out) == []


@pytest.mark.parametrize(
    "line",
    [
        "You create a job by sending a POST request to /v1/fine_tuning/jobs with the file.",
        "Fine-tuning jobs are listed with a GET request, and cancelled with a POST.",
        "对于从 旧版 接口 迁移 的 用户 而言 主要 区别 是 更新后的 API",
    ],
)
def test_sentences(line):
    assert is_sentence(line)


@pytest.mark.parametrize(
    "line",
    [
        "openai api fine_tunes.create -t train.jsonl -m davinci --suffix support",
        "command: openai api fine_tuning.jobs.create -t file-abc123 -m gpt-4o-mini",
        "curl https://api.openai.com/v1/fine_tuning/jobs -H 'Authorization: Bearer key' \\",
        "echo Starting the nightly fine-tuning job through the jobs endpoint now",
        '- run: openai api fine_tunes.create -t t.jsonl -m davinci --suffix "a bot for the help desk team"',
        'RUN openai api fine_tunes.create -t t.jsonl -m curie -s "the support bot for our help desk team"',
        "1,ft:gpt-4o-mini-2024-07-18:northwind::Bq7x2LmN,2024-08-01,support",
        '"model": "ft:gpt-4o-mini-2024-07-18:northwind::Bq7x2LmN",',
        "client.fine_tuning.jobs.create(training_file=file_id, model=base_model)",
        "Create a job:",  # too short to be a sentence on its own
    ],
)
def test_not_sentences(line):
    assert not is_sentence(line)


def test_a_short_line_after_a_sentence_is_its_last_line():
    assert is_sentence("Older accounts used /v1/fine-tunes instead.", after_sentence=True)
    assert not is_sentence("Older accounts used /v1/fine-tunes instead.")


def test_table_rows():
    assert is_table_row("| /v1/fine_tuning/jobs | creates and lists jobs |")
    assert not is_table_row("| grep fine_tuning")


def test_prose_is_set_apart_in_a_file_that_does_not_parse(tmp_path):
    (tmp_path / "pages.json").write_text(
        '{"text": "Jobs are created with a POST request to /v1/fine_tuning/jobs by the SDK.",\n'
        ' "cmd": "curl https://api.openai.com/v1/fine_tuning/jobs",\n'
        ' "model": "ft:gpt-4o-mini-2024-07-18:northwind::Bq7x2LmN",\n'  # the trailing comma breaks it
    )
    result = run_ftscan("scan", str(tmp_path), "--root", str(tmp_path), "--as-of", AS_OF, "-f", "json")
    data = json.loads(result.stdout)
    assert [(f["line"], f["rule_id"]) for f in data["findings"]] == [(2, "FT205"), (3, "FT101")]
    assert [n["kind"] for n in data["notifications"]] == ["parse-error"]


def test_a_shell_script_is_never_prose(tmp_path):
    """A sentence-like line of a script is code; one it only `echo`es is shown, not run."""
    line = "see the jobs endpoint /v1/fine_tuning/jobs for the status of every job we run\n"
    (tmp_path / "notes.sh").write_text(f"status {line}echo {line}")
    (tmp_path / "notes.py").write_text(f"# {line}")
    prose = "See the jobs endpoint /v1/fine_tuning/jobs for the status of every job.\n"
    (tmp_path / "notes.txt").write_text(prose)
    result = run_ftscan("scan", str(tmp_path), "--root", str(tmp_path), "--as-of", AS_OF, "-f", "json")
    found = sorted((f["path"], f["line"]) for f in json.loads(result.stdout)["findings"])
    assert found == [("notes.py", 1), ("notes.sh", 1)]


def test_readme_examples_of_each_side(tmp_path):
    readme = (FIXTURES.parent / "README.md").read_text()
    section = readme.split("**Documentation is not a dependency.**", 1)[1]
    blocks = re.findall(r"\n  ```text\n(.*?)\n  ```", section, re.S)[:2]
    prose, code = ([line.strip().split("   #")[0].strip() for line in b.splitlines()] for b in blocks)
    assert len(prose) == 3 and len(code) == 3
    for index, line in enumerate(prose + code):
        name = "deploy.yaml" if line.startswith(("description:", "command:")) else "notes.txt"
        folder = tmp_path / str(index)
        folder.mkdir()
        (folder / name).write_text(line + "\n")
        result = run_ftscan("scan", str(folder), "--root", str(folder), "--as-of", AS_OF, "-f", "json")
        found = json.loads(result.stdout)["findings"]
        assert bool(found) == (line in code), line
