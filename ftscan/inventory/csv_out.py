"""The inventory as CSV: one row per model and place, for a spreadsheet.

`role` is `location` for a place that depends on the model and `mention` for one that only
names it (a comment, prose, an output, or a model that is only mentioned); `scheduled
pipeline` rows give the place that runs a training pipeline on a schedule (the pipeline and
its schedule in `detail`). Rows follow the models' order, then path and line.

`recipe` says how the job that made the model was found (`job suffix and base`, `online
job`) or is empty when it is unknown. In an estate, paths are `repo:path`.

With `--online`, seven columns follow (`in_organization`: yes, no or empty when not looked
up; `organization`, the one that holds it; `job_id`, `created`, `training_file_stored`,
`last_used`, `requests_30d`) and each fine-tune of an organization that no scanned file
names is an `unreferenced` row.

Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
tab or a carriage return) are prefixed with `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from ftscan.inventory.json_out import place_dict
from ftscan.inventory.plan import Deadline, Inventory, Model, Place

COLUMNS = (
    "model",
    "role",
    "status",
    "inference_end",
    "days_left",
    "training_end",
    "base",
    "org",
    "suffix",
    "flavor",
    "rebuildable",
    "recipe",
    "path",
    "line",
    "column",
    "link",
    "file_kind",
    "application",
    "owners",
    "env_var",
    "key_path",
    "cell",
    "set_in",
    "detail",
    "rule_id",
    "level",
    "confidence",
)
ONLINE_COLUMNS = (
    "in_organization",
    "organization",
    "job_id",
    "created",
    "training_file_stored",
    "last_used",
    "requests_30d",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLACE_COLUMNS = (
    "path",
    "line",
    "column",
    "link",
    "file_kind",
    "application",
    "owners",
    "env_var",
    "key_path",
    "cell",
    "set_in",
    "detail",
    "rule_id",
    "level",
    "confidence",
)


def safe(value: object) -> object:
    """A cell a spreadsheet shows as text: formulas defused, numbers and empty cells kept."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(plan: Inventory) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = COLUMNS + (ONLINE_COLUMNS if plan.online is not None else ())
    writer.writerow(columns)
    for row in rows(plan):
        writer.writerow([safe(row.get(column, "")) for column in columns])
    return out.getvalue()


def rows(plan: Inventory) -> Iterator[dict[str, object]]:
    for model in plan.models:
        for place in model.locations:
            yield _row(_model_cells(model), "location", place)
        for place in model.mentions:
            yield _row(_model_cells(model), "mention", place)
    for pipeline in plan.pipelines:
        for schedule in pipeline.scheduled:
            yield {
                "role": "scheduled pipeline",
                "status": pipeline.status,
                "training_end": _date(pipeline.training_end),
                "days_left": "" if pipeline.days_left is None else pipeline.days_left,
                "path": schedule.by,
                "line": schedule.line,
                "link": f"{schedule.by}#L{schedule.line}",
                "application": pipeline.application,
                "owners": " ".join(pipeline.owners),
                "detail": f"runs {pipeline.path} on schedule {schedule.schedule}",
            }
    for mention in plan.mentions:
        cells: dict[str, object] = {
            "model": mention.id,
            "status": "",
            "inference_end": _date(mention.inference_end),
            "days_left": "",
            "training_end": "",
            "base": mention.base or "",
            "org": "",
            "suffix": "",
            "flavor": "",
            "rebuildable": "",
            "recipe": "",
        }
        for place in mention.places:
            yield _row(cells, "mention", place)
    if plan.online is not None:
        for found in plan.online.unreferenced:
            yield {
                "model": found.model,
                "role": "unreferenced",
                "base": found.base,
                "inference_end": _date(found.inference_end),
                "in_organization": "yes",
                "organization": found.organization or "",
                "created": _day(found.created),
                "last_used": _day(found.last_used),
                "requests_30d": "" if found.requests_30d is None else found.requests_30d,
            }


def _model_cells(model: Model) -> dict[str, object]:
    return {
        **_online_cells(model),
        **{
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
            "recipe": model.recipe.found_by or "",
        },
    }


def _online_cells(model: Model) -> dict[str, object]:
    found = model.online
    if found is None:
        return {}
    stored = found.training_file_stored
    return {
        "in_organization": ("yes" if found.exists else "no") if found.known else "",
        "organization": found.organization or "",
        "job_id": found.job_id or "",
        "created": _day(found.created),
        "training_file_stored": "" if stored is None else ("yes" if stored else "no"),
        "last_used": _day(found.last_used),
        "requests_30d": "" if found.requests_30d is None else found.requests_30d,
    }


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _row(cells: dict[str, object], role: str, place: Place) -> dict[str, object]:
    """The model's cells and the place's, as the JSON inventory gives them, flattened."""
    described = place_dict(place)
    return {**cells, "role": role, **{column: _flat(described[column]) for column in _PLACE_COLUMNS}}


def _flat(value: object) -> object:
    """A cell: lists joined by spaces, no value empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(map(str, value))
    return value


def _date(deadline: Deadline | None) -> str:
    return deadline.date.isoformat() if deadline and deadline.date else ""
