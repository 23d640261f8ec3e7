"""Join the organization's side (`ftscan inventory --online`) with the models the code names.

Each OpenAI model named in code gains what the API says of it (does it exist, its job, its
training file, its last use); fine-tunes the organization has that no scanned file names are
listed apart; whether the organization can still create jobs is inferred from the pack's
dated gates and the usage read. Azure and partial IDs are not looked up: an Azure deployment
is not in the OpenAI organization, and a partial ID names no one model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from ftscan.inventory.plan import (
    Deadline,
    Inventory,
    Model,
    ModelOnline,
    Online,
    Organization,
    Recipe,
    UnreferencedModel,
)
from ftscan.inventory.recipe import matching_paths
from ftscan.model_ids import parse_model_id
from ftscan.online.fetch import Gate, OnlineData, OnlineJob, strip_checkpoint
from ftscan.types import Milestone, RulePack

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


def join_online(plan: Inventory, read: Mapping[str, OnlineData], packs: Iterable[RulePack]) -> Inventory:
    """`join`, with the milestones and base models of `packs`."""
    from ftscan.inventory.build import base_ends, milestones

    packs = tuple(packs)
    return join(plan, read, milestones(packs), base_ends(packs))


def join(
    plan: Inventory,
    read: Mapping[str, OnlineData],
    milestones: dict[str, Milestone],
    inference_end: Callable[[str], Deadline | None],
) -> Inventory:
    """`plan` with the online fields filled from each organization's data (`read`, by name,
    in order); `inference_end` maps a base to its deadline."""
    jobs = {name: _jobs_by_model(data.jobs) for name, data in read.items()}
    training_sets = tuple(t.place.path for t in plan.training_data)
    notices = [
        f"{name}: {notice}" if len(read) > 1 else notice
        for name, data in read.items()
        for notice in data.notices
    ]
    models = []
    skipped = 0
    unheld = []
    for model in plan.models:
        if model.flavor not in LOOKED_UP:
            skipped += 1
            models.append(model)
            continue
        holder = _holder(model.id, read, jobs)
        if holder is None and any(data.models is not None for data in read.values()):
            unheld.append(model.id)
        found = _model_online(model, read, jobs, holder)
        job = jobs[holder].get(model.id) if holder else None
        models.append(
            replace(
                model, online=found, recipe=_online_recipe(model.recipe, job, read, holder, training_sets)
            )
        )
    if skipped:
        notices.append(
            f"{skipped} Azure or partial model ID(s) not looked up: they name no one model of an "
            "OpenAI organization"
        )
    named = {m.id for m in plan.models} | {m.id for m in plan.mentions}
    organizations = tuple(
        replace(
            organization(data, milestones),
            name=name,
            unreferenced=_unreferenced(name, data, jobs[name], named, inference_end),
            training_files_kept=_files_kept(data),
        )
        for name, data in read.items()
    )
    fetched = max(data.fetched_at for data in read.values())
    online = Online(
        complete=all(data.complete for data in read.values()),
        fetched_at=fetched.isoformat(timespec="seconds").replace("+00:00", "Z"),
        notices=tuple(notices),
        organizations=organizations,
        unheld=tuple(sorted(unheld)),
    )
    return replace(plan, models=tuple(models), online=online)


def _holder(
    model_id: str, read: Mapping[str, OnlineData], jobs: Mapping[str, dict[str, OnlineJob]]
) -> str | None:
    """The first organization whose models (or, unread, whose jobs) include the model."""
    for name, data in read.items():
        if data.models is not None and model_id in data.models:
            return name
    for name, data in read.items():
        if data.models is None and model_id in jobs[name]:
            return name
    return None


def _model_online(
    model: Model,
    read: Mapping[str, OnlineData],
    jobs: Mapping[str, dict[str, OnlineJob]],
    holder: str | None,
) -> ModelOnline:
    if holder is None and len(read) > 1:
        return ModelOnline(
            exists=False,
            job_id=None,
            created=None,
            training_file_stored=None,
            last_used=None,
            requests_30d=None,
            known=any(data.models is not None for data in read.values()),
        )
    name = holder or next(iter(read))  # one organization: what it says of the model, held or not
    data = read[name]
    job = jobs[name].get(model.id)
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
        organization=holder,
    )


def _online_recipe(
    recipe: Recipe,
    job: OnlineJob | None,
    read: Mapping[str, OnlineData],
    holder: str | None,
    training_sets: tuple[str, ...],
) -> Recipe:
    """The code's recipe when it has one; else the organization's job for the model, its
    training file's name matched to the training sets found."""
    if recipe.found_by is not None or job is None or holder is None:
        return recipe
    names = read[holder].filenames
    given = [names[f] for f in (job.training_file, job.validation_file) if f and f in names]
    if not given:
        return recipe
    return Recipe(
        pipelines=(),
        training_data=matching_paths(given, training_sets),
        training_files=tuple(given),
        found_by="online job",
    )


def _files_kept(data: OnlineData) -> int | None:
    """How many of the jobs' training and validation files are still stored; None when
    not every one could be read."""
    if any(stored is None for stored in data.files.values()):
        return None
    return sum(bool(stored) for stored in data.files.values())


def _jobs_by_model(jobs: list[OnlineJob]) -> dict[str, OnlineJob]:
    """The newest job behind each fine-tuned model."""
    found: dict[str, OnlineJob] = {}
    for job in sorted(jobs, key=lambda j: (j.created or date.min, j.id)):
        if job.fine_tuned_model:
            found[strip_checkpoint(job.fine_tuned_model)] = job
    return found


def _unreferenced(
    name: str,
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
                organization=name,
            )
        )
    return tuple(found)


def online_orgs(read: Mapping[str, OnlineData]) -> set[str]:
    """Organization slugs in the IDs the API returned (for `--redact-org`)."""
    names = {m for online in read.values() for m in online.models or ()}
    names |= {j.fine_tuned_model for online in read.values() for j in online.jobs if j.fine_tuned_model}
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
