"""A per-file time limit for the scanners, on a timer signal.

The limit interrupts Python code between steps: a scanner looping over a pathological
file is stopped and the file is scanned again as plain text, with a notification. A
libcst parse, native code on a thread of its own, runs to its end first (the stop comes
right after it); the Python scanner estimates that cost beforehand and does not start a
parse it could not afford. A timer the caller had set goes on afterwards.

Where no timer signal is available (Windows, a thread other than the main one), there is
no limit, and the scan is still linear in the size of each file. `signal` is imported by
the first limit set: a run whose files hold no needle sets none.
"""

from __future__ import annotations

import threading
import time
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
    import signal

    timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not timer:
        yield
        return
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _expire)
    outer = (0.0, 0.0)
    try:
        with _alarm_blocked():  # an alarm due at once is held until `outer` is known
            outer = signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        while True:  # the alarm can still go off during this: then tidy up again
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                _resume(outer, time.monotonic() - started)
                break
            except TimeLimitExceeded:
                continue


def _resume(outer: tuple[float, float], elapsed: float) -> None:
    """A caller's own timer (ftscan used as a library) goes on where it was."""
    import signal

    delay, interval = outer
    if delay > 0:
        signal.setitimer(signal.ITIMER_REAL, max(delay - elapsed, 1e-6), interval)


@contextmanager
def _alarm_blocked() -> Iterator[None]:
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
