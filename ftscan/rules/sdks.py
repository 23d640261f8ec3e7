"""SDK surfaces of other languages, as a pack's `sdks` section describes them.

A call is named by the chain of names before its arguments (`s.client.CreateFineTuningJob`,
`client.fineTuning().jobs().create`, `$client->fineTuning()->createJob`). Languages and SDKs
spell one name in several ways, so names compare without case, underscores or sigils:
`fine_tuning`, `fineTuning` and `FineTuning` are one key, `finetuning`. A pack writes each
name as the SDK does (that spelling is also what the prefilter searches files for).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ftscan.types import Chain, SdkSurface


def name_key(name: str) -> str:
    """`FineTuning`, `fine_tuning`, `$fineTuning` -> `finetuning`."""
    return name.lstrip("$@:").replace("_", "").lower()


def chain_key(dotted: str) -> Chain:
    """`FineTuning.Jobs.New` -> ("finetuning", "jobs", "new")."""
    return tuple(name_key(part) for part in dotted.split("."))


def build_sdk(spec: Mapping[str, Any]) -> SdkSurface:
    """An `sdks` entry of a pack, validated already, as the scanners read it."""
    calls = sorted(
        (
            (chain_key(chain), target, ())
            if isinstance(target, str)
            else (chain_key(chain), target["call"], tuple(target.get("needs") or ()))
            for chain, target in spec["calls"].items()
        ),
        key=lambda item: -len(item[0]),
    )
    constants = sorted(
        ((chain_key(chain), value) for chain, value in (spec.get("constants") or {}).items()),
        key=lambda item: -len(item[0]),
    )
    return SdkSurface(
        name=spec["name"],
        languages=tuple(spec["languages"]),
        markers=tuple(spec.get("markers") or ()),
        calls=tuple(calls),
        arguments=tuple((name_key(m), tuple(names)) for m, names in (spec.get("arguments") or {}).items()),
        constants=tuple(constants),
        azure=tuple(spec.get("azure") or ()),
        others=tuple(spec.get("others") or ()),
        spelled=(
            *_telling(spec["calls"]),
            *(
                (max(chain.split("."), key=len), value)
                for chain, value in (spec.get("constants") or {}).items()
            ),
        ),
    )


def _telling(calls: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each call's most telling name, as written, with the call it names: the name most of
    the SDK's calls share (`FineTuning` of `FineTuning.Jobs.Get`, not `Get`), the longest
    among equals. Every call holds it, and it is not a word every file uses."""
    shared: dict[str, int] = {}
    for chain in calls:
        for name in set(chain.split(".")):
            shared[name_key(name)] = shared.get(name_key(name), 0) + 1
    return [
        (
            max(chain.split("."), key=lambda name: (shared[name_key(name)], len(name))),
            target if isinstance(target, str) else target["call"],
        )
        for chain, target in calls.items()
    ]
