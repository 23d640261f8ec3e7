"""Derive what scanners look for (`ScanPatterns`) from the loaded rules.

Needles are never kept by hand: each comes from a rule's globs, values or regex, so a
user's pack extends the prefilter by itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

from ftscan.types import RECIPE_KEYWORDS, EvidenceKind, Rule, RulePack, ScanPatterns, SdkSurface

if TYPE_CHECKING:
    from ftscan.rules.regex import PackRegex

_GLOB_META = re.compile(r"\*|\?|\[[^\]]*\]")
_REGEX_LITERAL = re.compile(r"(?:[A-Za-z0-9_\-=/ ]|\\[.\-/ ])+")
_SNAKE = re.compile(r"(?<=[a-z0-9])_([a-z])")
MIN_NEEDLE = 3
SHORT_SEGMENT = 10


def glob_literals(glob: str) -> list[str]:
    """The literal runs of a glob, longest first."""
    return sorted((part for part in _GLOB_META.split(glob) if part), key=len, reverse=True)


def call_needle(glob: str) -> str:
    """The most telling segment of a qualified-call glob: `openai.fine_tuning.jobs.*` -> `fine_tuning`.

    The root (`openai`, `litellm`) is skipped: a file that merely imports the SDK must not
    pass the prefilter.
    """
    parts = glob.split(".")
    literal = [i for i, seg in enumerate(parts) if i and not _GLOB_META.search(seg)]
    if not literal:
        return glob_literals(glob)[0].strip(".")
    best = max(literal, key=lambda i: len(parts[i]))
    if len(parts[best]) < SHORT_SEGMENT and best > 1:  # `threads` alone is too common
        before = parts[best - 1]  # `instructor.*.distil`: the dot before it, then
        return f".{parts[best]}" if _GLOB_META.search(before) else f"{before}.{parts[best]}"
    return parts[best]


def camel_case(name: str) -> str:
    """`fine_tuning` -> `fineTuning`: the Node SDK's spelling of a Python SDK name."""
    return _SNAKE.sub(lambda m: m[1].upper(), name)


def regex_needle(pattern: str) -> str | None:
    """A literal every match of `pattern` contains, or None when none can be told."""
    if "|" in pattern.replace(r"\|", ""):
        return None
    best = ""
    for run in _REGEX_LITERAL.finditer(pattern):
        text = run.group()
        if pattern[run.end() : run.end() + 1] in ("?", "*", "{"):
            text = text[:-1]
        text = text.replace("\\", "")
        best = max(best, text, key=len)
    return best if len(best) >= MIN_NEEDLE else None


def derive_patterns(packs: Iterable[RulePack], rules: Iterable[Rule]) -> ScanPatterns:
    """Everything the scanners need to know of `rules`, and nothing of their dates."""
    needles: set[str] = set()
    calls: list[str] = []
    model_args: set[str] = set()
    rest_paths: set[str] = set()
    cli: dict[str, None] = {}
    text: list[tuple[str, PackRegex]] = []
    model_ids = training_data = False
    unconditional: list[str] = []  # calls a rule matches whatever their arguments
    asked: set[str] = set()  # the keywords whose values rules ask about (`arg:purpose`)
    for rule in rules:
        for match in rule.matches:
            kind = match.evidence
            # An argument's value stands in the file (`purpose="fine-tune"`); other props
            # are facts a scanner derives (`client: *Azure*`), not text to search for.
            arguments = [value for name, value in match.props if name.startswith("arg:")]
            asked.update(name[4:] for name, _value in match.props if name.startswith("arg:"))
            needles.update(lit for value in arguments for lit in glob_literals(value)[:1])
            if kind == EvidenceKind.API_CALL:
                calls.extend(match.calls)
                if not arguments:
                    unconditional.extend(match.calls)
                    needles.update(call_needle(glob) for glob in match.calls)
                    needles.update(camel_case(call_needle(glob)) for glob in match.calls)
            elif kind in (EvidenceKind.MODEL_ID, EvidenceKind.ENV_READ):
                model_ids = True
            elif kind == EvidenceKind.TRAINING_DATA:
                training_data = True
            elif kind == EvidenceKind.MODEL_REF:
                needles.add("fine_tuned_model")
            elif kind == EvidenceKind.MODEL_ARG:
                model_args.update(match.values)
                needles.update(match.values)
            elif kind == EvidenceKind.REST_PATH:
                fragments = [glob_literals(glob)[0] for glob in match.values]
                rest_paths.update(fragments)
                needles.update(fragments)
            elif kind == EvidenceKind.CLI:
                for glob in match.values:
                    cli.setdefault(glob)
                    needles.add(" ".join(glob_literals(glob)[0].split()) or glob)
            elif kind == EvidenceKind.TEXT and match.pattern is not None:
                text.append((rule.id, match.pattern))
                needles.update(match.needles)
    packs = list(packs)
    keywords = {kw for pack in packs for kw in pack.model_keywords} or {"model"}
    unique_calls = tuple(dict.fromkeys(calls))
    sdks = tuple(sdk for pack in packs for sdk in pack.sdks)
    by_kind: dict[str, set[str]] = {}
    if sdks:
        from ftscan.rules.globs import glob_set

        matches = cache(glob_set(tuple(unconditional)).fullmatch)  # a call names many entries
        for sdk in sdks:
            found = sdk_needles(sdk, matches, needles)
            for language in sdk.languages:
                by_kind.setdefault(language, set()).update(found)
    return ScanPatterns(
        needles=minimal_needles(needles),
        model_ids=model_ids,
        training_data=training_data,
        calls=unique_calls,
        model_args=frozenset(model_args),
        model_keywords=frozenset(keywords),
        deciding_keywords=frozenset(asked | keywords | RECIPE_KEYWORDS),
        rest_paths=tuple(sorted(rest_paths, key=lambda f: (-len(f), f))),
        cli=tuple(cli),
        text=tuple(text),
        sdks=sdks,
        kind_needles=tuple(
            (kind, tuple(n for n in minimal_needles(found) if not any(g in n for g in needles)))
            for kind, found in sorted(by_kind.items())
        ),
    )


def sdk_needles(sdk: SdkSurface, matches: Callable[[str], bool], literals: set[str]) -> set[str]:
    """The names of an SDK's calls and constants that a file must hold to match a rule: a
    call's, when a rule matches it whatever its arguments (`matches`; an upload matters only
    with its purpose, whose literal is a needle already); a constant's, when it stands for a
    needle."""
    return {
        name
        for name, meaning in sdk.spelled
        if len(name) >= MIN_NEEDLE and (meaning in literals or ("." in meaning and matches(meaning)))
    }


def minimal_needles(needles: Iterable[str]) -> tuple[str, ...]:
    """The needles that hold no other needle, sorted: a text holding `assistants=v` holds
    `assistants` too, so testing the longer one is wasted work."""
    unique = sorted(set(needles), key=len)
    kept: list[str] = []
    for needle in unique:
        if not any(shorter in needle for shorter in kept):
            kept.append(needle)
    return tuple(sorted(kept))
