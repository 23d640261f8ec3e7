"""One GET against OpenAI's API: the key from the environment, retries, and errors that
never carry a key.

httpx (the `openai` SDK's own HTTP client, installed by `pip install 'ftscan[online]'`) is
imported only here, and only for `ftscan inventory --online`. A 429 or 5xx is retried with
exponential backoff, waiting what `Retry-After` asks (capped); a 401 or 403 stops the run
naming the variable the key came from; a 404 is an answer (a deleted file). The key sits in
the Authorization header only: it is never part of a URL, a message or a repr.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

DEFAULT_BASE_URL = "https://api.openai.com/v1"
API_KEY, ADMIN_KEY, BASE_URL = "OPENAI_API_KEY", "OPENAI_ADMIN_KEY", "OPENAI_BASE_URL"
RETRIES = 4  # after the first try
BACKOFF = 0.5  # seconds before the first retry; doubled each time (FTSCAN_ONLINE_BACKOFF in tests)
MAX_WAIT = 60.0  # the longest Retry-After honoured
INSTALL = "pip install 'ftscan[online]'"
_KEY = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no space: what a Bearer header can hold


class OnlineError(Exception):
    """A call that failed for good; the message names the call, never a key."""


class KeyRejected(OnlineError):
    """401 or 403: the key in `variable` is wrong or lacks the scope."""

    def __init__(self, variable: str, status: int, call: str) -> None:
        self.variable = variable
        why = "was rejected (401)" if status == 401 else "lacks the permission for this call (403)"
        super().__init__(f"{call}: the key in {variable} {why}")


class KeyMissing(OnlineError):
    """The variable that must hold a key is unset or empty."""

    def __init__(self, variable: str) -> None:
        self.variable = variable
        super().__init__(f"--online needs an API key in {variable} (it is not set)")


class NotFound(OnlineError):
    """404: the object does not exist (or no longer does)."""


class MissingClient(OnlineError):
    """httpx is not installed."""

    def __init__(self) -> None:
        super().__init__(f"--online needs the optional HTTP client: {INSTALL}")


class _Bearer:
    """The key, kept out of reprs, tracebacks' messages and logs."""

    __slots__ = ("_value", "variable")

    def __init__(self, variable: str, value: str) -> None:
        self.variable = variable
        self._value = value

    def header(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._value}"}

    def __repr__(self) -> str:
        return f"<key from {self.variable}>"


def key_from_env(variable: str, environ: Mapping[str, str] | None = None) -> _Bearer | None:
    """The key in `variable`, or None when it is unset. A value no header can carry is an
    error naming the variable (an HTTP library's message would quote it)."""
    value = (environ if environ is not None else os.environ).get(variable, "").strip()
    if not value:
        return None
    if not _KEY.fullmatch(value):
        raise OnlineError(f"{variable} holds characters an API key cannot have (spaces, quotes, non-ASCII)")
    return _Bearer(variable, value)


class Api:
    """GETs against one base URL, `timeout` seconds per call."""

    def __init__(
        self,
        timeout: float,
        environ: Mapping[str, str] | None = None,
        backoff: float | None = None,
        sleep: Any = time.sleep,
        base_url_env: str = BASE_URL,
    ) -> None:
        try:
            import httpx
        except ImportError:
            raise MissingClient() from None
        env = environ if environ is not None else os.environ
        self.base = (env.get(base_url_env) or DEFAULT_BASE_URL).rstrip("/")
        if backoff is None:
            backoff = float(env.get("FTSCAN_ONLINE_BACKOFF") or BACKOFF)
        self.backoff = backoff
        self.sleep = sleep
        self._httpx = httpx
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=True)

    def close(self) -> None:
        self._client.close()

    def get(self, key: _Bearer, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON object at `path`; raises `KeyRejected`, `NotFound` or `OnlineError`."""
        call = f"GET /v1/{path.lstrip('/')}"
        url = f"{self.base}/{path.lstrip('/')}"
        httpx = self._httpx
        for attempt in range(RETRIES + 1):
            last = attempt == RETRIES
            try:
                response = self._client.get(url, params=dict(params or {}), headers=key.header())
            except httpx.TimeoutException:
                if last:
                    raise OnlineError(f"{call}: no answer within the timeout") from None
                self.sleep(self._wait(attempt, None))
                continue
            except httpx.HTTPError as error:
                if last:
                    raise OnlineError(f"{call}: {type(error).__name__}") from None
                self.sleep(self._wait(attempt, None))
                continue
            except Exception as error:  # an HTTP library's message may quote a header: never shown
                raise OnlineError(f"{call}: {type(error).__name__}") from None
            status = response.status_code
            if status in (401, 403):
                raise KeyRejected(key.variable, status, call)
            if status == 404:
                raise NotFound(f"{call}: not found (404)")
            if status == 429 or status >= 500:
                if last:
                    raise OnlineError(f"{call}: HTTP {status} after {RETRIES + 1} tries")
                self.sleep(self._wait(attempt, response.headers.get("retry-after")))
                continue
            if status >= 300:  # a redirect is not followed: the key would go along
                raise OnlineError(f"{call}: HTTP {status}")
            try:
                body = response.json()
            except ValueError:
                raise OnlineError(f"{call}: the answer is not JSON") from None
            if not isinstance(body, dict):
                raise OnlineError(f"{call}: the answer is not a JSON object")
            return body
        raise OnlineError(f"{call}: no answer")  # pragma: no cover - the loop returns or raises

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        """What `Retry-After` asks (seconds or an HTTP date), else backoff with jitter."""
        if retry_after:
            try:
                seconds = float(retry_after)
            except ValueError:
                try:
                    seconds = parsedate_to_datetime(retry_after).timestamp() - time.time()
                except (TypeError, ValueError):
                    seconds = -1.0
            if seconds >= 0:
                return min(seconds, MAX_WAIT)
        delay = self.backoff * 2**attempt
        return delay + random.uniform(0, delay / 4)
