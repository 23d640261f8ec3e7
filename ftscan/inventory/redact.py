"""`--redact-org`: organization slugs replaced by `<org>` in every string of a plan.

A fine-tuned model ID names the OpenAI organization that trained it
(`ft:gpt-4o-mini:northwind:support:Bq7x2LmN`), and so the company. Every string the plan
holds (IDs, values, paths, key paths, owners, messages) is rewritten, so no renderer can leak
a slug: the slug is replaced wherever it stands as a word of its own, in any case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from ftscan.frozen import Frozen, field_names
from ftscan.frozen import replace as replace_frozen

ORG = "<org>"
T = TypeVar("T")


def org_redactor(orgs: Iterable[str]) -> Callable[[str], str]:
    """A function replacing each slug in `orgs` with `<org>` where no letter or digit touches it."""
    slugs = sorted({org for org in orgs if org and org != ORG}, key=lambda s: (-len(s), s))
    if not slugs:
        return lambda text: text
    pattern = re.compile(
        r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, slugs)) + r")(?![A-Za-z0-9])", re.IGNORECASE
    )
    return lambda text: pattern.sub(ORG, text)


def redact(value: T, rewrite: Callable[[str], str]) -> T:
    """`value` with `rewrite` applied to every string in it: frozen values, dataclasses, tuples,
    dicts, strings."""
    return _walk(value, rewrite)  # type: ignore[no-any-return]


def _walk(value: Any, rewrite: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, tuple):
        return tuple(_walk(item, rewrite) for item in value)
    if isinstance(value, dict):
        return {_walk(k, rewrite): _walk(v, rewrite) for k, v in value.items()}
    if isinstance(value, Frozen):  # the values of `ftscan.types`
        return replace_frozen(value, **{f: _walk(getattr(value, f), rewrite) for f in field_names(value)})
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _walk(getattr(value, f.name), rewrite) for f in fields(value)})
    return value


def plan_orgs(plan: Any) -> set[str]:
    """Organization slugs in the real model IDs a plan names (placeholders name none)."""
    from ftscan.model_ids import parse_model_id

    found = {m.org for m in plan.models if m.org}
    for mention in plan.mentions:
        parsed = parse_model_id(mention.id)
        if parsed is not None and parsed.org and not parsed.placeholder:
            found.add(parsed.org)
    return found
