"""Baselines: the findings a team accepts today, so a scan reports only what is new.

The file is sorted, deterministic JSON with no line numbers and no timestamps: it
survives edits above a finding and merges cleanly. A scan reads it and never writes it;
`ftscan baseline FILE` writes it on request.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ftscan.types import Finding
from ftscan.walk.read import read_json

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
    """The fingerprints a baseline file accepts."""
    document = read_json(path, BaselineError)
    version = document.get("ftscan_baseline_version") if isinstance(document, dict) else None
    if version != BASELINE_VERSION:
        raise BaselineError(f"{path}: not an ftscan baseline (ftscan_baseline_version {version!r})")
    try:
        return frozenset(entry["fingerprint"] for entry in document["findings"])
    except (KeyError, TypeError):
        raise BaselineError(f"{path}: findings must be a list of entries with a fingerprint") from None
