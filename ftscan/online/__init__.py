"""`ftscan inventory --online`: the organizations' side, read from OpenAI's API.

`read_online(gates, timeout, organizations=...)` checks the keys and the HTTP client, then
reads each organization's jobs, models, files and usage (`ftscan.online.fetch`) through
`ftscan.online.http`, the organizations concurrently. Without configured organizations
there is one, `default`, whose keys are `OPENAI_API_KEY` and `OPENAI_ADMIN_KEY`. Nothing
here is imported without `--online`: the offline inventory makes no network call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone

from ftscan.frozen import Frozen
from ftscan.online.fetch import Gate, OnlineData, fetch
from ftscan.online.http import (
    ADMIN_KEY,
    API_KEY,
    BASE_URL,
    Api,
    KeyMissing,
    KeyRejected,
    MissingClient,
    OnlineError,
    key_from_env,
)

DEFAULT_TIMEOUT = 30.0
NOW = "FTSCAN_ONLINE_NOW"  # tests only: the moment usage windows end (ISO time, UTC)

__all__ = [
    "DEFAULT_ORGANIZATIONS",
    "DEFAULT_TIMEOUT",
    "KeyMissing",
    "KeyRejected",
    "MissingClient",
    "OnlineData",
    "OnlineError",
    "OrganizationKeys",
    "check_ready",
    "read_online",
]


class OrganizationKeys(Frozen):
    """An OpenAI organization to read: its name and the environment variables that hold its
    keys (never the keys themselves) and, optionally, its API's base URL."""

    name: str
    api_key_env: str = API_KEY
    admin_key_env: str = ADMIN_KEY
    base_url_env: str = BASE_URL


DEFAULT_ORGANIZATIONS = (OrganizationKeys("default"),)


def check_ready(
    environ: Mapping[str, str] | None = None,
    organizations: Sequence[OrganizationKeys] = DEFAULT_ORGANIZATIONS,
) -> None:
    """Before any scan: the HTTP client is installed and every organization's API key is set."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        raise MissingClient() from None
    for organization in organizations:
        if key_from_env(organization.api_key_env, environ) is None:
            raise KeyMissing(organization.api_key_env)


def read_online(
    gates: tuple[Gate, ...],
    timeout: float,
    environ: Mapping[str, str] | None = None,
    organizations: Sequence[OrganizationKeys] = DEFAULT_ORGANIZATIONS,
) -> dict[str, OnlineData]:
    """Everything the inventory joins, by organization (in the order given), read now;
    raises `OnlineError` subclasses that stop the run (a missing client or key, a rejected
    key)."""
    env = environ if environ is not None else os.environ
    moment = now(env)

    def read(organization: OrganizationKeys) -> OnlineData:
        api = Api(timeout, env, base_url_env=organization.base_url_env)
        try:
            return fetch(api, moment, gates, env, organization.api_key_env, organization.admin_key_env)
        finally:
            api.close()

    if len(organizations) == 1:
        return {organizations[0].name: read(organizations[0])}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(8, len(organizations))) as pool:
        found = list(pool.map(read, organizations))
    return {organization.name: data for organization, data in zip(organizations, found, strict=True)}


def now(environ: Mapping[str, str]) -> datetime:
    fixed = environ.get(NOW)
    if fixed:
        moment = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)
