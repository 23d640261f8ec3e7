"""Jupyter notebooks: each code cell scanned as Python, every location on the raw `.ipynb` line.

Cell sources are JSON strings, so a cell's text is rebuilt with a map back to the raw file
(escapes included, see `notebook_text`): whatever the Python scanner finds in a cell is
mapped back to the line GitHub shows. Markdown cells and outputs are decoded only when
their raw text could hold a model ID, so megabytes of logs and plots cost one regex pass. IPython magics and `!` shell lines are masked for
the parser and scanned as shell text (`!openai api ...` is a CLI finding). A cell that does
not parse is scanned as text, with a notification naming the cell. IDs in outputs and in
markdown cells are history and prose: reported at low confidence.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

from ftscan.model_ids import find_model_ids
from ftscan.positions import LineIndex
from ftscan.scan.notebook_text import CellText, cell_chunks, may_hold_id, tokens
from ftscan.scan.python import scan_python, text_calls
from ftscan.scan.text import model_id_evidence, pattern_evidence, scan_text
from ftscan.types import Evidence, FileResult, Notification, ScanPatterns

_MAGIC = re.compile(r"^[ \t]*[!%]", re.M)
_SHELL_CELLS = ("%%bash", "%%sh", "%%script", "%%system")


def scan_notebook(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    try:
        notebook = json.loads(text)
        cells = notebook["cells"]
        if not isinstance(cells, list):
            raise TypeError("cells is not a list")
    except RecursionError:
        note = Notification(path, "parse-error", "notebook nested too deeply to parse; scanned as plain text")
        return scan_text(path, text, patterns, (note,))
    except (ValueError, KeyError, TypeError) as error:
        problem = f"not an nbformat 4 notebook ({error}); scanned as plain text"
        note = Notification(path, "parse-error", problem)
        return scan_text(path, text, patterns, (note,))
    source_chunks, output_chunks = cell_chunks(text)
    lines = LineIndex(text)
    types = [cell.get("cell_type") if isinstance(cell, dict) else None for cell in cells]
    sources = {
        i: CellText.of(tokens(text, chunks)) for i, chunks in source_chunks.items() if types[i] == "code"
    }
    code = [i for i in sorted(sources) if not _is_shell_cell(sources[i].text)]
    in_code = set(code)
    evidence, notes = _scan_code_cells(path, [(i, sources[i]) for i in code], patterns, lines)
    for index, chunks in sorted(source_chunks.items()):
        if index in in_code:
            continue
        if types[index] == "code":  # a %%bash cell
            source = sources[index]
            found = list(scan_text(path, source.text, patterns).evidence)
            evidence += _place(found, source, lines, _single(index), None)
        elif may_hold_id(text, chunks):
            source, context = CellText.of(tokens(text, chunks)), f"{types[index]}-cell"
            evidence += _place(_ids_only(path, source.text), source, lines, _single(index), context)
    for index, chunks in sorted(output_chunks.items()):
        if may_hold_id(text, chunks):
            output = CellText.of(tokens(text, chunks))
            evidence += _place(_ids_only(path, output.text), output, lines, _single(index), "output")
    evidence.sort(key=lambda ev: (ev.span, ev.kind, ev.value))
    return FileResult(path, tuple(evidence), tuple(notes))


CellOf = Callable[[int], tuple[int, int]]  # line in the scanned text -> (cell index, line in cell)


def _single(index: int) -> CellOf:
    return lambda line: (index, line)


def _scan_code_cells(
    path: str, cells: list[tuple[int, CellText]], patterns: ScanPatterns, lines: LineIndex
) -> tuple[list[Evidence], list[Notification]]:
    """Code cells share one namespace, so they are scanned as one module; cells that do not
    parse are set aside (scanned as text, with a notification) and the rest scanned together.
    """
    evidence, problem = _scan_joint(path, cells, patterns, lines)
    if problem is None:
        return evidence, []
    good: list[tuple[int, CellText]] = []
    evidence, notes = [], []
    for index, source in cells:
        found, problem = _scan_code(path, source.text, patterns)
        if problem:
            evidence += _place(found, source, lines, _single(index), None)
            notes.append(Notification(path, "parse-error", f"cell {index}: {problem}"))
        else:
            good.append((index, source))
    joint, _ = _scan_joint(path, good, patterns, lines)
    return evidence + joint, notes


def _scan_joint(
    path: str, cells: list[tuple[int, CellText]], patterns: ScanPatterns, lines: LineIndex
) -> tuple[list[Evidence], str | None]:
    if not cells:
        return [], None
    joint = CellText()
    starts: list[int] = []
    for _, source in cells:
        starts.append(joint.length)
        joint.extend(source)
    found, problem = _scan_code(path, joint.text, patterns)
    if problem:
        return [], problem
    joint_lines = LineIndex(joint.text)
    first_lines = [joint_lines.position(offset)[0] for offset in starts]

    def cell_of(line: int) -> tuple[int, int]:
        k = bisect_right(first_lines, line) - 1
        return cells[k][0], line - first_lines[k] + 1

    return _place(found, joint, lines, cell_of, None), None


def _is_shell_cell(source: str) -> bool:
    return source.lstrip().startswith(_SHELL_CELLS)


def _scan_code(path: str, source: str, patterns: ScanPatterns) -> tuple[list[Evidence], str | None]:
    """Evidence in a code cell (cell coordinates) and the parse problem, if any."""
    result = scan_python(path, _mask_magics(source), patterns)
    problem = next((n.message for n in result.notifications if n.kind == "parse-error"), None)
    if problem:
        return [*scan_text(path, source, patterns).evidence, *text_calls(path, source, patterns)], problem
    found = list(result.evidence)
    cell_lines = LineIndex(source)
    magic_lines = {cell_lines.position(m.start())[0] for m in _MAGIC.finditer(source)}
    if magic_lines:
        shell = [
            *model_id_evidence(path, source, cell_lines),
            *pattern_evidence(path, source, patterns, cell_lines),
        ]
        found += [ev for ev in shell if ev.span.line in magic_lines]
    return found, None


def _mask_magics(source: str) -> str:
    """Blank out IPython magic and `!` lines so the rest parses as Python (offsets kept)."""
    out = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        out.append(" " * len(line) if stripped.startswith(("!", "%")) else line)
    return "\n".join(out)


def _ids_only(path: str, text: str) -> list[Evidence]:
    if not any(True for _ in find_model_ids(text)):
        return []
    return [replace(ev, confidence="low") for ev in model_id_evidence(path, text, LineIndex(text))]


def _place(
    found: list[Evidence], source: CellText, lines: LineIndex, cell_of: CellOf, context: str | None
) -> list[Evidence]:
    """Move cell-relative spans onto the raw notebook file."""
    if not found:
        return []
    cell_lines = LineIndex(source.text)

    def offset(line: int, column: int) -> int:
        line = min(line, len(cell_lines.starts))
        return source.raw_offset(cell_lines.starts[line - 1] + column - 1)

    placed = []
    for ev in found:
        start = offset(ev.span.line, ev.span.column)
        end = max(start, offset(ev.span.end_line, ev.span.end_column))
        cell, cell_line = cell_of(ev.span.line)
        props = (*ev.props, ("cell", str(cell)), ("cell_line", str(cell_line)))
        if context:
            props = (*props, ("context", context))
        placed.append(replace(ev, span=lines.span(start, end), props=props))
    return placed
