"""Read a pack, a baseline or a configuration file with a size cap, never waiting on it.

These files may come from the scanned tree, which is untrusted: a 50 MB pack, a FIFO that
blocks a read for ever, a device that never ends. The file is opened without waiting (a
FIFO opens at once), must be a regular file, and is read to at most its cap plus one byte,
so a file whose size the system does not report (`/proc/self/environ`) is bounded too.
Links are followed: a path from configuration is checked to stay inside the repository
before it gets here (`ftscan.config.confine`).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

MIB = 1024 * 1024
MAX_PACK_BYTES = 1 * MIB
MAX_BASELINE_BYTES = 32 * MIB
MAX_CONFIG_BYTES = 4 * MIB

_PIECE = 64 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class TooLarge(Exception):
    """The file holds more than the cap allows; the message says how much is allowed."""

    def __init__(self, what: str, limit: int, size: int | None) -> None:
        self.limit, self.size = limit, size
        told = f" ({size:,} bytes)" if size else ""
        super().__init__(f"larger than the {_amount(limit)} a {what} may be{told}")


def _amount(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit:,} bytes"


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises TooLarge past the cap, OSError (with a `strerror` fit for a message) otherwise.
    """
    fd = os.open(path, _FLAGS)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a directory, FIFO, socket or device)")
        if info.st_size > limit:
            raise TooLarge(what, limit, info.st_size)
        data = _read_upto(handle, limit + 1, info.st_size + 1)
    if len(data) > limit:
        raise TooLarge(what, limit, None)
    return data


def _read_upto(handle: BinaryIO, most: int, expected: int) -> bytes:
    """Up to `most` bytes, asked for in pieces the size the file says it has (a read of
    `most` at once would allocate all of it, however small the file)."""
    pieces, got = [], 0
    while got < most:
        piece = handle.read(min(most - got, max(expected, _PIECE)))
        if not piece:
            break
        pieces.append(piece)
        got += len(piece)
    return b"".join(pieces)


def looks_binary(data: bytes) -> bool:
    """NUL bytes: not the UTF-8 text every pack, baseline and configuration file is."""
    return b"\0" in data
