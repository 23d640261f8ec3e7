"""A scanning command's setup: command line, configuration file and rule packs, merged.

The command line wins over the configuration file, which wins over the defaults; the
result (`Setup`) is what `run` hands the pipeline. `date.today()` is read here, once.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ftscan.frozen import Frozen

if TYPE_CHECKING:
    from ftscan.config import Config
    from ftscan.match.suppress import SuppressionSettings
    from ftscan.pipeline import ScanOptions
    from ftscan.types import Finding, RulePack, RunInfo


class Setup(Frozen):
    config: Config
    packs: tuple[RulePack, ...]
    options: ScanOptions
    suppression: SuppressionSettings


def load_packs(extra: tuple[Path, ...]) -> tuple[RulePack, ...]:
    """The shipped packs and `extra`; a broken pack is a usage error (exit 2)."""
    from ftscan.config import default_cache_dir
    from ftscan.rules.load import RuleError
    from ftscan.rules.load import load_packs as load

    try:
        return load(extra, cache=default_cache_dir())
    except RuleError as error:
        raise click.ClickException(f"rule error: {error}") from None


def prepare(opts: dict[str, Any]) -> Setup:
    """Command line, configuration file and rule packs, merged; the command line wins."""
    from ftscan.config import Config, ConfigError, default_cache_dir, find_config, load_config
    from ftscan.match.suppress import SuppressionSettings
    from ftscan.pipeline import DEFAULT_FILE_TIMEOUT, ScanOptions
    from ftscan.rules.load import renamed_rules

    paths = [Path(p) for p in opts["paths"]] or [Path(".")]
    require_existing(paths)
    root = (opts["root"] or _default_root(paths)).resolve()
    config = Config()
    if not opts["no_config"]:
        try:
            path = opts["config_path"] or find_config(root)
            config = load_config(path, explicit=opts["config_path"] is not None) if path else config
        except ConfigError as error:
            raise click.ClickException(f"config error: {error}") from None
    packs = load_packs((*config.rules, *opts["rule_paths"]))
    known = {rule.id for pack in packs for rule in pack.rules}
    renamed = renamed_rules(packs)
    disabled = tuple(renamed.get(rule, rule) for rule in (*config.disable, *opts["disable"]))
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
        per_path=tuple(
            (glob, tuple(renamed.get(rule, rule) for rule in ids)) for glob, ids in config.per_path_ignores
        ),
        per_path_source=f"{config.path} per-path-ignores" if config.path else "configuration",
        baseline=_load_baseline(baseline_path) if baseline_path else frozenset(),
    )
    return Setup(config, packs, options, suppression)


def run(setup: Setup, opts: dict[str, Any]) -> tuple[list[Finding], RunInfo]:
    """The pipeline on a prepared setup, with progress on stderr when asked or on a terminal."""
    from ftscan.cli.output import progress_printer
    from ftscan.pipeline import run_scan

    show = opts["progress"]
    if show is None:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    progress = progress_printer() if show else None
    return run_scan(setup.packs, setup.options, progress, setup.suppression)


def require_existing(paths: list[Path]) -> None:
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
    from ftscan.match.baseline import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as error:
        raise click.ClickException(f"baseline error: {error}") from None


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
