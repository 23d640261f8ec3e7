"""`ftscan inventory --online`: the organization's side, read from OpenAI's API.

`read_online(milestones, timeout)` checks the key and the HTTP client, then reads jobs,
models, files and usage (`ftscan.online.fetch`) through `ftscan.online.http`. Nothing here
is imported without `--online`: the offline inventory makes no network call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone

from ftscan.online.fetch import Gate, OnlineData, fetch
from ftscan.online.http import API_KEY, Api, KeyMissing, KeyRejected, MissingClient, OnlineError, key_from_env

DEFAULT_TIMEOUT = 30.0
NOW = "FTSCAN_ONLINE_NOW"  # tests only: the moment usage windows end (ISO time, UTC)

__all__ = [
    "DEFAULT_TIMEOUT",
    "KeyMissing",
    "KeyRejected",
    "MissingClient",
    "OnlineData",
    "OnlineError",
    "check_ready",
    "read_online",
]


def check_ready(environ: Mapping[str, str] | None = None) -> None:
    """Before any scan: the HTTP client is installed and OPENAI_API_KEY is set."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        raise MissingClient() from None
    if key_from_env(API_KEY, environ) is None:
        raise KeyMissing(API_KEY)


def read_online(
    gates: tuple[Gate, ...], timeout: float, environ: Mapping[str, str] | None = None
) -> OnlineData:
    """Everything the inventory joins, read now; raises `OnlineError` subclasses that stop
    the run (a missing client or key, a rejected key)."""
    env = environ if environ is not None else os.environ
    api = Api(timeout, env)
    try:
        return fetch(api, now(env), gates, env)
    finally:
        api.close()


def now(environ: Mapping[str, str]) -> datetime:
    fixed = environ.get(NOW)
    if fixed:
        moment = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)
