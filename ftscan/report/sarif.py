"""SARIF 2.1.0 for GitHub code scanning, built from sarif-om objects.

Each rule is declared once with its help; each result has an explicit level, a
repo-relative URI under `%SRCROOT%`, a full region, a line-independent fingerprint and
GitHub's `primaryLocationLineHash`. Output is deterministic: no timestamps, sorted keys.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import attr
import sarif_om as om

from ftscan.types import Finding, Notification, Rule, RunInfo, Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "ftscan/v1"
INFORMATION_URI = "https://github.com/ftscan/ftscan"
_KEEP = frozenset({"level"})  # written even when equal to the schema's default


def render(findings: Sequence[Finding], run: RunInfo) -> str:
    rules = list(run.rules)
    index = {rule.id: i for i, rule in enumerate(rules)}
    log = om.SarifLog(
        version="2.1.0",
        schema_uri=SCHEMA,
        runs=[
            om.Run(
                tool=om.Tool(
                    driver=om.ToolComponent(
                        name="ftscan",
                        version=run.tool_version,
                        semantic_version=run.tool_version,
                        information_uri=INFORMATION_URI,
                        rules=[_rule(rule, run) for rule in rules],
                    ),
                    extensions=[om.ToolComponent(name=pack.name, version=pack.version) for pack in run.packs]
                    or None,
                ),
                automation_details=om.RunAutomationDetails(id=f"{run.category}/") if run.category else None,
                invocations=[
                    om.Invocation(
                        execution_successful=True,
                        tool_execution_notifications=[_notification(n) for n in run.notifications] or None,
                    )
                ],
                column_kind="unicodeCodePoints",
                results=[_result(f, index[f.rule.id]) for f in findings],
                properties={"asOf": run.as_of.isoformat(), "filesScanned": run.files_scanned},
            )
        ],
    )
    return json.dumps(to_json(log), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _rule(rule: Rule, run: RunInfo) -> om.ReportingDescriptor:
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
    return om.ReportingDescriptor(
        id=rule.id,
        name=_pascal(rule.name),
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=rule.help.split("\n\n")[0]),
        help=om.MultiformatMessageString(text=rule.help, markdown=rule.help),
        help_uri=help_uri,
        default_configuration=om.ReportingConfiguration(level=rule.level or "warning"),
        properties={
            "tags": ["fine-tuning", *rule.tags],
            "precision": _PRECISION[rule.precision],
            "pack": rule.pack,
            "milestones": milestones,
            "datesFromBaseModel": rule.dates_from_base,
        },
    )


_PRECISION = {"high": "very-high", "medium": "high", "low": "low"}


def _result(finding: Finding, rule_index: int) -> om.Result:
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
    return om.Result(
        rule_id=finding.rule.id,
        rule_index=rule_index,
        level=finding.level,
        message=om.Message(text=finding.message),
        locations=[_location(ev.path, ev.span)],
        related_locations=[
            _location(loc.path, loc.span, loc.message, i) for i, loc in enumerate(finding.related)
        ]
        or None,
        partial_fingerprints=fingerprints,
        properties=properties,
        suppressions=[_suppression(finding)] if finding.suppression else None,
    )


def _suppression(finding: Finding) -> om.Suppression:
    reason = finding.suppression
    assert reason is not None
    return om.Suppression(
        kind=reason.kind,
        justification=reason.justification or None,
        properties={"source": reason.source},
    )


def _location(path: str, span: Span, message: str = "", ident: int | None = None) -> om.Location:
    return om.Location(
        id=ident,
        physical_location=om.PhysicalLocation(
            artifact_location=om.ArtifactLocation(uri=quote(path), uri_base_id="%SRCROOT%"),
            region=om.Region(
                start_line=span.line,
                start_column=span.column,
                end_line=span.end_line,
                end_column=span.end_column,
            ),
        ),
        message=om.Message(text=message) if message else None,
    )


def _notification(note: Notification) -> om.Notification:
    return om.Notification(
        level=note.level,
        message=om.Message(text=f"{note.path}: {note.message}"),
        descriptor=om.ReportingDescriptorReference(id=note.kind),
        locations=[
            om.Location(
                physical_location=om.PhysicalLocation(
                    artifact_location=om.ArtifactLocation(uri=quote(note.path), uri_base_id="%SRCROOT%")
                )
            )
        ],
    )


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def to_json(value: Any) -> Any:
    """sarif-om objects to plain JSON values, by each field's SARIF property name.

    Fields left at their schema default are dropped, except those in `_KEEP`; property
    bags are plain dicts.
    """
    if attr.has(type(value)):
        out: dict[str, Any] = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if item is None:
                continue
            default = field.default
            if isinstance(default, attr.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if item == default and field.name not in _KEEP:
                continue
            out[field.metadata.get("schema_property_name", field.name)] = to_json(item)
        return out
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value
