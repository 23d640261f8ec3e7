"""Join code that reads an environment variable to the configuration that sets it to a model ID.

`os.environ.get("SUPPORT_MODEL")` in code and `SUPPORT_MODEL=ft:...` in `.env` are two
strings until joined: the read becomes the model ID's evidence at the read (so it is dated
like the ID itself), with the definitions as related locations, and each definition names
its readers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from ftscan.frozen import Frozen, replace
from ftscan.types import Evidence, EvidenceKind, Location

Related = dict[Evidence, tuple[Location, ...]]


class Linked(Frozen):
    evidence: list[Evidence]  # reads replaced by the model they resolve to; definitions annotated
    related: Related  # evidence -> the places on the other side of the link


def where(ev: Evidence) -> str:
    return f"{ev.path}:{ev.span.line}"


def link_env_vars(evidence: Iterable[Evidence], shutdown: Callable[[Evidence], date | None]) -> Linked:
    """Resolve reads of variables that configuration sets to model IDs.

    A variable set in several places resolves to the definition whose model stops serving
    first (`shutdown`), preferring definitions that are not commented out.
    """
    evidence = list(evidence)
    definitions: dict[str, list[Evidence]] = defaultdict(list)
    for ev in evidence:
        name = ev.prop("env_var")
        if ev.kind == EvidenceKind.MODEL_ID and name:
            definitions[name].append(ev)
    readers: dict[str, list[Evidence]] = defaultdict(list)
    for ev in evidence:
        if ev.kind == EvidenceKind.ENV_READ and ev.value in definitions:
            readers[ev.value].append(ev)
    out: list[Evidence] = []
    related: Related = {}
    for ev in evidence:
        if ev.kind == EvidenceKind.ENV_READ:
            if ev.value in definitions:
                resolved, places = _resolve(ev, definitions[ev.value], shutdown)
                out.append(resolved)
                related[resolved] = places
            continue
        name = ev.prop("env_var")
        if ev.kind == EvidenceKind.MODEL_ID and name in readers:
            reads = readers[name]
            annotated = replace(ev, props=(*ev.props, ("read_by", ", ".join(map(where, reads)))))
            related[annotated] = tuple(
                Location(r.path, r.span, f"`{name}` is read here ({r.call or 'environment'})") for r in reads
            )
            ev = annotated
        out.append(ev)
    return Linked(out, related)


def _resolve(
    read: Evidence, definitions: list[Evidence], shutdown: Callable[[Evidence], date | None]
) -> tuple[Evidence, tuple[Location, ...]]:
    def rank(ev: Evidence) -> tuple[bool, date, str, int]:
        return (ev.confidence == "low", shutdown(ev) or date.max, ev.path, ev.span.line)

    chosen = min(definitions, key=rank)
    resolved = replace(
        chosen,
        path=read.path,
        span=read.span,
        call=read.call,
        keyword=read.keyword,
        confidence=read.confidence if chosen.confidence != "low" else "low",
        props=(*chosen.props, ("set_in", where(chosen))),
        line_hash=read.line_hash,
    )
    places = tuple(
        Location(d.path, d.span, f"`{read.value}` is set to `{d.value}` here")
        for d in sorted(definitions, key=lambda d: (d.path, d.span))
    )
    return resolved, places
