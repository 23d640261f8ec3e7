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

The hash of a 100-unit window is a convolution of the unit sequence with the
fixed weights ``37**99 .. 37**0`` (mod 2**64).  Rather than stepping through
the text one unit at a time, this module packs the units into one large
integer with a fixed-width slot per unit and multiplies it by the weights
packed the same way; every slot of the product then holds one window's sum,
and the low 64 bits of that slot are the rolling hash.  Python's big-integer
multiplication does the work, which keeps a megabyte of source well under a
tenth of a second.
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate

__all__ = ["line_hashes", "line_hashes_from_bytes"]

_BLOCK_SIZE = 100
_BASE = 37
_EOF = "\uffff"

# Every slot of the product holds a sum of 100 terms, each below
# 2**16 * 2**64, so it stays below 2**87: 12 bytes per slot never carry.
_SLOT = 12

# Weights 37**0 .. 37**99 (mod 2**64), slot i holding 37**i.  Slot m of
# units * weights is then sum(units[m - i] * 37**i), which for m = p + 99 is
# the hash of the window units[p:p + 100].
_WEIGHTS = int.from_bytes(
    b"".join(
        pow(_BASE, i, 1 << 64).to_bytes(_SLOT, "little") for i in range(_BLOCK_SIZE)
    ),
    "little",
)

# Line starts are handled in chunks of this many code units to bound memory.
_CHUNK = 1 << 16

_READ_U64 = struct.Struct("<Q").unpack_from


def _kept_text(text: str) -> str:
    """Return ``text`` as the hash sees it, ending with the end-of-file mark."""
    return (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace(" ", "")
        .replace("\t", "")
        + _EOF
    )


def _utf16_length(segment: str) -> int:
    """Return the number of UTF-16 code units in ``segment``."""
    return len(segment.encode("utf-16-le", "surrogatepass")) // 2


def _line_starts(kept: str, bmp_only: bool) -> list[int]:
    """Return the code-unit offset of the first unit of every line in ``kept``."""
    segments = kept.split("\n")
    lengths: Iterable[int] = (
        map(len, segments) if bmp_only else map(_utf16_length, segments)
    )
    # Each line but the last is followed by its LF.
    steps = (length + 1 for length in lengths)
    starts = list(accumulate(steps, initial=0))
    starts.pop()
    return starts


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
        count = end - base
        packed = bytearray(_SLOT * count)
        packed[0::_SLOT] = units[2 * base : 2 * end : 2]
        packed[1::_SLOT] = units[2 * base + 1 : 2 * end : 2]
        product = int.from_bytes(packed, "little") * _WEIGHTS
        sums = product.to_bytes(_SLOT * (count + _BLOCK_SIZE), "little")
        offset = _SLOT * (_BLOCK_SIZE - 1 - base)
        hashes.extend(
            _READ_U64(sums, offset + _SLOT * start)[0] for start in starts[first:last]
        )
        first = last
    return hashes


def line_hashes(text: str) -> list[str]:
    """Return the ``primaryLocationLineHash`` of every line of ``text``.

    Index 0 holds line 1.  Lines end at ``\\n``, ``\\r\\n`` or ``\\r``; text
    that ends with a line break has one more, empty, line after it, and the
    empty text has one line.  ``text`` should be the file decoded as the
    upload action decodes it: see :func:`line_hashes_from_bytes`.
    """
    kept = _kept_text(text)
    units = kept.encode("utf-16-le", "surrogatepass")
    starts = _line_starts(kept, bmp_only=len(units) == 2 * len(kept))
    seen: dict[str, int] = {}
    result: list[str] = []
    for value in _window_hashes(units, starts):
        digest = format(value, "x")
        count = seen.get(digest, 0) + 1
        seen[digest] = count
        result.append(f"{digest}:{count}")
    return result


def line_hashes_from_bytes(data: bytes) -> list[str]:
    """Return the ``primaryLocationLineHash`` of every line of a file's bytes.

    The bytes are decoded as the upload action's Node.js reader decodes them:
    UTF-8, a byte order mark kept as a character, and each malformed sequence
    replaced by U+FFFD.
    """
    return line_hashes(data.decode("utf-8", "replace"))
