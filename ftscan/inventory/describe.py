"""Words and counts the human-facing renderers share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ftscan.inventory.plan import STATUSES, Deadline, Inventory, Job, Model

CANNOT_REBUILD = "cannot be rebuilt from this repository"
REASONS = {
    "placeholder": "placeholder or example ID",
    "low confidence only": "seen only in comments, prose or outputs",
    "model from a job": "taken from a fine-tuning job at run time: no ID to date",
}


def day(deadline: Deadline | None) -> str:
    """`2027-01-14`, `2027-01-14 (reported)`, or `not announced`."""
    if deadline is None or deadline.date is None:
        return "not announced"
    suffix = "" if deadline.status == "confirmed" else f" ({deadline.status})"
    return deadline.date.isoformat() + suffix


def dated(deadline: Deadline | None, days: int | None) -> str:
    """`2027-01-14 (in 53 days, reported)`, `2026-10-23 (30 days ago)`, or `not announced`."""
    if deadline is None or deadline.date is None:
        return "not announced"
    notes = [when(days)] if days is not None else []
    if deadline.status != "confirmed":
        notes.append(deadline.status)
    return deadline.date.isoformat() + (f" ({', '.join(notes)})" if notes else "")


def when(days: int | None) -> str:
    """`in 53 days`, `30 days ago`, `today`, or empty without a date."""
    if days is None:
        return ""
    if days > 0:
        return f"in {days} day{'' if days == 1 else 's'}"
    if days < 0:
        return f"{-days} day{'' if days == -1 else 's'} ago"
    return "today"


def model_facts(model: Model, code: Callable[[str], str]) -> list[str]:
    """What the ID says of a model, each value formatted by `code`: `base ...`, `organization
    ...`, `suffix ...`, whether it is built at run time, the checkpoints seen."""
    facts = [f"base {code(model.base)}"]
    if model.org:
        facts.append(f"organization {code(model.org)}")
    if model.suffix:
        facts.append(f"suffix {code(model.suffix)}")
    if model.flavor == "partial":
        facts.append("the rest of the ID is built at run time")
    if model.checkpoints:
        facts.append("checkpoints seen: " + ", ".join(f"step {c}" for c in model.checkpoints))
    return facts


def job_facts(job: Job, code: Callable[[str], str], named: tuple[str, ...]) -> list[str]:
    """What a job is built from, each value formatted by `code`: its base and when that base's
    fine-tunes stop serving, then the `named` arguments it gives (`training_file`, ...)."""
    facts = []
    if job.base:
        facts.append(f"base {code(job.base)}")
        if job.base_end and job.base_end.date:
            facts.append(f"its fine-tunes stop serving {day(job.base_end)}")
    for label in named:
        if value := getattr(job, label):
            facts.append(f"{label} {code(value)}")
    return facts


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(plan: Inventory) -> str:
    """`9 models (3 stopped, 6 at risk), 2 training pipelines, 1 training set, 4 mentions`."""
    states = Counter(m.status for m in plan.models)
    detail = ", ".join(f"{states[s]} {s}" for s in STATUSES if states[s])
    models = plural(len(plan.models), "fine-tuned model") + (f" ({detail})" if detail else "")
    return ", ".join((
        models,
        plural(len(plan.pipelines), "training pipeline"),
        plural(len(plan.training_data), "training set"),
        plural(len(plan.mentions), "mention"),
    ))
