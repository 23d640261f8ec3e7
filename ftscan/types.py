"""Frozen values passed between the stages: walk -> scan -> match -> report.

Every stage imports its inputs and outputs from here and nothing from the other
stages, so each one can be tested on plain values.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ftscan.frozen import Factory, Frozen

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

# The days ftscan dates by or reads (`--as-of`, an inventory's dates): every report format
# writes them, and a calendar's arithmetic on `9999-12-31` overflows.
EARLIEST_DAY, LATEST_DAY = date(1970, 1, 1), date(2199, 12, 31)

Level = Literal["error", "warning", "note"]
LEVELS: tuple[Level, ...] = ("note", "warning", "error")  # ascending severity
Confidence = Literal["high", "medium", "low"]
Status = Literal["confirmed", "reported"]


class Pattern(Protocol):
    """A rule pack's regular expression, as the scanners run it (`ftscan.rules.regex.PackRegex`:
    RE2, linear time whatever the pack says)."""

    pattern: str

    def finditer(self, text: str) -> Iterator[Any]: ...


class EvidenceKind:
    """What a scanner saw. Rules match on these names (`match.evidence`)."""

    MODEL_ID = "model-id"  # a fine-tuned model ID (literal or partly built)
    MODEL_REF = "model-ref"  # a fine-tune passed without a literal (`job.fine_tuned_model`)
    MODEL_ARG = "model-arg"  # a model name a rule asks about (`model="dall-e-3"`)
    API_CALL = "api-call"  # a call resolved to a qualified name (`openai.fine_tuning.jobs.create`)
    REST_PATH = "rest-path"  # an HTTP path in a string (`/v1/fine_tuning/jobs`)
    CLI = "cli"  # a shell command (`openai api fine_tunes.create`)
    TEXT = "text"  # a rule's own regular expression matched the raw text
    TRAINING_DATA = "training-data"  # a JSONL file of training examples
    ENV_READ = "env-read"  # code reads an environment variable

    ALL = (MODEL_ID, MODEL_REF, MODEL_ARG, API_CALL, REST_PATH, CLI, TEXT, TRAINING_DATA, ENV_READ)


class Target(Frozen):
    """A file to scan: where it is on disk, its repo-relative path and its kind.

    `holds_needle` is False when the walk already knows the file's bytes hold no needle,
    nothing else a scan looks at, and fit the size limit (the native engine searched
    them): their scan finds nothing. `path` is a string when the native engine found it.
    """

    path: Path | str
    rel: str
    kind: str
    holds_needle: bool = True


class Span(Frozen, order=True):
    """A region of a file: 1-based lines, 1-based columns in code points, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class ModelId(Frozen):
    """A fine-tuned model ID taken apart by `ftscan.model_ids`."""

    raw: str  # as written, prefix included
    flavor: Literal["openai", "legacy", "azure", "partial"]
    base: str  # the base model as written in the ID (`gpt-4o-mini-2024-07-18`)
    org: str | None = None
    suffix: str | None = None
    id: str | None = None
    checkpoint: int | None = None
    prefix: str | None = None  # `openai/` or `openai:` when present
    placeholder: bool = False  # `my-org`, `...`, `<id>`: an example, not a real model

    @property
    def normalized(self) -> str:
        """The model's own ID: no provider prefix, no checkpoint."""
        text = self.raw.removeprefix(self.prefix or "")
        if self.checkpoint is not None:
            text = text[: text.rfind(":ckpt-step-")]
        return text


Props = tuple[tuple[str, str], ...]
# A fine-tuning job's keywords the inventory reads (`arg:training_file`, ...): its recipe.
RECIPE_KEYWORDS = frozenset({"training_file", "validation_file", "suffix"})


class Evidence(Frozen):
    """A fact a scanner found at a place. It knows nothing of rules or dates."""

    kind: str  # one of EvidenceKind
    path: str  # repo-relative, forward slashes
    span: Span
    value: str  # the ID, qualified call name, path, command or matched text
    model: ModelId | None = None
    call: str | None = None  # the call the value flows into, when known
    keyword: str | None = None  # the keyword argument that carries it (`model`)
    confidence: Confidence = "high"
    props: Props = ()  # extra facts: ("arg:model", "gpt-4o"), ("arg:purpose", "fine-tune"), ...
    line_hash: str | None = None  # GitHub's primaryLocationLineHash of the first line

    def prop(self, name: str) -> str | None:
        return next((v for k, v in self.props if k == name), None)


class Notification(Frozen):
    """Something the scan could not do fully: reported, never silent."""

    path: str
    kind: str  # "parse-error", "decode-error", "too-large", "binary", "unreadable", ...
    message: str
    level: Level = "warning"


