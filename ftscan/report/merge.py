"""Merge SARIF logs written by ftscan shards (`--shard K/N`) into one.

One run per category (`automationDetails.id`), rules declared once, results and
notifications de-duplicated and put back in the order an unsharded scan writes them, so
the merged log of all shards equals the log of one scan of the whole tree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ftscan.untrusted.files import read_json


class MergeError(Exception):
    """Logs that cannot be merged; the message names the file."""


def merge_logs(paths: Sequence[Path]) -> str:
    logs = [_read(path) for path in paths]
    runs: dict[str | None, list[tuple[Path, dict[str, Any]]]] = {}
    for path, log in zip(paths, logs, strict=True):
        for run in log.get("runs", []):
            category = run.get("automationDetails", {}).get("id")
            runs.setdefault(category, []).append((path, run))
    merged = {key: value for key, value in logs[0].items() if key != "runs"}
    merged["runs"] = [_merge_runs(group) for _, group in sorted(runs.items(), key=lambda kv: kv[0] or "")]
    return json.dumps(merged, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _read(path: Path) -> dict[str, Any]:
    log = read_json(path, MergeError)
    if not isinstance(log, dict) or log.get("version") != "2.1.0":
        raise MergeError(f"{path}: not a SARIF 2.1.0 log")
    return log


def _merge_runs(group: list[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    first_path, first = group[0]
    for path, run in group[1:]:
        if run["tool"] != first["tool"]:
            raise MergeError(f"{path}: written by another ftscan version or rule set than {first_path}")
    merged = dict(first)
    results: dict[tuple[str, str], dict[str, Any]] = {}
    notes: dict[str, dict[str, Any]] = {}
    scanned = 0
    for _, run in group:
        for result in run.get("results", []):
            identity = result.get("partialFingerprints", {}).get("ftscan/v1") or json.dumps(result)
            key = (result["ruleId"], identity)
            results.setdefault(key, result)
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []):
                notes.setdefault(json.dumps(note, sort_keys=True), note)
        scanned += run.get("properties", {}).get("filesScanned", 0)
    merged["results"] = sorted(results.values(), key=_result_order)
    invocation = dict(first.get("invocations", [{}])[0])
    invocation.pop("toolExecutionNotifications", None)
    if notes:
        invocation["toolExecutionNotifications"] = sorted(notes.values(), key=_note_order)
    merged["invocations"] = [invocation]
    merged["properties"] = {**first.get("properties", {}), "filesScanned": scanned}
    return merged


def _result_order(result: dict[str, Any]) -> tuple[Any, ...]:
    physical = result["locations"][0]["physicalLocation"]
    region = physical.get("region", {})
    return (
        unquote(physical["artifactLocation"]["uri"]),
        region.get("startLine", 0),
        region.get("startColumn", 0),
        region.get("endLine", 0),
        region.get("endColumn", 0),
        result["ruleId"],
        result.get("properties", {}).get("value", ""),
    )


def _note_order(note: dict[str, Any]) -> tuple[str, str, str]:
    physical = note.get("locations", [{}])[0].get("physicalLocation", {})
    path = unquote(physical.get("artifactLocation", {}).get("uri", ""))
    text = note.get("message", {}).get("text", "")
    return path, note.get("descriptor", {}).get("id", ""), text.removeprefix(f"{path}: ")
