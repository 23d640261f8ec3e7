"""Python scripts without the `.py` extension, told by their content.

The walk names an extensionless file Python when its shebang says so. A file without one,
in a `scripts` or `bin` directory (`scripts/train`, `bin/finetune`), is Python when it
parses as Python; otherwise it stays text, without a word (it may be a shell script).
"""

from __future__ import annotations

import ast
import posixpath
import warnings

SCRIPT_DIRS = frozenset({"scripts", "script", "bin"})


def is_python_script(rel: str, text: str) -> bool:
    """An extensionless file in a scripts directory whose text parses as Python 3."""
    parent, name = posixpath.split(rel)
    if "." in name or posixpath.basename(parent) not in SCRIPT_DIRS or not text.strip():
        return False
    try:
        with warnings.catch_warnings():  # `"\d"` and the like warn while compiling
            warnings.simplefilter("ignore")
            ast.parse(text, filename=name)
    except Exception:  # a syntax error, NUL bytes, nesting too deep: not Python
        return False
    return True
