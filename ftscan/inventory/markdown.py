"""The inventory as Markdown, for an issue, a pull-request comment or `$GITHUB_STEP_SUMMARY`.

A summary, a table of models, each model's locations and recipe, the training pipelines,
the training data and the mentions. Everything taken from the repository is escaped (`|`
cannot split a cell, HTML shows as text) and owners are code spans, so posting the
inventory does not notify every team it names.
"""

from __future__ import annotations

from datetime import date

from ftscan.inventory.describe import (
    REASONS,
    can_create,
    dated,
    day,
    job_facts,
    last_used,
    model_facts,
    not_in_organization,
    online_facts,
    plural,
    recipe_cell,
    recipe_text,
    scheduled_fact,
    summary,
    triggered_fact,
)
from ftscan.inventory.plan import DEFAULT_ORGANIZATION, Inventory, Model, Online, Pipeline, Place
from ftscan.report.markdown import code, text

MARKER = "<!-- ftscan-inventory -->"  # lets a workflow find and update its own comment or issue


def render(plan: Inventory) -> str:
    lines = [MARKER, "## ftscan inventory: OpenAI fine-tuning dependencies", ""]
    intro = f"As of {plan.as_of.isoformat()}: {summary(plan)}."
    end = plan.training_end
    if end is not None and end.date is not None:
        days = (end.date - plan.as_of).days
        verb = "could be created until" if days <= 0 else "can be created until"
        intro += f" Fine-tuning jobs {verb} {dated(end, days)}."
    if plan.codeowners:
        intro += f" Owners from {code(plan.codeowners)}."
    if plan.redacted:
        intro += " Organization names are redacted."
    lines.append(intro)
    if plan.estate:
        lines += _repositories(plan)
    if plan.online is not None:
        lines += _organizations(plan.online)
    openai_models = [m for m in plan.models if m.flavor != "azure"]
    azure_models = [m for m in plan.models if m.flavor == "azure"]
    if openai_models:
        lines += _models_table(plan, openai_models, "Fine-tuned models")
        for model in openai_models:
            lines += _model_section(model)
    if azure_models:  # on Microsoft's schedule, not OpenAI's: listed apart
        lines += _models_table(plan, azure_models, "Azure OpenAI fine-tuned models (Microsoft's dates)")
        for model in azure_models:
            lines += _model_section(model)
    if plan.online is not None and plan.online.unreferenced:
        lines += _unreferenced(plan.online, plan.as_of)
    if plan.online is not None and plan.online.unheld:
        lines += ["", "### Named in code, held by no organization read", ""]
        lines += [f"- {code(model)}" for model in plan.online.unheld]
    if plan.pipelines:
        lines += _pipelines(plan.pipelines)
    if plan.training_data:
        lines += ["", "### Training data", ""]
        for data in plan.training_data:
            sampled = f", {plural(data.records_sampled, 'record')} sampled" if data.records_sampled else ""
            lines.append(f"- {_place(data.place)} ({text(data.format)}{sampled})")
    if plan.mentions:
        lines += ["", "### Mentions", ""]
        lines += ["| ID | why it is listed apart | base | places |", "|---|---|---|---|"]
        for mention in plan.mentions:
            places = ", ".join(code(p.where) for p in mention.places)
            lines.append(
                f"| {code(mention.id)} | {REASONS[mention.reason]} | {code(mention.base or '')} | {places} |"
            )
    if not (plan.models or plan.pipelines or plan.training_data or plan.mentions):
        lines += ["", "No fine-tuned model, training pipeline or training data found."]
    return "\n".join(lines) + "\n"


def _owners(owners: tuple[str, ...]) -> str:
    return ", ".join(code(o) for o in owners) or "none"


