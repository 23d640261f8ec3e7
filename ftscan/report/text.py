"""Human-readable output: one line per finding, then a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ftscan.types import LEVELS, Finding, RunInfo
from ftscan.untrusted.words import clean

_COLOURS = {"error": "red", "warning": "yellow", "note": "blue"}


def render(findings: Sequence[Finding], run: RunInfo, colour: bool = False) -> str:
    style = _styler(colour)
    lines = []
    for finding in findings:
        if finding.suppression:
            continue
        span = finding.evidence.span
        where = f"{clean(finding.evidence.path)}:{span.line}:{span.column}"
        level = style(finding.level, fg=_COLOURS[finding.level], bold=True)
        lines.append(f"{where}: {style(finding.rule.id, bold=True)} {level} {clean(finding.message)}")
    if run.notifications:
        lines.append("")
        files = len({n.path for n in run.notifications})
        lines.append(f"{len(run.notifications)} notification(s) about {files} file(s):")
        lines.extend(f"  {clean(n.path)}: {n.kind}: {clean(n.message)}" for n in run.notifications)
    lines.append("")
    lines.append(summary(findings, run))
    return "\n".join(lines) + "\n"


def summary(findings: Sequence[Finding], run: RunInfo) -> str:
    suppressed = Counter(_suppressed_by(f) for f in findings if f.suppression)
    findings = [f for f in findings if not f.suppression]
    levels = Counter(f.level for f in findings)
    counts = ", ".join(f"{levels[lvl]} {lvl}{'s' if levels[lvl] != 1 else ''}" for lvl in reversed(LEVELS))
    head = (
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({counts}) in "
        f"{run.files_scanned} file{'s' if run.files_scanned != 1 else ''}, "
        f"as of {run.as_of.isoformat()}"
    )
    if suppressed:
        parts = [f"{count} {why}" for why, count in sorted(suppressed.items())]
        head += f"; not shown: {', '.join(parts)}"
    by_rule = Counter((f.rule.id, f.rule.name) for f in findings)
    rows = [f"  {rule_id} {name}: {count}" for (rule_id, name), count in sorted(by_rule.items())]
    return "\n".join([head, *rows])


def _suppressed_by(finding: Finding) -> str:
    assert finding.suppression is not None
    if finding.suppression.kind == "inSource":
        return "ignored inline"
    return "in the baseline" if finding.suppression.source == "baseline" else "ignored by configuration"


def _styler(colour: bool):  # type: ignore[no-untyped-def]
    if not colour:
        return lambda text, **_: text
    import click

    return click.style
