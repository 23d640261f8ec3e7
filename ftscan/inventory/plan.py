"""The inventory's frozen values: what `build_inventory` produces and every renderer reads.

Like `ftscan.types`, this module imports nothing else from ftscan's stages, so renderers can
be tested on hand-built plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Status = Literal["stopped", "at risk", "no announced date", "ok"]
STATUSES: tuple[Status, ...] = ("stopped", "at risk", "no announced date", "ok")


@dataclass(frozen=True, slots=True)
class Deadline:
    """A milestone as the inventory shows it."""

    key: str
    date: date | None
    status: str  # "confirmed" or "reported"
    effect: str


@dataclass(frozen=True, slots=True)
class Place:
    """One place in the repository where a model, job or training set appears."""

    path: str
    line: int
    column: int
    file_kind: str  # code, notebook, config, env, ci, container, script, data, docs
    application: str  # nearest directory with a project file, else the top-level folder; "." the root
    owners: tuple[str, ...]  # from CODEOWNERS
    rule_id: str
    level: str
    value: str  # the ID, call, command or format as found
    confidence: str = "high"
    env_var: str | None = None  # the variable this place sets or reads
    key_path: str | None = None  # where in a configuration file (`services.support.environment[0]`)
    cell: str | None = None  # notebook cell index
    set_in: str | None = None  # a read of an environment variable: where the variable is set
    call: str | None = None  # the call the value flows into
    keyword: str | None = None
    context: str | None = None  # comment, prose, output, ... for low-confidence sightings
    checkpoint: int | None = None
    checkpoint_at_run_time: bool = False  # `f"{model}:ckpt-step-{n}"`: a checkpoint, step unknown

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def detail(self) -> str:
        """What carries the value here, for people: key, variable, cell, where it is set."""
        parts = []
        if self.set_in:
            parts.append(f"reads {self.env_var} (set in {self.set_in})")
        elif self.env_var:
            parts.append(f"sets {self.env_var}")
        if self.key_path and self.key_path != self.env_var:
            parts.append(f"key {self.key_path}")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        if self.call and not self.set_in:
            parts.append(f"{self.keyword}= of {self.call}" if self.keyword else f"in {self.call}")
        if self.context:
            parts.append(self.context)
        if self.checkpoint is not None:
            parts.append(f"checkpoint step {self.checkpoint}")
        elif self.checkpoint_at_run_time:
            parts.append("a checkpoint, its step chosen at run time")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Recipe:
    """What the repository holds to rebuild a model elsewhere."""

    pipelines: tuple[str, ...]  # files that create jobs on the model's base
    training_data: tuple[str, ...]  # training sets in the repository
    training_files: tuple[str, ...]  # `training_file=` / `validation_file=` those jobs name

    @property
    def rebuildable(self) -> bool:
        return bool(self.pipelines or self.training_data)


@dataclass(frozen=True, slots=True)
class Model:
    """A fine-tuned model the repository depends on, with every place that uses it."""

    id: str  # normalised: no provider prefix, no checkpoint
    flavor: str  # openai, legacy, azure, partial
    base: str
    org: str | None
    suffix: str | None
    checkpoints: tuple[int, ...]
    inference_end: Deadline | None
    training_end: Deadline | None
    days_left: int | None  # to the inference end; negative once passed
    status: Status
    level: str  # the most severe finding's level
    locations: tuple[Place, ...]
    mentions: tuple[Place, ...]  # comments, prose, outputs naming the same model
    applications: tuple[str, ...]
    owners: tuple[str, ...]
    recipe: Recipe
    online: ModelOnline | None = None  # with --online


@dataclass(frozen=True, slots=True)
class Job:
    """A place that creates a fine-tuning job."""

    place: Place
    base: str | None  # the `model=` it trains on, when the code says
    base_end: Deadline | None  # when fine-tunes of that base stop serving
    training_file: str | None = None
    validation_file: str | None = None
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A file (script, notebook, workflow) that creates fine-tuning jobs."""

    path: str
    file_kind: str
    application: str
    owners: tuple[str, ...]
    jobs: tuple[Job, ...]
    bases: tuple[str, ...]
    training_end: Deadline | None
    days_left: int | None
    status: Status
    training_data: tuple[str, ...]
    models: tuple[str, ...]  # models in use whose base these jobs train on
    uploads: tuple[Place, ...] = ()  # training files uploaded in the same file (FT203)
    scheduled: tuple[Schedule, ...] = ()  # what runs it on a schedule
    triggers: tuple[Schedule, ...] = ()  # everything that runs it, schedules included


@dataclass(frozen=True, slots=True)
class TrainingSet:
    place: Place
    format: str  # chat, completion, preference, ...
    records_sampled: int | None


MentionReason = Literal["placeholder", "low confidence only", "model from a job"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A model named but not depended on: a placeholder, a comment, an output, a job's result."""

    id: str
    base: str | None
    reason: MentionReason
    inference_end: Deadline | None
    places: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class Inventory:
    """The migration plan: models, pipelines, training data and mentions, at a date."""

    as_of: date
    tool_version: str
    warn_within: int
    redacted: bool
    codeowners: str | None  # the CODEOWNERS file used, relative to the root
    training_end: Deadline | None
    models: tuple[Model, ...]
    pipelines: tuple[Pipeline, ...]
    training_data: tuple[TrainingSet, ...]
    mentions: tuple[Mention, ...]
    online: Online | None = None  # with --online


@dataclass(frozen=True, slots=True)
class Schedule:
    """Something that runs a training pipeline: a workflow, a CronJob, a crontab, a Makefile
    target, an Airflow, Prefect or Dagster schedule."""

    by: str  # the file that runs it, relative to the root
    line: int
    schedule: str  # the cron expression as written (`0 3 * * 1`); empty when not scheduled
    trigger: str = "schedule"  # schedule, push, pull_request, workflow_dispatch, manual, ...


@dataclass(frozen=True, slots=True)
class ModelOnline:
    """A model named in code, as the organization's API sees it (`--online`)."""

    exists: bool  # the key can call it now
    job_id: str | None  # the job that made it
    created: date | None
    training_file_stored: bool | None  # null: no job known, or the file could not be read
    last_used: date | None  # last day with requests in the 90 days read; null without usage
    requests_30d: int | None  # null without usage
    known: bool = True  # the models list was read: `exists` is an answer, not a default


@dataclass(frozen=True, slots=True)
class UnreferencedModel:
    """A fine-tune the organization has that no scanned file names."""

    model: str
    base: str
    created: date | None
    last_used: date | None
    requests_30d: int | None
    inference_end: Deadline | None


@dataclass(frozen=True, slots=True)
class Organization:
    """Whether the organization can still create jobs, inferred from the gates and usage."""

    can_create_jobs: bool | None
    reason: str
    last_fine_tuned_inference: date | None


@dataclass(frozen=True, slots=True)
class Online:
    """The `--online` block: when it was read, whether every call answered, and why not."""

    complete: bool
    fetched_at: str  # ISO time, UTC
    notices: tuple[str, ...]
    organization: Organization
    unreferenced: tuple[UnreferencedModel, ...]