def _models_table(plan: Inventory, models: list[Model], title: str) -> list[str]:
    online = plan.online is not None
    lines = ["", f"### {title}", ""]
    head = "| model | base | inference ends | status | locations | applications | owners | recipe |"
    rule = "|---|---|---|---|---:|---|---|---|"
    if online:
        head += " in the organization | last used | requests, 30 days |"
        rule += "---|---|---:|"
    lines += [head, rule]
    for model in models:
        status = f"**{model.status}**" if model.status in ("stopped", "at risk") else model.status
        recipe = recipe_cell(model.recipe)
        recipe = recipe if model.recipe.rebuildable else f"**{recipe}**"
        row = (
            f"| {code(model.id)} | {code(model.base)} | {dated(model.inference_end, model.days_left)} "
            f"| {status} | {len(model.locations)} | {', '.join(code(a) for a in model.applications)} "
            f"| {_owners(model.owners)} | {recipe} |"
        )
        if online:
            row += " " + " | ".join(online_cells(model)) + " |"
        lines.append(row)
    return lines


def online_cells(model: Model) -> tuple[str, str, str]:
    """In the organization (or why not), last used, requests in 30 days."""
    found = model.online
    if found is None:
        return "not looked up", "", ""
    flag = not_in_organization(model)
    exists = f"**{flag}**" if flag else "yes" if found.exists else "unknown"
    if found.exists and found.organization and found.organization != DEFAULT_ORGANIZATION:
        exists += f" ({code(found.organization)})"
    requests = "unknown" if found.requests_30d is None else str(found.requests_30d)
    return exists, last_used(found.last_used, found.requests_30d), requests


def _repositories(plan: Inventory) -> list[str]:
    """The estate's repositories: each with its commit, or why it was not scanned."""
    lines = [
        "",
        "### Repositories",
        "",
        "| repository | commit | models | pipelines |",
        "|---|---|---:|---:|",
    ]
    for repository in plan.repositories:
        if not repository.scanned:
            lines.append(
                f"| {code(repository.name)} | **not scanned**: {text(repository.reason or '')} | | |"
            )
            continue
        models = sum(repository.name in m.repositories for m in plan.models)
        pipelines = sum(p.repository == repository.name for p in plan.pipelines)
        commit = code(repository.commit[:12]) if repository.commit else "unknown"
        lines.append(f"| {code(repository.name)} | {commit} | {models} | {pipelines} |")
    return lines


def _organizations(online: Online) -> list[str]:
    state = "complete" if online.complete else "**incomplete**"
    several = len(online.organizations) > 1
    lines = ["", "### The organizations" if several else "### The organization", ""]
    lines.append(f"- read from OpenAI's API at {online.fetched_at} ({state})")
    for org in online.organizations:
        can = can_create(org)
        can = can if org.can_create_jobs else f"**{can}**"
        prefix = f"{code(org.name)}: " if several else ""
        facts = [f"can create fine-tuning jobs: {can} ({text(org.reason)})"]
        if org.last_fine_tuned_inference:
            facts.append(f"last inference on a fine-tuned model: {org.last_fine_tuned_inference.isoformat()}")
        facts.append(plural(len(org.unreferenced), "fine-tune") + " named in no scanned file")
        if org.training_files_kept is not None:
            facts.append(plural(org.training_files_kept, "training file") + " kept")
        lines += (
            [f"- {prefix}{fact}" for fact in facts] if not several else [f"- {prefix}" + "; ".join(facts)]
        )
    lines += [f"- notice: {text(n)}" for n in online.notices]
    return lines


def _unreferenced(online: Online, as_of: date) -> list[str]:
    several = len(online.organizations) > 1
    title = (
        "In an organization, named in no scanned file"
        if several
        else "In the organization, named in no scanned file"
    )
    lines = ["", f"### {title}", ""]
    lines.append(
        ("| organization " if several else "")
        + "| model | base | created | last used | requests, 30 days | inference ends |"
    )
    lines.append(("|---" if several else "") + "|---|---|---|---|---:|---|")
    for found in online.unreferenced:
        end = found.inference_end
        days = (end.date - as_of).days if end and end.date else None
        requests = "unknown" if found.requests_30d is None else str(found.requests_30d)
        created = found.created.isoformat() if found.created else "unknown"
        lines.append(
            (f"| {code(found.organization or '')} " if several else "")
            + f"| {code(found.model)} | {code(found.base)} | {created} "
            f"| {last_used(found.last_used, found.requests_30d)} | {requests} | {dated(end, days)} |"
        )
    return lines


