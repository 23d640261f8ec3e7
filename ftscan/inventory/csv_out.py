"""The inventory as CSV: one row per model and place, for a spreadsheet.

`role` is `location` for a place that depends on the model and `mention` for one that only
names it (a comment, prose, an output, or a model that is only mentioned). Rows follow the
models' order, then path and line. Text cells that a spreadsheet would run as a formula
(starting with `=`, `+`, `-`, `@`, a tab or a carriage return) are prefixed with `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ftscan.inventory.plan import Deadline, Inventory, Model, Place

COLUMNS = (
    "model", "role", "status", "inference_end", "days_left", "training_end", "base", "org", "suffix",
    "flavor", "rebuildable", "path", "line", "column", "link", "file_kind", "application", "owners",
    "env_var", "key_path", "cell", "set_in", "detail", "rule_id", "level", "confidence",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> object:
    """A cell a spreadsheet shows as text: formulas defused, numbers and empty cells kept."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(plan: Inventory) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(plan):
        writer.writerow([safe(row[column]) for column in COLUMNS])
    return out.getvalue()


def rows(plan: Inventory) -> Iterator[dict[str, object]]:
    for model in plan.models:
        for place in model.locations:
            yield _row(_model_cells(model), "location", place)
        for place in model.mentions:
            yield _row(_model_cells(model), "mention", place)
    for mention in plan.mentions:
        cells: dict[str, object] = {
            "model": mention.id, "status": "", "inference_end": _date(mention.inference_end), "days_left": "",
            "training_end": "", "base": mention.base or "", "org": "", "suffix": "", "flavor": "",
            "rebuildable": "",
        }
        for place in mention.places:
            yield _row(cells, "mention", place)


def _model_cells(model: Model) -> dict[str, object]:
    return {
        "model": model.id,
        "status": model.status,
        "inference_end": _date(model.inference_end),
        "days_left": "" if model.days_left is None else model.days_left,
        "training_end": _date(model.training_end),
        "base": model.base,
        "org": model.org or "",
        "suffix": model.suffix or "",
        "flavor": model.flavor,
        "rebuildable": "yes" if model.recipe.rebuildable else "no",
    }


def _row(cells: dict[str, object], role: str, place: Place) -> dict[str, object]:
    return {
        **cells,
        "role": role,
        "path": place.path,
        "line": place.line,
        "column": place.column,
        "link": f"{place.path}#L{place.line}",
        "file_kind": place.file_kind,
        "application": place.application,
        "owners": " ".join(place.owners),
        "env_var": place.env_var or "",
        "key_path": place.key_path or "",
        "cell": place.cell or "",
        "set_in": place.set_in or "",
        "detail": place.detail,
        "rule_id": place.rule_id,
        "level": place.level,
        "confidence": place.confidence,
    }


def _date(deadline: Deadline | None) -> str:
    return deadline.date.isoformat() if deadline and deadline.date else ""
