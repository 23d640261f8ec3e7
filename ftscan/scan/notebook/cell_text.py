"""A notebook cell's text rebuilt from the JSON string tokens of the raw `.ipynb`, with a map
from each character back to its offset in the raw file (escapes included).

The map is piecewise linear: one piece per run of plain characters of a token and one per
escape, found with `bisect`. Building it costs a few operations per token and per escape,
never per character: a notebook of megabytes of outputs is read in linear time. The text
itself is decoded by the C decoder, and the map is built only for a cell that holds
something to place.

The walk that finds the strings (`cell_chunks`) jumps over what holds no cell: the
notebook's own metadata (widget state, often most of the file) and each cell's metadata.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from ftscan.model_ids import has_marker
from ftscan.scan.structured.json_tokens import step

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
_SURROGATE = re.compile("[\ud800-\udfff]")
# Every spelling of the key "cells" (a letter or its `\\u` escape): after the notebook's
# own metadata, the walk stops if the rest of the file holds none.
_CELLS_KEY = re.compile(r'"(?:c|\\u0063)(?:e|\\u0065)(?:l|\\u006[cC])(?:l|\\u006[cC])(?:s|\\u0073)"')
_BLANKS = re.compile(r"[ \t\n\r]*")
_SCAN_ONCE = json.JSONDecoder().scan_once  # one value from an offset, at C speed

Token = tuple[str, int]  # the raw JSON string token, quotes included, and where it starts
Chunk = tuple[int, int]  # start and end in the raw file of a string token or an array of them


class CellText:
    """A cell's text (or several cells', joined), and the raw-file offset of each of its
    characters (plus one past the end).

    The text is decoded at once by the C decoder; the map back to the raw file is built
    only when an offset is asked for, which is for the few cells that hold evidence.
    """

    __slots__ = ("_items", "_map", "_parts", "_text", "length")

    def __init__(self) -> None:
        # The strings of each cell (and whether blanked), and after each joined cell the
        # cell whose end its line break maps to.
        self._items: list[tuple[_Strings, bool] | CellText] = []
        self._parts: list[str] = []
        self._text: str | None = ""
        self._map: _OffsetMap | None = None
        self.length = 0

    @classmethod
    def of(cls, tokens: list[Token]) -> CellText:
        """The text of JSON string tokens, each with where it starts in the file."""
        return cls._one(_Strings(tokens=tokens))

    @classmethod
    def read(cls, file: str, chunks: list[Chunk]) -> CellText:
        """The text of the strings in `chunks` of the raw file (see `cell_chunks`)."""
        return cls._one(_Strings(file, chunks))

    @classmethod
    def _one(cls, strings: _Strings) -> CellText:
        source = cls()
        source._add((strings, False), strings.text)
        return source

    def extend(self, other: CellText) -> None:
        """Append another cell's text and a line break after it (mapped to its end)."""
        for item, part in zip(other._items, other._parts, strict=True):
            self._add(item, part)
        self._add(other, "\n")

    def blanked(self) -> CellText:
        """The same text with every character but line breaks a blank: same lines, same map."""
        copy = CellText()
        for item, part in zip(self._items, self._parts, strict=True):
            if isinstance(item, CellText):
                copy._add(item, part)
            else:
                copy._add((item[0], True), _NOT_LINE_BREAK.sub(" ", part))
        return copy

    def _add(self, item: tuple[_Strings, bool] | CellText, part: str) -> None:
        self._items.append(item)
        self._parts.append(part)
        self.length += len(part)
        self._text = None
        self._map = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._parts)
        return self._text

    @property
    def end(self) -> int:
        """One past the last character's raw offset: the closing quote of the last string."""
        return self._offsets().end

    def raw_offset(self, offset: int) -> int:
        return self._offsets().raw_offset(offset)

    def _offsets(self) -> _OffsetMap:
        if self._map is None:
            offsets = _OffsetMap()
            for item in self._items:
                if isinstance(item, CellText):
                    offsets.line_break(item.end)
                else:
                    for raw, start in item[0].tokens():
                        offsets.add(raw, start)
            self._map = offsets
        return self._map


