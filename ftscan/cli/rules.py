"""`ftscan rules list|show|test`: the loaded rules, explained and checked against their examples."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ftscan.cli.output import EXIT_CLEAN, EXIT_FINDINGS
from ftscan.cli.setup import load_packs


@click.group()
def rules() -> None:
    """List and explain the loaded rules."""


@rules.command("list")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True, path_type=Path))
def rules_list(rule_paths: tuple[Path, ...]) -> None:
    """Every rule with its dates and their status."""
    for pack in load_packs(rule_paths):
        click.echo(f"{pack.name} {pack.version} ({pack.title})")
        for rule in pack.rules:
            level = f" [always {rule.level}]" if rule.level else ""
            click.echo(f"  {rule.id}  {rule.name}: {rule.summary}{level}")
            for ref in rule.milestones:
                m = ref.milestone
                day = m.date.isoformat() if m.date else "no date"
                click.echo(f"        {day} ({m.status}): {m.effect}")
            if rule.dates_from_base:
                click.echo("        dates from the base model's shutdown (see `ftscan rules show`)")


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True, path_type=Path))
def rules_show(rule_id: str, rule_paths: tuple[Path, ...]) -> None:
    """Explain one rule: what breaks, when, what to do, and the source."""
    from ftscan.rules.load import renamed_rules

    packs = load_packs(rule_paths)
    rule_id = next(
        (new for old, new in renamed_rules(packs).items() if old.lower() == rule_id.lower()), rule_id
    )
    found = [(p, r) for p in packs for r in p.rules if r.id.lower() == rule_id.lower() or r.name == rule_id]
    if not found:
        known = ", ".join(r.id for p in packs for r in p.rules)
        raise click.BadParameter(f"no rule {rule_id!r} (known: {known})", param_hint="RULE")
    pack, rule = found[0]
    click.echo(f"{rule.id} {rule.name} ({pack.name} {pack.version})")
    click.echo(rule.summary)
    click.echo()
    click.echo(rule.help)
    click.echo()
    if rule.milestones:
        click.echo("Deadlines:")
        for ref in rule.milestones:
            m = ref.milestone
            pinned = f", level {ref.passed_level} once passed" if ref.passed_level else ""
            click.echo(f"  {m.date or 'no date'} ({m.status}{pinned}): {m.effect}")
    if rule.dates_from_base:
        click.echo("Deadline from the base model:")
        for base in pack.base_models:
            m = base.milestone
            when = f"{m.date} ({m.status})" if m and m.date else "no date"
            click.echo(f"  {', '.join(base.names)}: {when}")
        click.echo("  any other base: no announced date (reported as a note)")
    if rule.level:
        click.echo(f"Level: always {rule.level}")
    sources = {ref.milestone.source for ref in rule.milestones if ref.milestone.source}
    sources |= set(pack.sources)
    click.echo(f"Sources: {', '.join(sorted(sources))}")
    click.echo(f"Defined at: {rule.source}")


@rules.command("test")
@click.argument("rule_ids", nargs=-1)
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True, path_type=Path))
def rules_test(rule_ids: tuple[str, ...], rule_paths: tuple[Path, ...]) -> None:
    """Check that each rule fires on its own `examples` (all rules, or RULE_IDS)."""
    from ftscan.pipeline.examples import run_examples

    results = run_examples(load_packs(rule_paths), rule_ids)
    failed = [r for r in results if not r.passed]
    for result in failed:
        click.echo(f"FAIL {result.describe()}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)
