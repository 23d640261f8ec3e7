"""Baselines: the findings a team accepts today, so a scan reports only what is new.

The file is sorted, deterministic JSON with no line numbers and no timestamps: it
survives edits above a finding and merges cleanly. A scan reads it and never writes it;
`ftscan baseline FILE` writes it on request.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ftscan.types import Finding
from ftscan.untrusted.bounded_read import MAX_BASELINE_BYTES, TooLarge, looks_binary, read_bounded
from ftscan.untrusted.words import shape

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names the file."""


def render_baseline(findings: Sequence[Finding]) -> str:
    entries = sorted(
        (
            {
                "fingerprint": f.fingerprint,
                "path": f.evidence.path,
                "rule": f.rule.id,
                "value": f.evidence.value,
            }
            for f in findings
        ),
        key=lambda e: (e["path"], e["rule"], e["value"], e["fingerprint"]),
    )
    document = {"ftscan_baseline_version": BASELINE_VERSION, "findings": entries}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file accepts.

    The file may come from the scanned tree: it is read with a size cap, and a file that is
    not a baseline is described by its shape, never quoted.
    """
    document = _read(path)
    if not isinstance(document, dict):
        raise BaselineError(f"{path}: top level is {shape(document)}, not a mapping: not an ftscan baseline")
    version = document.get("ftscan_baseline_version")
    if version != BASELINE_VERSION:
        told = "missing" if version is None else f"{shape(version)}, not {BASELINE_VERSION}"
        raise BaselineError(f"{path}: not an ftscan baseline (ftscan_baseline_version {told})")
    findings = document.get("findings")
    if not isinstance(findings, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) for entry in findings
    ):
        raise BaselineError(f"{path}: findings must be a list of entries with a fingerprint")
    return frozenset(entry["fingerprint"] for entry in findings)


def _read(path: Path) -> Any:
    try:
        data = read_bounded(path, MAX_BASELINE_BYTES, "baseline")
    except TooLarge as error:
        raise BaselineError(f"{path}: {error}") from None
    except OSError as error:
        raise BaselineError(f"{path}: cannot read: {error.strerror or 'unreadable'}") from None
    if looks_binary(data):
        raise BaselineError(f"{path}: a binary file (it holds NUL bytes), not an ftscan baseline")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text (byte {error.start:,}), not an ftscan baseline"
        raise BaselineError(f"{path}: {problem}") from None
    except json.JSONDecodeError as error:  # its message holds a position, never the text
        where = f"line {error.lineno} column {error.colno}"
        raise BaselineError(f"{path}: not JSON ({error.msg}, {where})") from None
    except RecursionError:
        raise BaselineError(f"{path}: not an ftscan baseline (JSON nested too deeply)") from None
