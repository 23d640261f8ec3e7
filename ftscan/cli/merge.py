"""`ftscan merge`: the SARIF logs of `scan --shard K/N` runs joined into one."""

from __future__ import annotations

from pathlib import Path

import click

from ftscan.cli.output import print_report, write_file
from ftscan.cli.setup import require_existing


@click.command()
@click.argument("logs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the merged log here instead of standard output.",
)
def merge(logs: tuple[Path, ...], output: Path | None) -> None:
    """Merge SARIF logs from `scan --shard K/N` runs into one (one run per category)."""
    from ftscan.report.merge import MergeError, merge_logs

    require_existing(list(logs))
    try:
        merged = merge_logs(logs)
    except MergeError as error:
        raise click.ClickException(f"merge error: {error}") from None
    if output:
        write_file(output, merged)
    else:
        print_report(merged)
