"""Text taken from scanned files, made safe to print: terminal control characters stripped."""

from __future__ import annotations

import re
from functools import cache

# C0 controls but the tab (a line break in a path could forge a finding's line), DEL, C1
# controls (8-bit CSI, OSC, DCS), Unicode line separators and bidirectional overrides.
_CONTROL = r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


@cache
def _controls() -> re.Pattern[str]:
    """Compiled on first use: most runs print no text taken from a file."""
    return re.compile(_CONTROL)


def clean(text: str) -> str:
    """Replace each terminal control character in untrusted text with `?`."""
    return _controls().sub("?", text)
