"""What runs a training pipeline: on a schedule (GitHub Actions, Kubernetes CronJobs, crontabs,
Airflow, Prefect and Dagster), on another trigger (a workflow on push or by hand), or by a
person (a Makefile target).

A pipeline that runs on a schedule will fail on its first run after the training end, so the
inventory marks it, with the schedule and the file that sets it. Those files often hold no
finding, so they are read here, in the inventory stage: found by the same walk as the scan
(its excludes, `.gitignore` files and never a symbolic link, never outside the scanned
paths), by name only, each read once up to `MAX_BYTES`, as text (a YAML file that does not
parse is still read line by line).

- `.github/workflows/*.yml|yaml`: each `cron:` line (they only appear under `on: schedule`);
- a YAML document with `kind: CronJob`: its `schedule:`;
- a crontab (`crontab`, `*.crontab`, `*.cron`, files in a `cron.d` directory): each line with
  five time fields (or `@daily`, ...) and a command;
- a workflow's other triggers (`on: push`, `pull_request`, `workflow_dispatch`, ...): each
  listed with its name, not as a schedule;
- a Makefile target (`Makefile`, `*.mk`): `manual`, with its recipe as the commands;
- an orchestrator's schedule in Python (in a `dags`, `flows` or `pipelines` directory, or a
  file named for a DAG or a flow): Airflow's `schedule=`/`schedule_interval=` (a cron
  expression or `@daily`), Prefect's `cron=`, Dagster's `cron_schedule=`.

Only a schedule makes a pipeline scheduled; every trigger is listed on it (`trigger`).

A schedule runs a pipeline when the scheduling file is the pipeline (a scheduled workflow
whose step runs `openai api fine_tuning.jobs.create`) or its commands name the pipeline's
file (`python scripts/train.py`, `python -m scripts.train`, `papermill train.ipynb`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ftscan.inventory.plan import Job, Schedule

MAX_BYTES = 512 * 1024  # a bigger file is not a schedule anyone wrote by hand
MAX_FILES = 2000
_YAML = (".yml", ".yaml")
_CRONTAB_NAMES = frozenset({"crontab", "Crontab", "crontab.txt", "cronjobs", "cron"})
# The value is cleaned in Python (`_value`): a lazy value before optional spaces and a
# comment would make the regex quadratic on a long line of spaces.
_CRON_LINE = re.compile(r"^[ \t]*-?[ \t]*cron[ \t]*:(?P<expr>[^\r\n]*)$", re.MULTILINE)
_SCHEDULE_LINE = re.compile(r"^[ \t]*schedule[ \t]*:(?P<expr>[^\r\n]*)$", re.MULTILINE)
_CRONJOB = re.compile(r"^kind[ \t]*:[ \t]*['\"]?CronJob['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
_DOC_SPLIT = re.compile(r"^---[^\n]*$", re.MULTILINE)
_FIELD = r"[0-9*?LW#/,\-A-Za-z]+"
_CRONTAB_ENTRY = re.compile(
    rf"^[ \t]*(?P<expr>@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|"
    rf"{_FIELD}[ \t]+{_FIELD}[ \t]+{_FIELD}[ \t]+{_FIELD}[ \t]+{_FIELD})[ \t]+(?P<command>\S.*)$"
)
_CRON_EXPRESSION = re.compile(
    rf"@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|{_FIELD}(?: {_FIELD}){{4,5}}"
)
_ENV_LINE = re.compile(r"^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=")
_MODULE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")  # `scripts.train` of `python -m scripts.train`
_TOKEN = re.compile(r"[^\s'\"`;&|()<>=,\[\]{}]+")
_MAKEFILES = frozenset({"Makefile", "makefile", "GNUmakefile"})
_MAKE_TARGET = re.compile(r"^(?P<name>[A-Za-z0-9_.\-/]+)[ \t]*:(?!=)")
_ORCHESTRATED = frozenset({"dags", "dag", "flows", "pipelines", "orchestration", "schedules"})
# Airflow `schedule=`/`schedule_interval=`, Prefect `cron=`, Dagster `cron_schedule=`: a
# quoted cron expression or preset (`"0 3 * * 1"`, `"@daily"`).
_ORCHESTRATOR_SCHEDULE = re.compile(
    r"\b(?:schedule_interval|schedule|cron_schedule|cron)[ \t]*=[ \t]*(?P<expr>['\"][^'\"\n]{1,100}['\"])"
)
_ON = re.compile(r"^['\"]?on['\"]?[ \t]*:(?P<inline>[^\n]*)$", re.MULTILINE)
_EVENT_KEY = re.compile(r"^(?P<indent>[ \t]+)-?[ \t]*(?P<name>[A-Za-z_]+)[ \t]*:?")
_EVENTS = frozenset(
    {
        "push",
        "pull_request",
        "pull_request_target",
        "workflow_dispatch",
        "workflow_call",
        "workflow_run",
        "repository_dispatch",
        "release",
        "merge_group",
    }
)
_MAX_ON_LINES = 200


@dataclass(frozen=True)
class _Entry:
    """One trigger in one file, with the commands it runs (the text they are in)."""

    by: str
    line: int
    schedule: str
    commands: str
    first: int  # the lines `commands` spans in `by`
    last: int
    trigger: str = "schedule"


class Schedules:
    """Every schedule under the scanned paths; `of(path, jobs)` says which run a pipeline."""

    def __init__(self, entries: Sequence[_Entry]) -> None:
        self.entries = tuple(entries)

    @classmethod
    def read(
        cls,
        root: Path,
        paths: Sequence[Path],
        *,
        excludes: Sequence[str] = (),
        use_gitignore: bool = True,
        skip: frozenset[str] = frozenset(),
    ) -> Schedules:
        from ftscan.untrusted.files import read_regular
        from ftscan.walk import Walker

        walker = Walker(root, excludes=excludes, use_gitignore=use_gitignore, skip=skip)
        entries: list[_Entry] = []
        read = 0
        for target in walker.walk(paths):
            kind = _kind(target.rel)
            if kind is None:
                continue
            read += 1
            if read > MAX_FILES:
                break
            try:
                data, size = read_regular(target.path, max_size=MAX_BYTES)
            except OSError:
                continue  # the scan reports what it cannot read
            if size > MAX_BYTES:
                continue
            entries += parse(target.rel, kind, data.decode("utf-8", errors="replace"))
        return cls(entries)

    def of(self, path: str, jobs: Iterable[Job] = ()) -> tuple[Schedule, ...]:
        """The schedules that run the pipeline in `path`."""
        lines = [job.place.line for job in jobs]
        found = {
            Schedule(e.by, e.line, e.schedule, e.trigger)
            for e in self.entries
            if (e.by == path and any(e.first <= line <= e.last for line in lines))
            or (e.by != path and names_file(e.commands, path))
        }
        return tuple(sorted(found, key=lambda s: (s.by, s.line)))


def _kind(rel: str) -> str | None:
    pure = PurePosixPath(rel)
    name = pure.name
    if name in _MAKEFILES or name.endswith(".mk"):
        return "makefile"
    if name.endswith(".py") and (
        _ORCHESTRATED & set(pure.parts[:-1]) or any(word in name for word in ("dag", "flow", "schedule"))
    ):
        return "orchestrator"
    if name.endswith(_YAML):
        return "workflow" if pure.parent.as_posix().endswith(".github/workflows") else "yaml"
    if name in _CRONTAB_NAMES or name.endswith((".crontab", ".cron")) or pure.parent.name == "cron.d":
        return "crontab"
    return None


def parse(rel: str, kind: str, text: str) -> list[_Entry]:
    """The triggers a file sets, each with the commands it runs and the lines they span."""
    end = _line(text, len(text))
    if kind == "workflow":
        found = [
            _Entry(rel, _line(text, m.start("expr")), expr, text, 1, end)
            for m in _CRON_LINE.finditer(text)
            if (expr := _value(m["expr"]))
        ]
        return found + [
            _Entry(rel, line, "", text, 1, end, trigger) for trigger, line in _workflow_triggers(text)
        ]
    if kind == "makefile":
        return _make_targets(rel, text)
    if kind == "orchestrator":
        return [
            _Entry(rel, _line(text, m.start("expr")), _value(m["expr"]), text, 1, end)
            for m in _ORCHESTRATOR_SCHEDULE.finditer(text)
            if _CRON_EXPRESSION.fullmatch(_value(m["expr"]))
        ]
    if kind == "yaml":
        if "CronJob" not in text:
            return []
        entries = []
        starts = [0, *(m.end() for m in _DOC_SPLIT.finditer(text))]
        ends = [*(m.start() for m in _DOC_SPLIT.finditer(text)), len(text)]
        for start, end in zip(starts, ends, strict=False):
            document = text[start:end]
            if not _CRONJOB.search(document):
                continue
            match = _SCHEDULE_LINE.search(document)
            if match and _value(match["expr"]):
                where = _line(text, start + match.start("expr"))
                first, last = _line(text, start), _line(text, end)
                entries.append(_Entry(rel, where, _value(match["expr"]), document, first, last))
        return entries
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#") or _ENV_LINE.match(line):
            continue
        match = _CRONTAB_ENTRY.match(line)
        if match:
            entries.append(_Entry(rel, number, match["expr"], match["command"], number, number))
    return entries


def _workflow_triggers(text: str) -> list[tuple[str, int]]:
    """A workflow's events other than `schedule` (`on: push`, `on: [push, pull_request]`,
    `on:` with a block of events), each with its line."""
    found = []
    match = _ON.search(text)
    if match is None:
        return found
    inline = match["inline"].strip()
    line = _line(text, match.start())
    if inline:
        for name in re.findall(r"[A-Za-z_]+", inline.split("#", 1)[0]):
            if name in _EVENTS:
                found.append((name, line))
        return found
    block = text[match.end() + 1 :].splitlines()[:_MAX_ON_LINES]
    indent = next((e[: len(e) - len(e.lstrip())] for e in block if e.strip() and e.lstrip()[:1] != "#"), "")
    for offset, entry in enumerate(block, start=1):
        if entry.strip() and not entry[:1].isspace():
            break  # the next top-level key
        key = _EVENT_KEY.match(entry)
        if key and key["name"] in _EVENTS and key["indent"] == indent:
            found.append((key["name"], line + offset))
    return found


def _make_targets(rel: str, text: str) -> list[_Entry]:
    """Each Makefile target with its recipe: run by a person (`make train`)."""
    entries = []
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        target = _MAKE_TARGET.match(line)
        if target is None or target["name"].startswith("."):
            continue
        last = number
        while last < len(lines) and lines[last].startswith("\t"):
            last += 1
        recipe = "\n".join(lines[number:last])
        if recipe:
            entries.append(_Entry(rel, number, "", recipe, number, last, "manual"))
    return entries


def names_file(commands: str, path: str) -> bool:
    """Whether `commands` run the file at `path` (relative to the root): by its path, a tail
    of it (`train.py`, `/app/scripts/train.py`), or as a module (`-m scripts.train`)."""
    target = PurePosixPath(path)
    for token in _TOKEN.findall(commands):
        token = token.removeprefix("./")
        if "/" not in token and "." not in token:
            continue
        if _same_file(token, target):
            return True
        module = target.suffix == ".py" and _MODULE.fullmatch(token) is not None
        if module and _same_file(token.replace(".", "/") + ".py", target):
            return True
    return False


def _same_file(token: str, target: PurePosixPath) -> bool:
    """Whether one path ends with the other (`train.py`, `/srv/app/scripts/train.py` for
    `scripts/train.py`), or both end with the same directory and file: a deployed path
    (`/srv/app/tools/refresh.py`) of a project scanned from above it (`svc/tools/refresh.py`)."""
    candidate = PurePosixPath(token)
    if candidate.name != target.name:
        return False
    a, b = candidate.parts, target.parts
    a = tuple(p for p in a if p not in ("/", ".")) or a
    short, long = sorted((a, b), key=len)
    if long[len(long) - len(short) :] == short:
        return True
    return len(short) >= 2 and a[-2] == b[-2]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _value(raw: str) -> str:
    """A YAML scalar as written on its line: comment, spaces and quotes taken off."""
    value = raw.strip()
    if value[:1] in ("'", '"'):
        quote = value[0]
        end = value.find(quote, 1)
        value = value[1:end] if end > 0 else ""
    else:
        value = value.split(" #", 1)[0]
    return " ".join(value.split())