def _model_section(model: Model) -> list[str]:
    lines = ["", f"#### {code(model.id)}", ""]
    lines.append("- " + ", ".join(model_facts(model, code)))
    end = model.inference_end
    if end is not None and end.date is not None:
        lines.append(f"- inference ends {dated(end, model.days_left)}: {text(end.effect)}")
    else:
        lines.append("- inference end: no date announced for this base")
    if model.training_end is not None:
        lines.append(f"- training ends {day(model.training_end)}: {text(model.training_end.effect)}")
    if len(model.repositories) > 1:
        lines.append("- repositories: " + ", ".join(code(r) for r in model.repositories))
    if model.online is not None:
        lines.append("- in the organization: " + ", ".join(online_facts(model, code)))
    lines.append(f"- {plural(len(model.locations), 'location')}:")
    lines += [f"  - {_place(p)}" for p in model.locations]
    if model.mentions:
        lines.append(f"- also mentioned ({plural(len(model.mentions), 'place')}):")
        lines += [f"  - {_place(p)}" for p in model.mentions]
    recipe = recipe_text(model.recipe, code, model.online is not None)
    lines.append(f"- recipe: {recipe}" if model.recipe.rebuildable else f"- recipe: **{recipe}**")
    return lines


def _pipelines(pipelines: tuple[Pipeline, ...]) -> list[str]:
    lines = ["", "### Training pipelines", ""]
    lines.append(
        "| pipeline | scheduled | kind | application | owners | jobs | bases | jobs possible until | status |"
    )
    lines.append("|---|---|---|---|---|---:|---|---|---|")
    for pipeline in pipelines:
        bases = ", ".join(code(b) for b in pipeline.bases) or "not named in the code"
        scheduled = ", ".join(f"**{code(s.schedule)}**" for s in pipeline.scheduled) or "no"
        lines.append(
            f"| {code(pipeline.path)} | {scheduled} | {text(pipeline.file_kind)} "
            f"| {code(pipeline.application)} "
            f"| {_owners(pipeline.owners)} | {len(pipeline.jobs)} | {bases} "
            f"| {dated(pipeline.training_end, pipeline.days_left)} | {pipeline.status} |"
        )
    for pipeline in pipelines:
        lines += ["", f"#### {code(pipeline.path)}", ""]
        lines += [f"- **{scheduled_fact(s, pipeline, code)}**" for s in pipeline.scheduled]
        lines += [f"- {triggered_fact(t, code)}" for t in pipeline.triggers if t.trigger != "schedule"]
        for job in pipeline.jobs:
            facts = [
                f"{code(job.place.where)}: {code(job.place.value)}",
                *job_facts(job, code, ("training_file", "validation_file", "suffix")),
            ]
            lines.append("- " + ", ".join(facts))
        lines += [f"- {code(p.where)}: uploads a training file ({code(p.value)})" for p in pipeline.uploads]
        if pipeline.models:
            lines.append("- models in use on these bases: " + ", ".join(code(m) for m in pipeline.models))
        if pipeline.training_data:
            lines.append("- training data: " + ", ".join(code(d) for d in pipeline.training_data))
    return lines


def _place(place: Place) -> str:
    where = f"{code(place.where)} ({text(place.file_kind)}, {code(place.application)})"
    detail = f": {text(place.detail)}" if place.detail else ""
    owners = f", owners {_owners(place.owners)}" if place.owners else ""
    return where + detail + owners
