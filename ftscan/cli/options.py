"""The options `scan`, `baseline` and `inventory` share, and the values they parse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ftscan.types import EARLIEST_DAY, LATEST_DAY

F = TypeVar("F", bound=Callable[..., Any])


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            found = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date of the form YYYY-MM-DD", param, ctx)
        if not EARLIEST_DAY <= found <= LATEST_DAY:
            self.fail(f"{value!r} is outside {EARLIEST_DAY} to {LATEST_DAY}", param, ctx)
        return found


class ShardType(click.ParamType):
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


def scan_options(function: F) -> F:
    """The options of every command that scans: what to scan, with which rules, at which date."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option(
            "--as-of", type=DateType(), help="Date the deadlines are measured from [default: today]."
        ),
        click.option(
            "--warn-within",
            type=click.IntRange(min=0),
            help="A deadline this many days away or fewer is a warning [default: 90].",
        ),
        click.option(
            "--rules",
            "rule_paths",
            multiple=True,
            type=click.Path(exists=True, path_type=Path),
            help="Extra rule pack (file or directory); adds to the shipped packs.",
        ),
        click.option("--disable", multiple=True, metavar="RULE", help="Do not run this rule ID."),
        click.option(
            "--exclude", multiple=True, metavar="GLOB", help="Skip paths matching (gitignore syntax)."
        ),
        click.option("--include", multiple=True, metavar="GLOB", help="Scan only files matching."),
        click.option(
            "--gitignore/--no-gitignore", default=None, help="Honour .gitignore files [default: yes]."
        ),
        click.option(
            "--max-file-size",
            type=click.IntRange(min=1),
            help="Larger files are reported, not scanned [default: 5 MiB] (bytes).",
        ),
        click.option(
            "--file-timeout",
            type=click.FloatRange(min=0),
            metavar="SECONDS",
            help="Time for one file's scanner before it is scanned as plain text, with a "
            "notification; 0: no limit [default: 20].",
        ),
        click.option(
            "--root",
            type=click.Path(file_okay=False, exists=True, path_type=Path),
            help="Paths in reports are relative to this [default: the current directory].",
        ),
        click.option(
            "--changed-since",
            metavar="REF",
            help="Scan only files changed since this git ref, and untracked files.",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
            help="Configuration file [default: found from the root upward].",
        ),
        click.option("--no-config", is_flag=True, help="Ignore configuration files."),
        click.option("--no-ignores", is_flag=True, help="Apply no inline `ftscan: ignore` comments."),
        click.option(
            "--cache/--no-cache",
            "use_cache",
            default=None,
            help="Keep per-file results between runs; re-read only changed files [default: off].",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=0),
            help="Worker processes for long scans [default: one per CPU].",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Progress on stderr [default: on a terminal, outside CI].",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function