class IgnoreComment(Frozen):
    """`# ftscan: ignore[FT201] -- reason` and the lines it covers."""

    path: str
    line: int
    rules: tuple[str, ...]  # empty when the comment names none (reported, ignores nothing)
    reason: str | None
    first_line: int
    last_line: int
    whole_file: bool = False  # `ftscan: ignore-file[...]`


class Helper(Frozen):
    """A module-level function that passes its parameters on to a fine-tuning call: what
    a caller in another module of the tree needs to report that call at its own place.

    `def upload(path, purpose): client.files.create(file=..., purpose=purpose)` in
    `trainer/client.py` is `Helper("trainer/client.py", "upload", ("path", "purpose"),
    forwards=(("purpose", "purpose"),), call="openai.files.create", ...)`.
    """

    path: str  # the file that defines it
    name: str
    params: tuple[str, ...]  # the parameters a positional argument fills, in order
    forwards: tuple[tuple[str, str], ...]  # (keyword of the call, parameter that carries it)
    call: str  # the fine-tuning call it reaches, as matched
    confidence: Confidence
    props: Props  # the call's facts, without those of the forwarded keywords
    sink: Span  # where the call is, in `path`
    defaults: tuple[tuple[str, str], ...] = ()  # parameter -> a string default


class FileResult(Frozen):
    """What scanning one file produced."""

    path: str
    evidence: tuple[Evidence, ...] = ()
    notifications: tuple[Notification, ...] = ()
    ignores: tuple[IgnoreComment, ...] = ()
    helpers: tuple[Helper, ...] = ()  # for calls of them from other files (`pipeline.helper_calls`)


class FileLimits(Frozen):
    """What one file may cost. Going over either is a notification, never a silent skip."""

    max_bytes: int = -1  # read at most this many bytes (a file can grow after the walk); -1: no cap
    seconds: float = 0  # time for a file's scanner before it falls back to plain text; 0: none


class ScanPatterns(Frozen):
    """What the loaded rules ask scanners to look for; derived, never hand-kept.

    `needles` gate every file: one that holds none of them and no model ID is read
    once and dropped without parsing. Scanners match `calls` with `ftscan.rules.globs` and
    `cli` with `ftscan.scan.text.cli_regex`, each built on first use.
    """

    needles: tuple[str, ...] = ()
    model_ids: bool = True  # look for model IDs with the grammar (`ftscan.model_ids`)
    training_data: bool = False  # JSONL files always reach their scanner, to spot training sets
    env_vars: frozenset[str] = frozenset()  # variables set to a model ID: report code that reads them
    line_hashes: bool = True  # attach GitHub's primaryLocationLineHash (SARIF needs it)
    calls: tuple[str, ...] = ()  # fnmatch globs over qualified call names
    model_args: frozenset[str] = frozenset()
    model_keywords: frozenset[str] = frozenset({"model"})
    rest_paths: tuple[str, ...] = ()  # literal path fragments (`/fine_tuning/`)
    cli: tuple[str, ...] = ()  # command globs (`openai api fine_tunes.*`)
    text: tuple[tuple[str, Pattern], ...] = ()  # (rule id, RE2 regex) per text rule
    sdks: tuple[SdkSurface, ...] = ()  # the SDKs of the languages parsed by `ftscan.scan.languages`
    # Needles of those SDKs, by file kind: `FineTuning` gates a Go file, never a Python one
    # (where it names the SDK's own types and would send every such file to libcst).
    kind_needles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Keywords whose value changes what a finding says: those the rules ask about
    # (`arg:purpose`), the model keywords and `RECIPE_KEYWORDS`. Only a helper that forwards
    # one is worth following into another module.
    deciding_keywords: frozenset[str] = frozenset()
    # Helpers other files define: report calls of them (`ftscan.scan.python.imported`).
    helpers: tuple[Helper, ...] = ()


class Milestone(Frozen):
    """A dated event that breaks something."""

    key: str
    date: date | None
    effect: str  # "No organization can create fine-tuning jobs"
    status: Status = "confirmed"
    source: str | None = None


class MilestoneRef(Frozen):
    """A milestone as a rule uses it; `passed_level` pins the level once it has passed."""

    milestone: Milestone
    passed_level: Level | None = None


class BaseModel(Frozen):
    """A base model family and the day its fine-tunes stop serving, on one provider's platform."""

    names: tuple[str, ...]  # exact names and prefixes, most specific first
    milestone: Milestone | None
    replacement: str | None = None
    provider: str = "openai"  # "azure": dates Azure OpenAI's fine-tunes, and only those


