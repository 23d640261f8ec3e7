"""Join the organization's side (`ftscan inventory --online`) with the models the code names.

Each OpenAI model named in code gains what the API says of it (does it exist, its job, its
training file, its last use); fine-tunes the organization has that no scanned file names are
listed apart; whether the organization can still create jobs is inferred from the pack's
dated gates and the usage read. Azure and partial IDs are not looked up: an Azure deployment
is not in the OpenAI organization, and a partial ID names no one model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from ftscan.inventory.plan import (
    Deadline,
    Inventory,
    Model,
    ModelOnline,
    Online,
    Organization,
    UnreferencedModel,
)
from ftscan.model_ids import parse_model_id
from ftscan.online.fetch import Gate, OnlineData, OnlineJob, strip_checkpoint
from ftscan.types import Milestone

LOOKED_UP = ("openai", "legacy")
NEVER_TRAINED_GATE = "training-new-orgs"  # organizations that never ran a job cannot create one
INFERENCE_GATES = {"training-inactive-orgs": 60}  # gate -> days of inference it looks back at
TRAINING_END = "training-end"


def gates(milestones: dict[str, Milestone]) -> tuple[Gate, ...]:
    """The pack's dated gates that look back at fine-tuned-model inference."""
    found = []
    for key, days in INFERENCE_GATES.items():
        milestone = milestones.get(key)
        if milestone is not None and milestone.date is not None:
            found.append(Gate(key, milestone.date, days, milestone.effect))
    return tuple(found)


def join(
    plan: Inventory,
    data: OnlineData,
    milestones: dict[str, Milestone],
    inference_end: Callable[[str], Deadline | None],
) -> Inventory:
    """`plan` with the online fields filled; `inference_end` maps a base to its deadline."""
    jobs = _jobs_by_model(data.jobs)
    notices = list(data.notices)
    models = []
    skipped = 0
    for model in plan.models:
        if model.flavor not in LOOKED_UP:
            skipped += 1
            models.append(model)
            continue
        models.append(replace(model, online=_model_online(model, data, jobs.get(model.id))))
    if skipped:
        notices.append(
            f"{skipped} Azure or partial model ID(s) not looked up: they name no one model of the "
            "OpenAI organization"
        )
    named = {m.id for m in plan.models} | {m.id for m in plan.mentions}
    online = Online(
        complete=data.complete,
        fetched_at=data.fetched_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        notices=tuple(notices),
        organization=organization(data, milestones),
        unreferenced=_unreferenced(data, jobs, named, inference_end),
    )
    return replace(plan, models=tuple(models), online=online)


def _model_online(model: Model, data: OnlineData, job: OnlineJob | None) -> ModelOnline:
    exists = data.models is not None and model.id in data.models
    created = (data.models or {}).get(model.id) if exists else None
    if created is None and job is not None:
        created = job.finished or job.created
    stored = data.files.get(job.training_file) if job and job.training_file else None
    usage = data.usage_90d.get(model.id) if data.usage_90d is not None else None
    return ModelOnline(
        exists=exists,
        job_id=job.id if job else None,
        created=created,
        training_file_stored=stored,
        last_used=usage.last_used if usage else None,
        requests_30d=None if data.usage_30d is None else data.usage_30d.get(model.id, 0),
        known=data.models is not None,
    )


def _jobs_by_model(jobs: list[OnlineJob]) -> dict[str, OnlineJob]:
    """The newest job behind each fine-tuned model."""
    found: dict[str, OnlineJob] = {}
    for job in sorted(jobs, key=lambda j: (j.created or date.min, j.id)):
        if job.fine_tuned_model:
            found[strip_checkpoint(job.fine_tuned_model)] = job
    return found


def _unreferenced(
    data: OnlineData,
    jobs: dict[str, OnlineJob],
    named: set[str],
    inference_end: Callable[[str], Deadline | None],
) -> tuple[UnreferencedModel, ...]:
    # What exists: the models list; without it, what the jobs made.
    existing = dict(data.models) if data.models is not None else {m: None for m in jobs}
    found = []
    for model_id in sorted(set(existing) - named):
        job = jobs.get(model_id)
        parsed = parse_model_id(model_id)
        base = parsed.base if parsed else (job.base if job and job.base else "")
        usage = data.usage_90d.get(model_id) if data.usage_90d is not None else None
        found.append(
            UnreferencedModel(
                model=model_id,
                base=base,
                created=existing[model_id] or (job.finished or job.created if job else None),
                last_used=usage.last_used if usage else None,
                requests_30d=None if data.usage_30d is None else data.usage_30d.get(model_id, 0),
                inference_end=inference_end(base) if base else None,
            )
        )
    return tuple(found)


def online_orgs(online: OnlineData) -> set[str]:
    """Organization slugs in the IDs the API returned (for `--redact-org`)."""
    names = set(online.models or ()) | {j.fine_tuned_model for j in online.jobs if j.fine_tuned_model}
    return {parsed.org for name in names if (parsed := parse_model_id(name)) and parsed.org}


def organization(data: OnlineData, milestones: dict[str, Milestone]) -> Organization:
    """Can the organization still create jobs? Inferred, never asked of the API (it has no
    such call): the training end, then each passed gate, against the jobs and usage read."""
    today = data.fetched_at.date()
    last = _last_inference(data)
    end = milestones.get(TRAINING_END)
    if end is not None and end.date is not None and today >= end.date:
        return Organization(False, f"inferred: no organization can create jobs since {end.date}", last)
    never = milestones.get(NEVER_TRAINED_GATE)
    if (
        never is not None
        and never.date is not None
        and today >= never.date
        and data.jobs_read
        and not data.jobs
    ):
        return Organization(
            False,
            f"inferred: the organization has no fine-tuning job, and since {never.date} "
            "an organization that never ran one cannot create one",
            last,
        )
    reasons = []
    for key, gate in sorted(data.gate_days.items(), key=lambda item: item[1].day):
        if today < gate.day:
            continue
        start = gate.day - timedelta(days=gate.lookback_days)
        usage = data.gates.get(key)
        if usage is None:
            return Organization(
                None, f"unknown: fine-tuned-model usage from {start} to {gate.day} could not be read", last
            )
        if not usage:
            return Organization(
                False,
                f"inferred: no fine-tuned-model inference from {start} to {gate.day}, so since "
                f"{gate.day} the organization cannot create jobs",
                last,
            )
        seen = max(u.last_used for u in usage.values() if u.last_used)
        reasons.append(
            f"fine-tuned-model inference on {seen}, within the {gate.lookback_days} days "
            f"before the {gate.day} gate"
        )
    if data.usage_90d is None and any(today >= g.day for g in gates(milestones)):
        return Organization(None, "unknown: usage was not read (see the notices)", last)
    if not reasons:
        return Organization(True, "inferred: no gate on job creation has passed", last)
    return Organization(True, "inferred: " + "; ".join(reasons), last)


def _last_inference(data: OnlineData) -> date | None:
    days = [u.last_used for u in (data.usage_90d or {}).values() if u.last_used]
    days += [u.last_used for found in data.gates.values() if found for u in found.values() if u.last_used]
    return max(days) if days else None
