"""A file's kind (which scanner reads it) and the suffixes of binary files.

The one place that says what a file is: by its name, its suffix and, for a file without
an extension, its shebang. A scanner for a new language adds its suffixes here.
"""

from __future__ import annotations

import os

# Files that are binary by their extension: passed over without a word.
BINARY_SUFFIXES = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".ico",
        ".bmp",
        ".tif",
        ".tiff",
        ".webp",
        ".psd",
        ".svgz",
        ".pdf",
        ".zip",
        ".gz",
        ".tgz",
        ".bz2",
        ".xz",
        ".7z",
        ".rar",
        ".jar",
        ".war",
        ".class",
        ".so",
        ".dylib",
        ".dll",
        ".exe",
        ".bin",
        ".o",
        ".a",
        ".lib",
        ".pyc",
        ".pyo",
        ".whl",
        ".egg",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".mp3",
        ".mp4",
        ".m4a",
        ".mov",
        ".avi",
        ".wav",
        ".flac",
        ".ogg",
        ".webm",
        ".mkv",
        ".parquet",
        ".pkl",
        ".pickle",
        ".npy",
        ".npz",
        ".h5",
        ".hdf5",
        ".onnx",
        ".pt",
        ".pth",
        ".ckpt",
        ".safetensors",
        ".db",
        ".sqlite",
        ".sqlite3",
        ".dat",
        ".DS_Store",
    }
)

KIND_BY_SUFFIX = {
    ".py": "python",
    ".pyi": "python",
    ".pyw": "python",
    ".ipynb": "notebook",
    ".yml": "yaml",
    ".yaml": "yaml",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".toml": "toml",
    ".sh": "shell",
    ".bash": "shell",
    ".zsh": "shell",
    ".mk": "shell",
    ".md": "markdown",
    ".markdown": "markdown",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "javascript",
    ".mts": "javascript",
    ".cts": "javascript",
    ".tsx": "javascript",
    ".go": "go",
    ".java": "java",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".rb": "ruby",
    ".cs": "csharp",
    ".php": "php",
    ".tf": "terraform",
    ".tfvars": "terraform",
    ".tofu": "terraform",
}
KIND_BY_NAME = {
    "Makefile": "shell",
    "makefile": "shell",
    "GNUmakefile": "shell",
    "Dockerfile": "shell",
    "Containerfile": "shell",
    ".envrc": "dotenv",
}


def file_kind(name: str, head: bytes = b"", *, suffix: str | None = None) -> str:
    """The kind of a file by its name and, without an extension, its shebang (`suffix`:
    the name's extension in lower case, when the caller has it already)."""
    if name in KIND_BY_NAME:
        return KIND_BY_NAME[name]
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return "dotenv"
    if name.startswith("Dockerfile."):
        return "shell"
    if suffix is None:
        suffix = os.path.splitext(name)[1].lower()
    if suffix in KIND_BY_SUFFIX:
        return KIND_BY_SUFFIX[suffix]
    if not suffix and head.startswith(b"#!"):
        first = head.split(b"\n", 1)[0]
        if b"python" in first:
            return "python"
        if any(shell in first for shell in (b"sh", b"bash", b"zsh")):
            return "shell"
    return "text"


def name_globs(kinds: frozenset[str]) -> list[str]:
    """Globs naming the files of these kinds by name or suffix (any case: a superset)."""
    suffixes = [f"*{suffix}" for suffix, kind in KIND_BY_SUFFIX.items() if kind in kinds]
    return [*suffixes, *(name for name, kind in KIND_BY_NAME.items() if kind in kinds)]
