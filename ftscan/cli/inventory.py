"""`ftscan inventory`: the migration plan of one repository or of an estate, with `--online`
what the organizations' OpenAI API says.

`ftscan inventory PATHS` is `ftscan inventory scan PATHS` (the default command); `ftscan
inventory --repos FILE` scans every repository the file lists; `ftscan inventory merge`
joins inventories made elsewhere. A directory named `merge` or `scan` is `./merge`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ftscan.cli.options import DateType, scan_options
from ftscan.cli.output import print_report

if TYPE_CHECKING:
    from ftscan.inventory.plan import Inventory
    from ftscan.online import OrganizationKeys
    from ftscan.types import RulePack

EXIT_INCOMPLETE = 3  # an estate with a repository that could not be scanned
FORMATS = ("markdown", "csv", "json", "html", "ics")
DEFAULT = "scan"
F = TypeVar("F", bound=Callable[..., Any])


class _DefaultScan(click.Group):
    """A group whose first argument, when it names no command, belongs to `scan`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [DEFAULT, *args]
        elif not args:
            args = [DEFAULT]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultScan)
def inventory() -> None:
    """The migration plan: every fine-tuned model and training pipeline, with dates, owners,
    applications, repositories and whether the recipe to rebuild it is known.

    \b
    ftscan inventory [OPTIONS] [PATHS]...      one repository (the `scan` command)
    ftscan inventory --repos FILE [OPTIONS]    every repository FILE lists, merged
    ftscan inventory merge INVENTORY.json...   inventories made elsewhere, merged
    """


