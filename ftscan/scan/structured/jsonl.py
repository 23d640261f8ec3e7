"""JSON Lines: training data recognised from a sample of records, model IDs on every line.

Training files are large, so only the first and last lines are parsed (within a character
budget) to tell the format: chat (`messages`), legacy prompt/completion pairs, or
preference pairs (DPO). Model IDs are found on every line from the raw text, each placed
within its own record (`body.model` in a Batch API input).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from ftscan.model_ids import find_model_ids
from ftscan.scan.positions import LineIndex
from ftscan.scan.structured.context import finish
from ftscan.scan.structured.documents import json_evidence, json_string_paths
from ftscan.types import Evidence, EvidenceKind, FileResult, ScanPatterns, Span

HEAD_LINES = 200
TAIL_LINES = 50
SAMPLE_CHARS = 2_000_000  # at most this much of the file is parsed
FORMAT_SHARE = 0.9  # a format must hold this share of the sampled records


def scan_jsonl(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Training-data format (one piece of evidence at line 1) and every model ID with its key path."""
    lines = LineIndex(text)
    evidence: list[Evidence] = []
    records = list(sample_records(text, lines))
    form = training_format(records)
    if form is not None:
        first = lines.line_text(text, 1)
        evidence.append(
            Evidence(
                kind=EvidenceKind.TRAINING_DATA,
                path=path,
                span=Span(1, 1, 1, len(first) + 1),
                value=form,
                props=(("records_sampled", str(len(records))),),
            )
        )
    evidence.extend(_model_ids(path, text, lines))
    return finish(path, text, patterns, lines, evidence)


def sample_records(text: str, lines: LineIndex) -> Iterator[Any]:
    """Parsed records of the first and last lines (blank lines skipped); None for a line that is not JSON."""
    count = len(lines.starts) - (lines.starts[-1] == len(text))  # no empty line after the last newline
    budget = SAMPLE_CHARS
    head = range(min(HEAD_LINES, count))
    tail = range(max(len(head), count - TAIL_LINES), count)
    for number in (*head, *tail):
        start = lines.starts[number]
        end = lines.starts[number + 1] if number + 1 < count else len(text)
        if end - start > budget:
            break
        budget -= end - start
        line = text[start:end].strip()
        if not line:
            continue
        try:
            yield json.loads(line)
        except (ValueError, RecursionError):
            yield None


def record_format(record: Any) -> str | None:
    """`chat`, `prompt-completion` or `preference` when the record is a fine-tuning example."""
    if not isinstance(record, dict):
        return None
    given = record.get("input")
    if (
        isinstance(given, dict)
        and "messages" in given
        and {"preferred_output", "non_preferred_output"} <= (record.keys())
    ):
        return "preference"
    messages = record.get("messages")
    if isinstance(messages, list) and messages and all(isinstance(m, dict) and "role" in m for m in messages):
        return "chat"
    if "prompt" in record and "completion" in record:
        return "prompt-completion"
    return None


def training_format(records: Sequence[Any]) -> str | None:
    """The format nearly every sampled record has, if any."""
    formats = Counter(record_format(record) for record in records)
    if not records:
        return None
    form, count = formats.most_common(1)[0]
    return form if form is not None and count >= FORMAT_SHARE * len(records) else None


def _model_ids(path: str, text: str, lines: LineIndex) -> Iterator[Evidence]:
    """Every model ID, placed within the record on its line."""
    matches = list(find_model_ids(text))
    for line, group in groupby(matches, key=lambda m: lines.position(m.start)[0]):
        on_line = list(group)
        start = lines.starts[line - 1]
        end = lines.starts[line] if line < len(lines.starts) else len(text)
        places = json_string_paths(text, [m.start for m in on_line], start, end)
        yield from json_evidence(path, text, lines, on_line, places)
