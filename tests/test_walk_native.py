"""The native walk (ripgrep) finds exactly what the reference walk finds, and skips only
files whose scan would find nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftscan.pipeline import prefilter_needles
from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import scan_file
from ftscan.types import FileLimits, FileResult
from ftscan.walk import FILE_LIST_MIN, MISSING_ENGINE, FileWalk, Walker
from ftscan.walk.native import find_rg

ROOT = Path(__file__).resolve().parents[1]
PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [rule for pack in PACKS for rule in pack.rules])
NEEDLES = prefilter_needles(PATTERNS)
LIMIT = 64  # bytes: a few of the generated files are over it
pytestmark = pytest.mark.skipif(
    find_rg() is None or not hasattr(os, "mkfifo"), reason="ripgrep and a POSIX file system needed"
)

DIRS = [
    "a",
    "b",
    "a/sub",
    "b/deep/er",
    ".hidden",
    "build",
    "node_modules",
    "x/build",
    "keep",
    "a/keep",
    "pic.png",
]
NAMES = [
    "m.py", "n.txt", ".env", "c.json", "README.md", "tool", "img.png", "k.yaml", "x.ipynb", "f.TXT",
    "d.jsonl", "IMG.PNG", ".png",
]  # fmt: skip
CONTENTS = [
    b"print('hello')\n",
    b"client.fine_tuning.jobs.create(model='gpt-4o')\n",
    b'MODEL = "ft:gpt-4o-mini-2024-07-18:acme:s:Bq7x2LmN"\n',
    b"x = 1  # ftscan: ignore[FT101] -- test data\n",
    b"#!/usr/bin/env python\nimport os\n",
    b"binary\0data\n",
    "\ufeffutf-16 text".encode("utf-16"),
    b"draft: a word that holds ft:\n",
    b"left: int = 1  # shift: no model ID here\n",  # `ft:` inside words: read by neither walk
    b'M = "\\nft:gpt-4o-mini-2024-07-18:acme:e:Bq7x2LmN"\n',  # after an escape
    b"M=${MODEL:-ft:gpt-4o-mini-2024-07-18:acme:d:Bq7x2LmN}\n",  # a shell default
    b"x.ft:gpt-4o-mini-2024-07-18:acme:x:Bq7x2LmN\n",
    b"a line that is long enough to be over the limit of the test walk, which is short\n",
    b"",
]
PATTERNS_POOL = [
    "*.txt", "!n.txt", "/a", "b/", "**/m.py", "a/*.py", "!a/", "*.md", ".env", "!.env", "build",
    "a/**", "!a/sub/m.py", "# comment", "", "[mn].*", "?.py", "sub", "!sub/", "deep/", "*.json",
    "!keep/", "keep/*", "!keep/m.py", "/b/deep", "tool", "*", "!*/", "!*.py", ".hidden/",
]  # fmt: skip
EXCLUDES = [(), ("a/",), ("*.json",), ("b/deep",), ("**/m.py",), ("keep",)]
INCLUDES = [(), ("*.py",), ("a/**",), ("*.md", "*.env")]


@st.composite
def trees(draw: st.DrawFn) -> dict:
    files = draw(
        st.dictionaries(
            st.tuples(st.sampled_from(["", *DIRS]), st.sampled_from(NAMES)).map(
                lambda t: "/".join(filter(None, t))
            ),
            st.sampled_from(CONTENTS),
            min_size=1,
            max_size=25,
        )
    )
    ignores = draw(
        st.dictionaries(
            st.sampled_from(["", *DIRS]), st.lists(st.sampled_from(PATTERNS_POOL), max_size=6), max_size=4
        )
    )
    return {
        "files": files,
        "ignores": ignores,
        "exclude_file": draw(st.sampled_from([None, "# only comments\n", "*.yaml\n", "!n.txt\n"])),
        "links": draw(st.lists(st.sampled_from(["in", "out", "broken", "dir", "fifo"]), max_size=3)),
        "excludes": draw(st.sampled_from(EXCLUDES)),
        "includes": draw(st.sampled_from(INCLUDES)),
        "gitignore": draw(st.booleans()),
        # The paths named on the command line: the root, directories below it (nested and
        # overlapping ones too), files; and a `.gitignore` above the root, which no walk reads.
        "args": draw(
            st.lists(
                st.sampled_from(["", "", *DIRS, "m.py", "a/m.py", "a/sub/x.ipynb"]), min_size=1, max_size=3
            )
        ),
        "outer_ignore": draw(st.booleans()),
        # ftscan's own files (a report, a baseline), which no walk yields
        "skip": draw(st.sampled_from([(), ("m.py",), ("a/m.py", "c.json", "a/sub/x.ipynb")])),
    }


def build(base: Path, tree: dict) -> Path:
    root = base / "repo"
    root.mkdir()
    for rel, data in tree["files"].items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for rel_dir, lines in tree["ignores"].items():
        directory = root / rel_dir
        directory.mkdir(parents=True, exist_ok=True)
        (directory / ".gitignore").write_text("\n".join(lines) + "\n")
    if tree["exclude_file"] is not None:
        (root / ".git" / "info").mkdir(parents=True)
        (root / ".git" / "info" / "exclude").write_text(tree["exclude_file"])
    (base / "outside.py").write_text("M = 'ft:gpt-4o-mini-2024-07-18:acme:o:Bq7x2LmN'\n")
    if tree.get("outer_ignore"):
        (base / ".gitignore").write_text("*.py\nkeep/\n")
    for i, kind in enumerate(tree["links"]):
        where = root / ("a" if i % 2 else "") / f"link{i}.py"
        where.parent.mkdir(parents=True, exist_ok=True)
        if kind == "fifo":
            os.mkfifo(where)
            continue
        target = {"in": root / "a", "out": base / "outside.py", "broken": root / "nowhere", "dir": base}[kind]
        os.symlink(target, where)
    return root


def walks(root: Path, tree: dict, **more) -> tuple[FileWalk, Walker]:
    options = {
        "excludes": tree["excludes"],
        "includes": tree["includes"],
        "use_gitignore": tree["gitignore"],
        "skip": frozenset(tree["skip"]),
    }
    return FileWalk(root, needles=NEEDLES, max_bytes=LIMIT, **options, **more), Walker(root, **options)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_the_native_walk_finds_what_the_reference_walk_finds(tree):
    with tempfile.TemporaryDirectory() as base:
        root = build(Path(base), tree)
        native, reference = walks(root, tree)
        args = [root / arg if arg else root for arg in tree["args"]]
        found = list(native.walk(args))
        expected = list(reference.walk(args))
        assert [(t.rel, t.kind) for t in found] == [(t.rel, t.kind) for t in expected]
        assert sorted(map(repr, native.notifications)) == sorted(map(repr, reference.notifications))
        limits = FileLimits(LIMIT)
        for target in found:  # a file the walk did not mark is one whose scan finds nothing
            if not target.holds_needle:
                assert scan_file(target.path, target.rel, target.kind, PATTERNS, limits) == FileResult(
                    target.rel
                )
        has_rules = tree["exclude_file"] not in (None, "# only comments\n") and tree["gitignore"]
        if tree["args"] == [""]:
            assert native.engine == ("python" if has_rules else "ripgrep")

        # A walk that may leave out what holds nothing: the same targets, in the same order,
        # less those it counted instead; the same notes; every file when asked.
        partial, _ = walks(root, tree, every_file=False, read_always=frozenset({"jsonl"}))
        listed = list(partial.walk(args))
        kept = {t.rel for t in listed}
        assert listed == [t for t in found if t.rel in kept]
        assert all(not t.holds_needle and t.kind != "jsonl" for t in found if t.rel not in kept)
        assert len(listed) + partial.unlisted == len(expected)
        assert sorted(map(repr, partial.notifications)) == sorted(map(repr, reference.notifications))
        every = partial.every_target()
        if every is not None:
            assert [(t.rel, t.kind) for t in every] == [(t.rel, t.kind) for t in expected]


def test_a_file_over_the_limit_is_read_by_the_scan_and_reported(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * (LIMIT + 1))
    (tmp_path / "small.txt").write_bytes(b"x")
    native = FileWalk(tmp_path, needles=NEEDLES, max_bytes=LIMIT)
    marked = {t.rel: t.holds_needle for t in native.walk([tmp_path])}
    assert native.engine == "ripgrep"
    assert marked == {"big.txt": True, "small.txt": False}


def test_the_second_pass_marks_only_files_that_hold_its_needles(tmp_path):
    (tmp_path / "reads.py").write_text("import os\nm = os.environ['SUPPORT_MODEL']\n")
    (tmp_path / "other.py").write_text("import os\n")
    native = FileWalk(tmp_path, needles=NEEDLES)
    targets = list(native.walk([tmp_path]))
    marked = {t.rel: t.holds_needle for t in native.holding(targets, ["SUPPORT_MODEL"])}
    assert marked == {"other.py": False, "reads.py": True}


def test_a_gitignore_that_is_a_fifo_leaves_the_walk_to_python(tmp_path):
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / ".gitignore")
    (tmp_path / "sub" / "m.py").write_text("x = 1\n")
    native = FileWalk(tmp_path, needles=NEEDLES)
    assert [t.rel for t in native.walk([tmp_path])] == ["sub/m.py"]
    assert native.engine == "python"


def scan(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ftscan", "scan", str(root), "--as-of", "2026-06-01", "-f", "sarif"]
    return subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=False
    )


def test_without_ripgrep_the_python_walk_gives_the_same_report_and_says_so_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "job.py").write_text(
        "import openai, os\nopenai.fine_tuning.jobs.create(model=os.environ['SUPPORT_MODEL'])\n"
    )
    (tmp_path / ".env").write_text("SUPPORT_MODEL=ft:gpt-4o-mini-2024-07-18:acme:s:Bq7x2LmN\n")
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    (tmp_path / "ignored.py").write_text("M = 'ft:gpt-4o-mini-2024-07-18:acme:i:Bq7x2LmN'\n")
    native = scan(tmp_path, {})
    missing = scan(tmp_path, {"FTSCAN_RG": str(tmp_path / "no-such-rg")})
    assert native.returncode == missing.returncode == 1, missing.stderr
    assert missing.stdout == native.stdout
    assert "ignored.py" not in native.stdout and "SUPPORT_MODEL" in native.stdout
    assert missing.stderr.count(MISSING_ENGINE) == 1
    assert MISSING_ENGINE not in native.stderr


@pytest.mark.parametrize("fixture", ["demo", "everywhere"])
def test_the_fixtures_sarif_is_the_same_from_either_walk(fixture):
    root = ROOT / "fixtures" / fixture
    args = [sys.executable, "-m", "ftscan", "scan", str(root), "--root", str(root), "-f", "sarif"]
    args += ["--as-of", "2026-06-01", "--exit-zero"]
    runs = [
        subprocess.run(
            args, cwd=ROOT, env={**os.environ, **env}, capture_output=True, timeout=120, check=True
        )
        for env in ({}, {"FTSCAN_WALK": "python"})
    ]
    assert runs[0].stdout == runs[1].stdout
    assert b'"results": [' in runs[0].stdout and runs[0].stdout.count(b'"ruleId"') > 5


def test_a_directory_named_below_the_root_walks_natively(tmp_path):
    """`ftscan scan src`: the root's and the directories' `.gitignore` files apply, ripgrep
    lists the directory, and the files come in the reference walk's order."""
    root = tmp_path / "repo"
    for rel in ("src/a.py", "src/skip.py", "src/deep/b.py", "src/deep/gen.py", "docs/c.md", "d.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("MODEL = 'ft:gpt-4o-mini-2024-07-18:acme:s:Bq7x2LmN'\n")
    (root / ".gitignore").write_text("skip.py\n")
    (root / "src" / ".gitignore").write_text("/deep/gen.py\n")
    args = [root / "src", root / "d.py", root / "src" / "deep"]
    native = FileWalk(root, needles=NEEDLES)
    found = [t.rel for t in native.walk(args)]
    assert native.engine == "ripgrep"
    assert found == ["src/.gitignore", "src/a.py", "src/deep/b.py", "d.py"]
    assert found == [t.rel for t in Walker(root).walk(args)]
    # A `.gitignore` above the root is read by neither walk: ripgrep would, so Python walks.
    (tmp_path / ".gitignore").write_text("*.py\n")
    native = FileWalk(root, needles=NEEDLES)
    assert [t.rel for t in native.walk(args)] == found and native.engine == "python"


def test_a_long_list_of_files_is_marked_by_one_ripgrep_pass(tmp_path):
    """`--changed-since` or a large hook run names files one by one: from `FILE_LIST_MIN`
    of them, ripgrep reads them first, and only those that can give something are read
    again; a file over the limit is kept for the scan to report."""
    contents = [*CONTENTS, b"x" * (LIMIT + 1)]
    paths = []
    for i in range(FILE_LIST_MIN + 20):
        path = tmp_path / f"d{i % 3}" / f"f{i}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(contents[i % len(contents)])
        paths.append(path)
    native = FileWalk(tmp_path, needles=NEEDLES, max_bytes=LIMIT)
    found = list(native.walk(paths))
    assert native.engine == "ripgrep"
    assert [(t.rel, t.kind) for t in found] == [(t.rel, t.kind) for t in Walker(tmp_path).walk(paths)]
    limits = FileLimits(LIMIT)
    unmarked = [t for t in found if not t.holds_needle]
    assert unmarked and len(unmarked) < len(found)
    for target in unmarked:
        assert scan_file(target.path, target.rel, target.kind, PATTERNS, limits) == FileResult(target.rel)
    assert all(t.holds_needle for t in found if os.path.getsize(t.path) > LIMIT)
    few = FileWalk(tmp_path, needles=NEEDLES, max_bytes=LIMIT)
    assert all(t.holds_needle for t in few.walk(paths[:10])) and few.engine == "python"


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "link to a file"])
def test_a_gitignore_above_a_named_directory_that_is_not_a_file_leaves_the_walk_to_python(tmp_path, kind):
    """ripgrep reads the `.gitignore` files above a named directory; the walk never reads
    one that is a link or a FIFO (it could block or never end), so Python walks."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "m.py").write_text("M = 'ft:gpt-4o-mini-2024-07-18:acme:s:Bq7x2LmN'\n")
    ignore = tmp_path / ".gitignore"
    if kind == "fifo":
        os.mkfifo(ignore)
    else:
        target = tmp_path / "rules.txt" if kind == "link to a file" else Path("/dev/zero")
        (tmp_path / "rules.txt").write_text("*.py\n")
        os.symlink(target, ignore)
    native = FileWalk(tmp_path, needles=NEEDLES)
    assert [t.rel for t in native.walk([tmp_path / "a"])] == ["a/m.py"] and native.engine == "python"


def test_the_walks_ft_pattern_finds_every_text_the_scan_would_read(tmp_path):
    """`RG_FT_START` is a superset of `could_hold_id`: ripgrep lists every file whose bytes
    the scan's own test accepts (and `left:`-style text is left out)."""
    from ftscan.model_ids import RG_FT_START, could_hold_id

    texts = [b"ft:", b"x ft:", b"left:", b"shift: 1", b"x.ft:", b"-ft:", b"${M:-ft:", b'"\\nft:', b"\\\nxft:",
             b"a\\\n.ft:", b"\\u00a0ft:", b"\xe9ft:", b"\tft:", b"_ft:", b"9ft:", b"\r\nft:"]  # fmt: skip
    for i, text in enumerate(texts):
        (tmp_path / f"t{i}").write_bytes(text)
    rg = find_rg()
    listed = subprocess.run(
        [rg, "--files-with-matches", "--text", "--no-config", "-e", RG_FT_START, "."],
        cwd=tmp_path, capture_output=True, check=False, text=True,
    ).stdout.split()  # fmt: skip
    found = {name.removeprefix("./") for name in listed}
    accepted = {f"t{i}" for i, text in enumerate(texts) if could_hold_id(text)}
    assert accepted <= found
    assert {"t2", "t3", "t4"}.isdisjoint(found)


