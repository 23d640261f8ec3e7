"""`ftscan scan`: the report of what depends on fine-tuning, in any format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ftscan.cli.options import ShardType, scan_options
from ftscan.cli.output import EXIT_CLEAN, EXIT_FINDINGS, print_report, write_file
from ftscan.cli.setup import prepare, run
from ftscan.report import REPORTERS
from ftscan.types import LEVELS

FORMATS = tuple(REPORTERS)


@click.command()
@scan_options
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report here instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(LEVELS),
    help="Exit 1 when a finding is at this level or above [default: note].",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (for upload jobs).")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings not in this baseline file.",
)
@click.option("--report-unused-ignores", is_flag=True, help="Report ignore comments that suppress nothing.")
@click.option("--sarif-category", metavar="NAME", help="SARIF automationDetails.id category.")
@click.option("--color/--no-color", default=None, help="Colour text output [default: on a terminal].")
@click.option(
    "--shard",
    type=ShardType(),
    metavar="K/N",
    help="Report only the K-th of N stable parts of the tree (for a CI matrix; see `merge`).",
)
def scan(**opts: Any) -> None:
    """Scan PATHS (default: the current directory) and report what depends on fine-tuning."""
    from ftscan.report import renderer

    setup = prepare(opts)
    findings, run_info = run(setup, opts)
    fmt, output = opts["fmt"], opts["output"]
    use_colour = False
    if fmt == "text":
        from ftscan.report.text import render

        colour = opts["color"]
        use_colour = colour if colour is not None else (output is None and sys.stdout.isatty())
        report = render(findings, run_info, colour=use_colour)
    else:
        report = renderer(fmt)(findings, run_info)
    if output:
        write_file(output, report)
        from ftscan.report.text import summary

        click.echo(summary(findings, run_info), err=True)
    else:
        print_report(report, colour=use_colour if fmt == "text" else None)
    fail_on = opts["fail_on"] or setup.config.fail_on or "note"
    threshold = LEVELS.index(fail_on)
    failing = any(LEVELS.index(f.level) >= threshold for f in findings if f.suppression is None)
    sys.exit(EXIT_FINDINGS if failing and not opts["exit_zero"] else EXIT_CLEAN)
