"""Which module a Python file is, by its path alone."""

from __future__ import annotations

from pathlib import PurePosixPath


def module_parts(path: str) -> tuple[str, ...]:
    """The module a file is, by its path: `src/trainer/client.py` is `src.trainer.client`,
    a package's `__init__.py` the package."""
    pure = PurePosixPath(path)
    parts = pure.parent.parts if pure.stem == "__init__" else (*pure.parent.parts, pure.stem)
    return tuple(part for part in parts if part not in ("", "."))
