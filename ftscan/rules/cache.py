"""The loaded packs kept between runs, so that a pre-commit run does not parse YAML.

One file per set of pack files, keyed by each file's path, size, inode, modification and
change times, by ftscan's version and by `CACHE_FORMAT`: anything else is a miss, and a
miss loads the YAML again. The file is JSON read by `ftscan.stored` (data only, never a
pickle), rebuilding only the pack's value classes, and at most `MAX_CACHE_BYTES`.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ftscan.types import RulePack

CACHE_FORMAT = 4  # the fields of the packs' value classes: a cache of another format is a miss
MAX_CACHE_BYTES = 4 * 1024 * 1024  # the shipped packs take about 63 KB


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
    name = f"packs-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.json"
    return directory / name, key


def read_cache(path: Path, key: str) -> tuple[RulePack, ...] | None:
    """The packs stored at `path` under `key`, or None for anything else (a miss)."""
    from ftscan.stored import Unreadable, loads
    from ftscan.untrusted.bounded_read import TooLarge, read_bounded

    try:
        packs = loads(read_bounded(path, MAX_CACHE_BYTES, "pack cache"), key, _makers())
    except (OSError, TooLarge, Unreadable):  # missing, cut short, another version's: load the YAML
        return None
    if isinstance(packs, tuple) and all(type(pack).__name__ == "RulePack" for pack in packs):
        return packs
    return None


def write_cache(path: Path, key: str, packs: tuple[RulePack, ...]) -> None:
    from ftscan.stored import Unstorable, dumps, write_whole

    try:
        data = dumps(key, packs, _makers())
        if len(data) <= MAX_CACHE_BYTES:
            write_whole(path, data)
    except (OSError, Unstorable):
        pass  # a read-only home, a value with no stored form: no cache, nothing lost


def _makers() -> dict[str, Callable[..., Any]]:
    """The value classes a pack is made of: nothing else is rebuilt from a cache."""
    from ftscan import types
    from ftscan.rules.regex import unchecked

    classes = (
        types.RulePack, types.Milestone, types.MilestoneRef, types.BaseModel, types.Rule,
        types.RuleMatch, types.RuleExample, types.SdkSurface,
    )  # fmt: skip
    return {**{cls.__name__: cls for cls in classes}, "PackRegex": unchecked}
