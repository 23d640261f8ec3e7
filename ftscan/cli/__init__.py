"""Command line: one module per command, each parsing its options and calling the stages.

`main` is the entry point (`ftscan`, `python -m ftscan`): no traceback reaches a user.
Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, config or rule error,
or a standard output that could not be written (its reader left).
"""

from __future__ import annotations

import contextlib
import os
import sys
from importlib import import_module
from typing import Any

import click

from ftscan import __version__
from ftscan.cli.output import EXIT_ERROR

__all__ = ["cli", "main"]


class _ReaderGone(Exception):
    """Standard output's reader left before the end (`ftscan scan | head`)."""


# Each command's module, imported when the command runs (or `--help` lists them all): a
# pre-commit run builds only `scan`'s options.
COMMANDS = {
    "baseline": "ftscan.cli.baseline",
    "inventory": "ftscan.cli.inventory",
    "merge": "ftscan.cli.merge",
    "rules": "ftscan.cli.rules",
    "scan": "ftscan.cli.scan",
}


class _Commands(click.Group):
    """The commands, loaded on first use, with a closed standard output told apart from an
    error of ours (click itself would end such a run with status 1, which means findings)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        return getattr(import_module(module), name) if module else None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _ReaderGone from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ftscan")
def cli() -> None:
    """Find every OpenAI fine-tuning dependency in a repository, dated by its deadline."""


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
