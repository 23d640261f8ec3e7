"""`ftscan inventory`: the migration plan, from findings to one document per format.

`build_inventory(findings, run, root)` groups findings into fine-tuned models, training
pipelines, training data and mentions (`ftscan.inventory.model`); `render_inventory(plan, fmt)`
writes it as Markdown, CSV, JSON, a self-contained HTML page or an iCalendar file. Each
format is one module with `render(plan) -> str`, imported only when asked for.
"""

from __future__ import annotations

from importlib import import_module

from ftscan.inventory.model import build_inventory
from ftscan.inventory.plan import (
    Deadline,
    Inventory,
    Job,
    Mention,
    Model,
    Pipeline,
    Place,
    Recipe,
    TrainingSet,
)

RENDERERS: dict[str, str] = {
    "markdown": "ftscan.inventory.markdown",
    "csv": "ftscan.inventory.csv_out",
    "json": "ftscan.inventory.json_out",
    "html": "ftscan.inventory.html",
    "ics": "ftscan.inventory.ics",
}

__all__ = [
    "RENDERERS",
    "Deadline",
    "Inventory",
    "Job",
    "Mention",
    "Model",
    "Pipeline",
    "Place",
    "Recipe",
    "TrainingSet",
    "build_inventory",
    "render_inventory",
]


def render_inventory(plan: Inventory, fmt: str) -> str:
    """The plan in `fmt`: markdown, csv, json, html or ics."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown inventory format {fmt!r} (known: {', '.join(RENDERERS)})")
    return import_module(RENDERERS[fmt]).render(plan)  # type: ignore[no-any-return]
