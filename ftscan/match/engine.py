"""Match evidence against rules at an as-of date: the level follows the calendar.

At the as-of date a passed milestone gives `error` (or the level the rule pins for it),
the next one within `warn_within` days `warning`, anything later or undated `note`.
Evidence of low confidence (seen only in a comment, or a placeholder) stays a `note`.
A finding's identity (its fingerprint) never depends on the date or the line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from importlib import import_module
from typing import Any

from ftscan.frozen import replace
from ftscan.match.links import link_env_vars
from ftscan.rules.globs import glob_set
from ftscan.types import (
    LEVELS,
    BaseModel,
    Evidence,
    EvidenceKind,
    Finding,
    Level,
    Location,
    MilestoneRef,
    Rule,
    RuleMatch,
    Span,
)

DEFAULT_WARN_WITHIN = 90


class BaseModels:
    """Look up a base model's shutdown: exact names first, then the longest matching glob,
    among the base models of the evidence's own platform (OpenAI's dates never date an
    Azure OpenAI fine-tune, nor Azure's an OpenAI one)."""

    def __init__(self, bases: Iterable[BaseModel]) -> None:
        self.exact: dict[tuple[str, str], BaseModel] = {}
        self.globs: list[tuple[str, str, BaseModel]] = []
        for base in bases:
            for name in base.names:
                if any(c in name for c in "*?["):
                    self.globs.append((base.provider, name, base))
                else:
                    self.exact.setdefault((base.provider, name), base)
        self.globs.sort(key=lambda item: -len(item[1]))

    def find(self, name: str | None, provider: str = "openai") -> BaseModel | None:
        if not name:
            return None
        name = name.removeprefix("openai/").removeprefix("openai:")
        if (provider, name) in self.exact:
            return self.exact[provider, name]
        return next(
            (base for p, glob, base in self.globs if p == provider and glob_set((glob,)).fullmatch(name)),
            None,
        )

    def of(self, evidence: Evidence) -> BaseModel | None:
        """The base model of a piece of evidence, on its platform."""
        return self.find(base_model_name(evidence), provider_of(evidence))


def provider_of(evidence: Evidence) -> str:
    """`azure` for Azure OpenAI: its model IDs, its clients' calls, its REST paths."""
    if evidence.model is not None:
        return "azure" if evidence.model.flavor == "azure" else "openai"
    client = evidence.prop("client") or ""
    return "azure" if "Azure" in client or evidence.prop("platform") == "azure" else "openai"


def base_model_name(evidence: Evidence) -> str | None:
    """The base model the evidence is about: the ID's base, or a job's `model=` argument."""
    if evidence.model is not None:
        return evidence.model.base
    return evidence.prop("arg:model") or evidence.prop("arg:base_model")


def rule_applies(match: RuleMatch, evidence: Evidence, rule: Rule, bases: BaseModels) -> bool:
    if match.evidence != evidence.kind:
        return False
    if match.calls and not glob_set(match.calls).fullmatch(evidence.value):
        return False
    if match.values and not glob_set(match.values).fullmatch(evidence.value):
        return False
    model = evidence.model
    if match.flavors and (model is None or model.flavor not in match.flavors):
        return False
    if match.placeholder is not None and (model is None or model.placeholder != match.placeholder):
        return False
    for name, glob in match.props:
        value = evidence.prop(name)
        if value is None or not glob_set((glob,)).fullmatch(value):
            return False
    for name, glob in match.not_props:
        value = evidence.prop(name)
        if value is not None and glob_set((glob,)).fullmatch(value):
            return False
    if match.pattern is not None and evidence.prop("rule") != rule.id:
        return False
    if match.base_dated is not None:
        base = bases.of(evidence)
        dated = base is not None and base.milestone is not None and base.milestone.date is not None
        if dated != match.base_dated:
            return False
    return True


def milestone_level(ref: MilestoneRef, as_of: date, warn_within: int) -> Level:
    day = ref.milestone.date
    if day is None:
        return "note"
    if day <= as_of:
        return ref.passed_level or "error"
    return "warning" if (day - as_of).days <= warn_within else "note"


def describe_milestone(ref: MilestoneRef, as_of: date) -> str:
    """`2026-10-23 (30 days ago): fine-tunes of ... stop serving`."""
    milestone = ref.milestone
    if milestone.date is None:
        return f"date not announced: {milestone.effect}"
    days = (milestone.date - as_of).days
    if days > 0:
        when = f"in {days} day{'s' if days != 1 else ''}"
    elif days < 0:
        when = f"{-days} day{'s' if days != -1 else ''} ago"
    else:
        when = "today"
    status = "" if milestone.status == "confirmed" else f", {milestone.status}, not confirmed"
    return f"{milestone.date.isoformat()} ({when}{status}): {milestone.effect}"


def _what(rule: Rule, evidence: Evidence, base: str | None) -> str:
    text = f"{rule.summary}: `{evidence.value}`"
    if evidence.model is not None and evidence.model.flavor == "partial":
        text += " (the rest is built at run time)"
    if evidence.kind == EvidenceKind.MODEL_ID and base:
        text += f" (base {base})"
    elif evidence.kind == EvidenceKind.API_CALL and base and "training" in rule.tags:
        text += f" on base `{base}`"
    set_in, read_by = evidence.prop("set_in"), evidence.prop("read_by")
    if set_in:
        text += f", read from `{evidence.prop('env_var')}` (set in {set_in})"
    elif evidence.keyword and evidence.call:
        text += f", passed as `{evidence.keyword}=` to `{evidence.call}`"
    elif evidence.keyword:
        text += f", as `{evidence.keyword}`"
    if read_by:
        text += f", read by {read_by}"
    run_by = evidence.prop("run_by")
    if run_by:
        text += f", run by {run_by}"
    reaches = evidence.prop("reaches")
    if reaches:
        path, line = reaches.rsplit(":", 4)[:2]
        text += f", through `{evidence.prop('via')}` (its call at {path}:{line})"
    return text