class _Strings:
    """The JSON strings of a cell's source or of an output: decoded at once, split into
    tokens only for the offset map."""

    __slots__ = ("_chunks", "_file", "_tokens", "text")

    def __init__(self, file: str = "", chunks: list[Chunk] | None = None, tokens: list[Token] | None = None):
        self._file, self._chunks, self._tokens = file, chunks or [], tokens
        if tokens is not None:
            values = [_SCAN_ONCE(raw, 0)[0] for raw, _ in tokens]
            escaped = any("\\u" in raw for raw, _ in tokens)
        else:
            values = [_SCAN_ONCE(file, start)[0] for start, _ in self._chunks]
            escaped = any(file.find("\\u", start, end) >= 0 for start, end in self._chunks)
        text = "".join(value if isinstance(value, str) else "".join(value) for value in values)
        # A lone escaped surrogate cannot be parsed: it reads as U+FFFD, as in the map.
        self.text = _SURROGATE.sub("\ufffd", text) if escaped else text

    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = tokens(self._file, self._chunks)
        return self._tokens


class _OffsetMap:
    """Piecewise linear: one piece per run of plain characters and one per escape."""

    __slots__ = ("end", "length", "raws", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []  # where each piece starts in the text ...
        self.raws: list[int] = []  # ... and in the raw file
        self.length = 0
        self.end = 0

    def add(self, raw: str, start: int) -> None:
        """Append the JSON string token `raw` found at `start` in the file."""
        last = len(raw) - 1
        if "\\" not in raw:
            self._piece(last - 1, start + 1)
        else:
            position = 1  # past the opening quote
            for match in _ESCAPE.finditer(raw, 1, last):
                if match.start() > position:
                    self._piece(match.start() - position, start + position)
                self._piece(1, start + match.start())  # one character, a pair included
                position = match.end()
            if position < last:
                self._piece(last - position, start + position)
        self.end = start + last

    def line_break(self, end: int) -> None:
        self._piece(1, end)
        self.end = end

    def _piece(self, size: int, raw_start: int) -> None:
        if size:
            self.starts.append(self.length)
            self.raws.append(raw_start)
            self.length += size

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

    def worthless() -> bool:
        """Can no string of the value after this key land in a cell's source or outputs?
        True for the notebook's own metadata (widget state: most of a file's tokens) and a
        cell's fields other than `source` and `outputs`."""
        depth = len(stack)
        if depth == 1:
            return stack[0][0] and key(stack[0]) != "cells"
        if depth == 3:
            top, cell, field = stack
            return not (top[0] and not cell[0] and field[0] and key(top) == "cells") or key(field) not in (
                "source",
                "outputs",
            )
        return False

    def walk(position: int) -> int | None:
        """Walk the tokens from `position`; where to go on after a value skipped whole, or
        None at the end."""
        for token in _TOKEN.finditer(text, position):
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
                if char == ":" and worthless():
                    if len(stack) == 1 and _CELLS_KEY.search(text, token.end()) is None:
                        return None  # no list of cells in the rest of the file
                    end = _value_end(text, token.end())
                    if end is not None:
                        return end
        return None

    position: int | None = 0
    while position is not None:
        position = walk(position)
    return sources, outputs


def _value_end(text: str, start: int) -> int | None:
    """Where the object or array after `start` ends, read by the C decoder; None for a
    value that is one token anyway or that cannot be read there (the walk goes on token by
    token)."""
    start = _BLANKS.match(text, start).end()  # type: ignore[union-attr]
    if text[start : start + 1] not in ("{", "["):
        return None
    try:
        return _SCAN_ONCE(text, start)[1]  # type: ignore[no-any-return]
    except (StopIteration, ValueError, RecursionError):
        return None


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
