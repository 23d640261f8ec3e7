"""A notebook's code cells, scanned as Python as the kernel runs them: one shared namespace.

The cells are joined into one module, so a client built in cell 1 resolves a call in cell 5.
When the module does not parse, no cell loses its findings: each cell is parsed alone; the
cells that parse are joined again, each one that does not blanked in place (line numbers
hold), and scanned together with the names bound in them; each cell that does not parse is
scanned as text (IDs, REST paths, CLI commands, calls seen in the text) and reported as a
`parse-error` notification naming the cell, its line and the line of the `.ipynb` file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from ftscan.frozen import replace
from ftscan.scan.notebook.cell_text import CellText
from ftscan.scan.notebook.magics import magic_lines, mask_magics
from ftscan.scan.positions import LazyLineIndex, LineIndex
from ftscan.scan.python import Unparsable, parse, parses_as_python, scan_python, text_calls
from ftscan.scan.text import model_id_evidence, pattern_evidence, scan_text
from ftscan.types import Evidence, Notification, ScanPatterns

CellOf = Callable[[int], tuple[int, int]]  # line in the scanned text -> (cell index, line in cell)
Cell = tuple[int, CellText]  # the cell's index in the notebook and its text
_AT_LINE = re.compile(r" at line (\d+)")
_MAX_RETRIES = 3  # joins of cells that parse alone: one more for each that fails only in the join


def single(index: int) -> CellOf:
    return lambda line: (index, line)


def scan_code_cells(
    path: str, cells: list[Cell], patterns: ScanPatterns, lines: LineIndex
) -> tuple[list[Evidence], list[Notification]]:
    """Evidence of the code cells on the raw file's lines, and a notification for each cell
    that does not parse."""
    evidence, problem = _scan_joint(path, cells, set(), patterns, lines)
    if problem is None:
        return evidence, []
    bad: dict[int, str] = {}  # position in `cells` -> why it does not parse
    for k, (_, source) in enumerate(cells):
        text = source.text
        reason = _parse_problem(mask_magics(text, magic_lines(text)))
        if reason:
            bad[k] = reason
    for _ in range(_MAX_RETRIES):
        evidence, problem = _scan_joint(path, cells, set(bad), patterns, lines)
        if problem is None:
            break
        failing = _failing_cell(cells, set(bad), problem)
        if failing is None:
            break
        k, line = failing
        bad[k] = f"not valid Python 3 after the cells before it (syntax error at line {line})"
    if problem is not None:  # not one module whatever is set aside: every cell on its own
        evidence = []
        for k, (index, source) in enumerate(cells):
            if k not in bad:
                found, reason = scan_code(path, source.text, patterns)
                if reason:
                    bad[k] = reason
                else:
                    evidence += place(found, source, lines, single(index), None)
    notes = []
    for k in sorted(bad):
        index, source = cells[k]
        evidence += place(_as_text(path, source.text, patterns), source, lines, single(index), None)
        notes.append(Notification(path, "parse-error", _where(index, source, bad[k], lines)))
    return evidence, notes


def scan_code(path: str, source: str, patterns: ScanPatterns) -> tuple[list[Evidence], str | None]:
    """Evidence in code (its own coordinates) and the parse problem, if any (then the
    evidence is the text's)."""
    shell = magic_lines(source)
    result = scan_python(path, mask_magics(source, shell), patterns)
    problem = next((n.message for n in result.notifications if n.kind == "parse-error"), None)
    if problem:
        return _as_text(path, source, patterns), problem
    found = list(result.evidence)
    if shell:  # what the text finders see on shell lines, which the parser did not
        code_lines = LazyLineIndex(source)
        seen = [
            *model_id_evidence(path, source, code_lines),
            *pattern_evidence(path, source, patterns, code_lines),
        ]
        if seen:
            on_shell = {code_lines.position(start)[0] for start, _, _ in shell}
            found += [ev for ev in seen if ev.span.line in on_shell]
    return found, None


def place(
    found: list[Evidence], source: CellText, lines: LineIndex, cell_of: CellOf, context: str | None
) -> list[Evidence]:
    """Move spans in a cell's text onto the raw notebook file, with the cell's coordinates."""
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


def _scan_joint(
    path: str, cells: list[Cell], blank: set[int], patterns: ScanPatterns, lines: LineIndex
) -> tuple[list[Evidence], str | None]:
    """The cells as one module, those at positions in `blank` left out but their lines kept."""
    if len(blank) == len(cells):
        return [], None
    joint, starts = _join(cells, blank)
    found, problem = scan_code(path, joint.text, patterns)
    if problem:
        return [], problem
    if not found:
        return [], None
    joint_lines = LineIndex(joint.text)
    first_lines = [joint_lines.position(offset)[0] for offset in starts]

    def cell_of(line: int) -> tuple[int, int]:
        k = bisect_right(first_lines, line) - 1
        return cells[k][0], line - first_lines[k] + 1

    return place(found, joint, lines, cell_of, None), None


def _join(cells: list[Cell], blank: set[int]) -> tuple[CellText, list[int]]:
    joint = CellText()
    starts: list[int] = []
    for k, (_, source) in enumerate(cells):
        starts.append(joint.length)
        joint.extend(source.blanked() if k in blank else source)
    return joint, starts


def _failing_cell(cells: list[Cell], blank: set[int], problem: str) -> tuple[int, int] | None:
    """The position of the cell holding the line a join's parse problem names, if it names
    one, and that line in the cell."""
    at = _AT_LINE.search(problem)
    if at is None:
        return None
    joint, starts = _join(cells, blank)
    line_starts = LineIndex(joint.text).starts
    line = int(at[1])
    if line > len(line_starts):
        return None
    k = bisect_right(starts, line_starts[line - 1]) - 1
    if k < 0 or k in blank:
        return None
    return k, line - bisect_right(line_starts, starts[k]) + 1


def _parse_problem(code: str) -> str | None:
    """Why libcst cannot parse `code`, if it cannot; CPython's parser, ten times faster,
    answers first for the cells that parse (most of them)."""
    if parses_as_python(code):
        return None
    try:
        parse(code)
    except Unparsable as error:
        return str(error)
    except RecursionError:
        return "nested too deeply to analyse"
    return None


def _as_text(path: str, source: str, patterns: ScanPatterns) -> list[Evidence]:
    return [*scan_text(path, source, patterns).evidence, *text_calls(path, source, patterns)]


def _where(index: int, source: CellText, problem: str, lines: LineIndex) -> str:
    """`cell 3, line 2 (line 48 of the file): not valid Python 3 (syntax error); ...`"""
    problem = problem.removesuffix("; scanned as plain text")
    at = _AT_LINE.search(problem)
    if at is None:
        return f"cell {index}: {problem}; scanned as plain text"
    cell_line = int(at[1])
    cell_lines = LineIndex(source.text).starts
    offset = cell_lines[min(cell_line, len(cell_lines)) - 1]
    file_line = lines.position(source.raw_offset(offset))[0]
    problem = problem[: at.start()] + problem[at.end() :]
    return f"cell {index}, line {cell_line} (line {file_line} of the file): {problem}; scanned as plain text"
