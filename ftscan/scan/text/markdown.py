"""Markdown: code blocks are code, the rest is prose.

IDs, REST paths and commands inside ``` or ~~~ fences are reported with the block's
language, and so are those in indented blocks and `$ ` prompt lines (`ftscan.scan.text.prose` has the
rule). In prose, a complete ID is still a pointer to a real model, reported at low
confidence; a REST path, a command or a placeholder ID there describes the API, and is not
reported. Spans refer to the raw file.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from ftscan.model_ids import find_model_ids
from ftscan.scan.positions import LineIndex
from ftscan.scan.structured.context import model_evidence
from ftscan.scan.text import pattern_evidence
from ftscan.scan.text.prose import fence, without_prose
from ftscan.types import FileResult, ScanPatterns


class CodeBlock(NamedTuple):
    """The lines of a fenced block's content (1-based, inclusive) and its language."""

    first: int
    last: int
    language: str | None


def scan_markdown(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Model IDs, REST paths, commands and rule regexes; those in prose set apart by `without_prose`."""
    lines = LineIndex(text)
    blocks = code_blocks(text, lines)
    evidence = []
    for match in find_model_ids(text):
        block = _block_at(blocks, lines.position(match.start)[0])
        if block is None:
            evidence.append(model_evidence(path, match, lines))
        else:
            evidence.append(model_evidence(path, match, lines, context="code-block", language=block.language))
    evidence.extend(pattern_evidence(path, text, patterns, lines))
    return without_prose(FileResult(path, tuple(evidence)), text, "markdown")


def code_blocks(text: str, lines: LineIndex) -> list[CodeBlock]:
    """Fenced code blocks in order; one left open runs to the end of the file (as CommonMark has it)."""
    blocks: list[CodeBlock] = []
    open_fence = ""
    first = 0
    language: str | None = None
    count = len(lines.starts)
    for number in range(1, count + 1):
        line = lines.line_text(text, number)
        found = fence(line)
        if found is None:
            continue
        marks, info = found["fence"], found["info"].strip()
        if not open_fence:
            if marks[0] == "`" and "`" in info:
                continue  # inline code, not a fence
            open_fence, first = marks, number + 1
            language = info.split()[0].strip("{}.") if info else None
        elif marks[0] == open_fence[0] and len(marks) >= len(open_fence) and not info:
            blocks.append(CodeBlock(first, number - 1, language or None))
            open_fence = ""
    if open_fence:
        blocks.append(CodeBlock(first, count, language or None))
    return blocks


def _block_at(blocks: list[CodeBlock], line: int) -> CodeBlock | None:
    index = bisect_right(blocks, line, key=lambda block: block.first) - 1
    if index >= 0 and blocks[index].first <= line <= blocks[index].last:
        return blocks[index]
    return None
