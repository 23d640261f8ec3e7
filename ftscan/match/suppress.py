"""Suppression as a stage that records: inline ignores, per-path config ignores, a baseline.

Suppressed findings are kept, marked with why (SARIF `suppressions`); they no longer count
for the exit code. Ignore comments that name no rule, name an unknown rule, or (when asked)
suppress nothing are reported as notifications.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Sequence

from ftscan.frozen import Frozen, replace
from ftscan.types import Finding, IgnoreComment, Notification, Suppression
from ftscan.walk.ignore_rules import IgnoreSpec

_LOOKBACK = 64  # comments above a line that are checked for covering it


class SuppressionSettings(Frozen):
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
            notes.append(
                Notification(
                    ignore.path,
                    "ignore-comment",
                    f"line {ignore.line}: `ftscan: ignore` names no rule and ignores nothing; "
                    "write `ftscan: ignore[RULE]`",
                )
            )
            continue
        unknown = [r for r in ignore.rules if r not in known_rules]
        if unknown:
            notes.append(
                Notification(
                    ignore.path,
                    "ignore-comment",
                    f"line {ignore.line}: unknown rule {', '.join(unknown)}",
                )
            )
        by_path.setdefault(ignore.path, []).append(ignore)
    index = _CommentIndex(by_path)
    per_path = [(IgnoreSpec([glob]), set(ids)) for glob, ids in settings.per_path]
    used: set[tuple[str, int, str]] = set()
    out = []
    for finding in findings:
        reason = index.lookup(finding, used) if settings.inline else None
        if reason is None:
            reason = _external(finding, per_path, settings)
        out.append(replace(finding, suppression=reason) if reason else finding)
    if settings.report_unused and settings.inline:
        for comments in by_path.values():
            for ignore in comments:
                for rule in ignore.rules:
                    if rule in known_rules and (ignore.path, ignore.line, rule) not in used:
                        notes.append(
                            Notification(
                                ignore.path,
                                "unused-ignore",
                                f"line {ignore.line}: `ftscan: ignore[{rule}]` suppresses nothing",
                                "note",
                            )
                        )
    return out, notes


class _CommentIndex:
    """Ignore comments by (path, rule), each list sorted by first line.

    A finding looks only at the comments of its own file and rule, and of those only at
    the ones starting at or above its line: thousands of ignores in one file stay cheap.
    """

    def __init__(self, by_path: dict[str, list[IgnoreComment]]) -> None:
        self._whole: dict[tuple[str, str], IgnoreComment] = {}
        self._ranges: dict[tuple[str, str], list[IgnoreComment]] = {}
        for path, comments in by_path.items():
            for ignore in comments:
                for rule in ignore.rules:
                    if ignore.whole_file:
                        self._whole.setdefault((path, rule), ignore)
                    else:
                        self._ranges.setdefault((path, rule), []).append(ignore)
        self._firsts: dict[tuple[str, str], list[int]] = {}
        for key, ranges in self._ranges.items():
            ranges.sort(key=lambda i: (i.first_line, i.line))
            self._firsts[key] = [i.first_line for i in ranges]

    def lookup(self, finding: Finding, used: set[tuple[str, int, str]]) -> Suppression | None:
        key = (finding.evidence.path, finding.rule.id)
        line = finding.evidence.span.line
        ignore = self._whole.get(key) or self._covering(key, line)
        if ignore is None:
            return None
        used.add((ignore.path, ignore.line, key[1]))
        return Suppression("inSource", ignore.reason or "", f"{ignore.path}:{ignore.line}")

    def _covering(self, key: tuple[str, str], line: int) -> IgnoreComment | None:
        ranges = self._ranges.get(key)
        if not ranges:
            return None
        # Comments cover statements, which nest only shallowly: walk back from the last
        # comment starting at or above the line until one covers it.
        at = bisect.bisect_right(self._firsts[key], line)
        for ignore in reversed(ranges[max(0, at - _LOOKBACK) : at]):
            if ignore.last_line >= line:
                return ignore
        return None


def _external(
    finding: Finding, per_path: list[tuple[IgnoreSpec, set[str]]], settings: SuppressionSettings
) -> Suppression | None:
    path, rule = finding.evidence.path, finding.rule.id
    for spec, ids in per_path:
        if rule in ids and spec.match(path):
            return Suppression("external", f"{rule} ignored for this path", settings.per_path_source)
    if finding.fingerprint in settings.baseline:
        return Suppression("external", "in the baseline", "baseline")
    return None
