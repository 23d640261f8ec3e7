"""`ftscan baseline`: today's findings written down, so that a scan reports only new ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ftscan.cli.options import scan_options
from ftscan.cli.output import write_file
from ftscan.cli.setup import prepare, run


@click.command()
@click.argument("baseline_file", type=click.Path(dir_okay=False, path_type=Path))
@scan_options
def baseline(baseline_file: Path, **opts: Any) -> None:
    """Write today's findings under PATHS to BASELINE_FILE; `scan --baseline` then reports only new ones."""
    from ftscan.match.baseline import render_baseline

    opts.update(
        baseline_path=None,
        report_unused_ignores=False,
        sarif_category=None,
        use_baseline=False,
        written=(baseline_file,),
    )
    findings, _ = run(prepare(opts), opts)
    kept = [f for f in findings if f.suppression is None]
    write_file(baseline_file, render_baseline(kept))
    click.echo(f"ftscan: wrote {len(kept)} finding(s) to {baseline_file}", err=True)
