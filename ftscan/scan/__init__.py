"""Read one file, decide cheaply whether it can match, and hand it to its kind's scanner.

`SCANNERS` maps a file kind to the pure function `(path, text, patterns) -> FileResult`
that scans it. Parsers are imported only when a file that passed the prefilter needs them.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from ftscan.frozen import replace
from ftscan.model_ids import could_hold_id
from ftscan.scan.ignores import MARKER, find_ignores
from ftscan.scan.scripts import is_python_script
from ftscan.scan.time_limit import TimeLimitExceeded, time_limit
from ftscan.types import FileLimits, FileResult, Notification, ScanPatterns
from ftscan.untrusted.files import WIDE_BOMS, looks_binary, read_regular

Scanner = Callable[[str, str, ScanPatterns], FileResult]
Fallback = Callable[[str, str, ScanPatterns, tuple[Notification, ...]], FileResult]
PYTHON_KINDS = frozenset({"python", "notebook"})
CODE_KINDS = PYTHON_KINDS | {"javascript"}  # code that may read environment variables
PROSE_AWARE = frozenset({"markdown"})  # scanners that set prose apart themselves
NO_LIMITS = FileLimits()
_IGNORE = MARKER.encode()  # a file with ignore comments is read for them, match or not


# Each kind's scanner, imported on first use: a pre-commit run over .py files never
# imports YAML machinery, and one whose files cannot match never imports libcst.
SCANNERS: dict[str, str] = {
    "python": "ftscan.scan.python:scan_python",
    "javascript": "ftscan.scan.javascript:scan_javascript",
    "notebook": "ftscan.scan.notebook:scan_notebook",
    "dotenv": "ftscan.scan.structured.dotenv:scan_dotenv",
    "yaml": "ftscan.scan.structured.documents:scan_yaml",
    "json": "ftscan.scan.structured.documents:scan_json",
    "toml": "ftscan.scan.structured.documents:scan_toml",
    "jsonl": "ftscan.scan.structured.jsonl:scan_jsonl",
    "markdown": "ftscan.scan.text.markdown:scan_markdown",
    "go": "ftscan.scan.languages:scan_go",
    "java": "ftscan.scan.languages:scan_java",
    "kotlin": "ftscan.scan.languages:scan_kotlin",
    "ruby": "ftscan.scan.languages:scan_ruby",
    "csharp": "ftscan.scan.languages:scan_csharp",
    "php": "ftscan.scan.languages:scan_php",
    "shell": "ftscan.scan.languages:scan_shell",
    "terraform": "ftscan.scan.languages.terraform:scan_terraform",
}


@cache
def scanner_for(kind: str) -> Scanner:
    """The scanner of a file kind; plain text for kinds without one of their own."""
    module, _, function = SCANNERS.get(kind, "ftscan.scan.text:scan_text").partition(":")
    return getattr(import_module(module), function)  # type: ignore[no-any-return]


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of a file and, when it was not clean UTF-8, a note saying how it was read."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        return text, f"not valid UTF-8 (byte {error.start}); undecodable bytes replaced"


def could_match(text: str | bytes, patterns: ScanPatterns, kind: str = "text") -> bool:
    """The prefilter: a needle from the rules, or the start of a model ID.

    On the text, or on the bytes read (UTF-8 or any ASCII-compatible encoding: a needle's
    UTF-8 bytes are in the file exactly when the needle is in its text), so that a file
    that cannot match is never decoded. JSONL files pass when a rule asks for training
    data: their scanner only samples them.
    """
    if kind == "jsonl" and patterns.training_data:
        return True
    if patterns.model_ids and could_hold_id(text):
        return True
    gates = _gates(patterns.needles, isinstance(text, bytes))
    if any(
        gate in text and (not members or any(m in text for m in members))  # type: ignore[operator]
        for gate, members in gates
    ):
        return True
    own = next((found for k, found in patterns.kind_needles if k == kind), ())
    return bool(own) and any(
        needle in text  # type: ignore[operator]
        for needle in _encoded(own, isinstance(text, bytes))
    )


@cache
def _encoded(needles: tuple[str, ...], as_bytes: bool) -> tuple[Any, ...]:
    return tuple(n.encode() for n in needles) if as_bytes else needles


@cache
def _gates(needles: tuple[str, ...], as_bytes: bool) -> tuple[tuple[Any, tuple[Any, ...]], ...]:
    """The needles grouped by their first four characters: each group is one search for
    its common prefix, then its members only in the files that hold it."""
    groups: dict[str, list[str]] = {}
    for needle in needles:
        groups.setdefault(needle[:4], []).append(needle)
    gates: list[tuple[Any, tuple[Any, ...]]] = []
    for members in groups.values():
        gate, rest = _common_prefix(members), members if len(members) > 1 else []
        if as_bytes:
            gates.append((gate.encode(), tuple(m.encode() for m in rest)))
        else:
            gates.append((gate, tuple(rest)))
    return tuple(gates)


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)  # the sorted extremes differ soonest
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def scan_file(
    path: Path | str, rel: str, kind: str, patterns: ScanPatterns, limits: FileLimits = NO_LIMITS
) -> FileResult:
    """Read and scan one file within `limits`; never raises for what the file holds."""
    limit = limits.max_bytes + 1 if limits.max_bytes >= 0 else -1
    try:  # not through a link or from a FIFO put there since the walk
        data, size = read_regular(path, limit, max_size=limits.max_bytes)
    except OSError as error:
        return FileResult(rel, (), (Notification(rel, "unreadable", f"cannot read: {error.strerror}"),))
    size = max(size, len(data))  # it may grow while it is read
    if 0 <= limits.max_bytes < size:
        message = f"{size} bytes, over the {limits.max_bytes}-byte limit; not scanned"
        return FileResult(rel, (), (Notification(rel, "too-large", message),))
    # A NUL byte makes a file of unknown kind binary; one named as code or configuration
    # is scanned (as text if it does not parse) and its problem reported.
    if kind == "text" and looks_binary(data):
        return FileResult(rel, (), (Notification(rel, "binary", "binary content; not scanned", "note"),))
    if not data.startswith(WIDE_BOMS) and not could_match(data, patterns, kind) and _IGNORE not in data:
        return FileResult(rel)  # nearly every file: read once, never decoded
    text, problem = decode(data)
    result = scan_source(rel, text, kind, patterns, limits.seconds)
    if result.evidence and patterns.line_hashes:
        result = with_line_hashes(result, data)
    if MARKER in text:
        result = replace(result, ignores=find_ignores(rel, text, kind))
    if problem:
        note = Notification(rel, "decode-error", problem, "note")
        result = replace(result, notifications=(note, *result.notifications))
    return result


def with_line_hashes(result: FileResult, data: bytes) -> FileResult:
    """Attach GitHub's primaryLocationLineHash to each piece of evidence (files with hits only).

    Computed from the raw bytes, decoded as GitHub's uploader decodes them.
    """
    from ftscan.scan.line_hash import line_hashes_from_bytes

    hashes = line_hashes_from_bytes(data, max(ev.span.line for ev in result.evidence))
    evidence = tuple(
        replace(ev, line_hash=hashes[ev.span.line - 1]) if ev.span.line <= len(hashes) else ev
        for ev in result.evidence
    )
    return replace(result, evidence=evidence)


def scan_source(rel: str, text: str, kind: str, patterns: ScanPatterns, seconds: float = 0) -> FileResult:
    """Scan text already in memory as a file of `kind`; never raises for what it holds.

    A scanner that fails, or takes more than `seconds`, is replaced by the plain-text scan
    (linear in the size of the file, so not limited), with a notification that says so.
    In documents and data files, API mentions in prose are then set apart (`ftscan.scan.text.prose`).
    """
    if not could_match(text, patterns, kind):
        return FileResult(rel)
    if kind == "text" and is_python_script(rel, text):
        kind = "python"
    try:
        with time_limit(seconds):
            result = scanner_for(kind)(rel, text, patterns)
        return result if kind in PROSE_AWARE else _without_prose(result, text, kind)
    except TimeLimitExceeded:
        message = f"{kind} scanner stopped after {seconds:g} s; scanned as plain text"
        note = Notification(rel, "timeout", message)
    except Exception as error:  # a scanner bug must not lose the file: fall back to text
        message = f"{kind} scanner failed ({type(error).__name__}: {error}); scanned as plain text"
        note = Notification(rel, "scanner-error", message)
    return _without_prose(fallback_for(kind)(rel, text, patterns, (note,)), text, kind)


def _without_prose(result: FileResult, text: str, kind: str) -> FileResult:
    """`scan.prose.without_prose`, imported only when there is evidence to judge."""
    if not result.evidence:
        return result
    from ftscan.scan.text.prose import without_prose

    return without_prose(result, text, kind)


def fallback_for(kind: str) -> Fallback:
    """The scan of last resort for a kind: plain text, plus calls seen in the text of code."""
    if kind in PYTHON_KINDS:
        from ftscan.scan.python import scan_as_text

        return scan_as_text
    from ftscan.scan.text import scan_text

    return scan_text
