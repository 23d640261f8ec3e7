"""`ftscan inventory`: the migration plan, with `--online` what the organization's API says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ftscan.cli.options import scan_options
from ftscan.cli.output import print_report
from ftscan.cli.setup import prepare, run


@click.command()
@scan_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(("markdown", "csv", "json", "html", "ics")),
    default="markdown",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the inventory here instead of standard output.",
)
@click.option("--redact-org", is_flag=True, help="Replace organization slugs in model IDs.")
@click.option(
    "--online",
    is_flag=True,
    help="Join what the organization's OpenAI API says (keys from OPENAI_API_KEY and "
    "OPENAI_ADMIN_KEY; needs `pip install 'ftscan[online]'`).",
)
@click.option(
    "--online-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    metavar="SECONDS",
    show_default=True,
    help="Time for one API call with --online.",
)
def inventory(
    fmt: str, output: Path | None, redact_org: bool, online: bool, online_timeout: float, **opts: Any
) -> None:
    """The migration plan: every fine-tuned model and training pipeline under PATHS, with dates,
    owners, applications and whether the recipe to rebuild it is in the repository."""
    from ftscan.inventory import build_inventory, render_inventory, write_whole
    from ftscan.inventory.build import creates_job, milestones

    if online:
        from ftscan.online import OnlineError, check_ready

        try:
            check_ready()
        except OnlineError as error:
            raise click.ClickException(str(error)) from None
    opts.update(
        baseline_path=None,
        report_unused_ignores=False,
        sarif_category=None,
        use_baseline=False,
        written=(output,) if output else (),
    )
    setup = prepare(opts)
    findings, run_info = run(setup, opts)
    data = None
    if online:
        from ftscan.inventory.online_join import gates
        from ftscan.online import read_online

        try:
            data = read_online(gates(milestones(run_info)), online_timeout)
        except OnlineError as error:
            raise click.ClickException(str(error)) from None
    from ftscan.inventory.schedules import Schedules

    o = setup.options
    schedules = (
        Schedules.read(o.root, o.paths, excludes=o.excludes, use_gitignore=o.use_gitignore, skip=o.own_files)
        if any(creates_job(f) for f in findings)
        else Schedules(())
    )
    plan = build_inventory(
        findings,
        run_info,
        setup.options.root,
        redact_org=redact_org,
        warn_within=setup.options.warn_within,
        online=data,
        schedules=schedules,
    )
    report = render_inventory(plan, fmt)
    if output:
        try:
            write_whole(output, report)
        except OSError as error:
            raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from None
    else:
        print_report(report)
