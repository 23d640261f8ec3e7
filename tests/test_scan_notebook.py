"""Notebooks: cells scanned as Python, locations on the raw .ipynb lines, magics and outputs."""

from __future__ import annotations

from conftest import FIXTURES

from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import scan_file

PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [r for p in PACKS for r in p.rules])
NOTEBOOK = FIXTURES / "everywhere" / "train.ipynb"


def scan():
    return scan_file(NOTEBOOK, "train.ipynb", "notebook", PATTERNS)


def raw_line(line: int) -> str:
    return NOTEBOOK.read_text().splitlines()[line - 1]


def test_locations_point_at_raw_lines_with_cell_coordinates():
    result = scan()
    rows = [
        (
            ev.kind,
            ev.value,
            ev.span.line,
            ev.span.column,
            ev.prop("cell"),
            ev.prop("cell_line"),
            ev.confidence,
        )
        for ev in result.evidence
    ]
    assert rows == [
        ("model-id", "ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN", 8, 11, "0", "2", "low"),
        ("cli", "openai api fine_tuning.jobs.create", 18, 7, "1", "2", "high"),
        ("api-call", "openai.fine_tuning.jobs.create", 22, 12, "1", "6", "high"),
        ("model-id", "ft:gpt-3.5-turbo-0125:northwind::9tt19es9", 34, 40, "2", "1", "low"),
        ("api-call", "openai.fine_tuning.jobs.retrieve", 39, 12, "2", "1", "high"),  # client from cell 1
        ("model-id", "ft:gpt-3.5-turbo-0125:northwind::9tt19es9", 40, 53, "2", "2", "high"),
        ("model-id", "ft:gpt-4.1-2025-04-14:northwind:x:Ab12Cd34", 48, 39, "3", "2", "high"),
    ]
    for ev in result.evidence:
        if ev.kind == "model-id":  # no escapes inside IDs: the raw slice is the ID itself
            assert raw_line(ev.span.line)[ev.span.column - 1 : ev.span.end_column - 1] == ev.value


def test_contexts_of_prose_and_output():
    contexts = {ev.span.line: ev.prop("context") for ev in scan().evidence}
    assert contexts[8] == "markdown-cell"
    assert contexts[34] == "output"
    assert contexts[40] is None


def test_call_keyword_survive_the_move():
    (ev,) = [ev for ev in scan().evidence if ev.span.line == 40]
    assert (ev.call, ev.keyword) == ("openai.chat.completions.create", "model")


def test_cell_that_does_not_parse_falls_back_with_a_notification():
    result = scan()
    assert [(n.kind, n.message) for n in result.notifications] == [
        (
            "parse-error",
            "cell 3, line 1 (line 48 of the file): not valid Python 3 (syntax error); scanned as plain text",
        ),
    ]


def test_not_a_notebook(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [ MODEL = "ft:gpt-4o-2024-08-06:northwind:s:Ab12Cd34"')
    result = scan_file(path, "broken.ipynb", "notebook", PATTERNS)
    assert [ev.value for ev in result.evidence] == ["ft:gpt-4o-2024-08-06:northwind:s:Ab12Cd34"]
    assert result.notifications[0].kind == "parse-error"


def test_an_id_after_an_escaped_line_break_in_one_source_string(tmp_path):
    """A cell whose source is one JSON string: in the raw file the ID follows `\\n`."""
    import json

    cell = (
        "Production model:\nft:gpt-4o-mini-2024-07-18:northwind:prod:Xq7Lm2Pz\n"
        "fallback\u00a0ft:gpt-4o-2024-08-06:northwind::Kd82hQz1"
    )
    notebook = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": cell}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "one.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = scan_file(path, "one.ipynb", "notebook", PATTERNS)
    assert [ev.value for ev in result.evidence] == [  # `\\n` and `\\u00a0` before them in the raw JSON
        "ft:gpt-4o-mini-2024-07-18:northwind:prod:Xq7Lm2Pz",
        "ft:gpt-4o-2024-08-06:northwind::Kd82hQz1",
    ]


def test_magics_continue_after_a_backslash_and_never_start_inside_a_string():
    from ftscan.scan.notebook.magics import magic_lines, mask_magics

    source = (
        "!pip install openai \\\n"  # continued ...
        "    tiktoken\n"  # ... here
        'tweet = """\n'
        "@northwind !!! great\n"
        '%50 off"""\n'
        "try:\n"
        "    import openai\n"
        "except ImportError:\n"
        "    !pip install openai\n"
    )
    lines = magic_lines(source)
    assert [source[start:end] for start, end, _ in lines] == [
        "!pip install openai \\",
        "    tiktoken",
        "    !pip install openai",
    ]
    masked = mask_magics(source, lines)
    assert len(masked) == len(source)
    assert masked.splitlines()[0].strip() == masked.splitlines()[1].strip() == ""
    assert masked.splitlines()[4] == '%50 off"""'  # inside the string: kept
    assert masked.splitlines()[-1] == "    0" + " " * 18  # the whole body of `except`


def test_a_notebook_whose_cells_parse_alone_but_not_as_joined_today(tmp_path):
    """The trigger seen on real notebooks: a continued `!pip` line, then code in other cells."""
    import json

    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "source": ["!pip install openai \\\n", "    tiktoken\n"],
        },
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "source": ["from openai import OpenAI\n", "client = OpenAI()\n"],
        },
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": "client.fine_tuning.jobs.list()"},
    ]
    path = tmp_path / "pip.ipynb"
    path.write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    )
    result = scan_file(path, "pip.ipynb", "notebook", PATTERNS)
    assert [(ev.value, ev.confidence, ev.prop("cell")) for ev in result.evidence] == [
        ("openai.fine_tuning.jobs.list", "high", "2"),
    ]
    assert result.notifications == ()