def output_options(function: F) -> F:
    """Format, output file, redaction and the organizations' side: every inventory command's."""
    options = [
        click.option(
            "-f", "--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the inventory here instead of standard output.",
        ),
        click.option("--redact-org", is_flag=True, help="Replace organization slugs in model IDs."),
        click.option(
            "--online",
            is_flag=True,
            help="Join what the organizations' OpenAI API says: the organizations of `--config`'s "
            "[[tool.ftscan.organizations]], else one whose keys are OPENAI_API_KEY and "
            "OPENAI_ADMIN_KEY (needs `pip install 'ftscan[online]'`).",
        ),
        click.option(
            "--online-timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=30.0,
            metavar="SECONDS",
            show_default=True,
            help="Time for one API call with --online.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@inventory.command(DEFAULT)
@scan_options
@output_options
@click.option(
    "--repo",
    "repo_name",
    metavar="NAME",
    help="The repository's name in the inventory [default: the git remote's owner/name, else the "
    "directory's name].",
)
@click.option(
    "--repos",
    "repos_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Scan every repository this file lists (local checkouts, one a line, `#` comments) and "
    "merge them into one estate inventory; exit 3 when one could not be scanned.",
)
def scan(
    fmt: str,
    output: Path | None,
    redact_org: bool,
    online: bool,
    online_timeout: float,
    repo_name: str | None,
    repos_file: Path | None,
    **opts: Any,
) -> None:
    """The inventory of PATHS (the default command)."""
    from ftscan.cli.setup import prepare

    opts.update(
        baseline_path=None,
        report_unused_ignores=False,
        sarif_category=None,
        use_baseline=False,
        written=(output,) if output else (),
    )
    from ftscan.inventory.repository import is_repository_name

    if repo_name is not None and not is_repository_name(repo_name):
        raise click.BadParameter("a repository name is printable and has no ':'", param_hint="--repo")
    if repos_file is not None:
        if opts["paths"] or repo_name:
            raise click.UsageError("--repos lists the repositories: give no PATHS and no --repo with it")
        from ftscan.cli.estate import scan_estate

        organizations = _organizations(opts["config_path"], opts["no_config"]) if online else ()
        if online:
            _check_online(organizations)
        plan, packs = scan_estate(repos_file, opts)
        _finish(plan, packs, fmt, output, redact_org, online, online_timeout, organizations)
        return
    setup = prepare(opts)
    organizations = _keys(setup.config.organizations) if online else ()
    if online:
        _check_online(organizations)
    plan = build_plan(setup, opts, repo_name)
    _finish(plan, setup.packs, fmt, output, redact_org, online, online_timeout, organizations)


@inventory.command()
@click.argument("inventories", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@output_options
@click.option("--as-of", type=DateType(), help="The estate's date [default: the date the inventories share].")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Configuration naming the organizations --online reads ([[tool.ftscan.organizations]]).",
)
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Extra rule pack the inventories were made with (for --online's dates).",
)
def merge(
    inventories: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    redact_org: bool,
    online: bool,
    online_timeout: float,
    as_of: Any,
    config_path: Path | None,
    rule_paths: tuple[Path, ...],
) -> None:
    """Merge inventories made with `ftscan inventory -f json` (one per repository, or estates)
    into one estate inventory; exit 3 when one of its repositories could not be scanned."""
    from ftscan.cli.setup import load_packs, require_existing
    from ftscan.inventory.json_in import InventoryError, read_inventory
    from ftscan.inventory.merge import MergeError, merge_inventories

    require_existing(list(inventories))
    organizations = _organizations(config_path, False) if online else ()
    if online:
        _check_online(organizations)
    reading: list[Path] = []

    def each() -> Iterator[Inventory]:
        for path in inventories:
            reading[:] = [path]
            yield read_inventory(path)

    try:
        plan = merge_inventories(each(), as_of)
    except InventoryError as error:
        raise click.ClickException(f"merge error: {error}") from None
    except MergeError as error:  # about the input last read, or about all of them
        where = f"{reading[0]}: " if reading and error.about_input else ""
        raise click.ClickException(f"merge error: {where}{error}") from None
    packs = load_packs(rule_paths) if online else ()
    if online and plan.packs and tuple((p.name, p.version) for p in packs) != plan.packs:
        raise click.ClickException(
            "merge error: the inventories were dated by other rule packs than this ftscan's; "
            "merge them with the ftscan that made them (or pass their --rules)"
        )
    _finish(plan, packs, fmt, output, redact_org, online, online_timeout, organizations)


def build_plan(setup: Any, opts: dict[str, Any], repo_name: str | None) -> Inventory:
    """One repository's inventory, offline: the scan, its schedules, its name and commit."""
    from ftscan.cli.setup import run
    from ftscan.inventory import build_inventory
    from ftscan.inventory.build import creates_job
    from ftscan.inventory.repository import describe_repository
    from ftscan.inventory.schedules import Schedules

    findings, run_info = run(setup, opts)
    o = setup.options
    schedules = (
        Schedules.read(o.root, o.paths, excludes=o.excludes, use_gitignore=o.use_gitignore, skip=o.own_files)
        if any(creates_job(f) for f in findings)
        else Schedules(())
    )
    return build_inventory(
        findings,
        run_info,
        o.root,
        warn_within=o.warn_within,
        schedules=schedules,
        repository=describe_repository(o.root, repo_name),
    )


def _finish(
    plan: Inventory,
    packs: Iterable[RulePack],
    fmt: str,
    output: Path | None,
    redact_org: bool,
    online: bool,
    timeout: float,
    organizations: tuple[OrganizationKeys, ...],
) -> None:
    """The organizations' side joined, organization slugs redacted, the plan written; exit 3
    for an estate with a repository not scanned."""
    from ftscan.inventory import render_inventory_chunks, write_whole
    from ftscan.inventory.redact import org_redactor, plan_orgs, redact

    packs = tuple(packs)
    slugs = plan_orgs(plan)
    if online:
        from ftscan.inventory.build import milestones
        from ftscan.inventory.online_join import gates, join_online, online_orgs
        from ftscan.online import OnlineError, read_online

        try:
            read = read_online(gates(milestones(packs)), timeout, organizations=organizations)
        except OnlineError as error:
            raise click.ClickException(str(error)) from None
        plan = join_online(plan, read, packs)
        slugs |= online_orgs(read)
    if redact_org:
        from dataclasses import replace

        plan = replace(redact(plan, org_redactor(slugs)), redacted=True)
    report = render_inventory_chunks(plan, fmt)
    if output:
        try:
            write_whole(output, report)
        except OSError as error:
            raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from None
    else:
        for piece in report:
            print_report(piece)
    missing = [r.name for r in plan.repositories if not r.scanned]
    if missing:
        names = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        click.echo(f"ftscan: the estate is incomplete: not scanned: {names}", err=True)
        raise SystemExit(EXIT_INCOMPLETE)


def _organizations(config_path: Path | None, no_config: bool) -> tuple[OrganizationKeys, ...]:
    """The organizations `--config` names, else the default one."""
    if config_path is None or no_config:
        return _keys(())
    from ftscan.config import ConfigError, load_config

    try:
        return _keys(load_config(config_path, explicit=True).organizations)
    except ConfigError as error:
        raise click.ClickException(f"config error: {error}") from None


def _keys(configured: Iterable[tuple[str, str, str | None, str | None]]) -> tuple[OrganizationKeys, ...]:
    from ftscan.online import DEFAULT_ORGANIZATIONS, OrganizationKeys
    from ftscan.online.http import ADMIN_KEY, BASE_URL

    found = tuple(
        OrganizationKeys(name, api_key, admin_key or ADMIN_KEY, base_url or BASE_URL)
        for name, api_key, admin_key, base_url in configured
    )
    return found or DEFAULT_ORGANIZATIONS


def _check_online(organizations: tuple[OrganizationKeys, ...]) -> None:
    from ftscan.online import OnlineError, check_ready

    try:
        check_ready(organizations=organizations)
    except OnlineError as error:
        raise click.ClickException(str(error)) from None
