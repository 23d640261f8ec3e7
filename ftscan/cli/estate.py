"""`ftscan inventory --repos FILE`: every repository the file lists, scanned on this machine
and merged into one estate inventory.

The file lists local checkouts, one a line (relative to the file's directory; blank lines
and `#` comments are skipped). The repositories are scanned in a process pool (`--jobs`
workers, one file scan at a time in each), with one progress line for the estate, and
each inventory is merged as it arrives. A repository that cannot be read or scanned is
listed in the estate as not scanned, with the reason; it never disappears from the plan.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ftscan.inventory.plan import Inventory
    from ftscan.types import RulePack

MAX_LIST_BYTES = 4 * 1024 * 1024
MAX_REPOSITORIES = 20_000


def scan_estate(repos_file: Path, opts: dict[str, Any]) -> tuple[Inventory, tuple[RulePack, ...]]:
    """The estate inventory of the repositories `repos_file` lists, and the shipped packs
    (with `--rules`) that dated it."""
    from ftscan.cli.setup import load_packs
    from ftscan.inventory.merge import MergeError, merge_inventories

    repositories = read_repository_list(repos_file)
    packs = load_packs(tuple(opts["rule_paths"]))
    show = opts["progress"]
    if show is None:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    try:
        plan = merge_inventories(_scanned(repositories, opts, bool(show)), opts["as_of"])
    except MergeError as error:
        raise click.ClickException(f"estate error: {error}") from None
    return plan, packs


def read_repository_list(path: Path) -> list[Path]:
    """The checkouts a repository list names, in its order, each once."""
    from ftscan.untrusted.bounded_read import TooLarge, read_bounded

    try:
        text = read_bounded(path, MAX_LIST_BYTES, "repository list").decode("utf-8")
    except (TooLarge, OSError, UnicodeDecodeError) as error:
        why = getattr(error, "strerror", None) or str(error)
        raise click.ClickException(f"cannot read the repository list {path}: {why}") from None
    found: dict[Path, Path] = {}  # where each checkout really is -> as listed
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            listed = path.parent / entry
            found.setdefault(listed.resolve(), listed)
            if len(found) > MAX_REPOSITORIES:
                raise click.ClickException(
                    f"the repository list {path} names more than {MAX_REPOSITORIES:,} repositories: "
                    "split the estate (`ftscan inventory merge` joins the parts)"
                )
    if not found:
        raise click.ClickException(f"the repository list {path} names no repository")
    return list(found.values())


def _scanned(repositories: list[Path], opts: dict[str, Any], show: bool) -> Iterator[Inventory]:
    """Each repository's inventory (or its not-scanned marker), as it is done."""
    total = len(repositories)
    done = 0

    def progress() -> None:
        if show:
            click.echo(f"\rftscan: {done}/{total} repositories", err=True, nl=done == total)

    progress()
    try:
        for plan in _each_scanned(repositories, opts):
            done += 1
            progress()
            yield plan
    finally:
        if show and done < total:
            click.echo("", err=True)  # an error stopped the estate: it starts on a line of its own


def _each_scanned(repositories: list[Path], opts: dict[str, Any]) -> Iterator[Inventory]:
    """Each repository's inventory, or why it was not scanned. Names are settled first, in
    the list's order: a checkout whose name an earlier one took (two clones of one
    repository, a fork's `origin`) is listed as not scanned, never merged over it."""
    from ftscan.inventory.plan import not_scanned

    taken: dict[str, Path] = {}
    to_scan: list[Path] = []
    for repository in (r for r in repositories if r.is_dir()):
        name = _name(repository)
        if name in taken:
            why = (
                f"named {name!r}, as {taken[name]} is: give each its own name with `ftscan inventory --repo`"
            )
            yield not_scanned(_free_name(name, taken), f"{repository}: {why}")
        else:
            taken[name] = repository
            to_scan.append(repository)
    for repository in (r for r in repositories if not r.is_dir()):
        yield not_scanned(_free_name(repository.name or "?", taken), "not a directory on this machine")
    yield from _plans(to_scan, opts)


def _free_name(name: str, taken: dict[str, Path]) -> str:
    """`name`, or `name (2)`, `name (3)`... : the first not taken yet (then taken)."""
    from ftscan.inventory.repository import repository_name

    base = repository_name(name)
    found, count = base, 1
    while found in taken:
        count += 1
        found = f"{base} ({count})"
    taken[found] = Path()
    return found


def _plans(repositories: list[Path], opts: dict[str, Any]) -> Iterator[Inventory]:
    """The inventories, as they are done, with at most twice the workers' count waiting."""
    workers = min(opts["jobs"] or os.cpu_count() or 1, len(repositories))
    if workers <= 1:
        yield from (scan_repository(repository, opts) for repository in repositories)
        return
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    from ftscan.inventory.plan import not_scanned

    waiting = iter(repositories)
    with ProcessPoolExecutor(workers) as pool:
        running: dict[Future[Inventory], Path] = {}
        while True:
            while len(running) < 2 * workers and (repository := next(waiting, None)) is not None:
                running[pool.submit(scan_repository, repository, opts)] = repository
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                repository = running.pop(future)
                try:
                    yield future.result()
                except Exception as error:  # a worker that died: the repository is listed, not lost
                    yield not_scanned(_name(repository), f"the scan stopped ({type(error).__name__})")


def scan_repository(repository: Path, opts: dict[str, Any]) -> Inventory:
    """One repository's inventory, or a marker saying why it could not be scanned."""
    from ftscan.cli.inventory import build_plan
    from ftscan.cli.setup import prepare
    from ftscan.inventory.plan import not_scanned

    mine = {**opts, "paths": (repository,), "root": repository, "jobs": 1, "progress": False}
    try:
        return build_plan(prepare(mine), mine, None)
    except click.ClickException as error:
        return not_scanned(_name(repository), error.format_message())
    except Exception as error:  # any repository must give a result, never stop the estate
        return not_scanned(_name(repository), f"the scan failed ({type(error).__name__})")


def _name(repository: Path) -> str:
    """The name a repository that could not be scanned is listed by: as if it had been."""
    from ftscan.inventory.repository import describe_repository

    return describe_repository(repository).name
