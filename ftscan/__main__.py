"""`python -m ftscan` and the `ftscan` command: the CLI, ended lean.

A short run ends without the interpreter's teardown, which frees every module and object
one by one: ~10 ms of a pre-commit run whose files cannot match, ~15 ms once libcst is loaded, work the
operating system does at once. The standard streams are flushed and the exit handlers run
first, and by then every file ftscan wrote is closed. A run that started worker processes
or left a thread running ends the usual way.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import NoReturn


def main() -> NoReturn:
    from ftscan.cli import main as cli_main

    try:
        cli_main()
        code = 0
    except SystemExit as stop:
        code = _status(stop.code)
    _end(code)


def _status(code: object) -> int:
    """What `sys.exit(code)` would make the process's exit status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _end(code: int) -> NoReturn:
    import atexit

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    pooled = "concurrent.futures.process" in sys.modules
    main_thread = threading.main_thread()
    threads = any(t is not main_thread and t.is_alive() and not t.daemon for t in threading.enumerate())
    if run_exit_handlers is None or pooled or threads:
        sys.exit(code)
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # its reader left (a closed pipe), a full disk
            code = 2  # as `cli.main` ends a run whose output could not be written
    os._exit(code)


if __name__ == "__main__":
    main()
