"""Model IDs in YAML, JSON and TOML values, each with its key path and environment variable.

IDs are found in the raw text (exact spans, as the plain-text scanner finds them); the
parse only tells where each one sits. A whole ID that is a mapping key (a label map, results
keyed by model) is reported with its key path and `context: key`; a partial one there only
names a price-table row and is not. One in a comment is reported at low confidence. Files
are parsed only when they hold an ID, and a file that does not parse is scanned as plain
text with a notification.

YAML is read as a stream of events from the C parser, never built into objects, so
anchors and aliases cost nothing (an alias bomb is a few events) and nesting is walked
without recursion. JSON is checked with the standard parser and walked with a small
position-keeping tokenizer; TOML likewise with `tomllib` and a tokenizer.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ftscan.model_ids import IdMatch, find_model_ids
from ftscan.scan.positions import LineIndex
from ftscan.scan.structured.context import (
    PathPart,
    comment_evidence,
    fallback,
    finish,
    key_path,
    model_evidence,
    no_sibling,
    value_evidence,
)
from ftscan.scan.structured.json_tokens import json_path, json_strings
from ftscan.scan.text import is_comment_at, text_before
from ftscan.types import Evidence, FileResult, ScanPatterns
from ftscan.untrusted.yaml_events import TooDeep, events

if TYPE_CHECKING:
    import yaml

MAX_EVENTS = 1_000_000  # about a second of parsing; the walker's 5 MB cap stays under it for real files
MAX_DEPTH = 256  # libyaml slows down with the square of flow nesting depth

Place = tuple[tuple[PathPart, ...], bool, int]  # path, is a key, offset where the string's text starts


class _TooBig(Exception):
    """The YAML walk hit one of its limits."""


def _events(text: str) -> Iterator[Any]:
    """The YAML events of `text`; nesting past `MAX_DEPTH` is `_TooBig` whatever the PyYAML release."""
    import yaml  # only a YAML file that holds a model ID is parsed: JSON and JSONL never need it

    try:
        yield from events(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader), MAX_DEPTH)
    except TooDeep as error:
        raise _TooBig(f"YAML nested deeper than {MAX_DEPTH} levels at line {error.line}") from None


# ---------------------------------------------------------------- YAML


def scan_yaml(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Model IDs in YAML values (every document), with key paths and environment variables."""
    lines = LineIndex(text)
    matches = list(find_model_ids(text))
    if not matches:
        return finish(path, text, patterns, lines, ())
    import yaml

    try:
        evidence = _YamlWalk(path, text, lines, matches).run()
    except _TooBig as error:
        return fallback(path, text, patterns, str(error), kind="parse-limit")
    except yaml.YAMLError as error:
        level = "note" if "{{" in text else "warning"  # a Helm or Jinja template is not YAML yet
        return fallback(path, text, patterns, f"invalid YAML: {_yaml_problem(error)}", level)
    except Exception as error:  # libyaml can raise plain errors on odd input
        return fallback(path, text, patterns, f"YAML parser failed ({type(error).__name__}: {error})")
    return finish(path, text, patterns, lines, evidence)


def _yaml_problem(error: yaml.YAMLError) -> str:
    import yaml

    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return f"{error.problem or error.context or 'syntax error'}{where}"
    return " ".join(str(error).split())


class _Frame:
    """An open mapping or sequence while walking YAML events."""

    __slots__ = ("in_key", "index", "key", "mapping", "parts", "scalars", "want_key")

    def __init__(self, parts: list[PathPart], mapping: bool, in_key: bool) -> None:
        self.parts = parts
        self.mapping = mapping
        self.in_key = in_key
        self.want_key = True
        self.key: str = "?"
        self.index = -1
        self.scalars: dict[str, str] = {}


class _Placed(NamedTuple):
    """Where a YAML value holding a model ID sits."""

    parts: list[PathPart]
    start: int  # offset of the scalar (its quote or block indicator included)
    frame: _Frame | None  # the mapping or sequence that holds it
    document: int
    root: _Frame | None  # the document's top collection


