"""Project configuration: `[tool.ftscan]` in pyproject.toml, or `ftscan.toml` / `.ftscan.toml`.

Found from the scan root upward (stopping at the repository's top, the directory holding
`.git`); the nearest file wins. Every key is a scan option in kebab-case; an unknown key or
a wrong type is a `ConfigError` naming the file and the key. Command-line options win over
the file; list options (`exclude`, `include`, `rules`, `disable`) add to it.

`[[tool.ftscan.organizations]]` (name, api_key_env, admin_key_env, base_url_env) names the
OpenAI organizations `--online` reads. It is read only from a file named with `--config`:
a scanned tree's own file could otherwise send a key to a URL held in a variable it chose.

A configuration file is part of the scanned tree, so it is not trusted: a path it names
(`rules`, `baseline`: every key in `PATH_KEYS`) must lie inside the repository once links
are followed (`ftscan.config.confine`), a file found by the search may not be a link out of the
repository, the file is read with a size cap, and errors quote values only as excerpts.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ftscan.config.confine import escape_reason, links_out, repository_top
from ftscan.frozen import Frozen
from ftscan.untrusted.bounded_read import MAX_CONFIG_BYTES, TooLarge, read_bounded
from ftscan.untrusted.words import excerpt

CONFIG_FILES = ("ftscan.toml", ".ftscan.toml", "pyproject.toml")
LEVELS = ("note", "warning", "error")
PATH_KEYS = ("rules", "baseline")  # keys whose values name files ftscan reads


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""

    def __init__(self, path: Path, key: str | None, problem: str) -> None:
        self.path, self.key, self.problem = path, key, problem
        super().__init__(f"{path}: {key}: {problem}" if key else f"{path}: {problem}")


class Config(Frozen):
    """Options read from a configuration file; None where the file says nothing."""

    path: Path | None = None
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    rules: tuple[Path, ...] = ()
    disable: tuple[str, ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: str | None = None
    warn_within: int | None = None
    sarif_category: str | None = None
    as_of: date | None = None
    max_file_size: int | None = None
    file_timeout: float | None = None
    gitignore: bool | None = None
    jobs: int | None = None
    baseline: Path | None = None
    cache: bool | None = None
    # (name, api_key_env, admin_key_env, base_url_env) of each organization `--online` reads
    organizations: tuple[tuple[str, str, str | None, str | None], ...] = ()


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _int(minimum: int):  # type: ignore[no-untyped-def]
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= minimum


# key -> (check, what the check wants)
_KEYS: dict[str, tuple[Any, str]] = {
    "exclude": (_strings, "a list of strings"),
    "include": (_strings, "a list of strings"),
    "rules": (_strings, "a list of paths"),
    "disable": (_strings, "a list of rule IDs"),
    "per-path-ignores": (
        lambda v: isinstance(v, dict) and all(_strings(ids) for ids in v.values()),
        "a table of glob = [rule IDs]",
    ),
    "fail-on": (lambda v: v in LEVELS, f"one of {', '.join(LEVELS)}"),
    "warn-within": (_int(0), "a whole number of days, 0 or more"),
    "sarif-category": (lambda v: isinstance(v, str) and v, "a non-empty string"),
    "as-of": (lambda v: isinstance(v, date) or _is_iso_date(v), "a date, YYYY-MM-DD"),
    "max-file-size": (_int(1), "a whole number of bytes, 1 or more"),
    "file-timeout": (
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0,
        "a number of seconds, 0 or more",
    ),
    "gitignore": (lambda v: isinstance(v, bool), "true or false"),
    "jobs": (_int(0), "a whole number, 0 or more"),
    "baseline": (lambda v: isinstance(v, str) and v, "a path"),
    "cache": (lambda v: isinstance(v, bool), "true or false"),
    "organizations": (
        lambda v: isinstance(v, list) and bool(v) and all(isinstance(t, dict) for t in v),
        "an array of tables ([[tool.ftscan.organizations]])",
    ),
}
ORGANIZATION_KEYS = ("name", "api_key_env", "admin_key_env", "base_url_env")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


def _is_iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above `start`, within its repository."""
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                if links_out(candidate, repository_top(directory)):
                    raise ConfigError(
                        candidate, None, "a symbolic link to a file outside the repository; not read"
                    )
                return candidate
        if (directory / ".git").exists():
            return None
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return b"[tool.ftscan" in read_bounded(path, MAX_CONFIG_BYTES, "configuration file")
    except TooLarge:
        return True  # loading it says so, naming the file
    except OSError:
        return False


