"""The inventory as JSON, versioned by `ftscan_inventory_version` (now 2).

Keys are sorted and lists come in a fixed order, so the same repository at the same as-of
date gives the same bytes. A new field is not a new version; a changed or removed one is.

Document::

    ftscan_inventory_version  2 (1 had no repositories, packs or organizations, and a recipe
                              that listed every training set in the tree)
    tool                      {name, version}
    estate                    true when merged from several repositories (`inventory merge`,
                              `--repos`): every path is `repo:path`, every application
                              `repo:app`
    repositories[]            {name, commit, url (https://host/owner/name, from the git remote),
                               directory (the part scanned, below the work tree's top, or
                               null), codeowners, scanned, reason (why not scanned)}
    packs[]                   {name, version} of the rule packs that dated it
    as_of                     "YYYY-MM-DD": days are counted from here
    warn_within               days: a deadline this close is "at risk"
    redacted                  true with --redact-org (organization slugs read "<org>")
    codeowners                the CODEOWNERS file used, relative to the root, or null
    training_end              deadline (below) after which no fine-tuning job can be created
    summary                   {models, by_status {status: count}, pipelines, training_data,
                               mentions, cannot_rebuild}
    models[]                  by inference end date, then ID:
        id, flavor (openai | legacy | azure | partial), base, org, suffix, checkpoints[],
        inference_end (deadline | null), training_end (deadline | null),
        days_left (to the inference end, negative once passed; null without a date),
        status (stopped | at risk | no announced date | ok), level (the worst finding's),
        applications[], owners[], repositories[], locations[] (place), mentions[] (place:
        comments, prose, outputs naming the same model),
        recipe {found_by ("job suffix and base" | "online job" | null: unknown), rebuildable,
        pipelines[] (paths of the jobs that make it), training_data[] (paths of what they
        are given), training_files[] (as the jobs name them)}
    pipelines[]               by path: path, repository, file_kind, application, owners[], bases[],
        training_end, days_left, status, training_data[], models[] (IDs trained on these
        bases), jobs[] {place, base, base_end (deadline | null), training_file,
        validation_file, suffix}, uploads[] (place), scheduled[] {by, line, schedule},
        triggers[] {by, line, trigger, schedule} (everything that runs it; only a schedule
        makes it scheduled)
        (scheduled pipelines first)
    training_data[]           {place, format (chat, completion, preference, ...), records_sampled}
    mentions[]                {id, base, reason (placeholder | low confidence only |
                               model from a job), inference_end, places[]}

    With --online (absent without it):
    models[].online           {organization, exists, job_id, created, training_file_stored,
                               last_used, requests_30d, known (the models list was read:
                               `exists` is an answer)}, or null for an Azure or partial ID
    online                    {complete, fetched_at (ISO time, UTC), notices[]}
    organizations[]           {name, can_create_jobs (bool | null), reason ("inferred: ..."),
                               last_fine_tuned_inference, training_files_kept,
                               unreferenced_models[] (below)}
    organization              the first of `organizations` without its lists (the only one
                              unless organizations are configured)
    unreferenced_models[]     every organization's {organization, model, base, created,
                               last_used, requests_30d, inference_end}: named in no scanned file
    models_held_by_no_organization[]  IDs named in code that no organization read holds

    deadline                  {milestone, date ("YYYY-MM-DD" or null), status (confirmed |
                               reported), effect}
    place                     {path, line, column, link ("path#Lline"), file_kind, application,
                               owners[], rule_id, level, value, confidence, env_var, key_path,
                               cell, set_in, call, keyword, context, checkpoint,
                               checkpoint_at_run_time, file (an upload's file), detail}
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from ftscan.inventory.plan import (
    STATUSES,
    Deadline,
    Inventory,
    Job,
    Mention,
    Model,
    ModelOnline,
    Online,
    Organization,
    Pipeline,
    Place,
    Repository,
    TrainingSet,
    UnreferencedModel,
)

INVENTORY_VERSION = 2


def render(plan: Inventory) -> str:
    return "".join(chunks(plan))


def chunks(plan: Inventory) -> Iterator[str]:
    """The document in pieces, the same bytes as one `json.dumps(..., indent=2)`: an
    estate's lists of models and places are encoded an item at a time, so a thousand
    repositories' plan is never a second time in memory as one string."""
    states = Counter(m.status for m in plan.models)
    document: dict[str, Any] = {
        "ftscan_inventory_version": INVENTORY_VERSION,
        "tool": {"name": "ftscan", "version": plan.tool_version},
        "estate": plan.estate,
        "repositories": [repository_dict(r) for r in plan.repositories],
        "packs": [{"name": name, "version": version} for name, version in plan.packs],
        "as_of": plan.as_of.isoformat(),
        "warn_within": plan.warn_within,
        "redacted": plan.redacted,
        "codeowners": plan.codeowners,
        "training_end": deadline_dict(plan.training_end),
        "summary": {
            "models": len(plan.models),
            "by_status": {s: states[s] for s in STATUSES if states[s]},
            "pipelines": len(plan.pipelines),
            "training_data": len(plan.training_data),
            "mentions": len(plan.mentions),
            "cannot_rebuild": sum(not m.recipe.rebuildable for m in plan.models),
        },
        "models": _Items(plan.models, lambda m: model_dict(m, plan.online is not None)),
        "pipelines": _Items(plan.pipelines, pipeline_dict),
        "training_data": _Items(plan.training_data, training_set_dict),
        "mentions": _Items(plan.mentions, mention_dict),
    }
    if plan.online is not None:
        document.update(online_dicts(plan.online))
    yield "{"
    for index, key in enumerate(sorted(document)):
        yield f"{',' if index else ''}\n  {_encode(key)}: "
        value = document[key]
        if isinstance(value, _Items):
            yield from value.encode()
        else:
            yield _encode(value, 1)
    yield "\n}\n"


