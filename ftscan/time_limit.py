"""A per-file time limit for the scanners, on a timer signal.

The limit interrupts Python code between steps: a scanner looping over a pathological
file is stopped and the file is scanned again as plain text, with a notification. One
call into native code (libcst's parser) runs to its end first; the Python scanner
estimates that cost beforehand and does not start a parse it could not afford.

Where no timer signal is available (Windows, a thread other than the main one), there is
no limit, and the scan is still linear in the size of each file.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """The time given to one file ran out.

    A BaseException, like KeyboardInterrupt: the scanners' `except Exception` fallbacks
    must not mistake it for a parse failure and spend more time on the same file.
    """


def _expire(signum: int, frame: object) -> None:
    raise TimeLimitExceeded


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block once `seconds` have passed; 0 for no limit."""
    timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not timer:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
