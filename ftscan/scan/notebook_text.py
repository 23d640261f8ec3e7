"""A notebook cell's text rebuilt from the JSON string tokens of the raw `.ipynb`, with a map
from each character back to its offset in the raw file (escapes included).

The map is piecewise linear: one piece per run of plain characters of a token and one per
escape, found with `bisect`. Building it costs a few operations per token and per escape,
never per character: a notebook of megabytes of outputs is read in linear time.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from ftscan.model_ids import has_marker
from ftscan.scan.json_tokens import step

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_STRING_TOKEN = re.compile(_STRING)
# A whole array of strings (a cell's source lines, an output's printed lines) is one token:
# the walk then costs a few steps per container, not per line.
_TOKEN = re.compile(rf"\[\s*{_STRING}(?:\s*,\s*{_STRING})*\s*\]|{_STRING}|[{{}}\[\],:]")
_SPLIT_MARKER = re.compile(r'[ft:.]"[\s,\[\]]*"')  # a string that ends as a marker begins
OUTPUT_TEXT_KEYS = frozenset(("text", "text/plain", "text/html", "text/markdown", "application/json"))
# A surrogate pair (`\\ud83d\\ude00`, as `ensure_ascii` writers spell emoji) is one escape.
_ESCAPE = re.compile(
    r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|.)"
)
_NOT_LINE_BREAK = re.compile(r"[^\r\n]")
_SIMPLE = {f"\\{char}": json.loads(f'"\\{char}"') for char in '"\\/bfnrt'}

Token = tuple[str, int]  # the raw JSON string token, quotes included, and where it starts
Chunk = tuple[int, int]  # start and end in the raw file of a string token or an array of them


class CellText:
    """A cell's text and the raw-file offset of each of its characters (plus one past the end)."""

    __slots__ = ("end", "length", "parts", "raws", "starts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []  # where each piece starts in the text ...
        self.raws: list[int] = []  # ... and in the raw file
        self.length = 0
        self.end = 0

    @classmethod
    def of(cls, tokens: list[Token]) -> CellText:
        source = cls()
        for raw, start in tokens:
            source.add(raw, start)
        return source

    def add(self, raw: str, start: int) -> None:
        """Append the JSON string token `raw` found at `start` in the file."""
        last = len(raw) - 1
        if "\\" not in raw:
            self._piece(raw[1:last], start + 1)
        else:
            position = 1  # past the opening quote
            for match in _ESCAPE.finditer(raw, 1, last):
                if match.start() > position:
                    self._piece(raw[position : match.start()], start + position)
                self._piece(_unescape(match), start + match.start())
                position = match.end()
            if position < last:
                self._piece(raw[position:last], start + position)
        self.end = start + last

    def extend(self, other: CellText) -> None:
        """Append another cell's text and a line break after it (mapped to its end)."""
        shift = self.length
        self.parts += other.parts
        self.starts += [start + shift for start in other.starts]
        self.raws += other.raws
        self.length += other.length
        self._piece("\n", other.end)
        self.end = other.end

    def blanked(self) -> CellText:
        """The same text with every character but line breaks a blank: same lines, same map."""
        copy = CellText()
        copy.parts = [_NOT_LINE_BREAK.sub(" ", part) for part in self.parts]
        copy.starts, copy.raws, copy.length, copy.end = (
            list(self.starts),
            list(self.raws),
            self.length,
            self.end,
        )
        return copy

    def _piece(self, chunk: str, raw_start: int) -> None:
        if chunk:
            self.parts.append(chunk)
            self.starts.append(self.length)
            self.raws.append(raw_start)
            self.length += len(chunk)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def raw_offset(self, offset: int) -> int:
        if offset >= self.length:
            return self.end
        piece = bisect_right(self.starts, offset) - 1
        return self.raws[piece] + offset - self.starts[piece]


def cell_chunks(text: str) -> tuple[dict[int, list[Chunk]], dict[int, list[Chunk]]]:
    """Where the strings of each cell's `source` and of its printed outputs
    (`cells[i].outputs[j].text[k]`, `...data["text/plain"][k]`) lie, by cell index: each a
    string token or an array of them (`tokens` splits them).

    `text` is valid JSON (the caller parsed it), so the walk needs no error handling.
    """
    sources: dict[int, list[Chunk]] = {}
    outputs: dict[int, list[Chunk]] = {}
    stack: list[list[Any]] = []  # [is an object, the key's span or the list's index, expecting a key]
    keys: dict[int, str] = {}  # key tokens by offset, decoded once

    def key(frame: list[Any]) -> str:
        where = frame[1]
        if where is None:
            return "?"
        if where[0] not in keys:
            keys[where[0]] = _decode_key(text[where[0] : where[1]])
        return keys[where[0]]

    def place() -> dict[int, list[Chunk]] | None:
        """Where the strings of a value in the current container go, with the cell index."""
        top, cell, field = stack[0], stack[1], stack[2]
        if not (top[0] and not cell[0] and field[0] and key(top) == "cells"):
            return None
        name = key(field)
        if name == "source":
            return sources
        if name == "outputs":
            inner = [frame for frame in stack[3:] if frame[0]]
            if inner and key(inner[-1]) in OUTPUT_TEXT_KEYS:
                return outputs
        return None

    for token in _TOKEN.finditer(text):
        char = text[token.start()]
        if char == '"':
            top = stack[-1] if stack else None
            if top is not None and top[0] and top[2]:
                top[1] = token.span()  # a key
            elif len(stack) >= 3:
                target = place()
                if target is not None:
                    target.setdefault(stack[1][1], []).append(token.span())
        elif char == "[" and token.end() - token.start() > 1:  # a whole array of strings
            if len(stack) >= 2:
                stack.append([False, 0, False])
                target = place()
                if target is not None:
                    target.setdefault(stack[1][1], []).append(token.span())
                stack.pop()
        else:
            step(stack, char)
    return sources, outputs


def _decode_key(raw: str) -> str:
    if "\\" not in raw:
        return raw[1:-1]
    try:
        return str(json.loads(raw))
    except ValueError:
        return raw[1:-1]


def tokens(text: str, chunks: list[Chunk]) -> list[Token]:
    """The string tokens of `chunks`, in order."""
    return [(m.group(), m.start()) for start, end in chunks for m in _STRING_TOKEN.finditer(text, start, end)]


def may_hold_id(text: str, chunks: list[Chunk]) -> bool:
    """Could the text of these strings, joined, hold a model ID? Decided on the raw file:
    a marker's characters come only from themselves or a `\\u` escape, and a marker split
    between two strings needs one that ends with one of them."""
    raw = "".join(text[start:end] for start, end in chunks)
    return "\\u" in raw or has_marker(raw) or _SPLIT_MARKER.search(raw) is not None


def _unescape(match: re.Match[str]) -> str:
    if match[1]:
        high, low = int(match[1], 16), int(match[2], 16)
        return chr(0x10000 + (high - 0xD800) * 0x400 + low - 0xDC00)
    if match[3]:
        code = int(match[3], 16)
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate cannot be parsed
    simple = _SIMPLE.get(match.group())
    return simple if simple is not None else json.loads(f'"{match.group()}"')  # type: ignore[no-any-return]