def test_a_walk_that_lists_only_what_can_match_reports_what_the_reference_walk_reports(tmp_path):
    """A scan of directories reads only the files holding a needle and counts the others:
    the same report, file count included, as the reference walk's, with a training set
    that holds no needle, a variable read in a file that holds nothing else, a binary
    suffix in capitals, and ftscan's own report inside the tree from an earlier run."""
    root = tmp_path / "repo"
    files = {
        "app/chat.py": "import os\nmodel = os.environ['SUPPORT_MODEL']\n",
        "app/util.py": "def add(a, b):\n    return a + b\n",
        ".env": "SUPPORT_MODEL=ft:gpt-4o-mini-2024-07-18:acme:s:Bq7x2LmN\n",
        "data/train.jsonl": '{"messages": [{"role": "user", "content": "hi"}]}\n' * 3,
        "Logo.PNG": "not an image\n",
        "notes.txt": "nothing to see\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    reports = {}
    for walk in ("ripgrep", "python"):
        report = root / "report.sarif"
        command = [sys.executable, "-m", "ftscan", "scan", str(root), "--root", str(root), "-f", "sarif"]
        command += ["-o", str(report), "--as-of", "2026-06-01", "--exit-zero"]
        env = {**os.environ, "FTSCAN_WALK": walk}
        for _ in range(2):  # the second run finds the first one's report in the tree
            subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120, check=True)
        reports[walk] = report.read_text()
    assert reports["ripgrep"] == reports["python"]
    assert '"filesScanned": 5' in reports["ripgrep"]  # neither the image nor the report
    assert "app/chat.py" in reports["ripgrep"] and "data/train.jsonl" in reports["ripgrep"]
