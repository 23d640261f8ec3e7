"""Which application a file belongs to, and what kind of file it is.

An application is the nearest directory, from the file's own up to the scan root, that holds
a project file (`pyproject.toml`, `setup.py`, `package.json`, `Dockerfile`); without one, the
file's top-level folder. The root itself is named `.`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath

PROJECT_FILES = ("pyproject.toml", "setup.py", "package.json", "Dockerfile")

_KIND_BY_SUFFIX = {
    ".ipynb": "notebook",
    ".yml": "config",
    ".yaml": "config",
    ".json": "config",
    ".toml": "config",
    ".ini": "config",
    ".cfg": "config",
    ".conf": "config",
    ".properties": "config",
    ".tf": "config",
    ".hcl": "config",
    ".jsonl": "data",
    ".ndjson": "data",
    ".csv": "data",
    ".md": "docs",
    ".markdown": "docs",
    ".rst": "docs",
    ".txt": "docs",
    ".adoc": "docs",
    ".sh": "script",
    ".bash": "script",
    ".zsh": "script",
    ".mk": "script",
    ".ps1": "script",
}
_SCRIPT_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile", "Justfile", "justfile"})
_CI_NAMES = frozenset({".gitlab-ci.yml", "Jenkinsfile", "azure-pipelines.yml", "bitbucket-pipelines.yml"})


class Applications:
    """Applications of paths relative to `root`; each directory is looked at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._is_project = lru_cache(maxsize=None)(self._has_project_file)

    def of(self, path: str) -> str:
        parts = PurePosixPath(path).parts[:-1]
        if ".." in parts:  # outside the root: no project files to look at
            return parts[0] if parts else "."
        for depth in range(len(parts), -1, -1):
            directory = "/".join(parts[:depth])
            if self._is_project(directory):
                return directory or "."
        return parts[0] if parts else "."

    def _has_project_file(self, directory: str) -> bool:
        folder = self.root / directory if directory else self.root
        return any((folder / name).is_file() for name in PROJECT_FILES)


def file_kind(path: str) -> str:
    """code, notebook, config, env, ci, container, script, data or docs, by the file's name."""
    pure = PurePosixPath(path)
    name = pure.name
    if name in (".env", ".envrc") or name.startswith(".env.") or name.endswith(".env"):
        return "env"
    if name in _CI_NAMES or ".github/workflows" in pure.parent.as_posix():
        return "ci"
    if name.startswith(("Dockerfile", "Containerfile")):
        return "container"
    if name in _SCRIPT_NAMES:
        return "script"
    return _KIND_BY_SUFFIX.get(pure.suffix.lower(), "code")
