"""Context for a model ID found inside a structured file: where it sits and what names it.

Shared by the configuration and data scanners. A value's place in its document is a
path of keys and list indexes (`services.support.environment[0]`); from that path, its
sibling values and the text just before the ID, these functions tell the environment
variable that carries the ID, if any, and build the Evidence and the file's result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence

from ftscan.model_ids import IdMatch
from ftscan.scan.positions import LineIndex
from ftscan.scan.text import assigned_name, pattern_evidence, scan_text
from ftscan.types import (
    Confidence,
    Evidence,
    EvidenceKind,
    FileResult,
    Level,
    ModelId,
    Notification,
    ScanPatterns,
)

PathPart = str | int
Sibling = Callable[[str], object]

# Keys whose mapping (or list of `NAME=value` / `{name, value}` items) holds environment variables:
# docker-compose `environment`, GitHub Actions and Kubernetes `env`, GitLab CI `variables`, ...
ENV_KEYS = frozenset(
    {
        "env",
        "environment",
        "envs",
        "env_vars",
        "envVars",
        "env_variables",
        "environment_variables",
        "environmentVariables",
        "variables",
        "extraEnv",
        "extraEnvVars",
        "containerEnv",
        "remoteEnv",
    }
)
# Kubernetes kinds whose top-level map holds environment-style values, and that map's key.
ENV_DATA = {"ConfigMap": "data", "Secret": "stringData"}

_BARE_KEY = re.compile(r"[^.\[\]\s\"']+")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def key_path(parts: Sequence[PathPart], document: int | None = None) -> str | None:
    """`("a", "b", 0)` -> `a.b[0]`; with a document index, `[1].a.b[0]`. None for an empty path."""
    text = f"[{document}]" if document is not None else ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _BARE_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text or None


def last_key(parts: Sequence[PathPart]) -> str | None:
    """The name of the innermost key on the path, skipping list indexes."""
    return next((part for part in reversed(parts) if isinstance(part, str)), None)


def looks_like_env_var(name: str) -> bool:
    """ALL_CAPS words joined by underscores: `OPENAI_MODEL`, `SUPPORT_MODEL_V2`."""
    return _ENV_NAME.fullmatch(name) is not None


def no_sibling(_name: str) -> None:
    """The sibling look-up of a value with none."""
    return None


def env_var_for(parts: Sequence[PathPart], sibling: Sibling = no_sibling, kind: object = None) -> str | None:
    """The environment variable whose value sits at `parts`, judged from the structure alone.

    `sibling(name)` gives another value of the same mapping; `kind` is the document's
    Kubernetes `kind`, when it has one.
    """
    if not parts or not isinstance(parts[-1], str):
        return None
    key = parts[-1]
    parent = parts[-2] if len(parts) > 1 else None
    if parent in ENV_KEYS:  # environment: {NAME: value}
        return key
    if len(parts) == 2 and isinstance(kind, str) and ENV_DATA.get(kind) == parent:  # ConfigMap data
        return key
    if key == "value" and len(parts) >= 3:
        name = sibling("name")
        if isinstance(name, str) and isinstance(parent, int) and parts[-3] in ENV_KEYS:
            return name  # env: [{name: NAME, value: value}]
        if isinstance(parent, str) and parts[-3] in ENV_KEYS:
            return parent  # GitLab CI variables: {NAME: {value: value}}
    return key if looks_like_env_var(key) else None


def confidence_for(model: ModelId, context: str | None = None) -> Confidence:
    """Low for placeholders, comments and prose; medium for IDs built at run time; else high."""
    if model.placeholder or context in ("comment", "prose"):
        return "low"
    return "medium" if model.flavor == "partial" else "high"


def model_evidence(
    path: str,
    match: IdMatch,
    lines: LineIndex,
    *,
    key_path: str | None = None,
    env_var: str | None = None,
    keyword: str | None = None,
    context: str | None = None,
    language: str | None = None,
) -> Evidence:
    """MODEL_ID evidence for `match`, with whatever context the scanner could tell."""
    props = tuple(
        (name, value)
        for name, value in (
            ("key_path", key_path),
            ("env_var", env_var),
            ("context", context),
            ("language", language),
        )
        if value
    )
    return Evidence(
        kind=EvidenceKind.MODEL_ID,
        path=path,
        span=lines.span(match.start, match.end),
        value=match.model.raw,
        model=match.model,
        keyword=keyword,
        confidence=confidence_for(match.model, context),
        props=props,
    )


def value_evidence(
    path: str,
    match: IdMatch,
    lines: LineIndex,
    parts: Sequence[PathPart],
    prefix: str,
    *,
    document: int | None = None,
    sibling: Sibling = no_sibling,
    kind: object = None,
    context: str | None = None,
) -> Evidence:
    """Evidence for an ID inside a string value at `parts`; `prefix` is that string's text before the ID."""
    return model_evidence(
        path,
        match,
        lines,
        key_path=key_path(parts, document),
        env_var=env_var_for(parts, sibling, kind) or assigned_name(prefix),
        keyword=last_key(parts),
        context=context,
    )


def comment_evidence(path: str, match: IdMatch, lines: LineIndex, comment: str) -> Evidence:
    """Evidence for an ID in a comment; `comment` is the comment's text before the ID."""
    return model_evidence(path, match, lines, env_var=assigned_name(comment), context="comment")


def finish(
    path: str,
    text: str,
    patterns: ScanPatterns,
    lines: LineIndex,
    evidence: Iterable[Evidence],
    notifications: Iterable[Notification] = (),
) -> FileResult:
    """The file's result: the scanner's model IDs plus REST paths, commands and rule regexes."""
    found = [*evidence, *pattern_evidence(path, text, patterns, lines)]
    return FileResult(path, tuple(found), tuple(notifications))


def fallback(
    path: str,
    text: str,
    patterns: ScanPatterns,
    problem: str,
    level: Level = "warning",
    kind: str = "parse-error",
) -> FileResult:
    """Scan a file that could not be parsed as plain text, saying what failed."""
    note = Notification(path, kind, f"{problem}; scanned as plain text", level)
    return scan_text(path, text, patterns, (note,))
