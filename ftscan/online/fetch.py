"""Read the organization's side from OpenAI's API: jobs, models, files and usage.

Every list is read to its last page. A call that fails for good (after retries) does not
stop the run: what it would have told stays unknown (null) and a notice says which call
failed, so the inventory is still written, marked incomplete. A rejected key (401/403) on
jobs, models or files does stop it: nothing online can be trusted then. Usage windows end
at the moment of the fetch, whatever `--as-of` says.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, TypeVar

from ftscan.online.http import (
    ADMIN_KEY,
    API_KEY,
    Api,
    KeyMissing,
    KeyRejected,
    NotFound,
    OnlineError,
    key_from_env,
)

JOBS_PAGE = 100
USAGE_PAGE = 31  # daily buckets: at most 31 a page
USAGE_DAYS = 90
RECENT_DAYS = 30
MAX_PAGES = 1000  # a server that never says has_more=false cannot hold the run forever
_CHECKPOINT = re.compile(r":ckpt-step-\d+$")
T = TypeVar("T")


@dataclass(frozen=True)
class OnlineJob:
    id: str
    base: str | None
    fine_tuned_model: str | None
    status: str | None
    created: date | None
    finished: date | None
    training_file: str | None
    validation_file: str | None
    suffix: str | None


@dataclass(frozen=True)
class Usage:
    """One fine-tuned model's calls in a window: its last day with requests and the total."""

    last_used: date | None
    requests: int


@dataclass(frozen=True)
class Gate:
    """A dated gate on job creation that looks back at fine-tuned-model inference."""

    key: str
    day: date
    lookback_days: int
    effect: str


@dataclass
class OnlineData:
    """What the API said, with what it could not say."""

    fetched_at: datetime
    jobs: list[OnlineJob] = field(default_factory=list)
    jobs_read: bool = False  # every page of jobs was read
    models: dict[str, date | None] | None = None  # ft: model -> created; None: not read
    files: dict[str, bool | None] = field(default_factory=dict)  # file ID -> stored; None: unknown
    filenames: dict[str, str] = field(default_factory=dict)  # file ID -> the name it was uploaded as
    usage_90d: dict[str, Usage] | None = None  # None: not read
    usage_30d: dict[str, int] | None = None
    gates: dict[str, dict[str, Usage] | None] = field(default_factory=dict)  # gate key -> usage
    gate_days: dict[str, Gate] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    complete: bool = True

    def failed(self, error: OnlineError) -> None:
        self.complete = False
        self.notices.append(f"{error}: left unknown")


def strip_checkpoint(model: str) -> str:
    return _CHECKPOINT.sub("", model)


def fetch(
    api: Api,
    now: datetime,
    gates: tuple[Gate, ...] = (),
    environ: Mapping[str, str] | None = None,
    api_key_env: str = API_KEY,
    admin_key_env: str = ADMIN_KEY,
) -> OnlineData:
    """Everything the inventory joins, with the keys in `api_key_env` and `admin_key_env`;
    raises `KeyMissing` or `KeyRejected` for a key."""
    env = environ if environ is not None else os.environ
    data = OnlineData(fetched_at=now)
    key = key_from_env(api_key_env, env)
    if key is None:
        raise KeyMissing(api_key_env)
    jobs = _attempt(data, lambda: _jobs(api, key))
    data.jobs, data.jobs_read = jobs or [], jobs is not None
    data.models = _attempt(data, lambda: _models(api, key))
    files = sorted({f for j in data.jobs for f in (j.training_file, j.validation_file) if f})
    for index, file_id in enumerate(files):
        if any(n.startswith("GET /v1/files/") for n in data.notices):
            # one file failed for good: the rest would wait as long for the same answer
            data.files.update(dict.fromkeys(files[index:]))
            data.notices.append(
                f"{len(files) - index} more training or validation file(s) not read: left unknown"
            )
            break
        data.files[file_id] = _attempt(
            data, lambda file_id=file_id: _stored(api, key, file_id, data.filenames)
        )
    admin = key_from_env(admin_key_env, env)
    if admin is None:
        data.notices.append(
            f"{admin_key_env} is not set: usage (last use, requests in 30 days, the organization's "
            "right to train) was not read"
        )
        return data
    start = _midnight((now - timedelta(days=USAGE_DAYS)).date())  # daily buckets are UTC days
    days = _attempt(data, lambda: _usage(api, admin, start, now))
    if days is not None:
        data.usage_90d = _summary(days, None)
        recent = _summary(days, (now - timedelta(days=RECENT_DAYS)).date())
        data.usage_30d = {model: usage.requests for model, usage in recent.items()}
    for gate in gates:
        data.gate_days[gate.key] = gate
        closes = _midnight(gate.day)
        if closes > now:
            continue  # not passed yet: nothing to look back at
        opens = closes - timedelta(days=gate.lookback_days)
        found = _attempt(data, lambda opens=opens, closes=closes: _usage(api, admin, opens, closes))
        data.gates[gate.key] = None if found is None else _summary(found, None)
    return data


