"""Markdown: fenced code blocks are code, the rest is prose.

IDs, REST paths and commands inside ``` or ~~~ fences are reported with the block's
language; an ID in prose is still a pointer to a real model, reported at low confidence.
Spans refer to the raw file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from ftscan.model_ids import find_model_ids
from ftscan.positions import LineIndex
from ftscan.scan.context import model_evidence
from ftscan.scan.text import pattern_evidence
from ftscan.types import FileResult, ScanPatterns

# An opening fence: up to any indent or blockquote marks, 3+ backticks or tildes, an info string.
_FENCE = re.compile(r"[ \t>]*(?P<fence>`{3,}|~{3,})(?P<info>.*)")


class CodeBlock(NamedTuple):
    """The lines of a fenced block's content (1-based, inclusive) and its language."""

    first: int
    last: int
    language: str | None


def scan_markdown(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Model IDs (code or prose), and REST paths, commands and rule regexes in code blocks only."""
    lines = LineIndex(text)
    blocks = code_blocks(text, lines)
    evidence = []
    for match in find_model_ids(text):
        block = _block_at(blocks, lines.position(match.start)[0])
        if block is None:
            evidence.append(model_evidence(path, match, lines, context="prose"))
        else:
            evidence.append(
                model_evidence(path, match, lines, context="code-block", language=block.language)
            )
    evidence.extend(
        ev for ev in pattern_evidence(path, text, patterns, lines) if _block_at(blocks, ev.span.line)
    )
    return FileResult(path, tuple(evidence))


def code_blocks(text: str, lines: LineIndex) -> list[CodeBlock]:
    """Fenced code blocks in order; one left open runs to the end of the file (as CommonMark has it)."""
    blocks: list[CodeBlock] = []
    fence = ""
    first = 0
    language: str | None = None
    count = len(lines.starts)
    for number in range(1, count + 1):
        line = lines.line_text(text, number)
        if "```" not in line and "~~~" not in line:
            continue
        found = _FENCE.fullmatch(line)
        if found is None:
            continue
        marks, info = found["fence"], found["info"].strip()
        if not fence:
            if marks[0] == "`" and "`" in info:
                continue  # inline code, not a fence
            fence, first = marks, number + 1
            language = info.split()[0].strip("{}.") if info else None
        elif marks[0] == fence[0] and len(marks) >= len(fence) and not info:
            blocks.append(CodeBlock(first, number - 1, language or None))
            fence = ""
    if fence:
        blocks.append(CodeBlock(first, count, language or None))
    return blocks


def _block_at(blocks: list[CodeBlock], line: int) -> CodeBlock | None:
    index = bisect_right(blocks, line, key=lambda block: block.first) - 1
    if index >= 0 and blocks[index].first <= line <= blocks[index].last:
        return blocks[index]
    return None
