"""Jupyter notebooks: each code cell scanned as Python, every location on the raw `.ipynb` line.

Cell sources are JSON strings, so a cell's text is rebuilt with a map back to the raw file
(escapes included, see `cell_text`): whatever the Python scanner finds in a cell is
mapped back to the line GitHub shows. Code cells share one namespace and are scanned as
one module; a cell that does not parse costs only itself (see `cells`). IPython
magics and `!` shell lines are masked for the parser and scanned as shell text (`!openai
api ...` is a CLI finding; see `magics`); a `%%bash` or `%%html` cell is text.
IDs in outputs and in markdown cells are history and prose: reported at low confidence.
Those are decoded only when their raw text could hold an ID, so megabytes of logs and
plots cost one regex pass.
"""

from __future__ import annotations

import json

from ftscan.frozen import replace
from ftscan.model_ids import find_model_ids
from ftscan.scan.notebook.cell_text import CellText, cell_chunks, may_hold_id
from ftscan.scan.notebook.cells import place, scan_code_cells, single
from ftscan.scan.notebook.magics import is_text_cell
from ftscan.scan.positions import LazyLineIndex, LineIndex
from ftscan.scan.text import model_id_evidence, scan_text
from ftscan.types import Evidence, FileResult, Notification, ScanPatterns


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
    lines = LazyLineIndex(text)  # the raw file's lines: only evidence needs them
    types = [cell.get("cell_type") if isinstance(cell, dict) else None for cell in cells]
    sources = {i: CellText.read(text, chunks) for i, chunks in source_chunks.items() if types[i] == "code"}
    code = [i for i in sorted(sources) if not is_text_cell(sources[i].text)]
    in_code = set(code)
    evidence, notes = scan_code_cells(path, [(i, sources[i]) for i in code], patterns, lines)
    for index, chunks in sorted(source_chunks.items()):
        if index in in_code:
            continue
        if types[index] == "code":  # a %%bash or %%html cell
            source = sources[index]
            found = list(scan_text(path, source.text, patterns).evidence)
            evidence += place(found, source, lines, single(index), None)
        elif may_hold_id(text, chunks):
            source, context = CellText.read(text, chunks), f"{types[index]}-cell"
            evidence += place(_ids_only(path, source.text), source, lines, single(index), context)
    for index, chunks in sorted(output_chunks.items()):
        for chunk in chunks:  # each printed text on its own: two outputs do not run together
            if may_hold_id(text, [chunk]):
                output = CellText.read(text, [chunk])
                evidence += place(_ids_only(path, output.text), output, lines, single(index), "output")
    evidence.sort(key=lambda ev: (ev.span, ev.kind, ev.value))
    return FileResult(path, tuple(evidence), tuple(notes))


def _ids_only(path: str, text: str) -> list[Evidence]:
    if not any(True for _ in find_model_ids(text)):
        return []
    return [replace(ev, confidence="low") for ev in model_id_evidence(path, text, LineIndex(text))]
