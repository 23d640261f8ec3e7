"""GitHub code scanning's ``primaryLocationLineHash`` for every line of a file.

When a SARIF result has no ``partialFingerprints.primaryLocationLineHash``,
GitHub's upload action (``github/codeql-action``, ``src/fingerprints.ts``)
computes one from the source file.  ftscan computes the same value itself so
that its alerts keep their identity across runs and need no help from the
upload step.

The algorithm, as the upload action implements it:

* The file is read as UTF-8 text and processed as JavaScript sees a string:
  one UTF-16 code unit at a time, so a character outside the Basic
  Multilingual Plane counts as two units.
* Spaces and tabs are skipped.  A CR becomes an LF, and an LF that directly
  follows a CR in the raw text is dropped (``\\r\\n``, ``\\r`` and ``\\n`` all
  end a line; a space or tab between a CR and an LF keeps the LF).
* A polynomial rolling hash runs over the last 100 kept units,
  ``h = 37*h + c - 37**100 * c_out``, in 64-bit arithmetic that wraps around.
* A line's hash is the hash of the 100 kept units that begin with the line's
  first kept unit.  After the last unit the value 65535 is fed once (it ends
  the last line and starts one more if the text ends with a line break),
  followed by zeros, so that lines near the end still see 100 units.
* The value is written as lower-case hexadecimal without leading zeros,
  followed by ``:`` and the number of times that value has occurred so far
  in the file (``1`` for the first).

The hash of a 100-unit window is a sum of 100 products.  Instead of
stepping through the text one unit at a time, this module first computes the
sum of every 25-unit stretch at once: the units are packed into one large
integer with a fixed-width slot per unit and multiplied by the weights
``37**24 .. 37**0`` packed the same way, so that every slot of the product
holds one stretch's sum.  A line's hash then combines the four stretches that
make up its window.  Python's big-integer arithmetic does the bulk of the
work, which keeps a megabyte of source text at a few tenths of a second.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate

__all__ = ["line_hashes", "line_hashes_from_bytes"]

_BLOCK_SIZE = 100
_BASE = 37
_EOF = "\uffff"
_MASK = (1 << 64) - 1

# A window of 100 units is four stretches of 25: its hash is
# sum(stretch[t] * 37**(75 - 25*t) for t in range(4)).
_STRETCH = 25
_SCALE_0, _SCALE_1, _SCALE_2 = (pow(_BASE, power, 1 << 64) for power in (75, 50, 25))

# A stretch sum has 25 terms, each below 2**16 * 2**64, so it stays below
# 2**85: slots of 12 bytes never carry into each other.
_SLOT = 12

# Slot i holds 37**i (mod 2**64).  Slot r + 24 of units * weights is then
# sum(units[r + k] * 37**(24 - k) for k in range(25)).
_WEIGHTS = int.from_bytes(
    b"".join(pow(_BASE, i, 1 << 64).to_bytes(_SLOT, "little") for i in range(_STRETCH)),
    "little",
)

# Line starts are handled in groups that span at most this many code units,
# which bounds the memory used for one group.
_CHUNK = 1 << 16


def _kept_text(text: str) -> str:
    """Return ``text`` as the hash sees it, ending with the end-of-file mark."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace(" ", "").replace("\t", "") + _EOF


def _utf16_length(segment: str) -> int:
    """Return the number of UTF-16 code units in ``segment``."""
    return len(segment.encode("utf-16-le", "surrogatepass")) // 2


def _line_starts(kept: str, bmp_only: bool) -> list[int]:
    """Return the code-unit offset of the first unit of every line in ``kept``."""
    segments = kept.split("\n")
    lengths: Iterable[int] = map(len, segments) if bmp_only else map(_utf16_length, segments)
    # Each line but the last is followed by its LF.
    steps = (length + 1 for length in lengths)
    starts = list(accumulate(steps, initial=0))
    starts.pop()
    return starts


def _stretch_sums(units: bytes, first: int, count: int) -> array[int]:
    """Return the 25-unit stretch sums (mod 2**64) starting at each unit.

    Item ``r`` of the result is the sum for the stretch that starts at unit
    ``first + r``, for ``r`` up to ``count + 75``; units from
    ``first + count`` on count as zero.  ``units`` holds code units as
    UTF-16-LE bytes.
    """
    packed = bytearray(_SLOT * count)
    packed[0::_SLOT] = units[2 * first : 2 * (first + count) : 2]
    packed[1::_SLOT] = units[2 * first + 1 : 2 * (first + count) : 2]
    product = int.from_bytes(packed, "little") * _WEIGHTS
    # Slots past the product's own length come out as zeros, so that every
    # window, even one running past the end of the text, can be read whole.
    slots = count + _BLOCK_SIZE
    sums = product.to_bytes(_SLOT * slots, "little")
    low = bytearray(8 * slots)
    for byte in range(8):
        low[byte::8] = sums[byte::_SLOT]
    values = array("Q")
    values.frombytes(low)
    if sys.byteorder == "big":
        values.byteswap()
    # The first 24 slots hold stretches that would start before ``first``.
    return values[_STRETCH - 1 :]


def _window_hashes(units: bytes, starts: list[int]) -> list[int]:
    """Return the 100-unit window hash at each offset in ``starts``.

    ``units`` holds the kept code units as UTF-16-LE bytes; units past its end
    count as zero.  ``starts`` must be sorted.
    """
    total = len(units) // 2
    hashes: list[int] = []
    first = 0
    while first < len(starts):
        base = starts[first]
        last = bisect_left(starts, base + _CHUNK, first)
        end = min(total, starts[last - 1] + _BLOCK_SIZE)
        sums = _stretch_sums(units, base, end - base)
        hashes.extend(
            (sums[r] * _SCALE_0 + sums[r + 25] * _SCALE_1 + sums[r + 50] * _SCALE_2 + sums[r + 75]) & _MASK
            for r in (start - base for start in starts[first:last])
        )
        first = last
    return hashes


def line_hashes(text: str, lines: int | None = None) -> list[str]:
    """Return the ``primaryLocationLineHash`` of every line of ``text``, or of its first
    ``lines`` lines, ``lines`` >= 0 (a line's count looks only at the lines before it, so
    the hashes of the lines up to the last one reported are all a file's findings need).

    Index 0 holds line 1.  Lines end at ``\\n``, ``\\r\\n`` or ``\\r``; text
    that ends with a line break has one more, empty, line after it, and the
    empty text has one line.  ``text`` should be the file decoded as the
    upload action decodes it: see :func:`line_hashes_from_bytes`.
    """
    kept = _kept_text(text)
    units = kept.encode("utf-16-le", "surrogatepass")
    starts = _line_starts(kept, bmp_only=len(units) == 2 * len(kept))
    if lines is not None:
        del starts[max(lines, 0) :]
    seen: dict[str, int] = {}
    result: list[str] = []
    for value in _window_hashes(units, starts):
        digest = format(value, "x")
        count = seen.get(digest, 0) + 1
        seen[digest] = count
        result.append(f"{digest}:{count}")
    return result


def line_hashes_from_bytes(data: bytes, lines: int | None = None) -> list[str]:
    """Return the ``primaryLocationLineHash`` of every line of a file's bytes (or of its
    first ``lines`` lines).

    The bytes are decoded as the upload action's Node.js reader decodes them:
    UTF-8, a byte order mark kept as a character, and each malformed sequence
    replaced by U+FFFD.
    """
    return line_hashes(data.decode("utf-8", "replace"), lines)
