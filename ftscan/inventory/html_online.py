"""The `--online` parts of the HTML page: the organization, each model's cell, unreferenced
fine-tunes. Every value from the API is HTML-escaped like the repository's."""

from __future__ import annotations

from datetime import date
from html import escape

from ftscan.inventory.describe import dated, last_used, not_in_organization, online_facts
from ftscan.inventory.plan import Model, Online


def _code(value: str) -> str:
    return f"<code>{escape(value)}</code>"


def organization(online: Online) -> list[str]:
    """Each organization read: can it still create jobs (and why), its last fine-tuned
    inference, its fine-tunes named nowhere, its training files kept."""
    state = "complete" if online.complete else '<span class="flag">incomplete</span>'
    several = len(online.organizations) > 1
    out = [
        '<section id="organization">',
        "<h2>The organizations</h2>" if several else "<h2>The organization</h2>",
    ]
    if several:
        out += [
            '<div class="scroll"><table id="organization-table">',
            "<thead><tr><th>Organization</th><th>Can create jobs</th><th>Last fine-tuned inference</th>"
            "<th>Named nowhere</th><th>Training files kept</th></tr></thead><tbody>",
        ]
        for org in online.organizations:
            last = org.last_fine_tuned_inference.isoformat() if org.last_fine_tuned_inference else "unknown"
            kept = "unknown" if org.training_files_kept is None else str(org.training_files_kept)
            out.append(
                f"<tr><td>{_code(org.name)}</td><td>{_can(org.can_create_jobs)} "
                f'<div class="kind">{escape(org.reason)}</div></td><td>{last}</td>'
                f'<td class="num">{len(org.unreferenced)}</td><td class="num">{kept}</td></tr>'
            )
        out.append("</tbody></table></div>")
    else:
        org = online.organization
        out.append(
            f'<p id="can-create-jobs">Can create fine-tuning jobs: {_can(org.can_create_jobs)} '
            f'<span class="muted">({escape(org.reason)})</span></p>'
        )
        if org.last_fine_tuned_inference:
            last = org.last_fine_tuned_inference.isoformat()
            out.append(f"<p>Last inference on a fine-tuned model: {last}</p>")
    out.append(f'<p class="muted">Read from OpenAI\'s API at {escape(online.fetched_at)}: {state}.</p>')
    if online.unheld:
        held = ", ".join(_code(m) for m in online.unheld)
        out.append(f'<p><span class="flag">Named in code, held by no organization read:</span> {held}</p>')
    if online.notices:
        items = "".join(f"<li>{escape(n)}</li>" for n in online.notices)
        out.append(f'<ul class="notices">{items}</ul>')
    out.append("</section>")
    return out


def _can(value: bool | None) -> str:
    shown = {True: "yes", False: "no", None: "unknown"}[value]
    return shown if value is True else f'<span class="flag">{shown}</span>'


def model_cell(model: Model) -> str:
    """The models table's "In the organization" cell."""
    flag = not_in_organization(model)
    facts = "; ".join(online_facts(model, _code)[1:] if model.online else online_facts(model, _code))
    if flag:
        flagged = f'<span class="flag">{escape(flag)}</span>'
        return f'<td class="online">{flagged}<div class="kind">{facts}</div></td>'
    head = ("yes" if model.online.exists else "unknown") if model.online else ""
    return f'<td class="online">{head}<div class="kind">{facts}</div></td>'


def unreferenced(online: Online, as_of: date) -> list[str]:
    if not online.unreferenced:
        return []
    several = len(online.organizations) > 1
    out = [
        '<section id="unreferenced">',
        "<h2>In an organization, named in no scanned file</h2>"
        if several
        else "<h2>In the organization, named in no scanned file</h2>",
        '<div class="scroll"><table id="unreferenced-table">',
        "<thead><tr>"
        + ("<th>Organization</th>" if several else "")
        + "<th>Model</th><th>Base</th><th>Created</th><th>Last used</th>"
        "<th>Requests, 30 days</th><th>Inference ends</th></tr></thead><tbody>",
    ]
    for found in online.unreferenced:
        end = found.inference_end
        days = (end.date - as_of).days if end and end.date else None
        requests = "unknown" if found.requests_30d is None else str(found.requests_30d)
        org = f"<td>{_code(found.organization or '')}</td>" if several else ""
        out.append(
            f'<tr>{org}<td><code class="id">{escape(found.model)}</code></td><td>{_code(found.base)}</td>'
            f"<td>{found.created.isoformat() if found.created else 'unknown'}</td>"
            f"<td>{escape(last_used(found.last_used, found.requests_30d))}</td>"
            f'<td class="num">{requests}</td><td>{escape(dated(end, days))}</td></tr>'
        )
    out += ["</tbody></table></div>", "</section>"]
    return out
