"""The loaded packs kept between runs, so that a pre-commit run does not parse YAML.

One file per set of pack files, keyed by each file's path, size, inode, modification and
change times, by ftscan's version and by `CACHE_FORMAT`: anything else is a miss, and a
miss loads the YAML again.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftscan.types import RulePack

CACHE_FORMAT = 3  # how `ftscan.types` values pickle: a cache of another format is a miss


def cache_file(directory: Path, files: Sequence[Path]) -> tuple[Path, str] | None:
    """The cache file for these packs, and the key it must hold (a file name is only a hash).

    A checksum, not hashlib: loading OpenSSL would cost a pre-commit run more than the
    cache saves. The key kept inside the file makes a collision a miss, never a wrong hit.
    """
    from ftscan import __version__

    key = f"{__version__}\0{CACHE_FORMAT}"
    try:
        for path in files:
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            key += f"\0{path.resolve()}" + "".join(f"\0{part}" for part in stamp)
    except OSError:
        return None
    data = key.encode("utf-8", "surrogateescape")
    name = f"packs-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.pickle"
    return directory / name, key


def read_cache(path: Path, key: str) -> tuple[RulePack, ...] | None:
    try:
        from _pickle import loads  # the C unpickler alone: `pickle` itself costs a run ~2 ms more
    except ImportError:  # an interpreter without it
        from pickle import loads
    try:
        stored, packs = loads(path.read_bytes())
    except Exception:  # missing, truncated, written by another version: load the YAML instead
        return None
    return packs if stored == key and isinstance(packs, tuple) else None


def write_cache(path: Path, key: str, packs: tuple[RulePack, ...]) -> None:
    import pickle

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps((key, packs), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home: no cache, nothing lost
