"""Command line: parse options, load rules, run the stages, write the report.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, config or rule error,
or a standard output that could not be written (its reader left).
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ftscan import __version__
from ftscan.frozen import Frozen
from ftscan.gc_pause import paused_gc
from ftscan.report import REPORTERS
from ftscan.types import LEVELS

if TYPE_CHECKING:
    from ftscan.config import Config
    from ftscan.pipeline import ScanOptions
    from ftscan.suppress import SuppressionSettings
    from ftscan.types import RulePack

FORMATS = tuple(REPORTERS)
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date of the form YYYY-MM-DD", param, ctx)


class _Shard(click.ParamType):
    name = "K/N"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value  # type: ignore[return-value]
        index, _, count = str(value).partition("/")
        if index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count):
            return int(index), int(count)
        self.fail(f"{value!r} is not K/N with 1 <= K <= N (e.g. 2/4)", param, ctx)


def _load_packs(extra: tuple[Path, ...]):  # type: ignore[no-untyped-def]
    from ftscan.rules import RuleError, default_cache_dir, load_packs

    try:
        return load_packs(extra, cache=default_cache_dir())
    except RuleError as error:
        raise click.ClickException(f"rule error: {error}") from None


class _ReaderGone(Exception):
    """Standard output's reader left before the end (`ftscan scan | head`)."""