def load_config(path: Path, explicit: bool = False) -> Config:
    """Read and check one configuration file; `explicit`: named with `--config`, so it may
    name organizations."""
    if sys.version_info >= (3, 11):  # imported here: most runs find no configuration file
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        data = tomllib.loads(read_bounded(path, MAX_CONFIG_BYTES, "configuration file").decode("utf-8"))
    except TooLarge as error:
        raise ConfigError(path, None, str(error)) from None
    except OSError as error:
        raise ConfigError(path, None, f"cannot read: {error.strerror or 'unreadable'}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(path, None, f"not UTF-8 text (byte {error.start:,})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, None, f"invalid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(path, None, "invalid TOML: nested too deeply") from None
    prefix = ""
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("ftscan", {})
        prefix = "tool.ftscan."
    if not isinstance(data, dict):
        raise ConfigError(path, prefix.rstrip(".") or None, "must be a table")
    for key, value in data.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(path, prefix + excerpt(key, quoted=False), f"unknown key (known: {known})")
        check, wanted = _KEYS[key]
        if not check(value):
            raise ConfigError(path, prefix + key, f"expected {wanted}, got {excerpt(value)}")
    base = path.absolute().parent
    top = repository_top(base)
    for key in PATH_KEYS:
        values = data.get(key, ())
        for value in [values] if isinstance(values, str) else values:
            reason = escape_reason(value, base, top)
            if reason:
                raise ConfigError(
                    path,
                    prefix + key,
                    f"{excerpt(value)} is {reason}; configuration may name only files inside the "
                    f"repository ({top}), so it was not read",
                )
    as_of = data.get("as-of")
    organizations = _organizations(path, prefix, data.get("organizations", []), explicit)
    return Config(
        path=path,
        exclude=tuple(data.get("exclude", ())),
        include=tuple(data.get("include", ())),
        rules=_pack_paths(path, prefix + "rules", [base / p for p in data.get("rules", ())], top),
        disable=tuple(data.get("disable", ())),
        per_path_ignores=tuple((glob, tuple(ids)) for glob, ids in data.get("per-path-ignores", {}).items()),
        fail_on=data.get("fail-on"),
        warn_within=data.get("warn-within"),
        sarif_category=data.get("sarif-category"),
        as_of=as_of if isinstance(as_of, date) or as_of is None else date.fromisoformat(as_of),
        max_file_size=data.get("max-file-size"),
        file_timeout=data.get("file-timeout"),
        gitignore=data.get("gitignore"),
        jobs=data.get("jobs"),
        baseline=base / data["baseline"] if "baseline" in data else None,
        cache=data.get("cache"),
        organizations=organizations,
    )


def _organizations(
    path: Path, prefix: str, tables: list[dict[str, Any]], explicit: bool
) -> tuple[tuple[str, str, str | None, str | None], ...]:
    """Each `[[organizations]]` table checked: a unique name, environment variable names."""
    key = prefix + "organizations"
    if tables and not explicit:
        raise ConfigError(
            path,
            key,
            "organizations are read only from a configuration named with --config (a scanned "
            "tree's own file could send a key elsewhere)",
        )
    found = []
    for index, table in enumerate(tables):
        where = f"{key}[{index}]"
        for name in table:
            if name not in ORGANIZATION_KEYS:
                raise ConfigError(
                    path,
                    f"{where}.{excerpt(name, quoted=False)}",
                    f"unknown key (known: {', '.join(ORGANIZATION_KEYS)})",
                )
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(path, f"{where}.name", "expected a non-empty string")
        if name in (f[0] for f in found):
            raise ConfigError(path, f"{where}.name", f"{excerpt(name)} names two organizations")
        variables = []
        for field in ORGANIZATION_KEYS[1:]:
            value = table.get(field)
            if value is None and field != "api_key_env":
                variables.append(None)
                continue
            if not isinstance(value, str) or not _VARIABLE.fullmatch(value):
                raise ConfigError(
                    path,
                    f"{where}.{field}",
                    f"expected the name of an environment variable, got {excerpt(value)}",
                )
            variables.append(value)
        found.append((name, *variables))
    return tuple(found)  # type: ignore[arg-type]


def _pack_paths(config: Path, key: str, paths: list[Path], top: Path) -> tuple[Path, ...]:
    """The configured packs, a directory replaced by the packs it holds, each checked to
    stay inside the repository: a directory inside may hold a link out."""
    from ftscan.rules.load import PACK_SUFFIXES

    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)  # a missing path is reported when packs load
            continue
        try:
            packs = sorted(p for p in path.iterdir() if p.suffix in PACK_SUFFIXES)
        except OSError as error:
            raise ConfigError(config, key, f"cannot list {excerpt(path.name)}: {error.strerror}") from None
        for pack in packs:
            if links_out(pack, top):
                raise ConfigError(
                    config,
                    key,
                    f"{excerpt(pack.name)} in {excerpt(path.name)} is a symbolic link "
                    "that leads outside the repository; not read",
                )
            files.append(pack)
    return tuple(files)


def default_cache_dir() -> Path | None:
    """`$FTSCAN_CACHE_DIR`, else `$XDG_CACHE_HOME/ftscan`, else `~/.cache/ftscan`; none if
    `FTSCAN_CACHE_DIR` is set to an empty string."""
    configured = os.environ.get("FTSCAN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ftscan"
