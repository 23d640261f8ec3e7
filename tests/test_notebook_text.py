"""A notebook's cell text and its map back to the raw file, against per-character references.

`CellText` keeps one piece per run of plain characters and per escape; the reference keeps
the raw offset of every character, as the notebook scanner once did. `cell_chunks` reads
whole arrays of strings at once; the reference walks every token with `json_tokens`.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftscan.scan.notebook.cell_text import OUTPUT_TEXT_KEYS, CellText, cell_chunks, may_hold_id, tokens
from ftscan.scan.structured.json_tokens import json_path, json_strings

FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
ESCAPE = re.compile(r"\\(?:u(d[89ab]..\\ud[c-f]..)|u([0-9a-fA-F]{4})|.)", re.I)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
PIECES = (
    "ft:",
    "f",
    "t",
    ":",
    ".",
    "-",
    "gpt-4o",
    "a",
    " ",
    "\n",
    "\t",
    '"',
    "\\",
    "/",
    "é",
    "\u00a0",
    "\U0001f600",
    "\ud83d",
    "\x00",
)
TEXTS = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)


def reference(tokens_: list[tuple[str, int]]) -> tuple[str, list[int], int]:
    """Text, the raw offset of every character, and the end: one list entry per character.

    An escaped surrogate pair is one character; a lone surrogate cannot be parsed and
    becomes U+FFFD."""
    chars: list[str] = []
    offsets: list[int] = []
    end = 0
    for raw, start in tokens_:
        position = 1
        for match in ESCAPE.finditer(raw, 1, len(raw) - 1):
            for i in range(position, match.start()):
                chars.append(raw[i])
                offsets.append(start + i)
            chars.append(LONE_SURROGATE.sub("\ufffd", json.loads(f'"{match.group()}"')))
            offsets.append(start + match.start())
            position = match.end()
        for i in range(position, len(raw) - 1):
            chars.append(raw[i])
            offsets.append(start + i)
        end = start + len(raw) - 1
    return "".join(chars), offsets, end


def encode(text: str, style: int) -> str:
    """The JSON string of `text` as different writers spell it."""
    raw = json.dumps(text, ensure_ascii=style == 0)
    raw = LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", raw)  # decoded files hold none raw
    return raw.replace("/", "\\/") if style == 2 else raw


@FUZZ
@given(st.lists(st.tuples(TEXTS, st.integers(0, 2)), max_size=5), st.integers(0, 3))
def test_cell_text_maps_every_character_as_the_reference_does(strings, gap):
    raws = [encode(text, style) for text, style in strings]
    file = (" " * gap).join(raws)
    found, at = [], 0
    for raw in raws:
        found.append((raw, at))
        at += len(raw) + gap
    source = CellText.of(found)
    text, offsets, end = reference(found)
    assert source.text == text == LONE_SURROGATE.sub("\ufffd", "".join(t for t, _ in strings))
    assert [source.raw_offset(i) for i in range(len(text) + 2)] == [*offsets, end, end]
    assert may_hold_id(file, [(0, len(file))]) or not any(m in text for m in ("ft:", ":ft-", ".ft-"))


@FUZZ
@given(
    st.lists(st.tuples(TEXTS, st.integers(0, 2)), min_size=1, max_size=3),
    st.lists(st.tuples(TEXTS, st.integers(0, 2)), min_size=1, max_size=3),
)
def test_joined_cells_map_the_line_break_to_the_end_of_the_first(first, second):
    def cell(strings, at):
        found = []
        for text, style in strings:
            raw = encode(text, style)
            found.append((raw, at))
            at += len(raw) + 1
        return found, at

    one, at = cell(first, 0)
    two, _ = cell(second, at)
    joint = CellText()
    for found in (one, two):
        joint.extend(CellText.of(found))
    text_one, offsets_one, end_one = reference(one)
    text_two, offsets_two, end_two = reference(two)
    assert joint.text == f"{text_one}\n{text_two}\n"
    expected = [*offsets_one, end_one, *offsets_two, end_two]
    assert [joint.raw_offset(i) for i in range(len(expected) + 1)] == [*expected, end_two]


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), TEXTS),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["source", "outputs", "text", "data", "text/plain", "image/png", "a\\b"]),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=12,
)
CELLS = st.lists(
    st.fixed_dictionaries(
        {
            "cell_type": st.sampled_from(["code", "markdown"]),
            "source": st.one_of(TEXTS, st.lists(TEXTS, max_size=3)),
        },
        optional={"outputs": JSON_VALUES, "metadata": JSON_VALUES},
    ),
    max_size=4,
)


@FUZZ
@given(CELLS, st.sampled_from([None, 1]), JSON_VALUES)
def test_cell_chunks_find_the_tokens_the_token_walk_finds(cells, indent, extra):
    text = json.dumps({"metadata": extra, "cells": cells, "nbformat": 4}, indent=indent)
    sources: dict[int, list] = {}
    outputs: dict[int, list] = {}
    for token, is_key, stack in json_strings(text):
        if is_key or len(stack) < 3:
            continue
        parts = json_path(text, stack)
        if parts[0] != "cells" or not isinstance(parts[1], int):
            continue
        found = (token.group(), token.start())
        if parts[2] == "source":
            sources.setdefault(parts[1], []).append(found)
        elif parts[2] == "outputs":
            keys = [p for p in parts[3:] if isinstance(p, str)]
            if keys and keys[-1] in OUTPUT_TEXT_KEYS:
                outputs.setdefault(parts[1], []).append(found)
    source_chunks, output_chunks = cell_chunks(text)
    assert {i: tokens(text, c) for i, c in source_chunks.items()} == sources
    assert {i: tokens(text, c) for i, c in output_chunks.items()} == outputs
