"""The walk: gitignore at every level, excludes on explicit paths, symlinks, binaries, kinds."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftscan.walk import Walker, file_kind


def make(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def walk(root: Path, *paths: str, **options) -> tuple[list[str], Walker]:
    walker = Walker(root, **options)
    rels = [t.rel for t in walker.walk([root / p for p in paths] or [root])]
    return rels, walker


def test_gitignore_at_every_level_with_negation(tmp_path):
    make(
        tmp_path,
        {
            ".gitignore": "*.log\nsecret/\n",
            "a.py": "",
            "debug.log": "",
            "secret/x.py": "",
            "pkg/.gitignore": "gen_*.py\n!gen_keep.py\n",
            "pkg/gen_a.py": "",
            "pkg/gen_keep.py": "",
            "pkg/mod.py": "",
            "pkg/sub/keep.log": "",
            "pkg/sub/.gitignore": "!keep.log\n",
        },
    )
    rels, _ = walk(tmp_path)
    assert rels == [
        ".gitignore",
        "a.py",
        "pkg/.gitignore",
        "pkg/gen_keep.py",
        "pkg/mod.py",
        "pkg/sub/.gitignore",
        "pkg/sub/keep.log",
    ]


def test_git_info_exclude_and_default_excludes(tmp_path):
    make(
        tmp_path,
        {
            ".git/info/exclude": "local.py\n",
            ".git/config": "",
            "local.py": "",
            "node_modules/x/index.js": "",
            ".venv/lib/a.py": "",
            "src/app.py": "",
        },
    )
    rels, _ = walk(tmp_path)
    assert rels == ["src/app.py"]


def test_excludes_apply_to_explicit_files(tmp_path):
    make(tmp_path, {"a.py": "", "tests/b.py": "", "node_modules/c.js": ""})
    rels, _ = walk(tmp_path, "a.py", "tests/b.py", "node_modules/c.js", excludes=["tests/"])
    assert rels == ["a.py"]


def test_includes_select_files(tmp_path):
    make(tmp_path, {"a.py": "", "b.txt": "", "sub/c.py": ""})
    rels, _ = walk(tmp_path, includes=["*.py"])
    assert rels == ["a.py", "sub/c.py"]


def test_subdirectory_scan_honours_parent_gitignore(tmp_path):
    make(tmp_path, {".gitignore": "gen/\n", "src/gen/x.py": "", "src/y.py": ""})
    rels, _ = walk(tmp_path, "src")
    assert rels == ["src/y.py"]


def test_symlinks_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    make(outside, {"secret.py": "MODEL = 'ft:gpt-4o:x::Ab12Cd34'"})
    make(root, {"real.py": ""})
    os.symlink(outside, root / "escape")
    os.symlink(root, root / "loop")
    os.symlink(root / "real.py", root / "alias.py")
    rels, walker = walk(root)
    assert rels == ["real.py"]
    notes = {(n.path, n.kind) for n in walker.notifications}
    assert notes == {("escape", "symlink")}  # the loop and the alias stay inside the tree


def test_binary_and_large_files_are_reported(ftscan, tmp_path):
    """The walk reads no file: the scan, which reads each one once, tells these apart."""
    make(
        tmp_path,
        {
            "blob.bin2": b"\x00\x01ft:gpt-4o",
            "big.txt": "x" * 200,
            "logo.png": b"\x89PNG\x00",
            "small.txt": "x",
            "wide.txt": "ft:".encode("utf-16"),
        },
    )
    rels, walker = walk(tmp_path)
    assert rels == ["big.txt", "blob.bin2", "small.txt", "wide.txt"] and walker.notifications == []
    result = ftscan("scan", str(tmp_path), "--root", str(tmp_path), "-f", "json", "--max-file-size", "100")
    data = json.loads(result.stdout)
    assert [(n["path"], n["kind"], n["level"], n["message"]) for n in data["notifications"]] == [
        ("big.txt", "too-large", "warning", "200 bytes, over the 100-byte limit; not scanned"),
        ("blob.bin2", "binary", "note", "binary content; not scanned"),
    ]
    assert data["summary"]["files_scanned"] == 2


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("app.py", b"", "python"),
        ("nb.ipynb", b"", "notebook"),
        (".env", b"", "dotenv"),
        (".env.production", b"", "dotenv"),
        ("prod.env", b"", "dotenv"),
        (".envrc", b"", "dotenv"),
        ("values.yaml", b"", "yaml"),
        ("ci.yml", b"", "yaml"),
        ("a.json", b"", "json"),
        ("batch.jsonl", b"", "jsonl"),
        ("pyproject.toml", b"", "toml"),
        ("run.sh", b"", "shell"),
        ("Makefile", b"", "shell"),
        ("Dockerfile", b"", "shell"),
        ("README.md", b"", "markdown"),
        ("tool", b"#!/usr/bin/env python3\n", "python"),
        ("deploy", b"#!/bin/bash\n", "shell"),
        ("index.ts", b"", "javascript"),
        ("App.tsx", b"", "javascript"),
        ("server.cjs", b"", "javascript"),
    ],
)
def test_file_kinds(name, head, kind):
    assert file_kind(name, head) == kind


PATTERN_BITS = [
    "*.pyc",
    "dist/",
    "!keep.pyc",
    "/build",
    "foo/**/bar",
    "docs/*.md",
    "!docs/README.md",
    "[abc]x?.txt",
    "\\#hash",
    "a/b/",
    "**/logs",
    "# comment",
    "",
    "*.log",
    "!important.log",
    "secret",
    "sub/*",
    "!sub/x.py",
    "*/",
    "**/",
    "!*/",
    "/**/",
    "x/*/",
]
PATH_PARTS = [
    "a",
    "b",
    "dist",
    "build",
    "foo",
    "bar",
    "docs",
    "x.pyc",
    "keep.pyc",
    "README.md",
    "z.md",
    "axy.txt",
    "#hash",
    "logs",
    "sub",
    "x.py",
    "debug.log",
    "important.log",
    "secret",
]


@given(
    st.lists(st.sampled_from(PATTERN_BITS), max_size=8),
    st.lists(st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=4), min_size=1, max_size=20),
)
@settings(max_examples=200, deadline=None)
def test_the_joined_regex_never_changes_what_pathspec_decides(patterns, paths):
    import pathspec

    from ftscan.walk.ignore_rules import IgnoreSpec

    fast, exact = IgnoreSpec(patterns), pathspec.GitIgnoreSpec.from_lines(patterns)
    for parts in paths:
        for path in ("/".join(parts), "/".join(parts) + "/"):
            assert fast.check(path) == exact.check_file(path).include, (patterns, path)
