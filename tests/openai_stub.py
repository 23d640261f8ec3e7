"""A local stand-in for the four OpenAI endpoints `ftscan inventory --online` reads.

It serves the documented response shapes (see /work/shared/DOMAIN.md section 9 and the API
reference) from the `Organization` it is given, on 127.0.0.1 in a thread, and pages every
list small so that every client must follow `has_more` / `after` / `next_page`. Faults are
queued per endpoint: a status (with `Retry-After: 0` on a 429), or a delay in seconds.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGE = 2  # jobs and models per page, whatever `limit` asks
USAGE_PAGE = 31


def stamp(day: str, hour: int = 0) -> int:
    moment = datetime.fromisoformat(day).replace(hour=hour, tzinfo=timezone.utc)
    return int(moment.timestamp())


@dataclass
class Organization:
    """What the organization holds: jobs, callable models, stored files, daily requests."""

    api_key: str
    admin_key: str
    jobs: list[dict[str, Any]] = field(default_factory=list)  # newest first, as the API lists them
    models: list[dict[str, Any]] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    filenames: dict[str, str] = field(default_factory=dict)  # file ID -> its name (else train.jsonl)
    usage: dict[str, dict[str, int]] = field(default_factory=dict)  # day -> model -> requests
    faults: dict[str, list[int | float]] = field(default_factory=dict)  # endpoint -> queued faults
    always: dict[str, int] = field(default_factory=dict)  # endpoint -> status on every call
    calls: list[tuple[str, dict[str, str], str]] = field(default_factory=list)  # path, query, key used


class _Handler(BaseHTTPRequestHandler):
    org: Organization

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        path = url.path.removeprefix("/v1/")
        auth = self.headers.get("Authorization", "")
        key = auth.removeprefix("Bearer ")
        self.org.calls.append(
            (
                path,
                query,
                "admin" if key == self.org.admin_key else "api" if key == self.org.api_key else "other",
            )
        )
        endpoint = "files" if path.startswith("files/") else path
        if endpoint in self.org.always:
            return self._send(self.org.always[endpoint], {"error": {"message": "server error"}})
        queued = self.org.faults.get(endpoint)
        if queued:
            fault = queued.pop(0)
            if isinstance(fault, float):
                time.sleep(fault)
            else:
                return self._send(fault, {"error": {"message": "rate limited"}}, {"Retry-After": "0"})
        admin = endpoint == "organization/usage/completions"
        if key != (self.org.admin_key if admin else self.org.api_key):
            return self._send(
                401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
            )
        if endpoint == "fine_tuning/jobs":
            return self._list(self.org.jobs, query)
        if endpoint == "models":
            return self._list(self.org.models, query)
        if endpoint == "files":
            file_id = path.removeprefix("files/")
            if file_id in self.org.files:
                return self._send(
                    200,
                    {
                        "id": file_id,
                        "object": "file",
                        "bytes": 1,
                        "created_at": 0,
                        "filename": self.org.filenames.get(file_id, "train.jsonl"),
                        "purpose": "fine-tune",
                        "status": "processed",
                    },
                )
            return self._send(
                404,
                {
                    "error": {
                        "message": f"No such File object: {file_id}",
                        "type": "invalid_request_error",
                        "param": "id",
                        "code": None,
                    }
                },
            )
        if admin:
            return self._usage(query)
        return self._send(404, {"error": {"message": "unknown endpoint"}})

    def _list(self, items: list[dict[str, Any]], query: dict[str, str]) -> None:
        start = 0
        if "after" in query:
            start = next(i for i, item in enumerate(items) if item["id"] == query["after"]) + 1
        size = min(int(query.get("limit", 20)), PAGE)
        page = items[start : start + size]
        self._send(200, {"object": "list", "data": page, "has_more": start + size < len(items)})

    def _usage(self, query: dict[str, str]) -> None:
        begin = datetime.fromtimestamp(int(query["start_time"]), tz=timezone.utc)
        end = datetime.fromtimestamp(int(query["end_time"]), tz=timezone.utc)
        assert query["bucket_width"] == "1d" and query["group_by"] == "model"
        buckets = []
        day = begin.replace(hour=0, minute=0, second=0)
        while day < end:
            results = [
                {
                    "object": "organization.usage.completions.result",
                    "model": model,
                    "num_model_requests": n,
                    "input_tokens": 10 * n,
                    "output_tokens": 5 * n,
                    "input_cached_tokens": 0,
                    "input_audio_tokens": 0,
                    "output_audio_tokens": 0,
                    "project_id": None,
                    "user_id": None,
                    "api_key_id": None,
                    "batch": None,
                }
                for model, n in sorted(self.org.usage.get(day.date().isoformat(), {}).items())
            ]
            buckets.append(
                {
                    "object": "bucket",
                    "start_time": int(day.timestamp()),
                    "end_time": int((day + timedelta(days=1)).timestamp()),
                    "results": results,
                }
            )
            day += timedelta(days=1)
        first = int(query.get("page", "0"))
        size = min(int(query.get("limit", 7)), USAGE_PAGE)
        more = first + size < len(buckets)
        self._send(
            200,
            {
                "object": "page",
                "data": buckets[first : first + size],
                "has_more": more,
                "next_page": str(first + size) if more else None,
            },
        )

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class Stub:
    """The server, running until `close()`."""

    def __init__(self, org: Organization) -> None:
        handler = type("Handler", (_Handler,), {"org": org})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.org = org
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def job(
    ident: str,
    model: str | None,
    base: str,
    created: str,
    training: str,
    validation: str | None = None,
    status: str = "succeeded",
    suffix: str | None = None,
) -> dict[str, Any]:
    return {
        "object": "fine_tuning.job",
        "id": ident,
        "model": base,
        "fine_tuned_model": model,
        "organization_id": "org-northwind",
        "status": status,
        "created_at": stamp(created),
        "finished_at": stamp(created, 2) if status == "succeeded" else None,
        "training_file": training,
        "validation_file": validation,
        "user_provided_suffix": suffix,
        "result_files": [],
        "hyperparameters": {"n_epochs": 3},
        "trained_tokens": 1000,
        "error": None,
        "seed": 1,
        "method": {"type": "supervised"},
    }


def model(ident: str, created: str) -> dict[str, Any]:
    owner = "northwind" if ident.startswith("ft:") else "system"
    return {"id": ident, "object": "model", "created": stamp(created), "owned_by": owner}