class _Items:
    """A top-level list, turned into dictionaries only as each is written."""

    def __init__(self, items: Sequence[Any], as_dict: Callable[[Any], dict[str, Any]]) -> None:
        self.items, self.as_dict = items, as_dict

    def encode(self) -> Iterator[str]:
        if not self.items:
            yield "[]"
            return
        for index, item in enumerate(self.items):
            yield f"{'[' if not index else ','}\n    {_encode(self.as_dict(item), 2)}"
        yield "\n  ]"


def _encode(value: Any, depth: int = 0) -> str:
    """`value` as `json.dumps(indent=2)` writes it `depth` levels in."""
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * depth) if depth else text


def training_set_dict(training_set: TrainingSet) -> dict[str, Any]:
    return {
        "place": place_dict(training_set.place),
        "format": training_set.format,
        "records_sampled": training_set.records_sampled,
    }


def deadline_dict(deadline: Deadline | None) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "milestone": deadline.key,
        "date": deadline.date.isoformat() if deadline.date else None,
        "status": deadline.status,
        "effect": deadline.effect,
    }


def repository_dict(repository: Repository) -> dict[str, Any]:
    return {
        "name": repository.name,
        "commit": repository.commit,
        "url": repository.url,
        "directory": repository.directory,
        "codeowners": repository.codeowners,
        "scanned": repository.scanned,
        "reason": repository.reason,
    }


def place_dict(place: Place) -> dict[str, Any]:
    return {
        "path": place.path,
        "line": place.line,
        "column": place.column,
        "link": f"{place.path}#L{place.line}",
        "file_kind": place.file_kind,
        "application": place.application,
        "owners": list(place.owners),
        "rule_id": place.rule_id,
        "level": place.level,
        "value": place.value,
        "confidence": place.confidence,
        "env_var": place.env_var,
        "key_path": place.key_path,
        "cell": place.cell,
        "set_in": place.set_in,
        "call": place.call,
        "keyword": place.keyword,
        "context": place.context,
        "checkpoint": place.checkpoint,
        "checkpoint_at_run_time": place.checkpoint_at_run_time,
        "file": place.file,
        "detail": place.detail,
    }


