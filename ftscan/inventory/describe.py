"""Words and counts the human-facing renderers share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from ftscan.inventory.plan import (
    DEFAULT_ORGANIZATION,
    STATUSES,
    Deadline,
    Inventory,
    Job,
    Model,
    Organization,
    Pipeline,
    Recipe,
    Repository,
    Schedule,
)

CANNOT_REBUILD = "recipe unknown"
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
    if any(p.checkpoint_at_run_time for p in model.locations):
        facts.append("checkpoints chosen at run time")
    return facts


def last_used(day_: date | None, requests_30d: int | None) -> str:
    """`2026-11-20`, `not in the last 90 days`, or `unknown` without usage."""
    if day_ is not None:
        return day_.isoformat()
    return "unknown" if requests_30d is None else "not in the last 90 days"


def not_in_organization(model: Model) -> str | None:
    """Why a model named in code is flagged, or None when an organization has it (or it
    was not looked up)."""
    if model.online is None or model.online.exists or not model.online.known:
        return None
    if model.online.job_id:
        where = f" of {model.online.organization}" if model.online.organization else ""
        return f"not in the organization: deleted (made by job {model.online.job_id}{where})"
    return "in no organization read: deleted, another organization's, or a typo"


def online_facts(model: Model, code: Callable[[str], str]) -> list[str]:
    """What the organization's API says of a model named in code, each ID formatted by `code`."""
    found = model.online
    if found is None:
        return ["not looked up (an Azure or partial ID)"]
    exists = "yes" if found.exists else "unknown (the models list was not read)"
    if found.exists and found.organization and found.organization != DEFAULT_ORGANIZATION:
        exists = f"yes, in {code(found.organization)}"
    facts = [not_in_organization(model) or exists]
    if found.job_id:
        facts.append(f"job {code(found.job_id)}")
    if found.created:
        facts.append(f"created {found.created.isoformat()}")
    if found.training_file_stored is not None:
        facts.append("training file stored" if found.training_file_stored else "training file deleted")
    facts.append(f"last used {last_used(found.last_used, found.requests_30d)}")
    if found.requests_30d is not None:
        facts.append(plural(found.requests_30d, "request") + " in 30 days")
    return facts


def recipe_text(recipe: Recipe, code: Callable[[str], str], online: bool = False) -> str:
    """`the job in train.py (by the job's suffix and base); given ...; training data ...`,
    or why the recipe is unknown (`online`: the organizations' jobs were read too)."""
    if recipe.found_by is None:
        why = "no job in the scanned code makes this ID (its suffix and base)"
        if online:
            why += ", and no organization read holds the job that made it with its training file"
        return f"{CANNOT_REBUILD}: {why}"
    if recipe.pipelines:
        parts = [
            "the job in "
            + ", ".join(code(p) for p in recipe.pipelines)
            + " (its suffix and base make this ID)"
        ]
    else:
        parts = ["the organization's job for this model"]
    if recipe.training_files:
        parts.append("given " + ", ".join(code(f) for f in recipe.training_files))
    if recipe.training_data:
        parts.append("training data " + ", ".join(code(d) for d in recipe.training_data))
    elif recipe.training_files:
        parts.append("that training data is not in the scanned files")
    return "; ".join(parts)


def recipe_cell(recipe: Recipe) -> str:
    """The models table's recipe: how it was found, or `recipe unknown`."""
    if recipe.found_by is None:
        return CANNOT_REBUILD
    found = "job in the code" if recipe.found_by == "job suffix and base" else "organization's job"
    return found if recipe.rebuildable else f"{found}, no training data here"


def can_create(organization: Organization) -> str:
    return {True: "yes", False: "no", None: "unknown"}[organization.can_create_jobs]


def repository_text(repository: Repository) -> str:
    """`acme/api at 3f2a9c1`, `acme/ml: not scanned (no such directory)`."""
    if not repository.scanned:
        return f"{repository.name}: not scanned ({repository.reason or 'no reason given'})"
    return repository.name + (f" at {repository.commit[:12]}" if repository.commit else "")


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
    """`9 models (3 stopped, 6 at risk), 2 training pipelines (1 scheduled), 1 training set,
    4 mentions`."""
    states = Counter(m.status for m in plan.models)
    detail = ", ".join(f"{states[s]} {s}" for s in STATUSES if states[s])
    models = plural(len(plan.models), "fine-tuned model") + (f" ({detail})" if detail else "")
    scheduled = sum(bool(p.scheduled) for p in plan.pipelines)
    repositories: tuple[str, ...] = ()
    if plan.estate:
        missing = sum(not r.scanned for r in plan.repositories)
        count = len(plan.repositories)
        named = f"{count} repositor{'y' if count == 1 else 'ies'}"
        repositories = (named + (f" ({missing} not scanned)" if missing else ""),)
    return ", ".join(
        (
            *repositories,
            models,
            plural(len(plan.pipelines), "training pipeline")
            + (f" ({scheduled} scheduled)" if scheduled else ""),
            plural(len(plan.training_data), "training set"),
            plural(len(plan.mentions), "mention"),
        )
    )


def scheduled_fact(schedule: Schedule, pipeline: Pipeline, code: Callable[[str], str]) -> str:
    """`runs on a schedule: 0 3 * * 1, set in .github/workflows/retrain.yml:4; every run after
    2027-01-06 fails`, each value formatted by `code`."""
    end = pipeline.training_end
    after = f" after {end.date.isoformat()}" if end and end.date else ""
    where = code(f"{schedule.by}:{schedule.line}")
    return f"runs on a schedule: {code(schedule.schedule)}, set in {where}; every run{after} fails"


def triggered_fact(trigger: Schedule, code: Callable[[str], str]) -> str:
    """`also runs on push, set in .github/workflows/train.yml:5` or `also runs by hand
    (a Makefile target), set in Makefile:12`, each value formatted by `code`."""
    how = "by hand (a Makefile target)" if trigger.trigger == "manual" else f"on {code(trigger.trigger)}"
    return f"also runs {how}, set in {code(f'{trigger.by}:{trigger.line}')}"
