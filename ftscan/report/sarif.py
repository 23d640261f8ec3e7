"""SARIF 2.1.0 for GitHub code scanning.

Each rule is declared once with its help; each result has an explicit level, a
repo-relative URI under `%SRCROOT%`, a full region, a line-independent fingerprint and
GitHub's `primaryLocationLineHash`. Output is deterministic: no timestamps, sorted keys.

The log is built as plain JSON objects named by SARIF's own property names, an optional
property left out rather than written null (`_object`); property bags are written as they
are. The suite checks every log against the SARIF 2.1.0 JSON schema and GitHub's upload
rules (`tests/sarif_validators.py`). The object model of `sarif-om` describes the same
document, but building its 60 attrs classes cost each run 35 ms, a tenth of a small
repository's scan.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ftscan.types import Finding, Notification, Rule, RunInfo, Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "ftscan/v1"
INFORMATION_URI = "https://github.com/ftscan/ftscan"


def render(findings: Sequence[Finding], run: RunInfo) -> str:
    rules = list(run.rules)
    index = {rule.id: i for i, rule in enumerate(rules)}
    driver = _object(
        name="ftscan",
        version=run.tool_version,
        semanticVersion=run.tool_version,
        informationUri=INFORMATION_URI,
        rules=[_rule(rule, run) for rule in rules],
    )
    extensions = [{"name": pack.name, "version": pack.version} for pack in run.packs]
    invocation = _object(
        executionSuccessful=True,
        toolExecutionNotifications=[_notification(n) for n in run.notifications] or None,
    )
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            _object(
                tool=_object(driver=driver, extensions=extensions or None),
                automationDetails={"id": f"{run.category}/"} if run.category else None,
                invocations=[invocation],
                columnKind="unicodeCodePoints",
                results=[_result(f, index[f.rule.id]) for f in findings],
                properties={"asOf": run.as_of.isoformat(), "filesScanned": run.files_scanned},
            )
        ],
    }
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _object(**members: Any) -> dict[str, Any]:
    """A SARIF object: its members, each one that is None left out."""
    return {name: value for name, value in members.items() if value is not None}


def _rule(rule: Rule, run: RunInfo) -> dict[str, Any]:
    milestones = [
        {
            "milestone": ref.milestone.key,
            "date": ref.milestone.date.isoformat() if ref.milestone.date else None,
            "status": ref.milestone.status,
            "effect": ref.milestone.effect,
        }
        for ref in rule.milestones
    ]
    pack = next((p for p in run.packs if p.name == rule.pack), None)
    help_uri = rule.help_uri or (pack.sources[0] if pack and pack.sources else None)
    return _object(
        id=rule.id,
        name=_pascal(rule.name),
        shortDescription={"text": rule.summary},
        fullDescription={"text": rule.help.split("\n\n")[0]},
        help={"text": rule.help, "markdown": rule.help},
        helpUri=help_uri,
        defaultConfiguration={"level": rule.level or "warning"},
        properties={
            "tags": ["fine-tuning", *rule.tags],
            "precision": _PRECISION[rule.precision],
            "pack": rule.pack,
            "milestones": milestones,
            "datesFromBaseModel": rule.dates_from_base,
        },
    )


_PRECISION = {"high": "very-high", "medium": "high", "low": "low"}


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    ev = finding.evidence
    fingerprints = {FINGERPRINT_KEY: finding.fingerprint}
    if ev.line_hash:
        fingerprints["primaryLocationLineHash"] = ev.line_hash
    properties: dict[str, Any] = {
        "confidence": ev.confidence,
        "evidence": ev.kind,
        "value": ev.value,
    }
    for key, value in (("call", ev.call), ("keyword", ev.keyword)):
        if value:
            properties[key] = value
    if finding.deadline and finding.deadline.date:
        properties["deadline"] = finding.deadline.date.isoformat()
        properties["deadlineStatus"] = finding.deadline.status
    if ev.model is not None:
        properties["baseModel"] = ev.model.base
    properties.update({key: value for key, value in ev.props if not key.startswith("arg:")})
    return _object(
        ruleId=finding.rule.id,
        ruleIndex=rule_index,
        level=finding.level,
        message={"text": finding.message},
        locations=[_location(ev.path, ev.span)],
        relatedLocations=[
            _location(loc.path, loc.span, loc.message, i) for i, loc in enumerate(finding.related)
        ]
        or None,
        partialFingerprints=fingerprints,
        properties=properties,
        suppressions=[_suppression(finding)] if finding.suppression else None,
    )


def _suppression(finding: Finding) -> dict[str, Any]:
    reason = finding.suppression
    assert reason is not None
    return _object(
        kind=reason.kind,
        justification=reason.justification or None,
        properties={"source": reason.source},
    )


def _location(path: str, span: Span, message: str = "", ident: int | None = None) -> dict[str, Any]:
    return _object(
        id=ident,
        physicalLocation={
            "artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"},
            "region": {
                "startLine": span.line,
                "startColumn": span.column,
                "endLine": span.end_line,
                "endColumn": span.end_column,
            },
        },
        message={"text": message} if message else None,
    )


def _notification(note: Notification) -> dict[str, Any]:
    return {
        "level": note.level,
        "message": {"text": f"{note.path}: {note.message}"},
        "descriptor": {"id": note.kind},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": _uri(note.path), "uriBaseId": "%SRCROOT%"}}}
        ],
    }


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _uri(path: str) -> str:
    """A repo-relative path as a URI reference: percent-encoded UTF-8, and a file name's
    bytes that are not UTF-8 (kept as surrogate escapes) encoded as the bytes they are."""
    return quote(path, errors="surrogateescape")
