"""Property tests: the model-ID grammar, every file-kind scanner and the rule loader on
arbitrary input.

Whatever a file holds, a scanner returns a result (a scanner that raises is caught and
reported as `scanner-error`, which here counts as a failure), every span lies inside the
file, and a model ID set apart from its neighbours by a blank, a quote or a line break is
found wherever it is put. The rule loader accepts a pack or raises `RuleError`, never
anything else.

`FTSCAN_FUZZ_SCALE=20 pytest tests/test_fuzz.py` runs twenty times as many examples.
"""

from __future__ import annotations

import json
import os
import re
import string
import textwrap
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ftscan import model_ids
from ftscan.model_ids import find_model_ids, parse_model_id
from ftscan.rules.load import RuleError, load_pack, load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import could_match, decode, scan_source
from ftscan.scan.ignores import find_ignores
from ftscan.scan.positions import LineIndex
from ftscan.types import EvidenceKind, FileResult

PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [rule for pack in PACKS for rule in pack.rules])
KINDS = ("python", "notebook", "dotenv", "yaml", "json", "jsonl", "toml", "markdown", "shell", "text")
# Kinds that report a model ID wherever it stands; the others may read one as a mapping key.
TEXT_LIKE = ("text", "shell", "markdown", "dotenv")

SCALE = float(os.environ.get("FTSCAN_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=int(150 * SCALE),
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SLOW_FUZZ = settings(FUZZ, max_examples=int(60 * SCALE))  # kinds parsed by libcst

HEX = "0123456789abcdef"
# Pieces of what scanners look for, and of what confuses parsers: arbitrary text built from
# them reaches the deep paths of every scanner far more often than random characters do.
FRAGMENTS = (
    "ft:",
    "gpt-4o-mini-2024-07-18",
    "gpt-3.5-turbo-0125",
    ":",
    "::",
    "northwind",
    "9tt19es9",
    ":ckpt-step-",
    "openai/",
    "openai:",
    "davinci:ft-",
    "curie:ft-acme-2022-07-10-22-06-17",
    ".ft-",
    HEX * 2,
    "-2023-01-01-00-00-00",
    "<org>",
    "{org}",
    "${ORG}",
    "...",
    "my-org",
    "<",
    ">",
    "ft:gpt-4o:<",
    "ft:gpt-4o:{",
    "ft:gpt-4o:${",
    "ft:gpt-4o:org:",
    "ft:open-mistral-7b:1a2b3c4d:20240101:5e6f7a8b",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "  ",
    '"',
    "'",
    "`",
    "\\",
    "#",
    "# ",
    "//",
    "--",
    ";",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ",",
    ": ",
    "- ",
    "=",
    "&a",
    "*a",
    "!!str ",
    "---\n",
    "|\n",
    "export ",
    "MODEL=",
    "SUPPORT_MODEL",
    "```",
    "```python\n",
    "~~~",
    "%%bash\n",
    "!",
    "openai api fine_tunes.create -t x",
    "openai tools fine_tunes.prepare_data",
    "openai api fine_tuning.jobs.create",
    "instructor jobs create-from-file x",
    "https://api.openai.com/v1/fine_tuning/jobs?limit=5",
    "/v1/fine-tunes",
    "/fine_tuning/",
    "OpenAI-Beta: assistants=v2",
    "dall-e-3",
    "import openai\n",
    "from openai import OpenAI\n",
    "client = OpenAI()\n",
    "client.fine_tuning.jobs.create(",
    "openai.FineTune.create(",
    "model=",
    "training_file=",
    "purpose='fine-tune'",
    "job.fine_tuned_model",
    "os.environ[",
    "os.getenv(",
    "BaseSettings",
    "f'",
    "{x}",
    " + ",
    "def f():\n",
    "    ",
    "class S(BaseSettings):\n",
    "# ftscan: ignore[FT101] -- why",
    "ftscan: ignore-file[FT201]",
    "ftscan: ignore",
    '{"messages": [{"role": "user", "content": "x"}]}',
    '"cells"',
    '"source"',
    '"cell_type"',
    "\x00",
    "\ufeff",
    "\u2028",
    "\x0c",
    "\x1b[31m",
    "é",
    "\U0001f600",
    "\ufffd",
)

fragments = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40).map("".join)


# ------------------------------------------------------------------ model IDs

ident = st.text(string.ascii_letters + string.digits, min_size=8, max_size=12)
word = st.text(string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=8).filter(
    lambda w: w[0].isalnum()
)
# Short bases mostly (a short ID fits inside more look-alikes), now and then a long one.
base = st.one_of(
    st.from_regex(r"[a-z][a-z0-9.\-]{0,6}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9.\-]{7,40}[a-z0-9]", fullmatch=True),
)


@st.composite
def model_id(draw: st.DrawFn) -> str:
    """A model ID of any shape the grammar knows, optionally behind a provider prefix."""
    shape = draw(st.sampled_from(("current", "checkpoint", "legacy", "azure")))
    if shape in ("current", "checkpoint"):
        raw = f"ft:{draw(base)}:{draw(word)}:{draw(st.one_of(st.just(''), word))}:{draw(ident)}"
        if shape == "checkpoint":
            raw += f":ckpt-step-{draw(st.integers(0, 10**6))}"
        assume(not raw.split(":")[1].startswith(model_ids._MISTRAL_BASES))
    elif shape == "legacy":
        stamp = draw(
            st.from_regex(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]-[0-2][0-9]-[0-5][0-9]-[0-5][0-9]", fullmatch=True)
        )
        raw = f"{draw(st.sampled_from(('ada', 'babbage', 'curie', 'davinci')))}:ft-{draw(word)}-{stamp}"
    else:
        suffix = draw(st.one_of(st.just(""), word.map(lambda w: "-" + w)))
        raw = f"{draw(base)}.ft-{draw(st.text(HEX, min_size=32, max_size=32))}{suffix}"
    prefix = draw(st.sampled_from(("", "", "openai/", "openai:")))
    assume(parse_model_id(prefix + raw) is not None)
    return prefix + raw


SEPARATOR_LIST = (" ", "\n", "\r\n", '"', "'", "\t")
SEPARATORS = st.sampled_from(SEPARATOR_LIST)
# What may stand just before a separator (the start of an ID, of a placeholder, of a prefix)
# and just after one (the end of a placeholder, more of a name).
HEADS = (
    "ft:gpt-4o:<",
    "ft:gpt-4o:{",
    "ft:gpt-4o:${",
    "ft:gpt-4o:org:",
    "ft:gpt-4o:org::",
    "davinci:ft-x",
    "gpt-4.",
    "openai/",
    "openai:",
    "x",
    "-",
    ".",
    "",
    "",
    "",
)
TAILS = (">", "}", ":x", ":ckpt-step-1", "-x", ".ft-", "x", "", "", "")
surroundings = st.tuples(st.sampled_from(TAILS), fragments, st.sampled_from(HEADS)).map("".join)


NEEDLE_BITS = st.sampled_from([*PATTERNS.needles, *(n[: len(n) // 2] for n in PATTERNS.needles), "é", "ft:"])


@given(st.lists(st.one_of(fragments, NEEDLE_BITS), max_size=8).map("".join))
@example("caféft:gpt-4o:acme::x")  # not an ID in the text; its bytes may pass (a superset)
@FUZZ
def test_the_prefilter_on_bytes_passes_whatever_it_passes_on_text(text):
    """Files are prefiltered as bytes, never decoded when they cannot match."""
    if could_match(text, PATTERNS) or any(True for _ in find_model_ids(text)):
        assert could_match(text.encode(), PATTERNS)
    if text.isascii():
        assert could_match(text.encode(), PATTERNS) == could_match(text, PATTERNS)


@given(fragments)
@FUZZ
def test_model_ids_lie_in_the_text_in_order(text):
    previous = -1
    for match in find_model_ids(text):
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.model.raw
        assert match.start >= previous
        previous = match.start


@given(
    st.lists(model_id(), min_size=1, max_size=3),
    st.lists(surroundings, min_size=4, max_size=4),
    st.lists(SEPARATORS, min_size=6, max_size=6),
)
@settings(FUZZ, max_examples=int(400 * SCALE))
def test_an_id_set_apart_is_found_anywhere(ids, around, seps):
    """Each ID between separators, in any surrounding text, is found with its exact span."""
    text = around[0]
    for i, raw in enumerate(ids):
        text += seps[2 * i] + raw + seps[2 * i + 1] + around[i + 1]
    found = {(text[m.start : m.end], m.model.raw) for m in find_model_ids(text)}
    for raw in ids:
        assert (raw, raw) in found, (raw, text)


@given(model_id())
@settings(FUZZ, max_examples=int(40 * SCALE))
def test_an_id_set_apart_survives_every_neighbour(raw):
    """Every look-alike head before it and tail after it, across every separator pair."""
    for head in HEADS:
        for tail in TAILS:
            for before in SEPARATOR_LIST:
                for after in SEPARATOR_LIST:
                    text = head + before + raw + after + tail
                    assert any(text[m.start : m.end] == raw for m in find_model_ids(text)), text


_AZURE_REGEX = re.compile(  # the grammar's regex before it was made linear: the oracle
    r"(?P<base>[a-z][a-z0-9.\-]*?)\.ft-(?P<hex>[0-9a-f]{32})(?:-(?P<suffix>[\w\-]+))?(?![\w\-])"
)


@given(
    st.lists(
        st.sampled_from(
            (
                ".ft-",
                HEX * 2,
                HEX[:7],
                "a",
                "gpt-4",
                "1",
                "-",
                ".",
                "_",
                "X",
                " ",
                "openai/",
                "openai:",
                "-s_1",
                "/",
                "é",
            )
        ),
        max_size=16,
    ).map("".join)
)
@settings(FUZZ, max_examples=int(400 * SCALE))
def test_azure_ids_match_the_plain_regex(text):
    """The linear Azure finder reports what the plain (quadratic) regex reported."""
    expected = [
        (m.start(), m.end(), m["base"], m["hex"], m["suffix"])
        for m in _AZURE_REGEX.finditer(text)
        if model_ids._start(text, m.start()) is not None
    ]
    found = [(m.start, m.end, m.model.base, m.model.id, m.model.suffix) for m in model_ids._azure_ids(text)]
    assert found == expected


# ------------------------------------------------------------------ scanners


def assert_spans_inside(text: str, result: FileResult) -> None:
    lines = LineIndex(text)
    count = len(lines.starts)
    for ev in result.evidence:
        span = ev.span
        assert 1 <= span.line <= span.end_line <= count, (ev, count)
        first = len(lines.line_text(text, span.line))
        last = len(lines.line_text(text, span.end_line))
        assert 1 <= span.column <= first + 1, (ev, first)
        assert 1 <= span.end_column <= last + 1, (ev, last)
        assert (span.end_line, span.end_column) >= (span.line, span.column), ev


def scan_checked(kind: str, text: str, path: str = "fuzzed") -> FileResult:
    result = scan_source(path, text, kind, PATTERNS)
    failed = [n for n in result.notifications if n.kind == "scanner-error"]
    assert not failed, failed  # a scanner raised: a bug, even though the file was still scanned
    assert_spans_inside(text, result)
    find_ignores(path, text, kind)  # run on every file holding `ftscan:`; must not raise
    return result


def fuzz_kind(kind: str, fuzz: settings = FUZZ):  # type: ignore[no-untyped-def]
    @given(fragments)
    @fuzz
    def check(text: str) -> None:
        scan_checked(kind, text)

    check.__name__ = f"test_{kind}_scanner_takes_any_text"
    return check


test_text_scanner_takes_any_text = fuzz_kind("text")
test_shell_scanner_takes_any_text = fuzz_kind("shell")
test_markdown_scanner_takes_any_text = fuzz_kind("markdown")
test_dotenv_scanner_takes_any_text = fuzz_kind("dotenv")
test_yaml_scanner_takes_any_text = fuzz_kind("yaml")
test_json_scanner_takes_any_text = fuzz_kind("json")
test_jsonl_scanner_takes_any_text = fuzz_kind("jsonl")
test_toml_scanner_takes_any_text = fuzz_kind("toml")
test_python_scanner_takes_any_text = fuzz_kind("python", SLOW_FUZZ)
test_notebook_scanner_takes_any_text = fuzz_kind("notebook", SLOW_FUZZ)


# Documents that parse, with arbitrary keys and values: the structured paths, not the fallback.
scalars = st.one_of(fragments, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(fragments, inner, max_size=4)),
    max_leaves=12,
)


@given(documents, st.sampled_from(("json", "yaml", "jsonl")))
@FUZZ
def test_structured_scanners_take_any_document(document, kind):
    if kind == "json":
        text = json.dumps(document, indent=1, ensure_ascii=False)
    elif kind == "jsonl":
        text = "\n".join(
            json.dumps(item) for item in (document if isinstance(document, list) else [document])
        )
    else:
        text = yaml.safe_dump(document, allow_unicode=True)
    scan_checked(kind, text)


@given(
    st.lists(st.tuples(st.sampled_from(("code", "markdown", "raw")), fragments), max_size=4),
    st.lists(fragments, max_size=2),
)
@SLOW_FUZZ
def test_notebook_scanner_takes_any_cells(cells, outputs):
    notebook = {
        "cells": [
            {
                "cell_type": kind,
                "source": source.splitlines(keepends=True),
                "metadata": {},
                **({"outputs": [{"output_type": "stream", "text": outputs}]} if kind == "code" else {}),
            }
            for kind, source in cells
        ],
        "nbformat": 4,
    }
    scan_checked("notebook", json.dumps(notebook, indent=1, ensure_ascii=False))


@given(
    model_id(),
    st.lists(surroundings, min_size=2, max_size=2),
    st.lists(SEPARATORS, min_size=2, max_size=2),
    st.sampled_from(TEXT_LIKE),
)
@FUZZ
def test_an_id_set_apart_is_found_by_text_like_scanners(raw, around, seps, kind):
    text = around[0] + seps[0] + raw + seps[1] + around[1]
    result = scan_checked(kind, text)
    lines = LineIndex(text)
    start = len(around[0]) + len(seps[0])
    model = parse_model_id(raw)
    if kind == "markdown" and model is not None and (model.placeholder or model.flavor == "partial"):
        return  # an example ID in Markdown prose is not reported (in a code block it is)
    assert any(
        ev.kind == EvidenceKind.MODEL_ID
        and ev.value == raw
        and ev.span == lines.span(start, start + len(raw))
        for ev in result.evidence
    ), (raw, text, result.evidence)


def _python_cell(raw: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": [f"MODEL = {raw!r}\n"], "outputs": []}]})


# A value in each structured kind: an ID there is a dependency whatever surrounds the document.
PLACED = {
    "python": lambda raw, junk: f"# {junk}\nMODEL = {raw!r}\n",
    "notebook": lambda raw, junk: _python_cell(raw),
    "yaml": lambda raw, junk: yaml.safe_dump({"junk": junk, "env": {"MODEL": raw}}, allow_unicode=True),
    "json": lambda raw, junk: json.dumps({"junk": junk, "model": raw}, ensure_ascii=False),
    "jsonl": lambda raw, junk: json.dumps({"junk": junk}) + "\n" + json.dumps({"body": {"model": raw}}),
    "toml": lambda raw, junk: f'junk = {json.dumps(junk, ensure_ascii=True)}\n[app]\nmodel = "{raw}"\n',
}


@given(model_id(), fragments, st.sampled_from(sorted(PLACED)))
@SLOW_FUZZ
def test_an_id_in_a_value_is_found_by_structured_scanners(raw, junk, kind):
    result = scan_checked(kind, PLACED[kind](raw, junk))
    assert raw in [ev.value for ev in result.evidence if ev.kind == EvidenceKind.MODEL_ID], result


@given(st.binary(max_size=200))
@FUZZ
def test_decode_takes_any_bytes(data):
    text, _problem = decode(data)
    assert isinstance(text, str)
    for kind in ("text", "yaml"):
        scan_checked(kind, text)


# ------------------------------------------------------------------ the rule loader

VALID_PACK = textwrap.dedent("""\
    pack: extra
    version: "1"
    milestones:
      cutoff: {date: 2027-03-01, effect: the internal gateway stops, status: confirmed}
    rules:
      - id: XT1
        name: internal-launcher
        summary: Launches a job through the internal wrapper
        match: {evidence: api-call, calls: [acme.ml.launch_finetune]}
        milestones: [cutoff]
        help: Use the new gateway.
        examples:
          - {as_of: 2027-01-01, level: warning, code: "from acme.ml import launch_finetune"}
      - id: XT2
        name: gateway-text
        summary: Mentions the gateway
        match: [{evidence: text, pattern: "gateway-v[12]"}, {evidence: model-id, flavors: [openai]}]
        level: note
        help: Check it.
""")
PACK_TOKENS = (
    "\n",
    "  ",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "!!binary ",
    "!!python/name:os.system",
    "<<: ",
    "~",
    "null",
    "true",
    "0x1f",
    "1e999",
    "2027-02-30",
    "9999-99-99",
    "'",
    '"',
    "#",
    "\t",
    "(",
    "*+",
    "\\",
    "rules",
    "match",
    "evidence",
    "milestones",
    "id",
    "XT1",
    "pattern",
    "needles",
    "props",
    "calls",
    "values",
    "level",
    "as_of",
    "---",
    "...",
    "\x00",
    "\ufeff",
    "é",
)


@st.composite
def mutated_pack(draw: st.DrawFn) -> str:
    """The valid pack with characters deleted, replaced and inserted."""
    text = VALID_PACK
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 8))
        insert = draw(st.one_of(st.sampled_from(PACK_TOKENS), st.text(max_size=4)))
        text = text[:at] + insert + text[at + cut :]
    return text


def _load(tmp_path: Path, text: str) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_pack(path)
    except RuleError as error:
        assert str(error).startswith(str(path))


@given(mutated_pack())
@settings(FUZZ, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_rule_loader_takes_mutated_text(tmp_path, text):
    _load(tmp_path, text)


pack_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=8),
        st.sampled_from(("api-call", "text", "model-id", "cutoff", "note", "2027-01-01", "(", "a*")),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated_pack_data(draw: st.DrawFn) -> str:
    """The valid pack's data with one value anywhere replaced by another of any type."""
    data = yaml.safe_load(VALID_PACK)
    node, key = data, None
    for _ in range(draw(st.integers(0, 4))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(0, len(node) - 1))
        else:
            break
        if not isinstance(node[key], (dict, list)):
            break
        node = node[key]
    new = draw(pack_values)
    if isinstance(node, dict) and draw(st.booleans()):
        node[draw(st.text(max_size=6))] = new  # a field of any name
    elif isinstance(node, dict) and node:
        node[draw(st.sampled_from(sorted(node, key=str)))] = new
    elif isinstance(node, list):
        node.append(new)
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=draw(st.booleans()))


@given(mutated_pack_data())
@settings(FUZZ, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_rule_loader_takes_values_of_any_type(tmp_path, text):
    _load(tmp_path, text)
