"""Which repository an inventory describes: a name for the estate, and the commit scanned.

The name is `--repo NAME`, else the `owner/name` of the git remote `origin` (only those two
parts of its URL: a URL may carry credentials), else the directory's name. A directory below
the top of its work tree (one part of a monorepo) adds its path: `acme/mono/services/api`,
so two parts of one repository stay two repositories of the estate, and their links keep
the path. The commit is `git rev-parse HEAD`. git is asked only for these reads, which run
no hook and no configured command of the scanned repository; without git, or outside a
repository, the commit is unknown.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ftscan.inventory.plan import Repository

_TIMEOUT = 10
_REMOTE = re.compile(r"[:/](?P<owner>[A-Za-z0-9_.\-]+)/(?P<name>[A-Za-z0-9_.\-]+?)(?:\.git)?/?$")
# The host of `https://[user@]host/...`, `ssh://git@host[:port]/...` or `git@host:...`.
_HOST = re.compile(r"^(?:[a-z+]+://)?(?:[^@/]+@)?(?P<host>[A-Za-z0-9][A-Za-z0-9.\-]*\.[A-Za-z]{2,})[:/]")
COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
URL = re.compile(r"https://[A-Za-z0-9][A-Za-z0-9.\-]*/[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+")  # as written below


def is_repository_name(name: str) -> bool:
    """Printable, and without `:`, which separates a repository's name from its paths."""
    return bool(name) and ":" not in name and name.isprintable()


def repository_name(text: str) -> str:
    """`text` as a repository's name: each `:` and unprintable character made `_`."""
    return "".join("_" if char == ":" or not char.isprintable() else char for char in text) or "_"


def describe_repository(root: Path, name: str | None = None) -> Repository:
    """The repository at `root`, named `name` when given."""
    remote = _git(root, "config", "--get", "remote.origin.url")
    found = _REMOTE.search(remote) if remote else None
    directory = _directory(root) if found else None
    default = f"{found['owner']}/{found['name']}" if found else root.resolve().name or "."
    if directory:
        default = f"{default}/{directory}"
    default = repository_name(default)  # a directory's name may hold anything
    host = _HOST.match(remote) if remote and found else None
    url = f"https://{host['host']}/{found['owner']}/{found['name']}" if host and found else None
    commit = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return Repository(
        name=name or default,
        commit=commit if commit and COMMIT.fullmatch(commit) else None,
        url=url,
        directory=directory,
    )


def _directory(root: Path) -> str | None:
    """`root`'s path below the top of its work tree, or None at the top."""
    prefix = _git(root, "rev-parse", "--show-prefix")
    return prefix.strip("/") or None if prefix else None


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    output = result.stdout.strip()
    return output if result.returncode == 0 and output else None
