"""The inventory's deadlines as an iCalendar file (RFC 5545), to import into a team calendar.

One all-day event per model and dated milestone (its inference end, the training end) and
one per training pipeline (the training end), with the affected places in DESCRIPTION; a
pipeline's schedules and, with `--online`, what the organization says of a model are in its
DESCRIPTION, and each unreferenced fine-tune of the organization has its inference end.
UIDs are derived from the model (or pipeline) and the milestone, so a re-import updates
events instead of duplicating them; DTSTAMP is the as-of date, so output is deterministic.
Lines end in CRLF and are folded at 75 octets; text values are escaped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from ftscan.inventory.describe import dated, last_used, online_facts, recipe_text, scheduled_fact
from ftscan.inventory.plan import Deadline, Inventory, Place

PRODID = "-//ftscan//fine-tuning inventory//EN"
MAX_OCTETS = 75
MAX_PLACES = 50  # places listed in one DESCRIPTION; the rest are counted


def escape(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped, and
    the control characters the format forbids (a file name may hold one) written as `?`."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)
    return value.replace("\n", "\\n")


_CONTROLS = {code: "?" for code in (*range(0x09), *range(0x0B, 0x20), 0x7F)}  # all but tab and line feed


def fold(line: str) -> str:
    """One content line folded into physical lines of at most 75 octets (RFC 5545 3.1).

    Continuation lines start with a space; a UTF-8 character is never split.
    """
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8", "surrogateescape"))  # a file name's own bytes
        if size + width > MAX_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def uid(*parts: str) -> str:
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"{digest}@ftscan"


def render(plan: Inventory) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape('Fine-tuning deadlines')}",
    ]
    stamp = plan.as_of.strftime("%Y%m%dT000000Z")
    for event in _events(plan):
        lines += _vevent(stamp, *event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


Event = tuple[str, Deadline, str, str, list[str]]  # uid, deadline, summary, category, description lines


def _events(plan: Inventory) -> Iterator[Event]:
    for model in plan.models:
        recipe = f"Recipe: {recipe_text(model.recipe, str, plan.online is not None)}."
        for deadline, what, category in (
            (model.inference_end, "stops serving", "inference-end"),
            (model.training_end, "can no longer be re-trained", "training-end"),
        ):
            if deadline is None or deadline.date is None:
                continue
            days = (deadline.date - plan.as_of).days
            description = [
                f"{model.id} (base {model.base}) {what}: {deadline.effect}.",
                f"Date: {dated(deadline, days)}.",
                f"Inference status as of {plan.as_of.isoformat()}: {model.status}.",
                recipe,
                *([f"Organization's side: {', '.join(online_facts(model, str))}."] if plan.online else []),
                f"Owners: {', '.join(model.owners) or 'none'}",
                f"Applications: {', '.join(model.applications)}",
                *([f"Repositories: {', '.join(model.repositories)}"] if plan.estate else []),
                "Locations:",
                *_places(model.locations),
            ]
            yield uid(model.id, deadline.key), deadline, f"{model.id} {what}", category, description
    for pipeline in plan.pipelines:
        deadline = pipeline.training_end
        if deadline is None or deadline.date is None:
            continue
        days = (deadline.date - plan.as_of).days
        description = [
            f"{pipeline.path} creates fine-tuning jobs: {deadline.effect}.",
            f"Date: {dated(deadline, days)}.",
            f"Bases: {', '.join(pipeline.bases) or 'not named in the code'}",
            *(f"Pipeline {scheduled_fact(s, pipeline, str)}." for s in pipeline.scheduled),
            f"Application: {pipeline.application}",
            f"Owners: {', '.join(pipeline.owners) or 'none'}",
            "Jobs:",
            *_places([job.place for job in pipeline.jobs]),
        ]
        summary = f"Last day to create fine-tuning jobs: {pipeline.path}"
        yield uid("pipeline", pipeline.path, deadline.key), deadline, summary, "training-end", description
    for found in plan.online.unreferenced if plan.online else ():
        deadline = found.inference_end
        if deadline is None or deadline.date is None:
            continue
        days = (deadline.date - plan.as_of).days
        description = [
            f"{found.model} (base {found.base}) stops serving: {deadline.effect}.",
            f"Date: {dated(deadline, days)}.",
            f"In {found.organization or 'the organization'}, named in no scanned file; "
            f"last used {last_used(found.last_used, found.requests_30d)}.",
        ]
        summary = f"{found.model} stops serving"
        yield uid(found.model, deadline.key), deadline, summary, "inference-end", description


def _places(places: Sequence[Place]) -> list[str]:
    shown = [
        f"- {p.where} ({p.file_kind}, {p.application})" + (f": {p.detail}" if p.detail else "")
        for p in places[:MAX_PLACES]
    ]
    if len(places) > MAX_PLACES:
        shown.append(f"- and {len(places) - MAX_PLACES} more")
    return shown


def _vevent(
    stamp: str, uid_: str, deadline: Deadline, summary: str, category: str, description: list[str]
) -> list[str]:
    day: date = deadline.date  # type: ignore[assignment]
    return [
        "BEGIN:VEVENT",
        f"UID:{uid_}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(chr(10).join(description))}",
        f"CATEGORIES:ftscan,{category}",
        f"STATUS:{'CONFIRMED' if deadline.status == 'confirmed' else 'TENTATIVE'}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
