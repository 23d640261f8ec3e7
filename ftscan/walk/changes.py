"""Files changed since a git ref, plus untracked ones, without checking anything out."""

from __future__ import annotations

import subprocess
from pathlib import Path


class ChangesError(Exception):
    """git could not answer; the message says why."""


def _git(cwd: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ChangesError(f"cannot run git: {error}") from None
    if result.returncode != 0:
        raise ChangesError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def changed_files(directory: Path, ref: str) -> list[Path]:
    """Files added, copied, modified or renamed since `ref`, and untracked files, that exist."""
    top = Path(_git(directory, "rev-parse", "--show-toplevel").strip())
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ChangesError:
        raise ChangesError(f"{ref!r} is not a commit in {top}") from None
    names = _git(top, "diff", "--name-only", "-z", "--diff-filter=ACMR", ref, "--").split("\0")
    names += _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return sorted({top / name for name in names if name and (top / name).is_file()})
