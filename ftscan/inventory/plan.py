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
    file: str | None = None  # an upload: the path of the file it sends, when the code tells

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


RecipeSource = Literal["job suffix and base", "online job"]


@dataclass(frozen=True, slots=True)
class Recipe:
    """The job that made a model and what it was given, when that can be told; never a guess.

    `found_by` says how: "job suffix and base" (a job in the code whose `suffix=` and base
    make this model's ID), "online job" (the organization's job for the model, its training
    file's name matched to the repository's files), or None: the recipe is unknown.
    """

    pipelines: tuple[str, ...]  # files whose jobs make the model
    training_data: tuple[str, ...]  # the training sets those jobs are given, in the repository
    training_files: tuple[str, ...]  # `training_file=` / `validation_file=` as the jobs name them
    found_by: RecipeSource | None = None

    @property
    def rebuildable(self) -> bool:
        return self.found_by is not None and bool(self.pipelines or self.training_data)


UNKNOWN_RECIPE = Recipe((), (), ())


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
    repositories: tuple[str, ...] = ()  # the repositories whose files use it


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
    repository: str | None = None


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
class Repository:
    """A repository an inventory describes: its name and commit, or why it was not scanned."""

    name: str  # `owner/name` from the git remote, `--repo`, or the directory's name
    commit: str | None = None
    url: str | None = None  # `https://host/owner/name`, from the git remote
    directory: str | None = None  # the part scanned, below the top of the work tree
    codeowners: str | None = None  # the CODEOWNERS file used, relative to its root
    scanned: bool = True
    reason: str | None = None  # why it was not scanned


@dataclass(frozen=True, slots=True)
class Inventory:
    """The migration plan: models, pipelines, training data and mentions, at a date.

    One repository's, or an estate's (`estate`: merged from several, every path written
    `repo:path` and every application `repo:app`).
    """

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
    repositories: tuple[Repository, ...] = ()
    estate: bool = False
    packs: tuple[tuple[str, str], ...] = ()  # (name, version) of the rule packs that dated it


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
    organization: str | None = None  # the organization that holds it (or made it)


@dataclass(frozen=True, slots=True)
class UnreferencedModel:
    """A fine-tune the organization has that no scanned file names."""

    model: str
    base: str
    created: date | None
    last_used: date | None
    requests_30d: int | None
    inference_end: Deadline | None
    organization: str | None = None


DEFAULT_ORGANIZATION = "default"  # the organization of OPENAI_API_KEY when none is configured


@dataclass(frozen=True, slots=True)
class Organization:
    """One OpenAI organization: can it still create jobs (inferred from the gates and usage),
    its last fine-tuned inference, its fine-tunes no scanned file names, its training files."""

    can_create_jobs: bool | None
    reason: str
    last_fine_tuned_inference: date | None
    name: str = DEFAULT_ORGANIZATION
    unreferenced: tuple[UnreferencedModel, ...] = ()
    training_files_kept: int | None = None  # its jobs' training files still stored; None: unknown


@dataclass(frozen=True, slots=True)
class Online:
    """The `--online` block: when it was read, whether every call answered, and why not,
    and each organization read."""

    complete: bool
    fetched_at: str  # ISO time, UTC
    notices: tuple[str, ...]
    organizations: tuple[Organization, ...]
    unheld: tuple[str, ...] = ()  # models named in code that no organization holds

    @property
    def organization(self) -> Organization:
        """The first organization (the only one without configured organizations)."""
        return self.organizations[0]

    @property
    def unreferenced(self) -> tuple[UnreferencedModel, ...]:
        """Every organization's fine-tunes that no scanned file names."""
        return tuple(u for org in self.organizations for u in org.unreferenced)


def not_scanned(name: str, reason: str) -> Inventory:
    """The inventory of a repository that could not be scanned: its name and why, no data."""
    return Inventory(
        as_of=date.min,
        tool_version="",
        warn_within=0,
        redacted=False,
        codeowners=None,
        training_end=None,
        models=(),
        pipelines=(),
        training_data=(),
        mentions=(),
        repositories=(Repository(name=name, scanned=False, reason=reason),),
    )