def model_dict(model: Model, online: bool = False) -> dict[str, Any]:
    """`online`: the run read the organization's side (every model gets the key)."""
    return {
        "id": model.id,
        "flavor": model.flavor,
        "base": model.base,
        "org": model.org,
        "suffix": model.suffix,
        "checkpoints": list(model.checkpoints),
        "inference_end": deadline_dict(model.inference_end),
        "training_end": deadline_dict(model.training_end),
        "days_left": model.days_left,
        "status": model.status,
        "level": model.level,
        "applications": list(model.applications),
        "owners": list(model.owners),
        "repositories": list(model.repositories),
        "locations": [place_dict(p) for p in model.locations],
        "mentions": [place_dict(p) for p in model.mentions],
        "recipe": {
            "found_by": model.recipe.found_by,
            "rebuildable": model.recipe.rebuildable,
            "pipelines": list(model.recipe.pipelines),
            "training_data": list(model.recipe.training_data),
            "training_files": list(model.recipe.training_files),
        },
        **({"online": model_online_dict(model.online)} if online else {}),
    }


def job_dict(job: Job) -> dict[str, Any]:
    return {
        "place": place_dict(job.place),
        "base": job.base,
        "base_end": deadline_dict(job.base_end),
        "training_file": job.training_file,
        "validation_file": job.validation_file,
        "suffix": job.suffix,
    }


def pipeline_dict(pipeline: Pipeline) -> dict[str, Any]:
    return {
        "path": pipeline.path,
        "repository": pipeline.repository,
        "file_kind": pipeline.file_kind,
        "application": pipeline.application,
        "owners": list(pipeline.owners),
        "bases": list(pipeline.bases),
        "training_end": deadline_dict(pipeline.training_end),
        "days_left": pipeline.days_left,
        "status": pipeline.status,
        "training_data": list(pipeline.training_data),
        "models": list(pipeline.models),
        "jobs": [job_dict(j) for j in pipeline.jobs],
        "uploads": [place_dict(p) for p in pipeline.uploads],
        "scheduled": [{"by": s.by, "line": s.line, "schedule": s.schedule} for s in pipeline.scheduled],
        "triggers": [
            {"by": t.by, "line": t.line, "trigger": t.trigger, "schedule": t.schedule or None}
            for t in pipeline.triggers
        ],
    }


def mention_dict(mention: Mention) -> dict[str, Any]:
    return {
        "id": mention.id,
        "base": mention.base,
        "reason": mention.reason,
        "inference_end": deadline_dict(mention.inference_end),
        "places": [place_dict(p) for p in mention.places],
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def model_online_dict(online: ModelOnline | None) -> dict[str, Any] | None:
    if online is None:
        return None
    return {
        "organization": online.organization,
        "exists": online.exists,
        "job_id": online.job_id,
        "created": _day(online.created),
        "training_file_stored": online.training_file_stored,
        "last_used": _day(online.last_used),
        "requests_30d": online.requests_30d,
        "known": online.known,
    }


def online_dicts(online: Online) -> dict[str, Any]:
    """The top-level `online`, `organizations`, `organization`, `unreferenced_models` and
    `models_held_by_no_organization`."""
    return {
        "online": {
            "complete": online.complete,
            "fetched_at": online.fetched_at,
            "notices": list(online.notices),
        },
        "organizations": [
            {
                **organization_dict(org),
                "unreferenced_models": [unreferenced_dict(u) for u in org.unreferenced],
            }
            for org in online.organizations
        ],
        "organization": organization_dict(online.organization),
        "unreferenced_models": [unreferenced_dict(u) for u in online.unreferenced],
        "models_held_by_no_organization": list(online.unheld),
    }


def organization_dict(org: Organization) -> dict[str, Any]:
    return {
        "name": org.name,
        "can_create_jobs": org.can_create_jobs,
        "reason": org.reason,
        "last_fine_tuned_inference": _day(org.last_fine_tuned_inference),
        "training_files_kept": org.training_files_kept,
    }


def unreferenced_dict(found: UnreferencedModel) -> dict[str, Any]:
    return {
        "organization": found.organization,
        "model": found.model,
        "base": found.base,
        "created": _day(found.created),
        "last_used": _day(found.last_used),
        "requests_30d": found.requests_30d,
        "inference_end": deadline_dict(found.inference_end),
    }
