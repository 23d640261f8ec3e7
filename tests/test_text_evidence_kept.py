"""Whatever breaks, a parsing scanner never reports less than the plain-text scan of its file.

The text-level evidence of a file (model IDs by the grammar, REST paths, CLI commands, found
by `scan_text` on the raw file) must each be reported by the file's own scanner, on the same
line, for notebooks, Python, YAML, JSON and TOML: on the fixtures and on files made by
hypothesis from pieces that break parsers (Python 2, unclosed strings and brackets, shell
lines continued with a backslash, a triple-quoted tweet whose lines start with `@`, `!`, `%`).

By design, and not asked here: commands and REST paths in a notebook's markdown cells and
outputs (prose and history; IDs there are still reported), and a partial ID (`ft:<base>:` then
an expression) whose value the parser gives as its literal head. The raw text of a notebook
is JSON: an ID read across an escape there (`\\ngpt-4o.ft-...`) is kept as the ID it is.
"""

from __future__ import annotations

import json
import os

from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import scan_source
from ftscan.scan.languages import echoed
from ftscan.scan.python.sinks import judge
from ftscan.scan.structured.json_tokens import json_path, json_strings
from ftscan.scan.text import scan_text
from ftscan.scan.text.prose import without_prose
from ftscan.types import Evidence, FileResult
from ftscan.walk import file_kind

PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [rule for pack in PACKS for rule in pack.rules])
KINDS = (
    "notebook",
    "python",
    "yaml",
    "json",
    "toml",
    "go",
    "java",
    "kotlin",
    "ruby",
    "csharp",
    "php",
    "shell",
    "terraform",
)
TEXT_KINDS = ("model-id", "rest-path", "cli")
SCALE = float(os.environ.get("FTSCAN_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=int(80 * SCALE),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

IDS = (
    "ft:gpt-4o-mini-2024-07-18:northwind:tweets:Tw33tz01",
    "ft:gpt-3.5-turbo-0125:northwind::9tt19es9",
    "ft:gpt-4.1-2025-04-14:northwind:x:Ab12Cd34:ckpt-step-10",
    "davinci:ft-northwind-2023-03-01-10-00-00",
    "gpt-4o-mini.ft-0123456789abcdef0123456789abcdef",
)
CODE = (
    *(f'MODEL = "{model}"' for model in IDS),
    *(f"# {model}" for model in IDS),
    "from openai import OpenAI",
    "client = OpenAI()",
    'job = client.fine_tuning.jobs.create(training_file="file-abc", model="gpt-4o-mini")',
    "client.fine_tuning.jobs.cancel(job.id)",
    'requests.post("https://api.openai.com/v1/fine_tuning/jobs", json={})',
    'url = "/v1/fine-tunes"',
    "!openai api fine_tunes.create -t train.jsonl -m curie",
    "!pip install openai \\",
    "    tiktoken",
    "%pip install openai",
    "%%time",
    "    !openai tools fine_tunes.prepare_data -f data.jsonl",
    'tweet = """',
    "@northwind best crew",
    "!!! lost my bag",
    '%50 off """',
    "print 'python 2'",
    "def f(:",
    "x = (",
    ")",
    "if True:",
    "    pass",
    "else:",
    "'unclosed",
    "\\",
    "@decorator",
    "",
    "    ",
    "\t",
    "x = '\U0001f680 é'",
    *(f'LABELS = {{"{model}": "tuned"}}' for model in IDS[:2]),
)
PROSE = (
    *IDS,
    "Run `openai api fine_tunes.create -t x.jsonl` once.",
    "see /v1/fine_tuning/jobs",
    "plain words",
)


def text_evidence(path: str, text: str, kind: str) -> list[Evidence]:
    """What a plain-text scan finds, after the documented rules that prose is not a
    dependency and that a command or path a program only shows is not one either (the
    sink decides: `print(...)`, a logger, `echo`, `console.log(...)`)."""
    result = without_prose(scan_text(path, text, PATTERNS), text, kind)
    found = [ev for ev in result.evidence if ev.kind in TEXT_KINDS]
    if kind == "python":
        found = judge(path, text, found, PATTERNS)
    elif kind == "shell":
        found = [ev for ev in found if not echoed(text, ev)]
    return found


def missing(path: str, text: str, kind: str) -> list[tuple[str, str, int]]:
    """Text-level evidence the scanner of `kind` does not report on the same line."""
    found = scan_source(path, text, kind, PATTERNS).evidence
    by_line: dict[tuple[str, int], set[str]] = {}
    for ev in found:
        by_line.setdefault((ev.kind, ev.span.line), set()).add(ev.value)
    prose = _notebook_prose_lines(text) if kind == "notebook" else set()
    lost = []
    for ev in text_evidence(path, text, kind):
        if ev.kind != "model-id" and ev.span.line in prose:
            continue
        values = by_line.get((ev.kind, ev.span.line), set())
        partial = ev.model is not None and ev.model.flavor == "partial"
        if ev.value in values or (partial and any(ev.value.startswith(v) for v in values)):
            continue
        if ev.kind == "model-id" and any(v.startswith(ev.value) for v in values):
            continue  # the ID heads a longer literal: a run-time checkpoint `...:ckpt-step-`
        if kind == "notebook" and any(ev.value.endswith(v) for v in values):
            continue  # read across an escape in the raw JSON: `\\ngpt-4o.ft-...` is `gpt-4o.ft-...`
        lost.append((ev.kind, ev.value, ev.span.line))
    return lost


def _notebook_prose_lines(text: str) -> set[int]:
    """Lines of a notebook's markdown and raw cells and of its outputs (by the token walk)."""
    try:
        cells = json.loads(text)["cells"]
    except (ValueError, KeyError, TypeError):
        return set()
    lines: set[int] = set()
    for token, is_key, stack in json_strings(text):
        if is_key or len(stack) < 3:
            continue
        parts = json_path(text, stack)
        if parts[0] != "cells" or not isinstance(parts[1], int) or parts[1] >= len(cells):
            continue
        cell = cells[parts[1]]
        code = isinstance(cell, dict) and cell.get("cell_type") == "code"
        if parts[2] == "outputs" or (parts[2] == "source" and not code):
            first = text.count("\n", 0, token.start()) + 1
            lines.update(range(first, first + token.group().count("\n") + 1))
    return lines


# ---------------------------------------------------------------- the fixtures


def test_every_fixture_keeps_its_text_evidence():
    checked = 0
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        kind = file_kind(path.name, path.read_bytes()[:128])
        if kind not in KINDS:
            continue
        rel = path.relative_to(FIXTURES).as_posix()
        assert missing(rel, path.read_text(encoding="utf-8"), kind) == [], rel
        checked += 1
    assert checked >= 15


# ---------------------------------------------------------------- made by hypothesis

LINES = st.lists(st.sampled_from(CODE), max_size=8).map("\n".join)


@st.composite
def notebooks(draw: st.DrawFn) -> str:
    cells = []
    for _ in range(draw(st.integers(0, 5))):
        source = draw(LINES)
        lines = source.splitlines(keepends=True)
        kind = draw(st.sampled_from(["code", "code", "markdown", "raw"]))
        if kind != "code" and draw(st.booleans()):
            source = "\n".join(draw(st.lists(st.sampled_from(PROSE), max_size=3)))
            lines = source.splitlines(keepends=True)
        cell: dict = {"cell_type": kind, "metadata": {}, "source": draw(st.sampled_from([source, lines]))}
        if kind == "code":
            printed = [f"{line}\n" for line in draw(st.lists(st.sampled_from(PROSE), max_size=2))]
            cell["outputs"] = (
                [{"output_type": "stream", "name": "stdout", "text": printed}] if printed else []
            )
        cells.append(cell)
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=draw(st.sampled_from([None, 1])), ensure_ascii=draw(st.booleans()))


@FUZZ
@given(notebooks())
def test_a_notebook_keeps_its_text_evidence(text):
    assert missing("made.ipynb", text, "notebook") == []


@FUZZ
@given(LINES)
def test_python_keeps_its_text_evidence(text):
    assert missing("made.py", text, "python") == []


def test_the_exception_for_what_is_only_shown_is_the_sink_rule_and_no_more():
    """The property's one exception, asserted both ways: a command printed is not kept, the
    same command run is."""
    shown = 'print("openai api fine_tunes.create -t x.jsonl -m curie")\n'
    run = 'import os\nos.system("openai api fine_tunes.create -t x.jsonl -m curie")\n'
    assert text_evidence("made.py", shown, "python") == []
    assert missing("made.py", shown, "python") == []
    assert [ev.value for ev in text_evidence("made.py", run, "python")] == ["openai api fine_tunes.create"]
    assert missing("made.py", run, "python") == []


@FUZZ
@given(LINES, st.sampled_from(["go", "java", "kotlin", "ruby", "csharp", "php", "shell", "terraform"]))
def test_every_language_keeps_its_text_evidence(text, kind):
    """The one tree-sitter scanner of the other languages adds to the text scan, never drops."""
    suffix = {"kotlin": "kt", "csharp": "cs", "shell": "sh", "terraform": "tf", "ruby": "rb"}.get(kind, kind)
    assert missing(f"made.{suffix}", text, kind) == []


VALUES = st.sampled_from([*IDS, "gpt-4o-mini", "/v1/fine_tuning/jobs", "openai api fine_tunes.list", "plain"])
KEYS = st.sampled_from(["model", "base", "url", "run", "name"])


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        key, value = draw(KEYS), draw(VALUES)
        forms = [f"{key}: {value}", f'{key}: "{value}"', f"{value}: {key}", f"- {value}", f"  {key}: {value}"]
        forms += [
            f"# {value}",
            f"{key}: [{value}, {value}",
            f"{key}: {{{{ .Values.{key} }}}}",
            "---",
            "\t- bad",
        ]
        lines.append(draw(st.sampled_from([*forms, f"{key}:: x"])))
    return "\n".join(lines)


@st.composite
def json_documents(draw: st.DrawFn) -> str:
    values = draw(st.lists(st.tuples(KEYS, VALUES), max_size=5))
    document = {"config": dict(values), "list": [v for _, v in values], "labels": {v: k for k, v in values}}
    text = json.dumps(document, indent=draw(st.sampled_from([None, 2])))
    cut = draw(st.integers(0, len(text)))
    return draw(st.sampled_from([text, text[:cut], text.replace(",", ",,", 1)]))


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        key, value = draw(KEYS), draw(VALUES)
        forms = [
            f'{key} = "{value}"',
            f"[{key}]",
            f'"{value}" = "{key}"',
            f'{key} = ["{value}"]',
            f"# {value}",
        ]
        forms += [f'{key} = "{value}', f"{key} = {value}", f'"{key}" = """\n{value}\n"""']
        lines.append(draw(st.sampled_from(forms)))
    return "\n".join(lines)


@FUZZ
@given(yaml_documents())
def test_yaml_keeps_its_text_evidence(text):
    assert missing("made.yaml", text, "yaml") == []


@FUZZ
@given(json_documents())
def test_json_keeps_its_text_evidence(text):
    assert missing("made.json", text, "json") == []


@FUZZ
@given(toml_documents())
def test_toml_keeps_its_text_evidence(text):
    assert missing("made.toml", text, "toml") == []


def test_the_check_sees_what_a_scanner_leaves_out(monkeypatch):
    """The check itself: a scanner that drops everything is caught."""
    import test_text_evidence_kept as this

    text = "import os\nos.system('openai api fine_tunes.create -t a.jsonl')\n"
    assert missing("made.py", text, "python") == []
    monkeypatch.setattr(this, "scan_source", lambda path, *_: FileResult(path))
    assert missing("made.py", text, "python") == [("cli", "openai api fine_tunes.create", 2)]