class _YamlWalk:
    """Walks the event stream once and places each model ID."""

    def __init__(self, path: str, text: str, lines: LineIndex, matches: list[IdMatch]) -> None:
        self.path, self.text, self.lines, self.matches = path, text, lines, matches
        self.starts = [m.start for m in matches]
        self.placed: dict[int, _Placed | None] = {}  # match index -> place; None for a mapping key
        self.keys: dict[int, tuple[list[PathPart], int]] = {}  # match index -> a key's path, document
        self.roots: list[_Frame | None] = []  # each document's top collection
        self.filled: list[bool] = []  # each document holds something (a lone `---` does not)
        self.hashes: dict[int, int] = {}  # line start -> its first `#` (-1: none)

    def run(self) -> list[Evidence]:
        import yaml

        stack: list[_Frame] = []
        for count, event in enumerate(_events(self.text)):
            if count >= MAX_EVENTS:
                raise _TooBig(f"YAML too large to walk (over {MAX_EVENTS} nodes)")
            if isinstance(event, yaml.ScalarEvent):
                self._scalar(event, stack)
            elif isinstance(event, yaml.CollectionStartEvent):
                parts, in_key = self._slot(stack, None)
                frame = _Frame(parts, isinstance(event, yaml.MappingStartEvent), in_key)
                if not stack:
                    self.roots[-1] = frame
                    self.filled[-1] = True
                stack.append(frame)
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
            elif isinstance(event, yaml.AliasEvent):
                self._slot(stack, "*" + (event.anchor or ""))
            elif isinstance(event, yaml.DocumentStartEvent):
                self.roots.append(None)
                self.filled.append(False)
                stack = []
        return self._evidence(sum(self.filled) > 1)

    def _slot(self, stack: list[_Frame], key: str | None) -> tuple[list[PathPart], bool]:
        """Advance the innermost collection past one node: its path, and whether it is a key."""
        if not stack:
            return [], False
        top = stack[-1]
        if top.in_key:
            return top.parts, True
        if top.mapping:
            if top.want_key:
                top.want_key = False
                top.key = key if key is not None else "?"
                return top.parts, True
            top.want_key = True
            return [*top.parts, top.key], False
        top.index += 1
        return [*top.parts, top.index], False

    def _scalar(self, event: yaml.ScalarEvent, stack: list[_Frame]) -> None:
        top = stack[-1] if stack else None
        if top is not None and top.mapping and not top.want_key and not top.in_key:
            top.scalars[top.key] = event.value
        elif top is None and event.value:
            self.filled[-1] = True
        start, end = event.start_mark.index, event.end_mark.index
        first = bisect_left(self.starts, start)
        if first == len(self.starts) or self.starts[first] >= end:
            self._slot(stack, event.value)
            return
        parts, is_key = self._slot(stack, event.value)
        place = None if is_key else _Placed(parts, start, top, len(self.roots) - 1, self.roots[-1])
        for index in range(first, bisect_left(self.starts, end, first)):
            self.placed[index] = place
            if is_key:
                self.keys[index] = ([*parts, event.value], len(self.roots) - 1)

    def _evidence(self, many_documents: bool) -> list[Evidence]:
        found = []
        for index, match in enumerate(self.matches):
            if index not in self.placed:
                found.append(self._outside(match))
                continue
            place = self.placed[index]
            if place is None:  # a mapping key
                if is_dependency_key(match) and index in self.keys:
                    parts, document = self.keys[index]
                    document_index = document if many_documents else None
                    found.append(key_evidence(self.path, match, self.lines, parts, document_index))
                continue
            line_start = self._line_start(match.start)
            # A `#` line inside a block scalar (`run: |`) is a comment of the script it holds.
            commented = place.start < line_start and is_comment_at(self.text, line_start, match.start)
            prefix = text_before(self.text, max(place.start, line_start), match.start)
            found.append(
                value_evidence(
                    self.path,
                    match,
                    self.lines,
                    place.parts,
                    prefix,
                    document=place.document if many_documents else None,
                    sibling=place.frame.scalars.get if place.frame is not None else no_sibling,
                    kind=place.root.scalars.get("kind") if place.root is not None else None,
                    context="comment" if commented else None,
                )
            )
        return found

    def _outside(self, match: IdMatch) -> Evidence:
        """An ID in no scalar: in a comment, or somewhere the parser does not show (a tag)."""
        line_start = self._line_start(match.start)
        if line_start not in self.hashes:  # once per line: a long line can hold many IDs
            self.hashes[line_start] = self.text.find("#", line_start, self._line_end(line_start))
        hash_mark = self.hashes[line_start]
        if 0 <= hash_mark < match.start:
            comment = text_before(self.text, hash_mark, match.start)
            return comment_evidence(self.path, match, self.lines, comment)
        return model_evidence(self.path, match, self.lines)

    def _line_start(self, offset: int) -> int:
        return self.lines.starts[self.lines.position(offset)[0] - 1]

    def _line_end(self, line_start: int) -> int:
        following = bisect_right(self.lines.starts, line_start)
        return self.lines.starts[following] if following < len(self.lines.starts) else len(self.text)


