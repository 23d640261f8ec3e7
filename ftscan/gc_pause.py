"""The cyclic garbage collector paused while ftscan loads code.

Importing modules (click, the commands, libcst's 231 dataclasses) and unpickling the rules
allocates tens of thousands of objects that live as long as the process and frees almost
none. The collector, run every 700 allocations, walks them again and again and finds
nothing: about 6 ms of a pre-commit run whose files cannot match, and 20 ms of libcst's
import. It runs again (as it was) once loading ends; a scan itself is never run without it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
