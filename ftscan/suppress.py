"""Suppression as a stage that records: inline ignores, per-path config ignores, a baseline.

Suppressed findings are kept, marked with why (SARIF `suppressions`); they no longer count
for the exit code. Ignore comments that name no rule, name an unknown rule, or (when asked)
suppress nothing are reported as notifications.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

import pathspec

from ftscan.types import Finding, IgnoreComment, Notification, Suppression


@dataclass(frozen=True)
class SuppressionSettings:
    inline: bool = True  # False: `--no-ignores`, audit everything
    report_unused: bool = False
    per_path: Sequence[tuple[str, Sequence[str]]] = ()  # gitignore-style glob -> rule IDs
    per_path_source: str = "configuration"
    baseline: Collection[str] = frozenset()  # fingerprints


def suppress(
    findings: Sequence[Finding],
    ignores: Iterable[IgnoreComment],
    known_rules: Collection[str],
    settings: SuppressionSettings,
) -> tuple[list[Finding], list[Notification]]:
    notes: list[Notification] = []
    by_path: dict[str, list[IgnoreComment]] = {}
    for ignore in ignores:
        if not ignore.rules:
            notes.append(Notification(
                ignore.path, "ignore-comment",
                f"line {ignore.line}: `ftscan: ignore` names no rule and ignores nothing; "
                "write `ftscan: ignore[RULE]`",
            ))
            continue
        unknown = [r for r in ignore.rules if r not in known_rules]
        if unknown:
            notes.append(Notification(
                ignore.path, "ignore-comment", f"line {ignore.line}: unknown rule {', '.join(unknown)}",
            ))
        by_path.setdefault(ignore.path, []).append(ignore)
    per_path = [(pathspec.GitIgnoreSpec.from_lines([glob]), set(ids)) for glob, ids in settings.per_path]
    used: set[tuple[str, int, str]] = set()
    out = []
    for finding in findings:
        reason = _inline(finding, by_path.get(finding.evidence.path, ()), used) if settings.inline else None
        if reason is None:
            reason = _external(finding, per_path, settings)
        out.append(replace(finding, suppression=reason) if reason else finding)
    if settings.report_unused and settings.inline:
        for comments in by_path.values():
            for ignore in comments:
                for rule in ignore.rules:
                    if rule in known_rules and (ignore.path, ignore.line, rule) not in used:
                        notes.append(Notification(
                            ignore.path, "unused-ignore",
                            f"line {ignore.line}: `ftscan: ignore[{rule}]` suppresses nothing", "note",
                        ))
    return out, notes


def _inline(
    finding: Finding, comments: Iterable[IgnoreComment], used: set[tuple[str, int, str]]
) -> Suppression | None:
    line, rule = finding.evidence.span.line, finding.rule.id
    for ignore in comments:
        if rule in ignore.rules and (ignore.whole_file or ignore.first_line <= line <= ignore.last_line):
            used.add((ignore.path, ignore.line, rule))
            return Suppression("inSource", ignore.reason or "", f"{ignore.path}:{ignore.line}")
    return None


def _external(
    finding: Finding, per_path: list[tuple[pathspec.PathSpec, set[str]]], settings: SuppressionSettings
) -> Suppression | None:
    path, rule = finding.evidence.path, finding.rule.id
    for spec, ids in per_path:
        if rule in ids and spec.match_file(path):
            return Suppression("external", f"{rule} ignored for this path", settings.per_path_source)
    if finding.fingerprint in settings.baseline:
        return Suppression("external", "in the baseline", "baseline")
    return None