# ---------------------------------------------------------------- JSON


def scan_json(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Model IDs in JSON string values, with key paths and environment variables."""
    lines = LineIndex(text)
    matches = list(find_model_ids(text))
    if not matches:
        return finish(path, text, patterns, lines, ())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return fallback(
            path, text, patterns, f"invalid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        )
    except RecursionError:
        return fallback(path, text, patterns, "JSON nested too deeply to parse")
    except ValueError as error:
        return fallback(path, text, patterns, f"invalid JSON: {error}")
    kind = data.get("kind") if isinstance(data, dict) else None
    places = json_string_paths(text, [m.start for m in matches])
    return finish(path, text, patterns, lines, json_evidence(path, text, lines, matches, places, data, kind))


def json_evidence(
    path: str,
    text: str,
    lines: LineIndex,
    matches: Sequence[IdMatch],
    places: Sequence[Place | None],
    data: Any = None,
    kind: object = None,
) -> Iterator[Evidence]:
    """Evidence for IDs placed by `json_string_paths` (keys: whole IDs only); `data` answers siblings."""
    for match, place in zip(matches, places, strict=True):
        if place is None:
            yield model_evidence(path, match, lines)
            continue
        parts, is_key, start = place
        if is_key:
            if is_dependency_key(match):
                yield key_evidence(path, match, lines, parts)
            continue
        container = _lookup(data, parts[:-1])
        sibling = container.get if isinstance(container, dict) else no_sibling
        line_start = lines.starts[lines.position(match.start)[0] - 1]
        prefix = text_before(text, max(start, line_start), match.start)
        yield value_evidence(path, match, lines, parts, prefix, sibling=sibling, kind=kind)


def json_string_paths(
    text: str, starts: Sequence[int], pos: int = 0, endpos: int | None = None
) -> list[Place | None]:
    """For each offset in `starts` (ascending), the JSON string holding it: path, key or not, start.

    Reads tokens from `pos` to `endpos` and stops after the last offset; None for an offset
    in no string. Tolerant of invalid JSON (the path is then a best guess).
    """
    places: list[Place | None] = [None] * len(starts)
    if not starts:
        return places
    index, count = 0, len(starts)
    for token, is_key, stack in json_strings(text, pos, endpos):
        start, end = token.span()
        while index < count and starts[index] < start:
            index += 1
        if index < count and starts[index] < end:
            parts = json_path(text, stack)  # a key's path ends with the key
            while index < count and starts[index] < end:
                places[index] = (parts, is_key, start + 1)
                index += 1
        if index == count:
            break
    return places


def is_dependency_key(match: IdMatch) -> bool:
    """A key that is a whole ID names a model the code uses; a partial one names a price row."""
    return match.model.flavor != "partial"


def key_evidence(
    path: str, match: IdMatch, lines: LineIndex, parts: Sequence[PathPart], document: int | None = None
) -> Evidence:
    """Evidence for an ID that is (part of) a mapping key at `parts` (the key last)."""
    return model_evidence(path, match, lines, key_path=key_path(parts, document), context="key")


def _lookup(data: Any, parts: Sequence[PathPart]) -> Any:
    for part in parts:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


# ---------------------------------------------------------------- TOML

_TOML_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:"{1,2}(?!"))?'
    r"|'''[\s\S]*?'''(?:'{1,2}(?!'))?"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*')"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<newline>\n)"
    r"|(?P<punct>[\[\]{}=,.])"
    r"|(?P<bare>[A-Za-z0-9_\-]+)"
)


def scan_toml(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Model IDs in TOML values, with the table and key that hold them."""
    lines = LineIndex(text)
    matches = list(find_model_ids(text))
    if not matches:
        return finish(path, text, patterns, lines, ())
    try:
        import tomllib
    except ImportError:  # Python 3.10: the tokenizer alone places IDs; an invalid file is not caught
        tomllib = None
    if tomllib is not None:
        try:
            tomllib.loads(text)
        except RecursionError:
            return fallback(path, text, patterns, "TOML nested too deeply to parse")
        except ValueError as error:  # TOMLDecodeError says where: "(at line 3, column 5)"
            return fallback(path, text, patterns, f"invalid TOML: {error}")
    return finish(path, text, patterns, lines, _TomlWalk(path, text, lines, matches).run())


class _TomlWalk:
    """Follows tables, keys, arrays and inline tables token by token and places each model ID."""

    def __init__(self, path: str, text: str, lines: LineIndex, matches: list[IdMatch]) -> None:
        self.path, self.text, self.lines, self.matches = path, text, lines, matches
        self.next = 0
        self.found: list[Evidence] = []
        self.arrays: dict[tuple[str, ...], int] = {}  # arrays of tables seen: header -> current index

    def run(self) -> list[Evidence]:
        # Frames: [kind ("table" | "inline" | "array"), base path, keys so far, list index, in a value]
        stack: list[list[Any]] = [["table", [], [], 0, False]]
        tokens = _TOML_TOKEN.finditer(self.text)
        for token in tokens:
            if self.next == len(self.matches):
                break
            group, value = token.lastgroup, token.group()
            top = stack[-1]
            kind, base, keys, index, in_value = top
            if group == "comment":
                self._comment(token)
            elif group == "newline":
                if len(stack) == 1:
                    top[2], top[4] = [], False
            elif kind == "array":
                if group == "string":
                    self._string(token, [*base, index], False)
                elif value == ",":
                    top[3] += 1
                elif value == "]":
                    stack.pop()
                elif value in "[{":
                    stack.append(["array" if value == "[" else "inline", [*base, index], [], 0, False])
            elif not in_value:
                if group == "string":
                    keys.append(self._key(token, [*base, *keys]))
                elif group == "bare":
                    keys.append(value)
                elif value == "=":
                    top[4] = True
                elif value == "[" and len(stack) == 1 and not keys:
                    top[1] = self._header(token, tokens)
                elif value == "}":
                    stack.pop()
            elif group == "string":
                self._string(token, [*base, *keys], False)
            elif value in "[{":
                stack.append(["array" if value == "[" else "inline", [*base, *keys], [], 0, False])
            elif value == "," and kind == "inline":
                top[2], top[4] = [], False
            elif value == "}" and kind == "inline":
                stack.pop()
        self.found.extend(model_evidence(self.path, m, self.lines) for m in self.matches[self.next :])
        return self.found

    def _header(self, token: re.Match[str], tokens: Iterator[re.Match[str]]) -> list[PathPart]:
        """Read `[a.b]` or `[[a.b]]` and return the table's path, with array-of-tables indexes."""
        is_array = self.text.startswith("[[", token.start())
        names: list[str] = []
        for inner in tokens:
            if inner.group() == "]":
                break
            if inner.lastgroup == "string":
                names.append(self._key(inner, list(names)))
            elif inner.lastgroup == "bare":
                names.append(inner.group())
        header = tuple(names)
        if is_array:
            self.arrays[header] = self.arrays.get(header, -1) + 1
            for deeper in [h for h in self.arrays if len(h) > len(header) and h[: len(header)] == header]:
                del self.arrays[deeper]
        parts: list[PathPart] = []
        for depth, name in enumerate(names, 1):
            parts.append(name)
            if header[:depth] in self.arrays:
                parts.append(self.arrays[header[:depth]])
        return parts

    def _key(self, token: re.Match[str], parts: list[PathPart]) -> str:
        """A quoted key's name; its IDs are placed at `parts` and the name."""
        raw = token.group()
        name = raw[1:-1]
        if raw.startswith('"'):
            try:
                name = json.loads(raw)
            except ValueError:
                name = raw[1:-1]
        self._string(token, [*parts, name], True)
        return name

    def _string(self, token: re.Match[str], parts: list[PathPart], key: bool) -> None:
        start, end = token.span()
        while self.next < len(self.matches) and self.matches[self.next].start < start:
            self.found.append(model_evidence(self.path, self.matches[self.next], self.lines))
            self.next += 1
        while self.next < len(self.matches) and self.matches[self.next].start < end:
            match = self.matches[self.next]
            if key and is_dependency_key(match):
                self.found.append(key_evidence(self.path, match, self.lines, parts))
            elif not key:
                line_start = self.lines.starts[self.lines.position(match.start)[0] - 1]
                prefix = text_before(self.text, max(start, line_start), match.start)
                self.found.append(value_evidence(self.path, match, self.lines, parts, prefix))
            self.next += 1

    def _comment(self, token: re.Match[str]) -> None:
        start, end = token.span()
        while self.next < len(self.matches) and self.matches[self.next].start < end:
            match = self.matches[self.next]
            if match.start < start:
                self.found.append(model_evidence(self.path, match, self.lines))
            else:
                comment = text_before(self.text, start, match.start)
                self.found.append(comment_evidence(self.path, match, self.lines, comment))
            self.next += 1
