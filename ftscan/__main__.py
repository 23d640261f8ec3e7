"""`python -m ftscan` and the `ftscan` command: the CLI, loaded with the collector paused."""

from ftscan.gc_pause import paused_gc


def main() -> None:
    with paused_gc():
        from ftscan.cli import main as cli_main
    cli_main()


if __name__ == "__main__":
    main()