# A chain of names as a call spells it, compared without case or underscores:
# `client.FineTuning.Jobs.New`, `client.fineTuning().jobs().create()` and
# `client.fine_tuning.jobs.create` are ("finetuning", "jobs", "new"|"create") at the end.
Chain = tuple[str, ...]


class SdkSurface(Frozen):
    """How one SDK of another language names the calls the rules know (a pack's `sdks`).

    `calls` maps the last names of a call's chain onto the rules' qualified call
    (`CreateFineTuningJob` -> `openai.fine_tuning.jobs.create`), longest chain first, with
    the arguments one of which the call must be given to count (an overloaded method);
    `arguments` names a method's positional arguments; `constants` gives the string an SDK
    constant stands for (`FilePurposeFineTune` -> `fine-tune`). A file that holds one of
    `markers` uses the SDK; one that holds one of `azure` builds an Azure OpenAI client.
    """

    name: str
    languages: tuple[str, ...]
    markers: tuple[str, ...]
    calls: tuple[tuple[Chain, str, tuple[str, ...]], ...]
    arguments: tuple[tuple[str, tuple[str, ...]], ...] = ()
    constants: tuple[tuple[Chain, str], ...] = ()
    azure: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # markers of another provider's look-alike SDK (Telnyx, Mistral)
    # Each call's and constant's most telling name as the SDK spells it, with the call or
    # value it stands for: what the prefilter may look for (`ftscan.rules.needles`).
    spelled: tuple[tuple[str, str], ...] = ()


class RuleMatch(Frozen):
    """Which evidence a rule applies to. Every field present must hold."""

    evidence: str
    calls: tuple[str, ...] = ()
    values: tuple[str, ...] = ()  # fnmatch globs over Evidence.value
    flavors: tuple[str, ...] = ()
    placeholder: bool | None = None
    props: Props = ()  # fnmatch globs over Evidence.props values: all must match
    not_props: Props = ()  # none of these may match
    pattern: Pattern | None = None  # RE2: linear time whatever the pack says
    needles: tuple[str, ...] = ()  # for `text` rules whose regex has no literal to gate on
    base_dated: bool | None = None  # only evidence whose base model has (or lacks) a date


class RuleExample(Frozen):
    """A snippet a rule must (or must not) fire on, at an as-of date."""

    code: str
    level: Level | Literal["none"]
    as_of: date
    path: str = "example.py"


class Rule(Frozen):
    id: str
    name: str
    pack: str
    summary: str
    help: str
    matches: tuple[RuleMatch, ...]  # any one of them
    milestones: tuple[MilestoneRef, ...] = ()
    dates_from_base: bool = False  # add the base model's shutdown to the milestones
    level: Level | None = None  # pins the level whatever the date
    precision: Confidence = "high"
    tags: tuple[str, ...] = ()
    help_uri: str | None = None
    examples: tuple[RuleExample, ...] = ()
    source: str = ""  # "rules/openai-fine-tuning.yaml:42", for messages


class RulePack(Frozen):
    name: str
    version: str
    path: str
    title: str
    sources: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    base_models: tuple[BaseModel, ...]
    rules: tuple[Rule, ...]
    model_keywords: tuple[str, ...] = ()
    sdks: tuple[SdkSurface, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (old rule ID, the rule that took it over)


class Location(Frozen):
    path: str
    span: Span
    message: str = ""


class Suppression(Frozen):
    """Why a finding is not counted: it stays in reports (SARIF `suppressions`), marked."""

    kind: Literal["inSource", "external"]
    justification: str
    source: str  # "app.py:12", "ftscan.toml per-path-ignores", "baseline"


class Finding(Frozen):
    """A rule applied to a piece of evidence at an as-of date."""

    rule: Rule
    evidence: Evidence
    level: Level
    message: str
    deadline: Milestone | None  # the milestone the level comes from
    fingerprint: str  # line-independent identity
    related: tuple[Location, ...] = ()
    base_model: BaseModel | None = None
    suppression: Suppression | None = None

    @property
    def sort_key(self) -> tuple[str, Span, str]:
        return (self.evidence.path, self.evidence.span, self.rule.id)


class RunInfo(Frozen):
    """What every reporter needs besides the findings."""

    as_of: date
    tool_version: str
    packs: tuple[RulePack, ...]
    rules: tuple[Rule, ...]
    notifications: tuple[Notification, ...] = ()
    files_scanned: int = 0
    category: str | None = None
    root: str = "."
    extra: dict[str, str] = Factory(dict)