class Matcher:
    """Rules, base models and the date: everything needed to turn evidence into findings."""

    def __init__(
        self,
        rules: Sequence[Rule],
        bases: Iterable[BaseModel],
        as_of: date,
        warn_within: int = DEFAULT_WARN_WITHIN,
    ) -> None:
        self.rules = rules
        self.bases = BaseModels(bases)
        self.as_of = as_of
        self.warn_within = warn_within
        self._by_kind: dict[str, list[Rule]] = {}
        for rule in rules:
            for kind in dict.fromkeys(m.evidence for m in rule.matches):
                self._by_kind.setdefault(kind, []).append(rule)

    def findings(self, evidence: Iterable[Evidence]) -> list[Finding]:
        """Every (rule, evidence) pair that applies, sorted by path, place and rule.

        Reads of environment variables are first joined to the configuration that sets
        them (`ftscan.match.links`).
        """
        linked = link_env_vars(evidence, self._shutdown)
        pairs = [
            (rule, ev)
            for ev in linked.evidence
            for rule in self._by_kind.get(ev.kind, ())
            if any(rule_applies(m, ev, rule, self.bases) for m in rule.matches)
        ]
        pairs.sort(key=lambda pair: (pair[1].path, pair[1].span, pair[0].id, pair[1].value))
        seen: Counter[tuple[str, str, str]] = Counter()
        findings = []
        for rule, ev in pairs:
            identity = (rule.id, ev.path, _normalized(ev))
            seen[identity] += 1
            finding = self._finding(rule, ev, fingerprint(*identity, seen[identity]))
            if ev in linked.related:
                finding = replace(finding, related=linked.related[ev])
            elif ev.prop("run_at"):
                finding = replace(finding, related=(_runner(ev),))
            elif ev.prop("reaches"):
                finding = replace(finding, related=(_reached(ev),))
            findings.append(finding)
        return findings

    def _shutdown(self, evidence: Evidence) -> date | None:
        base = self.bases.of(evidence)
        return base.milestone.date if base and base.milestone else None

    def _finding(self, rule: Rule, evidence: Evidence, print_: str) -> Finding:
        base_name = base_model_name(evidence)
        base = self.bases.of(evidence)
        refs = list(rule.milestones)
        if rule.dates_from_base and base is not None and base.milestone is not None:
            refs.append(MilestoneRef(base.milestone))
        refs.sort(key=lambda ref: (ref.milestone.date or date.max, ref.milestone.key))
        levels = [milestone_level(ref, self.as_of, self.warn_within) for ref in refs]
        if rule.level:
            level: Level = rule.level
        elif evidence.confidence == "low":  # a comment, a placeholder: history, not a call
            level = "note"
        else:
            level = max(levels, key=LEVELS.index, default="note")
        deadline = None
        if refs:
            deciding = [ref for ref, lvl in zip(refs, levels, strict=True) if lvl == level] or refs
            upcoming = [r for r in deciding if r.milestone.date and r.milestone.date > self.as_of]
            deadline = (upcoming or deciding)[-1 if not upcoming else 0].milestone
        parts = [_what(rule, evidence, base_name)]
        parts += [describe_milestone(ref, self.as_of) for ref in refs]
        if rule.dates_from_base and base_name and (base is None or base.milestone is None):
            parts.append(f"no shutdown date is announced for base `{base_name}`")
        return Finding(
            rule=rule,
            evidence=evidence,
            level=level,
            message=". ".join(parts) + ".",
            deadline=deadline,
            fingerprint=print_,
            base_model=base,
        )


def _runner(evidence: Evidence) -> Location:
    """The call that runs a command string (`run_at`: `line:column:end_line:end_column`)."""
    line, column, end_line, end_column = (int(part) for part in (evidence.prop("run_at") or "").split(":"))
    return Location(
        evidence.path, Span(line, column, end_line, end_column), f"run by {evidence.prop('run_by')}"
    )


def _reached(evidence: Evidence) -> Location:
    """The fine-tuning call a helper makes in another file (`reaches`: `path:line:column:...`)."""
    path, *numbers = (evidence.prop("reaches") or "").rsplit(":", 4)
    line, column, end_line, end_column = (int(part) for part in numbers)
    return Location(
        path, Span(line, column, end_line, end_column), f"the call `{evidence.prop('via')}` makes"
    )


def _normalized(evidence: Evidence) -> str:
    if evidence.model is not None:
        return evidence.model.normalized
    return " ".join(evidence.value.split())


def fingerprint(rule_id: str, path: str, value: str, occurrence: int) -> str:
    """Line-independent identity: rule, file, normalised value and which occurrence."""
    # A file name may not be UTF-8 (its bytes kept as surrogate escapes).
    identity = f"{rule_id}\0{path}\0{value}\0{occurrence}"
    digest = _sha256()(identity.encode("utf-8", "surrogateescape")).hexdigest()
    return digest[:32]


@cache
def _sha256() -> Callable[[bytes], Any]:
    """SHA-256 from the interpreter's own module (`hashlib`'s fallback): `hashlib` loads
    OpenSSL first, ~3 ms of a pre-commit run with a finding. The digest is the same."""
    for name in ("_sha2", "_sha256"):  # 3.12 and later, 3.10 and 3.11
        try:
            return import_module(name).sha256  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256
