"""What runs a training pipeline on a schedule: GitHub Actions, Kubernetes CronJobs, crontabs.

A pipeline that runs on a schedule will fail on its first run after the training end, so the
inventory marks it, with the schedule and the file that sets it. Those files often hold no
finding, so they are read here, in the inventory stage: found by the same walk as the scan
(its excludes, `.gitignore` files and never a symbolic link, never outside the scanned
paths), by name only, each read once up to `MAX_BYTES`, as text (a YAML file that does not
parse is still read line by line).

- `.github/workflows/*.yml|yaml`: each `cron:` line (they only appear under `on: schedule`);
- a YAML document with `kind: CronJob`: its `schedule:`;
- a crontab (`crontab`, `*.crontab`, `*.cron`, files in a `cron.d` directory): each line with
  five time fields (or `@daily`, ...) and a command.

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
_ENV_LINE = re.compile(r"^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=")
_MODULE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")  # `scripts.train` of `python -m scripts.train`
_TOKEN = re.compile(r"[^\s'\"`;&|()<>=,\[\]{}]+")


@dataclass(frozen=True)
class _Entry:
    """One schedule in one file, with the commands it runs (the text they are in)."""

    by: str
    line: int
    schedule: str
    commands: str
    first: int  # the lines `commands` spans in `by`
    last: int


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
            Schedule(e.by, e.line, e.schedule)
            for e in self.entries
            if (e.by == path and any(e.first <= line <= e.last for line in lines))
            or (e.by != path and names_file(e.commands, path))
        }
        return tuple(sorted(found, key=lambda s: (s.by, s.line)))


def _kind(rel: str) -> str | None:
    pure = PurePosixPath(rel)
    name = pure.name
    if name.endswith(_YAML):
        return "workflow" if pure.parent.as_posix().endswith(".github/workflows") else "yaml"
    if name in _CRONTAB_NAMES or name.endswith((".crontab", ".cron")) or pure.parent.name == "cron.d":
        return "crontab"
    return None


def parse(rel: str, kind: str, text: str) -> list[_Entry]:
    """The schedules a file sets, each with the commands it runs and the lines they span."""
    if kind == "workflow":
        end = _line(text, len(text))
        return [
            _Entry(rel, _line(text, m.start("expr")), expr, text, 1, end)
            for m in _CRON_LINE.finditer(text)
            if (expr := _value(m["expr"]))
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
    candidate = PurePosixPath(token)
    if candidate.name != target.name:
        return False
    a, b = candidate.parts, target.parts
    a = tuple(p for p in a if p not in ("/", ".")) or a
    short, long = sorted((a, b), key=len)
    return long[len(long) - len(short) :] == short


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
