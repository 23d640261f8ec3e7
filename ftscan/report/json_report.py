"""JSON output, versioned by `ftscan_json_version` (see README, "JSON output")."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ftscan.frozen import asdict
from ftscan.types import Finding, RunInfo

JSON_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    ev = finding.evidence
    deadline = finding.deadline
    return {
        "rule_id": finding.rule.id,
        "rule_name": finding.rule.name,
        "pack": finding.rule.pack,
        "level": finding.level,
        "message": finding.message,
        "path": ev.path,
        "line": ev.span.line,
        "column": ev.span.column,
        "end_line": ev.span.end_line,
        "end_column": ev.span.end_column,
        "evidence": {
            "kind": ev.kind,
            "value": ev.value,
            "call": ev.call,
            "keyword": ev.keyword,
            "confidence": ev.confidence,
            "props": dict(ev.props),
        },
        "model": asdict(ev.model) if ev.model else None,
        "deadline": {
            "milestone": deadline.key,
            "date": deadline.date.isoformat() if deadline.date else None,
            "status": deadline.status,
            "effect": deadline.effect,
        }
        if deadline
        else None,
        "related": [
            {"path": loc.path, "line": loc.span.line, "column": loc.span.column, "message": loc.message}
            for loc in finding.related
        ],
        "fingerprint": finding.fingerprint,
        "suppression": {
            "kind": finding.suppression.kind,
            "justification": finding.suppression.justification,
            "source": finding.suppression.source,
        }
        if finding.suppression
        else None,
    }


def render(findings: Sequence[Finding], run: RunInfo) -> str:
    suppressed = [f for f in findings if f.suppression]
    findings = [f for f in findings if not f.suppression]
    document = {
        "ftscan_json_version": JSON_VERSION,
        "tool": {"name": "ftscan", "version": run.tool_version},
        "as_of": run.as_of.isoformat(),
        "rule_packs": [{"name": p.name, "version": p.version} for p in run.packs],
        "summary": {
            "files_scanned": run.files_scanned,
            "findings": len(findings),
            "by_level": dict(sorted(Counter(f.level for f in findings).items())),
            "by_rule": dict(sorted(Counter(f.rule.id for f in findings).items())),
            "suppressed": len(suppressed),
        },
        "findings": [finding_dict(f) for f in findings],
        "suppressed": [finding_dict(f) for f in suppressed],
        "notifications": [
            {"path": n.path, "kind": n.kind, "level": n.level, "message": n.message}
            for n in run.notifications
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
