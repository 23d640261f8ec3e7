"""Build the inventory from a scan's findings: models, pipelines, training data, mentions.

- A model is a fine-tuned model ID (`ModelId.normalized`: a checkpoint groups under its
  model, one whose step is chosen at run time too: `ftscan.inventory.checkpoints`); a read
  of an environment variable set to it is one more location. Places seen only
  at low confidence (comments, prose, notebook outputs) are the model's mentions; a model
  seen only there, a placeholder ID, or a model taken from a job at run time (FT105) is a
  `Mention`, not a dependency.
- A pipeline is a file that creates jobs (FT201 findings, and the legacy API's or CLI's
  `create` among FT301's), with each job's base and the `training_file` /
  `validation_file` it names (a call's keywords, a CLI command's `-m`, `-t`, `-v`), and
  the training files it uploads (FT203).
- A model can be rebuilt from the repository when a pipeline trains on its base or the
  repository holds training data (FT401); otherwise it is flagged.

Suppressed findings are left out, as in `ftscan scan`. Nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ftscan.inventory.apps import Applications, file_kind
from ftscan.inventory.checkpoints import checkpoint_parent, model_of
from ftscan.inventory.owners import Owners, load_owners
from ftscan.inventory.plan import (
    Deadline,
    Inventory,
    Job,
    Mention,
    Model,
    Pipeline,
    Place,
    Repository,
    Status,
    TrainingSet,
)
from ftscan.inventory.recipe import offline_recipe
from ftscan.inventory.redact import org_redactor, redact
from ftscan.types import LEVELS, EvidenceKind, Finding, Milestone, RulePack, RunInfo

if TYPE_CHECKING:
    from ftscan.inventory.schedules import Schedules
    from ftscan.online.fetch import OnlineData

DEFAULT_WARN_WITHIN = 90
TRAINING_END = "training-end"
JOB_RULE = "FT201"
AZURE_JOB_RULE = "AZ201"
UPLOAD_RULE = "FT203"
LEGACY_RULE = "FT301"  # the legacy API: its `create` calls and commands create jobs too
_CREATE = ("create", "acreate")
TRAINING_DATA_RULE = "FT401"
_SNAPSHOT = re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{4})")  # `-2024-07-18`, `-0125`


def build_inventory(
    findings: Sequence[Finding],
    run: RunInfo,
    root: Path | str,
    *,
    redact_org: bool = False,
    warn_within: int = DEFAULT_WARN_WITHIN,
    online: Mapping[str, OnlineData] | None = None,
    schedules: Schedules | None = None,
    repository: Repository | None = None,
) -> Inventory:
    """The migration plan for `findings`; `root` is the directory their paths are relative to.

    `online` (from `ftscan.online.read_online`) joins the organizations' side; `schedules` (from
    `ftscan.inventory.schedules`) says what runs each pipeline on a schedule (by default, read
    under `root` with its `.gitignore` files); `repository` names what was scanned.
    """
    root = Path(root)
    active = [f for f in findings if f.suppression is None]
    owners = load_owners(root)
    places = _Places(owners, Applications(root))
    training_end = _deadline(training_end_milestone(run))

    training = _training_sets(active, places)
    training_paths = tuple(sorted({t.place.path for t in training}))
    jobs = _jobs(active, places)
    azure_jobs = _jobs(active, places, creates=lambda f: f.rule.id == AZURE_JOB_RULE)
    uploads = _uploads(active, places)
    groups, others = _models(active)
    repo = repository.name if repository else None
    models = sorted(
        (
            # An Azure OpenAI fine-tune: Microsoft's dates and Azure's own jobs, never OpenAI's.
            _model(
                key, group, places, azure_jobs, uploads, training_paths, None, run.as_of, warn_within, repo
            )
            if _is_azure(group)
            else _model(
                key, group, places, jobs, uploads, training_paths, training_end, run.as_of, warn_within, repo
            )
            for key, group in groups.items()
        ),
        key=lambda m: (m.inference_end.date if m.inference_end and m.inference_end.date else date.max, m.id),
    )
    days, state = status(training_end, run.as_of, warn_within)
    if jobs and schedules is None:
        from ftscan.inventory.schedules import Schedules

        schedules = Schedules.read(root, [root])
    pipelines = []
    triggers = {path: schedules.of(path, found) if schedules else () for path, found in jobs.items()}
    for path, found in sorted(jobs.items()):
        bases = tuple(sorted({j.base for j in found if j.base}))
        first = found[0].place
        pipelines.append(
            Pipeline(
                path=path,
                file_kind=first.file_kind,
                application=first.application,
                owners=first.owners,
                jobs=tuple(found),
                bases=bases,
                training_end=training_end,
                days_left=days,
                status=state,
                training_data=training_paths,
                models=tuple(m.id for m in models if any(same_base(b, m.base) for b in bases)),
                uploads=uploads.get(path, ()),
                scheduled=tuple(t for t in triggers[path] if t.trigger == "schedule"),
                triggers=triggers[path],
                repository=repo,
            )
        )
    # Scheduled pipelines first: each of their runs after the training end fails.
    pipelines.sort(key=lambda p: (not p.scheduled, p.path))
    plan = Inventory(
        as_of=run.as_of,
        tool_version=run.tool_version,
        warn_within=warn_within,
        redacted=redact_org,
        codeowners=owners.source,
        training_end=training_end,
        models=tuple(models),
        pipelines=tuple(pipelines),
        training_data=tuple(training),
        mentions=tuple(_mentions(others, places)),
        repositories=(replace(repository, codeowners=owners.source),) if repository else (),
        packs=tuple((pack.name, pack.version) for pack in run.packs),
    )
    orgs = _orgs(active)
    if online is not None:
        from ftscan.inventory.online_join import join_online, online_orgs

        plan = join_online(plan, online, run.packs)
        orgs |= online_orgs(online)
    if redact_org:
        plan = redact(plan, org_redactor(orgs))
    return plan


def status(deadline: Deadline | None, as_of: date, warn_within: int) -> tuple[int | None, Status]:
    """Days left to the deadline (negative once passed) and what that means."""
    if deadline is None or deadline.date is None:
        return None, "no announced date"
    days = (deadline.date - as_of).days
    if days <= 0:
        return days, "stopped"
    return days, "at risk" if days <= warn_within else "ok"


def same_base(job_base: str | None, model_base: str) -> bool:
    """Whether a job on `job_base` makes models like one on `model_base`.

    Equal names, or an alias and one of its snapshots (`gpt-4o-mini` and
    `gpt-4o-mini-2024-07-18`, `gpt-3.5-turbo` and `gpt-3.5-turbo-0125`); not `gpt-4o` and
    `gpt-4o-mini`. A job whose base the code does not name matches nothing.
    """
    if not job_base:
        return False
    a = job_base.removeprefix("openai/").removeprefix("openai:")
    b = model_base.removeprefix("openai/").removeprefix("openai:")
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and _SNAPSHOT.fullmatch(long[len(short) :]) is not None


def training_end_milestone(run: RunInfo) -> Milestone | None:
    """The pack's `training-end` milestone: from the loaded rules, else from the packs."""
    for rule in run.rules:
        for ref in rule.milestones:
            if ref.milestone.key == TRAINING_END:
                return ref.milestone
    return next((m for p in run.packs for m in p.milestones if m.key == TRAINING_END), None)