def _attempt(data: OnlineData, call: Callable[[], T]) -> T | None:
    """`call()`, or None with a notice when it failed for good; a rejected key stops the run."""
    try:
        return call()
    except KeyRejected:
        raise
    except OnlineError as error:
        data.failed(error)
        return None


def _stored(api: Api, key: Any, file_id: str, filenames: dict[str, str]) -> bool:
    """Whether the file is still stored; its name goes into `filenames`."""
    try:
        body = api.get(key, f"files/{file_id}")
    except NotFound:
        return False
    name = _text(body.get("filename"))
    if name:
        filenames[file_id] = name
    return True


def _pages(api: Api, key: Any, path: str, params: dict[str, Any], cursor: str) -> list[dict[str, Any]]:
    """Every item of a list endpoint. `cursor` is `after` (jobs: the last item's ID) or
    `page` (usage: the answer's `next_page`)."""
    items: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        body = api.get(key, path, params)
        page = [item for item in body.get("data") or [] if isinstance(item, dict)]
        items += page
        if not body.get("has_more"):
            return items
        if cursor == "after":
            if not page or not isinstance(page[-1].get("id"), str):
                return items
            params = {**params, "after": page[-1]["id"]}
        else:
            following = body.get("next_page")
            if not isinstance(following, str) or not following:
                return items
            params = {**params, "page": following}
    raise OnlineError(f"GET /v1/{path}: more than {MAX_PAGES} pages")


def _jobs(api: Api, key: Any) -> list[OnlineJob]:
    jobs = []
    for item in _pages(api, key, "fine_tuning/jobs", {"limit": JOBS_PAGE}, "after"):
        jobs.append(
            OnlineJob(
                id=_text(item.get("id")) or "",
                base=_text(item.get("model")),
                fine_tuned_model=_text(item.get("fine_tuned_model")),
                status=_text(item.get("status")),
                created=_day(item.get("created_at")),
                finished=_day(item.get("finished_at")),
                training_file=_text(item.get("training_file")),
                validation_file=_text(item.get("validation_file")),
                suffix=_text(item.get("user_provided_suffix")),
            )
        )
    return jobs


def _models(api: Api, key: Any) -> dict[str, date | None]:
    """The fine-tuned models the key can call now (checkpoints count for their model)."""
    found: dict[str, date | None] = {}
    for item in _pages(api, key, "models", {}, "after"):
        name = _text(item.get("id"))
        if name and (name.startswith("ft:") or ":ft-" in name):
            found.setdefault(strip_checkpoint(name), _day(item.get("created")))
    return found


def _usage(api: Api, key: Any, start: datetime, end: datetime) -> list[tuple[date, str, int]]:
    """(day, model, requests) for every fine-tuned model with requests in [start, end)."""
    params = {
        "start_time": int(start.timestamp()),
        "end_time": int(end.timestamp()),
        "bucket_width": "1d",
        "group_by": "model",
        "limit": USAGE_PAGE,
    }
    rows = []
    for bucket in _pages(api, key, "organization/usage/completions", params, "page"):
        day = _day(bucket.get("start_time"))
        for result in bucket.get("results") or []:
            if not isinstance(result, dict):
                continue
            model = _text(result.get("model"))
            requests = result.get("num_model_requests")
            fine_tuned = model is not None and (model.startswith("ft:") or ":ft-" in model)
            if day and model and fine_tuned and isinstance(requests, int) and requests > 0:
                rows.append((day, strip_checkpoint(model), requests))
    return rows


def _summary(rows: list[tuple[date, str, int]], since: date | None) -> dict[str, Usage]:
    """Per model: the last day with requests and the requests on or after `since`."""
    last: dict[str, date] = {}
    total: dict[str, int] = {}
    for day, model, requests in rows:
        if since is not None and day < since:
            continue
        last[model] = max(day, last.get(model, day))
        total[model] = total.get(model, 0) + requests
    return {m: Usage(last[m], total[m]) for m in sorted(last)}


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _day(value: object) -> date | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None
