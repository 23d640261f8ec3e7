"""The inventory as one self-contained HTML page: a timeline, filterable tables, source links.

Inline CSS, an inline SVG timeline and a small inline script that fills and applies the
filters (owner, application, status; kept in the URL's `#owner=...&application=...&status=...`).
No network: no external stylesheet, font, image or script. Every text from the repository is
HTML-escaped, and links to source lines are relative (`path#Lline`), percent-encoded so a
file name cannot become a URL scheme.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape

from ftscan.inventory import html_online
from ftscan.inventory.describe import (
    CANNOT_REBUILD,
    REASONS,
    dated,
    day,
    job_facts,
    model_facts,
    plural,
    recipe_cell,
    scheduled_fact,
    summary,
    triggered_fact,
)
from ftscan.inventory.links import Links
from ftscan.inventory.plan import Inventory, Mention, Model, Pipeline, Place
from ftscan.inventory.timeline import COLOURS, render_timeline

STYLE = """
:root { color-scheme: light; --ink: #1d2939; --muted: #475467; --line: #d0d5dd; --stripe: #f2f4f7; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; }
p.lead { margin: 0 0 4px; font-size: 15px; }
p.meta, .muted { color: var(--muted); margin: 0; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
a { color: #175cd3; text-decoration: none; }
a:hover { text-decoration: underline; }
.legend span { margin-right: 14px; white-space: nowrap; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
.scroll { overflow-x: auto; }
svg.timeline { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg .stripe { fill: var(--stripe); }
svg .label { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  fill: var(--ink); }
svg .group { font-size: 12px; font-weight: 600; fill: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
svg .when, svg .note { font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff;
  stroke-width: 4px; stroke-linejoin: round; }
svg .axis { stroke: var(--muted); }
svg .tick { stroke: var(--line); stroke-dasharray: 2 3; }
svg .fold { fill: #f9fafb; stroke: var(--line); }
svg .ticklabel { font-size: 11px; fill: var(--muted); text-anchor: middle; }
svg .asof { stroke: var(--ink); stroke-width: 2; }
svg .asoflabel { font-size: 12px; font-weight: 600; fill: var(--ink); }
svg .trainend { stroke: #6941c6; stroke-width: 2; stroke-dasharray: 6 4; }
svg .trainendlabel { font-size: 12px; font-weight: 600; fill: #6941c6; }
.filters { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; margin: 8px 0 12px;
  padding: 10px 12px; background: var(--stripe); border-radius: 6px; }
.filters label { font-weight: 600; }
.filters select { margin-left: 6px; font: inherit; padding: 2px 4px; max-width: 260px; }
.filters button { font: inherit; padding: 2px 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: #f9fafb; font-size: 12px; text-transform: uppercase; letter-spacing: .03em;
  color: var(--muted); position: sticky; top: 0; }
td.num { text-align: right; }
tr[hidden] { display: none; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  color: #fff; white-space: nowrap; }
ul.places { margin: 0; padding-left: 16px; }
ul.places li { margin: 0 0 2px; }
.kind { color: var(--muted); font-size: 12px; }
.flag { color: #b42318; font-weight: 600; }
.trigger { color: #555; }
.id, td code { overflow-wrap: anywhere; }
#models td:first-child, #mention-table td:first-child { min-width: 220px; }
#models td.locations { min-width: 260px; }
svg .lastuse { stroke: var(--ink); stroke-width: 2; }
td.online { min-width: 160px; }
ul.notices { margin: 4px 0; padding-left: 18px; color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
"""

SCRIPT = """
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-status]"));
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var count = document.getElementById("shown");
  function values(row, key) { return JSON.parse(row.getAttribute("data-" + key) || "[]"); }
  selects.forEach(function (select) {
    var key = select.getAttribute("data-filter"), seen = {};
    rows.forEach(function (row) { values(row, key).forEach(function (v) { seen[v] = true; }); });
    Object.keys(seen).sort().forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v;
      select.appendChild(option);
    });
  });
  function apply() {
    var models = 0, shown = 0, hash = [];
    rows.forEach(function (row) {
      var keep = selects.every(function (s) {
        return !s.value || values(row, s.getAttribute("data-filter")).indexOf(s.value) >= 0;
      });
      row.hidden = !keep;
      if (row.getAttribute("data-kind") === "model") { models += 1; shown += keep ? 1 : 0; }
    });
    selects.forEach(function (s) {
      if (s.value) { hash.push(s.name + "=" + encodeURIComponent(s.value)); }
    });
    count.textContent = shown + " of " + models + " models shown";
    if (window.history && history.replaceState) {
      var bare = location.pathname + location.search;
      history.replaceState(null, "", hash.length ? "#" + hash.join("&") : bare);
    }
  }
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var at = pair.indexOf("="), name = pair.slice(0, at), value;
    if (at < 1) { return; }
    try { value = decodeURIComponent(pair.slice(at + 1)); } catch (e) { return; }
    selects.forEach(function (s) { if (s.name === name) { s.value = value; } });
  });
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  document.getElementById("reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    apply();
  });
  apply();
  document.documentElement.setAttribute("data-filters", "ready");
})();
"""


def render(plan: Inventory) -> str:
    title = f"Fine-tuning inventory as of {plan.as_of.isoformat()}"
    meta = [f"ftscan {plan.tool_version}"]
    if plan.training_end and plan.training_end.date:
        days = (plan.training_end.date - plan.as_of).days
        meta.append(f"fine-tuning jobs can be created until {dated(plan.training_end, days)}")
    meta.append(f"owners from {plan.codeowners}" if plan.codeowners else "no CODEOWNERS file")
    if plan.redacted:
        meta.append("organization names redacted")
    if plan.online is not None:
        state = "" if plan.online.complete else ", incomplete"
        meta.append(f"organization's side read at {plan.online.fetched_at}{state}")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="lead">{escape(summary(plan))}.</p>',
        f'<p class="meta">{escape("; ".join(meta))}.</p>',
        '<p class="legend muted">'
        + "".join(_legend(s, c) for s, c in COLOURS.items())
        + ("<span>| last used</span>" if plan.online is not None else "")
        + "</p>",
        "</header>",
    ]
    links = Links(plan)
    if plan.estate:
        parts += _repositories(plan, links)
    if plan.online is not None:
        parts += html_online.organization(plan.online)
    timeline = render_timeline(plan)
    if timeline:
        parts += [
            '<section id="timeline">',
            "<h2>Timeline</h2>",
            '<div class="scroll">',
            timeline,
            "</div>",
            "</section>",
        ]
    parts += [
        '<section id="plan">',
        "<h2>Fine-tuned models</h2>",
        '<div class="filters" role="search">',
        *([_select("repository", "repositories", "Repository")] if plan.estate else []),
        *([_select("organization", "organizations", "Organization")] if plan.online else []),
        _select("owner", "owners", "Owner"),
        _select("application", "applications", "Application"),
        _select("status", "status", "Status"),
        '<button type="button" id="reset">Show all</button>',
        '<span id="shown" class="muted" aria-live="polite"></span>',
        "</div>",
    ]
    online = plan.online is not None
    none = ['<p class="muted">No fine-tuned model found.</p>']
    parts += _models(plan.models, online, links) if plan.models else none
    parts.append("<h2>Training pipelines</h2>")
    no_jobs = ['<p class="muted">No job creation found.</p>']
    parts += _pipelines(plan.pipelines, links) if plan.pipelines else no_jobs
    parts.append("</section>")
    if plan.online is not None:
        parts += html_online.unreferenced(plan.online, plan.as_of)
    if plan.training_data:
        parts += ['<section id="training-data">', "<h2>Training data</h2>", '<ul class="places">']
        for data in plan.training_data:
            sampled = f", {plural(data.records_sampled, 'record')} sampled" if data.records_sampled else ""
            where = f"{data.place.application}; {', '.join(data.place.owners) or 'no owner'}"
            parts.append(
                f'<li>{links.link(data.place)} <span class="kind">{escape(data.format)}{sampled}; '
                f"{escape(where)}</span></li>"
            )
        parts += ["</ul>", "</section>"]
    if plan.mentions:
        parts += _mentions(plan.mentions, links)
    parts += [
        f"<footer>Generated by ftscan {escape(plan.tool_version)} for {escape(plan.as_of.isoformat())}. "
        "Links point at files relative to this page's location in the repository.</footer>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


NONE = '<span class="muted">none</span>'


def _head(*columns: str) -> str:
    return "<thead><tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr></thead><tbody>"


def _legend(status: str, colour: str) -> str:
    return f'<span><i class="dot" style="background:{colour}"></i>{escape(status)}</span>'


def _select(name: str, key: str, label: str) -> str:
    return (
        f'<label>{label}<select id="filter-{name}" name="{name}" data-filter="{key}">'
        '<option value="">all</option></select></label>'
    )


def _data(**lists: Iterable[str]) -> str:
    """`data-*` attributes holding JSON lists, for the filter script."""
    return " ".join(f'data-{k}="{escape(json.dumps(list(v), ensure_ascii=False))}"' for k, v in lists.items())


def _pill(status: str) -> str:
    colour = COLOURS.get(status, COLOURS["no announced date"])
    return f'<span class="pill" style="background:{colour}">{escape(status)}</span>'


def _places(places: Iterable[Place], links: Links) -> str:
    items = []
    for place in places:
        detail = f" {escape(place.detail)}" if place.detail else ""
        where = " · ".join((place.file_kind, f"application {place.application}", *place.owners))
        items.append(f'<li>{links.link(place)}{detail}<div class="kind">{escape(where)}</div></li>')
    return '<ul class="places">' + "".join(items) + "</ul>"


def _code(value: str) -> str:
    return f"<code>{escape(value)}</code>"


def _codes(values: Iterable[str]) -> str:
    return ", ".join(_code(v) for v in values)


def _models(models: tuple[Model, ...], online: bool, links: Links) -> list[str]:
    columns = ("Model", "Status", "Inference ends", "Applications", "Owners", "Locations", "Recipe")
    out = [
        '<div class="scroll"><table id="models">',
        _head(*columns, *(("In the organization",) if online else ())),
    ]
    for model in models:
        facts = model_facts(model, _code)
        recipe = model.recipe
        if recipe.found_by is not None:
            bits = [escape(recipe_cell(recipe))]
            if recipe.pipelines:
                bits.append("jobs: " + _codes(recipe.pipelines))
            if recipe.training_files:
                bits.append("given: " + _codes(recipe.training_files))
            if recipe.training_data:
                bits.append("data: " + _codes(recipe.training_data))
            cell = "<br>".join(bits)
        else:
            cell = f'<span class="flag">{escape(CANNOT_REBUILD)}</span>'
        mentioned = ""
        if model.mentions:
            places = plural(len(model.mentions), "place")
            mentioned = (
                f'<details><summary class="muted">also mentioned in {places}</summary>'
                f"{_places(model.mentions, links)}</details>"
            )
        organizations = [model.online.organization] if model.online and model.online.organization else []
        attributes = _data(
            owners=model.owners,
            applications=model.applications,
            status=[model.status],
            repositories=model.repositories,
            organizations=organizations,
        )
        out.append(
            f'<tr data-kind="model" {attributes}>'
            f'<td><code class="id">{escape(model.id)}</code><div class="kind">{"; ".join(facts)}</div></td>'
            f"<td>{_pill(model.status)}</td>"
            f"<td>{escape(dated(model.inference_end, model.days_left))}"
            f'<div class="kind">training ends {escape(day(model.training_end))}</div></td>'
            f"<td>{_codes(model.applications)}</td>"
            f"<td>{escape(', '.join(model.owners)) or NONE}</td>"
            f'<td class="locations">{_places(model.locations, links)}{mentioned}</td>'
            f"<td>{cell}</td>{html_online.model_cell(model) if online else ''}</tr>"
        )
    out.append("</tbody></table></div>")
    return out


def _pipelines(pipelines: tuple[Pipeline, ...], links: Links) -> list[str]:
    out = [
        '<div class="scroll"><table id="pipelines">',
        _head(
            "Pipeline",
            "Status",
            "Jobs possible until",
            "Application",
            "Owners",
            "Jobs",
            "Models on these bases",
        ),
    ]
    for pipeline in pipelines:
        jobs = []
        for job in pipeline.jobs:
            facts = [
                f"<code>{escape(job.place.value)}</code>",
                *job_facts(job, _code, ("training_file", "validation_file")),
            ]
            jobs.append(f"<li>{links.link(job.place)} {', '.join(facts)}</li>")
        jobs += [
            f"<li>{links.link(p)} uploads a training file (<code>{escape(p.value)}</code>)</li>"
            for p in pipeline.uploads
        ]
        name = links.link(pipeline.jobs[0].place, shown=pipeline.path)
        scheduled = "".join(
            f'<div class="flag scheduled">{scheduled_fact(s, pipeline, _code)}</div>'
            for s in pipeline.scheduled
        ) + "".join(
            f'<div class="trigger">{triggered_fact(t, _code)}</div>'
            for t in pipeline.triggers
            if t.trigger != "schedule"
        )
        attributes = _data(
            owners=pipeline.owners,
            applications=[pipeline.application],
            status=[pipeline.status],
            repositories=[pipeline.repository] if pipeline.repository else [],
            organizations=[],
        )
        out.append(
            f'<tr data-kind="pipeline" {attributes}>'
            f"<td>{name}"
            f'<div class="kind">{escape(pipeline.file_kind)}</div>{scheduled}</td>'
            f"<td>{_pill(pipeline.status)}</td>"
            f"<td>{escape(dated(pipeline.training_end, pipeline.days_left))}</td>"
            f"<td><code>{escape(pipeline.application)}</code></td>"
            f"<td>{escape(', '.join(pipeline.owners)) or NONE}</td>"
            f'<td><ul class="places">{"".join(jobs)}</ul></td>'
            f"<td>{_codes(pipeline.models) or NONE}</td></tr>"
        )
    out.append("</tbody></table></div>")
    return out


def _repositories(plan: Inventory, links: Links) -> list[str]:
    """The estate's repositories: commit, models and pipelines, or why one was not scanned."""
    out = [
        '<section id="repositories">',
        "<h2>Repositories</h2>",
        '<div class="scroll"><table id="repository-table">',
        _head("Repository", "Commit", "Models", "Pipelines"),
    ]
    for repository in plan.repositories:
        name = _code(repository.name)
        if repository.url and repository.url.startswith("https://"):  # never another scheme
            name = f'<a href="{escape(repository.url)}">{name}</a>'
        if not repository.scanned:
            reason = escape(repository.reason or "")
            flag = f'<span class="flag">not scanned</span>: {reason}'
            out.append(f'<tr><td>{name}</td><td colspan="3">{flag}</td></tr>')
            continue
        models = sum(repository.name in m.repositories for m in plan.models)
        pipelines = sum(p.repository == repository.name for p in plan.pipelines)
        commit = _code(repository.commit[:12]) if repository.commit else NONE
        counts = f'<td class="num">{models}</td><td class="num">{pipelines}</td>'
        out.append(f"<tr><td>{name}</td><td>{commit}</td>{counts}</tr>")
    out += ["</tbody></table></div>", "</section>"]
    return out


def _mentions(mentions: tuple[Mention, ...], links: Links) -> list[str]:
    out = [
        '<section id="mentions">',
        "<h2>Mentions</h2>",
        '<p class="muted">Named in the repository but listed apart from the dependencies above.</p>',
        '<div class="scroll"><table id="mention-table">',
        _head("ID", "Why listed apart", "Base", "Places"),
    ]
    for mention in mentions:
        out.append(
            f'<tr><td><code class="id">{escape(mention.id)}</code></td>'
            f"<td>{escape(REASONS[mention.reason])}</td>"
            f"<td><code>{escape(mention.base or '')}</code></td>"
            f"<td>{_places(mention.places, links)}</td></tr>"
        )
    out += ["</tbody></table></div>", "</section>"]
    return out
