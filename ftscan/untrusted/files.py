"""Reading a file found by the walk, as safely as the file system allows.

Between the walk and the read, an entry can be replaced: by a symbolic link to a file
outside the tree, by a FIFO that would block the read for ever, by a device that never
ends. `read_regular` does not follow a final symbolic link, does not wait on a FIFO, reads
only regular files and at most `limit` bytes. The walk and the scanners both read this way.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a symbolic link fails with ELOOP instead of being followed
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: Path | str, limit: int = -1, *, max_size: int = -1) -> tuple[bytes, int]:
    """The bytes of the regular file at `path` (at most `limit`, all if negative) and its size.

    A file larger than `max_size` (when not negative) is not read: its bytes are empty.
    Raises OSError, with a `strerror` fit for a notification, for anything else.
    """
    try:
        fd = os.open(path, _FLAGS)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            raise OSError(error.errno, "symbolic link, not followed", str(path)) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (FIFO, socket or device)", str(path))
        if 0 <= max_size < info.st_size:
            return b"", info.st_size
        return handle.read(limit), info.st_size


# Byte-order marks of UTF-16 and UTF-32, whose text is full of NUL bytes.
WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_BINARY_PROBE = 8192


def looks_binary(data: bytes) -> bool:
    """A NUL byte near the start, outside UTF-16 or UTF-32 text: not a text file."""
    return b"\0" in data[:_BINARY_PROBE] and not data.startswith(WIDE_BOMS)


def read_json(path: Path, error: type[Exception]) -> Any:
    """The JSON document at `path`; else `error`, with a message that names the file."""
    import json  # the scan itself reads no JSON this way: a pre-commit run does not load it

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise error(f"{path}: cannot read: {problem.strerror}") from None
    except ValueError as problem:
        raise error(f"{path}: not JSON: {problem}") from None