class _Places:
    """Turns findings into places, with their application and owners."""

    def __init__(self, owners: Owners, applications: Applications) -> None:
        self.owners = owners
        self.applications = applications

    def of(self, finding: Finding) -> Place:
        ev = finding.evidence
        set_in = ev.prop("set_in")
        return Place(
            path=ev.path,
            line=ev.span.line,
            column=ev.span.column,
            file_kind=file_kind(ev.path),
            application=self.applications.of(ev.path),
            owners=self.owners.of(ev.path),
            rule_id=finding.rule.id,
            level=finding.level,
            value=ev.value,
            confidence=ev.confidence,
            env_var=ev.prop("env_var"),
            key_path=None if set_in else ev.prop("key_path"),  # a read: the key is the definition's
            cell=ev.prop("cell"),
            set_in=set_in,
            call=ev.call,
            keyword=ev.keyword,
            context=ev.prop("context"),
            checkpoint=ev.model.checkpoint if ev.model else None,
            checkpoint_at_run_time=ev.model is not None and checkpoint_parent(ev.model) is not None,
            file=ev.prop("upload_path"),
        )


def _models(findings: Iterable[Finding]) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Findings on model IDs by normalised ID; the rest that name a model go to mentions."""
    models: dict[str, list[Finding]] = defaultdict(list)
    others: list[Finding] = []
    for finding in findings:
        ev = finding.evidence
        model = model_of(finding)
        if ev.kind == EvidenceKind.MODEL_REF:
            others.append(finding)
        elif ev.kind == EvidenceKind.MODEL_ID and model is not None:
            if model.placeholder:
                others.append(finding)
            else:
                models[model.normalized].append(finding)
    for key in [k for k, group in models.items() if all(f.evidence.confidence == "low" for f in group)]:
        others.extend(models.pop(key))
    return dict(models), others


def _mentions(findings: Sequence[Finding], places: _Places) -> list[Mention]:
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        ev = finding.evidence
        model = model_of(finding)
        if model is None:
            groups[("model from a job", ev.value)].append(finding)
        elif model.placeholder:
            groups[("placeholder", model.normalized)].append(finding)
        else:
            groups[("low confidence only", model.normalized)].append(finding)
    mentions = []
    for (reason, key), group in groups.items():
        model = model_of(group[0])
        mentions.append(
            Mention(
                id=key,
                base=model.base if model else None,
                reason=reason,  # type: ignore[arg-type]
                inference_end=_inference_end(group) if model else None,
                places=_unique_places(places.of(f) for f in group),
            )
        )
    mentions.sort(key=lambda m: (m.places[0].path, m.places[0].line, m.id))
    return mentions


def _model(
    key: str,
    group: Sequence[Finding],
    places: _Places,
    jobs: dict[str, list[Job]],
    uploads: dict[str, tuple[Place, ...]],
    training_data: tuple[str, ...],
    training_end: Deadline | None,
    as_of: date,
    warn_within: int,
    repository: str | None,
) -> Model:
    """One model from the findings on its ID, with its recipe: the job among `jobs` that
    makes it, and what that job is given among `uploads` and `training_data`."""
    first = next((m for f in group if (m := f.evidence.model) and m.flavor != "partial"), None)
    first = first or model_of(group[0])
    assert first is not None
    inference_end = _inference_end(group)
    days, state = status(inference_end, as_of, warn_within)
    located = _unique_places(places.of(f) for f in group if f.evidence.confidence != "low")
    mentioned = _unique_places(places.of(f) for f in group if f.evidence.confidence == "low")
    return Model(
        id=key,
        flavor=first.flavor,
        base=first.base,
        org=first.org,
        suffix=first.suffix,
        checkpoints=_checkpoints(group),
        inference_end=inference_end,
        training_end=training_end,
        days_left=days,
        status=state,
        level=max((f.level for f in group), key=LEVELS.index),
        locations=located,
        mentions=mentioned,
        applications=tuple(sorted({p.application for p in located})),
        owners=tuple(sorted({o for p in located for o in p.owners})),
        recipe=offline_recipe(
            first.base,
            first.suffix,
            ((path, found, uploads.get(path, ())) for path, found in jobs.items()),
            training_data,
            same_base,
        ),
        repositories=(repository,) if repository else (),
    )


def _is_azure(group: Sequence[Finding]) -> bool:
    return any((m := f.evidence.model) is not None and m.flavor == "azure" for f in group)


def _jobs(
    findings: Iterable[Finding], places: _Places, creates: Callable[[Finding], bool] | None = None
) -> dict[str, list[Job]]:
    """Job-creation sites by file, in line order (OpenAI's, unless `creates` says otherwise)."""
    jobs: dict[str, list[Job]] = defaultdict(list)
    for finding in findings:
        if not (creates or creates_job)(finding):
            continue
        ev = finding.evidence
        base = finding.base_model
        jobs[ev.path].append(
            Job(
                place=places.of(finding),
                base=ev.prop("arg:model") or ev.prop("arg:base_model"),
                base_end=_deadline(base.milestone) if base else None,
                training_file=ev.prop("arg:training_file"),
                validation_file=ev.prop("arg:validation_file"),
                suffix=ev.prop("arg:suffix"),
            )
        )
    return {path: sorted(group, key=lambda j: (j.place.line, j.place.column)) for path, group in jobs.items()}


def _uploads(findings: Iterable[Finding], places: _Places) -> dict[str, tuple[Place, ...]]:
    """Training-file uploads (FT203) by file, one per place, in line order."""
    found: dict[str, list[Place]] = defaultdict(list)
    for finding in findings:
        if finding.rule.id == UPLOAD_RULE:
            found[finding.evidence.path].append(places.of(finding))
    return {path: _unique_places(group) for path, group in found.items()}


def creates_job(finding: Finding) -> bool:
    """FT201, or a legacy `FineTune.create` / `openai api fine_tunes.create`."""
    if finding.rule.id == JOB_RULE:
        return True
    ev = finding.evidence
    return (
        finding.rule.id == LEGACY_RULE
        and ev.kind in (EvidenceKind.API_CALL, EvidenceKind.CLI)
        and ev.value.rpartition(".")[2] in _CREATE
    )


def _training_sets(findings: Iterable[Finding], places: _Places) -> list[TrainingSet]:
    sets = []
    seen: set[str] = set()
    for finding in findings:
        ev = finding.evidence
        if finding.rule.id != TRAINING_DATA_RULE or ev.path in seen:
            continue
        seen.add(ev.path)
        sampled = ev.prop("records_sampled")
        sets.append(TrainingSet(places.of(finding), ev.value, int(sampled) if sampled else None))
    return sorted(sets, key=lambda t: t.place.path)


def _checkpoints(group: Iterable[Finding]) -> tuple[int, ...]:
    steps = {f.evidence.model.checkpoint for f in group if f.evidence.model is not None}
    return tuple(sorted(step for step in steps if step is not None))


def _inference_end(group: Sequence[Finding]) -> Deadline | None:
    """When inference on the model stops: its base's shutdown, else the finding's deadline."""
    found = [f.base_model.milestone for f in group if f.base_model and f.base_model.milestone]
    if not found:
        found = [f.deadline for f in group if f.deadline and f.rule.id != JOB_RULE]
    dated = sorted((m for m in found if m.date), key=lambda m: (m.date, m.key))
    return _deadline(dated[0] if dated else (found[0] if found else None))


def milestones(packs: Iterable[RulePack]) -> dict[str, Milestone]:
    """Every milestone of the packs, by key (the first pack's wins)."""
    found: dict[str, Milestone] = {}
    for pack in packs:
        for milestone in pack.milestones:
            found.setdefault(milestone.key, milestone)
    return found


def base_ends(packs: Iterable[RulePack]) -> Callable[[str], Deadline | None]:
    """Base name -> when its fine-tunes stop serving, as the packs say."""
    from ftscan.match.engine import BaseModels

    lookup = BaseModels(b for pack in packs for b in pack.base_models)

    def inference_end(base: str) -> Deadline | None:
        found = lookup.find(base)
        return _deadline(found.milestone) if found and found.milestone else None

    return inference_end


def _deadline(milestone: Milestone | None) -> Deadline | None:
    if milestone is None:
        return None
    return Deadline(milestone.key, milestone.date, milestone.status, milestone.effect)


def _unique_places(places: Iterable[Place]) -> tuple[Place, ...]:
    """One place per path, line and column (several rules may fire on one value)."""
    unique: dict[tuple[str, int, int], Place] = {}
    for place in places:
        unique.setdefault((place.path, place.line, place.column), place)
    return tuple(sorted(unique.values(), key=lambda p: (p.path, p.line, p.column)))


def _orgs(findings: Iterable[Finding]) -> set[str]:
    """Organization slugs of every real model ID found (placeholders name no organization)."""
    return {m.org for f in findings if (m := model_of(f)) is not None and m.org and not m.placeholder}
