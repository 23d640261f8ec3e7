"""Model IDs in `.env` files, each with the variable it is assigned to.

Read with python-dotenv's own parser, so quotes, `export`, multi-line values and inline
comments mean what they mean to the application. A commented-out assignment
(`# OLD_MODEL=ft:...`) is history worth a note: reported at low confidence with its variable.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator

from ftscan.model_ids import IdMatch, find_model_ids
from ftscan.scan.positions import LineIndex
from ftscan.scan.structured.context import assigned_name, comment_evidence, fallback, finish, model_evidence
from ftscan.scan.text import is_comment_at, text_before
from ftscan.types import Evidence, FileResult, ScanPatterns

# python-dotenv's value grammar (dotenv/parser.py): a quoted value ends at its closing quote,
# an unquoted one at blanks followed by `#`.
_QUOTED = {"'": re.compile(r"'(?:\\'|[^'])*'"), '"': re.compile(r'"(?:\\"|[^"])*"')}
_INLINE_COMMENT = re.compile(r"[^\S\r\n]+#|[\r\n]")
_BLANKS = re.compile(r"[^\S\r\n]*")

Binding = tuple[int, str, str | None, bool]  # offset, raw text, key, parse error


def scan_dotenv(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Model IDs in variable values and commented-out assignments of a `.env` file."""
    lines = LineIndex(text)
    matches = list(find_model_ids(text))
    if not matches:
        return finish(path, text, patterns, lines, ())
    try:
        bindings = list(parse_bindings(text))
    except Exception as error:  # the parser is not ours: any failure falls back to text
        return fallback(path, text, patterns, f"cannot parse as .env ({type(error).__name__}: {error})")
    evidence = []
    index = 0
    commented: dict[int, list[Binding]] = {}  # parsed once per commented-out line, however many IDs
    for match in matches:
        while index + 1 < len(bindings) and bindings[index + 1][0] <= match.start:
            index += 1
        evidence.append(_evidence(path, text, lines, match, bindings[index], commented))
    return finish(path, text, patterns, lines, evidence)


def parse_bindings(text: str) -> Iterator[Binding]:
    """python-dotenv's bindings of `text`, each with its offset; they tile the text."""
    from dotenv.parser import parse_stream  # a runtime dependency, paid only by .env files

    offset = 1 if text.startswith("\ufeff") else 0  # the parser drops a byte-order mark
    for binding in parse_stream(io.StringIO(text)):
        raw = binding.original.string
        if not text.startswith(raw, offset):
            raise ValueError(f"parser lost its place at line {binding.original.line}")
        yield offset, raw, binding.key, binding.error
        offset += len(raw)


def value_key(raw: str, key: str | None, at: int) -> tuple[str | None, int]:
    """For one binding's text: its key when offset `at` is in its value, and where its comment starts.

    The key is None when `at` is not in the value; the comment offset is -1 when there is none.
    """
    equals, value_end, hash_mark = _value_bounds(raw)
    if key is None or equals < 0 or at <= equals:
        return None, -1
    return (key if at < value_end else None), hash_mark


@functools.lru_cache(maxsize=4)
def _value_bounds(raw: str) -> tuple[int, int, int]:
    """Where a binding's `=`, value end and comment are (-1: none); once per binding, not per ID."""
    equals = raw.find("=")
    if equals < 0:
        return -1, -1, -1
    start = _BLANKS.match(raw, equals + 1).end()
    quoted = _QUOTED.get(raw[start : start + 1])
    end = quoted.match(raw, start) if quoted else None
    if end is not None:
        value_end = end.end()
    else:
        comment = _INLINE_COMMENT.search(raw, start)
        value_end = comment.start() if comment else len(raw)
    return equals, value_end, raw.find("#", value_end)


def _evidence(
    path: str,
    text: str,
    lines: LineIndex,
    match: IdMatch,
    binding: Binding,
    commented: dict[int, list[Binding]],
) -> Evidence:
    offset, raw, key, error = binding
    number = lines.position(match.start)[0]
    line_start = lines.starts[number - 1]
    before = text_before(text, line_start, match.start)  # no copy of a long line per ID
    if error:  # a line python-dotenv rejects (shell code in `.envrc`): judge it as text
        if is_comment_at(text, line_start, match.start):
            return comment_evidence(path, match, lines, before)
        return model_evidence(path, match, lines, env_var=assigned_name(before))
    name, comment = value_key(raw, key, match.start - offset)
    if name is not None:
        return model_evidence(path, match, lines, key_path=name, env_var=name, keyword=name)
    if key is None and is_comment_at(text, line_start, match.start, "#"):
        if number not in commented:
            commented[number] = _commented_bindings(lines.line_text(text, number))
        hash_mark = _BLANKS.match(text, line_start).end()
        return _commented_out(path, match, lines, commented[number], match.start - hash_mark - 1, before)
    if comment >= 0 and offset + comment < match.start:
        return comment_evidence(path, match, lines, text_before(text, offset + comment, match.start))
    return model_evidence(path, match, lines)


def _commented_bindings(line: str) -> list[Binding]:
    """The bindings of a `#` line's text after the `#`, as if it were not commented out."""
    try:
        return list(parse_bindings(line.lstrip()[1:]))
    except ValueError:
        return []


def _commented_out(
    path: str, match: IdMatch, lines: LineIndex, bindings: list[Binding], at: int, before: str
) -> Evidence:
    """An ID on a `#` line (at `at` after the `#`): when the line is an assignment once
    commented out, name its variable."""
    for offset, raw, key, error in bindings:
        if not error and offset <= at < offset + len(raw):
            name, _ = value_key(raw, key, at - offset)
            if name is not None:
                return model_evidence(path, match, lines, env_var=name, keyword=name, context="comment")
    return comment_evidence(path, match, lines, before)
