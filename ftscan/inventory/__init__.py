"""`ftscan inventory`: the migration plan, from findings to one document per format.

`build_inventory(findings, run, root)` groups findings into fine-tuned models, training
pipelines, training data and mentions (`ftscan.inventory.build`); `render_inventory(plan, fmt)`
writes it as Markdown, CSV, JSON, a self-contained HTML page or an iCalendar file. Each
format is one module with `render(plan) -> str`, imported only when asked for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path

from ftscan.inventory.build import build_inventory
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
    "render_inventory_chunks",
    "write_whole",
]


def render_inventory(plan: Inventory, fmt: str) -> str:
    """The plan in `fmt`: markdown, csv, json, html or ics."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown inventory format {fmt!r} (known: {', '.join(RENDERERS)})")
    return import_module(RENDERERS[fmt]).render(plan)  # type: ignore[no-any-return]


def render_inventory_chunks(plan: Inventory, fmt: str) -> Iterable[str]:
    """The plan in `fmt`, in pieces to write one after another: JSON (the estate's one
    large format) piece by piece, the others whole."""
    if fmt == "json":
        from ftscan.inventory.json_out import chunks

        return chunks(plan)
    return (render_inventory(plan, fmt),)


def write_whole(path: Path, pieces: Iterable[str]) -> None:
    """`pieces` into `path` whole or not at all: written beside it, then renamed over it."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # A file name that is not UTF-8 is written back as its own bytes, never an error.
        with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape", newline="") as out:
            out.writelines(pieces)
        os.chmod(scratch, 0o666 & ~_umask())  # as a plain open() would make it
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
