"""What a command writes, and how a run ends: the report, a file, progress, exit statuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def print_report(report: str, colour: bool | None = None) -> None:
    """The report on standard output; a stream that cannot take it is a one-line error."""
    import sys

    try:
        click.echo(report, nl=False, color=colour)
        sys.stdout.flush()
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        raise click.ClickException(f"cannot write the report: {error.strerror or error}") from None


def write_file(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", errors="surrogateescape")  # a file name's own bytes
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from None


def progress_printer() -> Callable[[int, int, int, bool], None]:
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
