"""Checkpoints whose step is chosen at run time: `f"ft:...:Ab12Cd34:ckpt-step-{n}"`.

The scanners see the literal head of such an ID as a partial ID. Its head is a whole model
ID, so the inventory counts the place as one more use of that model (a checkpoint of it),
not as a model of its own.
"""

from __future__ import annotations

from ftscan.model_ids import parse_model_id
from ftscan.types import Finding, ModelId

CHECKPOINT = ":ckpt-step-"


def checkpoint_parent(model: ModelId) -> ModelId | None:
    """The model a partial ID ending in a checkpoint prefix is a checkpoint of, else None."""
    if model.flavor != "partial":
        return None
    head, found, _ = model.raw.removeprefix(model.prefix or "").rpartition(CHECKPOINT)
    parent = parse_model_id(head) if found else None
    return parent if parent is not None and parent.flavor == "openai" and not parent.placeholder else None


def model_of(finding: Finding) -> ModelId | None:
    """The finding's model: a run-time checkpoint counts as its model."""
    model = finding.evidence.model
    if model is None:
        return None
    return checkpoint_parent(model) or model
