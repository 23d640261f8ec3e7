"""The HTML page's timeline: an inline SVG placing each model and pipeline against its dates.

The axis runs from the as-of date over the next `HORIZON` days, so the deadlines that are
still to come can be read apart; a date before it is folded into a band at the left edge
("passed"), one after it into a band at the right edge ("later"), each still labelled with
its date. The as-of date and the training end are drawn across every row. A model's bar
runs between the as-of date and its inference end, coloured by status; a pipeline's ends at
the training end. Every text is escaped; nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from ftscan.inventory.describe import when
from ftscan.inventory.plan import Deadline, Inventory

COLOURS = {"stopped": "#b42318", "at risk": "#b54708", "ok": "#067647", "no announced date": "#667085"}
WIDTH, LABEL, RIGHT = 1280, 430, 260
HORIZON = 90  # days after the as-of date the axis spans
FOLD = 56  # width of the bands for dates before and after the axis
TOP, ROW, HEADER = 58, 26, 24
MAX_LABEL = 58  # characters of an ID shown before it is cut (the full ID is in the tooltip)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class _Row:
    label: str
    title: str
    end: Deadline | None
    status: str
    kind: str  # "model" or "pipeline"
    last_used: date | None = None  # with --online: the last day the model was called


def render_timeline(plan: Inventory) -> str:
    """The `<svg>` element, or an empty string when nothing has a date."""
    rows = [
        _Row(
            m.id,
            f"{m.id} (base {m.base})",
            m.inference_end,
            m.status,
            "model",
            m.online.last_used if m.online else None,
        )
        for m in plan.models
    ]
    rows += [
        _Row(
            p.path,
            f"pipeline {p.path}" + "".join(f", runs on schedule {s.schedule}" for s in p.scheduled),
            p.training_end,
            p.status,
            "pipeline",
        )
        for p in plan.pipelines
    ]
    if not rows:
        return ""
    start, end = plan.as_of, plan.as_of + timedelta(days=HORIZON)
    first, last = LABEL + FOLD, WIDTH - RIGHT - FOLD
    scale = (last - first) / HORIZON

    def x(day: date) -> float:
        if day < start:
            return LABEL + FOLD / 2
        if day > end:
            return WIDTH - RIGHT - FOLD / 2
        return round(first + (day - start).days * scale, 1)

    groups = [
        ("Fine-tuned models: inference ends", [r for r in rows if r.kind == "model"]),
        ("Training pipelines: job creation ends", [r for r in rows if r.kind == "pipeline"]),
    ]
    height = TOP + sum(HEADER + len(g) * ROW for _, g in groups if g) + 12
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="timeline-title">',
        f'<title id="timeline-title">Deadlines in the {HORIZON} days from {start.isoformat()} to '
        f"{end.isoformat()}; earlier ones passed, later ones at the right edge</title>",
    ]
    placed: list[tuple[int, int, _Row]] = []  # y, index in its group, row
    headings: list[str] = []
    y = TOP
    for heading, group in groups:
        if not group:
            continue
        headings.append(f'<text class="group" x="8" y="{y + 16}">{escape(heading)}</text>')
        y += HEADER
        for index, row in enumerate(group):
            placed.append((y, index, row))
            y += ROW
    # Back to front: stripes, then the axis and the date lines, then each row's bar and text.
    out += [
        f'<rect class="stripe" x="0" y="{y}" width="{WIDTH}" height="{ROW}"/>'
        for y, index, _ in placed
        if index % 2 == 0
    ]
    out += _axis(start, end, x, height)
    out += _marker(x(plan.as_of), height, f"as of {plan.as_of.isoformat()}", "asof", 14)
    if plan.training_end and plan.training_end.date:
        out += _marker(
            x(plan.training_end.date),
            height,
            f"training ends {plan.training_end.date.isoformat()}",
            "trainend",
            30,
        )
    out += headings
    for y, _, row in placed:
        out += _row(row, y, x(plan.as_of), x, plan.as_of)
    out.append("</svg>")
    return "\n".join(out)


def _axis(start: date, end: date, x, height: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The axis over the window, a tick at each month's first day, and the two folded bands."""
    band = f'y="{TOP - 6}" width="{FOLD}" height="{height - TOP - 2}"'
    out = [
        f'<rect class="fold" x="{LABEL}" {band}/>',
        f'<rect class="fold" x="{WIDTH - RIGHT - FOLD}" {band}/>',
        f'<text class="ticklabel" x="{LABEL + FOLD / 2}" y="{TOP - 14}">passed</text>',
        f'<text class="ticklabel" x="{WIDTH - RIGHT - FOLD / 2}" y="{TOP - 14}">later</text>',
        f'<line class="axis" x1="{LABEL}" y1="{TOP - 6}" x2="{WIDTH - RIGHT}" y2="{TOP - 6}"/>',
    ]
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        tick = date(year, month, 1)
        if tick > end:
            break
        left = x(tick)
        out.append(f'<line class="tick" x1="{left}" y1="{TOP - 10}" x2="{left}" y2="{height - 8}"/>')
        out.append(f'<text class="ticklabel" x="{left}" y="{TOP - 14}">{MONTHS[month - 1]} {year}</text>')
    return out


def _row(row: _Row, y: int, now: float, x, as_of: date) -> list[str]:  # type: ignore[no-untyped-def]
    colour = COLOURS.get(row.status, COLOURS["no announced date"])
    label = row.label if len(row.label) <= MAX_LABEL else row.label[: MAX_LABEL - 1] + "…"
    middle = y + ROW / 2
    out = [
        f'<g class="row {row.kind}" data-status="{escape(row.status)}">',
        f"<title>{escape(row.title)}: {escape(row.status)}</title>",
    ]
    out.append(f'<text class="label" x="8" y="{middle + 4}">{escape(label)}</text>')
    if row.last_used is not None:
        used = x(row.last_used)
        out.append(
            f'<line class="lastuse" x1="{used}" y1="{middle - 9}" x2="{used}" y2="{middle + 9}">'
            f"<title>last used {row.last_used.isoformat()}</title></line>"
        )
    if row.end is None or row.end.date is None:
        out.append(
            f'<text class="note" x="{now + 8}" y="{middle + 4}" fill="{colour}">no announced date</text>'
        )
        out.append("</g>")
        return out
    at = x(row.end.date)
    left, right = sorted((now, at))
    out.append(
        f'<rect x="{left}" y="{middle - 4}" width="{round(right - left, 1)}" height="8" rx="4" '
        f'fill="{colour}" fill-opacity="0.35"/>'
    )
    if row.kind == "model":
        out.append(f'<circle cx="{at}" cy="{middle}" r="6" fill="{colour}"/>')
    else:
        out.append(f'<path d="M{at} {middle - 7}l7 7l-7 7l-7 -7z" fill="{colour}"/>')
    days = (row.end.date - as_of).days
    reported = ", reported" if row.end.status != "confirmed" else ""
    text = f"{row.end.date.isoformat()} ({when(days)}{reported})"
    out.append(f'<text class="when" x="{right + 12}" y="{middle + 4}" fill="{colour}">{escape(text)}</text>')
    out.append("</g>")
    return out


def _marker(left: float, height: int, text: str, css: str, y: int) -> list[str]:
    return [
        f'<line class="{css}" x1="{left}" y1="{TOP - 8}" x2="{left}" y2="{height - 8}"/>',
        f'<text class="{css}label" x="{left + 4}" y="{y}">{escape(text)}</text>',
    ]