class _Commands(click.Group):
    """The commands, with a closed standard output told apart from an error of ours (click
    itself would end such a run with status 1, which means findings)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _ReaderGone from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ftscan")
def cli() -> None:
    """Find every OpenAI fine-tuning dependency in a repository, dated by its deadline."""


def _scan_options(function):  # type: ignore[no-untyped-def]
    """The options `scan` and `baseline` share: what to scan, with which rules, at which date."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--as-of", type=_Date(), help="Date the deadlines are measured from [default: today]."),
        click.option("--warn-within", type=click.IntRange(min=0),
                     help="A deadline this many days away or fewer is a warning [default: 90]."),
        click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
                     help="Extra rule pack (file or directory); adds to the shipped packs."),
        click.option("--disable", multiple=True, metavar="RULE", help="Do not run this rule ID."),
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Skip paths matching (gitignore syntax)."),
        click.option("--include", multiple=True, metavar="GLOB", help="Scan only files matching."),
        click.option("--gitignore/--no-gitignore", default=None,
                     help="Honour .gitignore files [default: yes]."),
        click.option("--max-file-size", type=click.IntRange(min=1),
                     help="Larger files are reported, not scanned [default: 5 MiB] (bytes)."),
        click.option("--file-timeout", type=click.FloatRange(min=0), metavar="SECONDS",
                     help="Time for one file's scanner before it is scanned as plain text, with a "
                          "notification; 0: no limit [default: 20]."),
        click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path),
                     help="Paths in reports are relative to this [default: the current directory]."),
        click.option("--changed-since", metavar="REF",
                     help="Scan only files changed since this git ref, and untracked files."),
        click.option("--config", "config_path",
                     type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="Configuration file [default: found from the root upward]."),
        click.option("--no-config", is_flag=True, help="Ignore configuration files."),
        click.option("--no-ignores", is_flag=True, help="Apply no inline `ftscan: ignore` comments."),
        click.option("--cache/--no-cache", "use_cache", default=None,
                     help="Keep per-file results between runs; re-read only changed files [default: off]."),
        click.option("-j", "--jobs", type=click.IntRange(min=0),
                     help="Worker processes for long scans [default: one per CPU]."),
        click.option("--progress/--no-progress", default=None,
                     help="Progress on stderr [default: on a terminal, outside CI]."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@cli.command()
@_scan_options
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report here instead of standard output.")
@click.option("--fail-on", type=click.Choice(LEVELS),
              help="Exit 1 when a finding is at this level or above [default: note].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (for upload jobs).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings not in this baseline file.")
@click.option("--report-unused-ignores", is_flag=True, help="Report ignore comments that suppress nothing.")
@click.option("--sarif-category", metavar="NAME", help="SARIF automationDetails.id category.")
@click.option("--color/--no-color", default=None, help="Colour text output [default: on a terminal].")
@click.option("--shard", type=_Shard(), metavar="K/N",
              help="Report only the K-th of N stable parts of the tree (for a CI matrix; see `merge`).")
def scan(**opts: Any) -> None:
    """Scan PATHS (default: the current directory) and report what depends on fine-tuning."""
    from ftscan.report import renderer

    setup = _prepare(opts)
    findings, run = _run(setup, opts)
    fmt, output = opts["fmt"], opts["output"]
    use_colour = False
    if fmt == "text":
        from ftscan.report.text import render

        colour = opts["color"]
        use_colour = colour if colour is not None else (output is None and sys.stdout.isatty())
        report = render(findings, run, colour=use_colour)
    else:
        report = renderer(fmt)(findings, run)
    if output:
        _write(output, report)
        from ftscan.report.text import summary

        click.echo(summary(findings, run), err=True)
    else:
        _print(report, colour=use_colour if fmt == "text" else None)
    fail_on = opts["fail_on"] or setup.config.fail_on or "note"
    threshold = LEVELS.index(fail_on)
    failing = any(LEVELS.index(f.level) >= threshold for f in findings if f.suppression is None)
    sys.exit(EXIT_FINDINGS if failing and not opts["exit_zero"] else EXIT_CLEAN)


@cli.command()
@click.argument("baseline_file", type=click.Path(dir_okay=False, path_type=Path))
@_scan_options
def baseline(baseline_file: Path, **opts: Any) -> None:
    """Write today's findings under PATHS to BASELINE_FILE; `scan --baseline` then reports only new ones."""
    from ftscan.baseline import render_baseline

    opts.update(baseline_path=None, report_unused_ignores=False, sarif_category=None, use_baseline=False,
                written=(baseline_file,))
    findings, _ = _run(_prepare(opts), opts)
    kept = [f for f in findings if f.suppression is None]
    _write(baseline_file, render_baseline(kept))
    click.echo(f"ftscan: wrote {len(kept)} finding(s) to {baseline_file}", err=True)


@cli.command()
@_scan_options
@click.option("-f", "--format", "fmt", type=click.Choice(("markdown", "csv", "json", "html", "ics")),
              default="markdown", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the inventory here instead of standard output.")
@click.option("--redact-org", is_flag=True, help="Replace organization slugs in model IDs.")
@click.option("--online", is_flag=True,
              help="Join what the organization's OpenAI API says (keys from OPENAI_API_KEY and "
                   "OPENAI_ADMIN_KEY; needs `pip install 'ftscan[online]'`).")
@click.option("--online-timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
              metavar="SECONDS", show_default=True, help="Time for one API call with --online.")
def inventory(
    fmt: str, output: Path | None, redact_org: bool, online: bool, online_timeout: float, **opts: Any
) -> None:
    """The migration plan: every fine-tuned model and training pipeline under PATHS, with dates,
    owners, applications and whether the recipe to rebuild it is in the repository."""
    from ftscan.inventory import build_inventory, render_inventory, write_whole
    from ftscan.inventory.model import creates_job, milestones

    if online:
        from ftscan.online import OnlineError, check_ready

        try:
            check_ready()
        except OnlineError as error:
            raise click.ClickException(str(error)) from None
    opts.update(baseline_path=None, report_unused_ignores=False, sarif_category=None, use_baseline=False,
                written=(output,) if output else ())
    setup = _prepare(opts)
    findings, run = _run(setup, opts)
    data = None
    if online:
        from ftscan.inventory.online_join import gates
        from ftscan.online import read_online

        try:
            data = read_online(gates(milestones(run)), online_timeout)
        except OnlineError as error:
            raise click.ClickException(str(error)) from None
    from ftscan.inventory.schedules import Schedules

    o = setup.options
    schedules = Schedules.read(o.root, o.paths, excludes=o.excludes, use_gitignore=o.use_gitignore,
                               skip=o.own_files) if any(creates_job(f) for f in findings) else Schedules(())
    plan = build_inventory(
        findings, run, setup.options.root, redact_org=redact_org, warn_within=setup.options.warn_within,
        online=data, schedules=schedules,
    )
    report = render_inventory(plan, fmt)
    if output:
        try:
            write_whole(output, report)
        except OSError as error:
            raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from None
    else:
        _print(report)


@cli.command()
@click.argument("logs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the merged log here instead of standard output.")
def merge(logs: tuple[Path, ...], output: Path | None) -> None:
    """Merge SARIF logs from `scan --shard K/N` runs into one (one run per category)."""
    from ftscan.merge import MergeError, merge_logs

    _require_existing(list(logs))
    try:
        merged = merge_logs(logs)
    except MergeError as error:
        raise click.ClickException(f"merge error: {error}") from None
    if output:
        _write(output, merged)
    else:
        _print(merged)


class _Setup(Frozen):
    config: Config
    packs: tuple[RulePack, ...]
    options: ScanOptions
    suppression: SuppressionSettings


@paused_gc()  # it loads code and the rules: see `ftscan.gc_pause`
def _prepare(opts: dict[str, Any]) -> _Setup:
    """Command line, configuration file and rule packs, merged; the command line wins."""
    from ftscan.config import Config, ConfigError, find_config, load_config
    from ftscan.pipeline import DEFAULT_FILE_TIMEOUT, ScanOptions
    from ftscan.rules import default_cache_dir
    from ftscan.suppress import SuppressionSettings

    paths = [Path(p) for p in opts["paths"]] or [Path(".")]
    _require_existing(paths)
    root = (opts["root"] or _default_root(paths)).resolve()
    config = Config()
    if not opts["no_config"]:
        try:
            path = opts["config_path"] or find_config(root)
            config = load_config(path) if path else config
        except ConfigError as error:
            raise click.ClickException(f"config error: {error}") from None
    packs = _load_packs((*config.rules, *opts["rule_paths"]))
    known = {rule.id for pack in packs for rule in pack.rules}
    disabled = (*config.disable, *opts["disable"])
    unknown = sorted(set(disabled) - known)
    if unknown:
        raise click.BadParameter(f"unknown rule ID(s): {', '.join(unknown)}", param_hint="--disable")
    if opts["changed_since"]:
        paths = _changed(paths, root, opts["changed_since"])
    gitignore = _first(opts["gitignore"], config.gitignore, True)
    baseline_path = _first(opts.get("baseline_path"), config.baseline, None)
    if not opts.get("use_baseline", True):  # writing a baseline, or the inventory: all findings
        baseline_path = None
    own_files = (opts.get("output"), baseline_path, config.baseline, *opts.get("written", ()))
    options = ScanOptions(
        paths=paths,
        root=root,
        as_of=_first(opts["as_of"], config.as_of, date.today()),
        warn_within=_first(opts["warn_within"], config.warn_within, 90),
        excludes=(*config.exclude, *opts["exclude"]),
        includes=(*config.include, *opts["include"]),
        max_bytes=_first(opts["max_file_size"], config.max_file_size, 5 * 1024 * 1024),
        use_gitignore=gitignore,
        category=_first(opts.get("sarif_category"), config.sarif_category, None),
        disabled=frozenset(disabled),
        jobs=_first(opts["jobs"], config.jobs, 0),
        shard=opts.get("shard"),
        cache=default_cache_dir() if _first(opts["use_cache"], config.cache, False) else None,
        line_hashes=opts.get("fmt") == "sarif",
        file_timeout=_first(opts["file_timeout"], config.file_timeout, DEFAULT_FILE_TIMEOUT),
        own_files=frozenset(_inside(root, p) for p in own_files if p and _inside(root, p)),
    )
    suppression = SuppressionSettings(
        inline=not opts["no_ignores"],
        report_unused=opts.get("report_unused_ignores", False),
        per_path=config.per_path_ignores,
        per_path_source=f"{config.path} per-path-ignores" if config.path else "configuration",
        baseline=_load_baseline(baseline_path) if baseline_path else frozenset(),
    )
    return _Setup(config, packs, options, suppression)


def _run(setup: _Setup, opts: dict[str, Any]):  # type: ignore[no-untyped-def]
    from ftscan.pipeline import run_scan

    show = opts["progress"]
    if show is None:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    progress = _progress_printer() if show else None
    return run_scan(setup.packs, setup.options, progress, setup.suppression)


def _first(*values: Any) -> Any:
    """The first value that is not None: command line, then configuration, then default."""
    return next((v for v in values if v is not None), None)


def _changed(paths: list[Path], root: Path, ref: str) -> list[Path]:
    from ftscan.walk.changes import ChangesError, changed_files

    try:
        changed = changed_files(root, ref)
    except ChangesError as error:
        raise click.BadParameter(str(error), param_hint="--changed-since") from None
    scopes = [p.resolve() for p in paths]
    return [f for f in changed if any(f == s or f.is_relative_to(s) for s in scopes)]


def _load_baseline(path: Path) -> frozenset[str]:
    from ftscan.baseline import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as error:
        raise click.ClickException(f"baseline error: {error}") from None


def _print(report: str, colour: bool | None = None) -> None:
    """The report on standard output; a stream that cannot take it is a one-line error."""
    try:
        click.echo(report, nl=False, color=colour)
        sys.stdout.flush()
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        raise click.ClickException(f"cannot write the report: {error.strerror or error}") from None


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from None


def _progress_printer():  # type: ignore[no-untyped-def]
    """Files done / found and hits so far, redrawn at most ten times a second.

    The walk feeds the scan as it goes: until it ends, the count found is a lower bound.
    """
    import time

    last = [0.0]

    def show(done: int, found: int, hits: int, finished: bool) -> None:
        now = time.monotonic()
        if not finished and now - last[0] < 0.1:
            return
        last[0] = now
        more = "" if finished else "+"
        click.echo(f"\rftscan: {done}/{found}{more} files, {hits} hits ", err=True, nl=finished)

    return show


def _require_existing(paths: list[Path]) -> None:
    """A path named on the command line that does not exist stops the run (exit 2): a typo
    must not let a CI job pass having scanned nothing. A link, even a broken one, exists; a
    path that cannot be checked (too long, no permission) is the walk's to report."""
    missing = [str(p) for p in paths if _missing(p)]
    if missing:
        noun = "path does not exist" if len(missing) == 1 else "paths do not exist"
        raise click.ClickException(f"{noun}: {', '.join(missing)}")


def _missing(path: Path) -> bool:
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _inside(root: Path, path: Path) -> str:
    """`path` relative to `root` with forward slashes, or "" when it lies outside."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return ""


def _default_root(paths: list[Path]) -> Path:
    """The current directory when every path lies under it, else the first path's directory."""
    cwd = Path.cwd().resolve()
    resolved = [p.resolve() for p in paths]
    if all(p == cwd or p.is_relative_to(cwd) for p in resolved):
        return cwd
    first = resolved[0]
    return first if first.is_dir() else first.parent


@cli.group()
def rules() -> None:
    """List and explain the loaded rules."""


@rules.command("list")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True, path_type=Path))
def rules_list(rule_paths: tuple[Path, ...]) -> None:
    """Every rule with its dates and their status."""
    for pack in _load_packs(rule_paths):
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
    packs = _load_packs(rule_paths)
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
    from ftscan.examples import run_examples

    results = run_examples(_load_packs(rule_paths), rule_ids)
    failed = [r for r in results if not r.passed]
    for result in failed:
        click.echo(f"FAIL {result.describe()}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def main() -> None:
    """Entry point: no traceback reaches a user."""
    try:
        cli.main(prog_name="ftscan", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("ftscan: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except (_ReaderGone, BrokenPipeError):
        # What is still buffered for the reader that left goes nowhere, not to a last
        # flush that would fail again at exit.
        with contextlib.suppress(OSError, ValueError):  # not a file descriptor: a test's capture
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.exit(EXIT_ERROR)
    except Exception as error:  # pragma: no cover - the last line of defence
        if os.environ.get("FTSCAN_DEBUG"):
            import traceback

            traceback.print_exc()
        else:
            click.echo(
                f"ftscan: internal error: {type(error).__name__}: {error} "
                "(please report it with the command you ran; FTSCAN_DEBUG=1 shows the traceback)",
                err=True,
            )
        sys.exit(EXIT_ERROR)
