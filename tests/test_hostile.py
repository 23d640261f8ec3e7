"""Hostile repositories: ftscan finishes, reports what it could not read, still reports every
finding it can see, never runs or follows what it scans, and says the same thing every time.

Most cases live in one tree (`corpus`), scanned once per output format through the command
line and once more to compare; the rest need a tree of their own (files that change between
the walk and the scan, determinism over a process pool) or a single scanner call (time and
memory bounds).
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import AS_OF, ROOT
from sarif_validators import schema_errors

from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import scan_file, scan_source
from ftscan.types import FileLimits
from ftscan.walk import DEFAULT_MAX_BYTES

PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [rule for pack in PACKS for rule in pack.rules])
LINUX_LIKE = hasattr(os, "mkfifo") and hasattr(os, "O_NOFOLLOW")
pytestmark = pytest.mark.skipif(not LINUX_LIKE, reason="FIFOs, symbolic links and O_NOFOLLOW needed")


def model(tag: str) -> str:
    """A real-looking fine-tuned model ID, unique by `tag`."""
    return f"ft:gpt-4o-mini-2024-07-18:northwind:{tag}:Bq7x2LmN"


def ftscan(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh interpreter that never puts `cwd` on `sys.path` (`-I`)."""
    return subprocess.run(
        [sys.executable, "-I", "-m", "ftscan", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        encoding="utf-8",
        errors="surrogateescape",
    )


def scan_args(root: Path, fmt: str, *extra: str) -> list[str]:
    return [
        "scan",
        str(root),
        "--root",
        str(root),
        "--as-of",
        AS_OF,
        "-f",
        fmt,
        "--no-config",
        "--no-progress",
        *extra,
    ]


def sarif_notes(log: dict) -> list[tuple[str, str]]:
    """(URI, kind) of each tool execution notification."""
    notes = log["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])
    return [
        (n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], n["descriptor"]["id"])
        for n in notes
    ]


def sarif_results(log: dict) -> list[tuple[str, str, str, int, int]]:
    """(URI, rule, value, line, column) of each result."""
    return [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"],
            r["properties"]["value"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in log["runs"][0]["results"]
    ]


def write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def nested_past_path_max(root: Path, rel: str, content: bytes) -> str:
    """Directories nested deeper than PATH_MAX allows a path to name, a file at the bottom;
    built relative to each directory, as no single path reaches it. Returns the top's rel."""
    name = "d" * 200
    top = os.open(root, os.O_RDONLY)
    os.mkdir(rel, dir_fd=top)
    fd = os.open(rel, os.O_RDONLY, dir_fd=top)
    os.close(top)
    try:
        for _ in range(25):  # 25 * 201 characters > 4096
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("deep.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, content)
        os.close(out)
    finally:
        os.close(fd)
    return rel


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under `root` (not followed): mode, size and modification time."""
    found = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(directory, name)
            try:
                info = os.lstat(path)
            except OSError:  # past PATH_MAX
                continue
            found[os.path.relpath(path, root)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


# ------------------------------------------------------------------ the corpus

SIDE_EFFECT = "import pathlib\npathlib.Path({marker!r}).write_text('ran')\n"
SIDE_EFFECT_FILES = (
    "setup.py",
    "conftest.py",
    "sitecustomize.py",
    "usercustomize.py",
    "__main__.py",
    "click.py",
    "yaml.py",
    "libcst.py",
    "json.py",
    "shlex.py",
    "pkg/__init__.py",
    "ftscan/__init__.py",
    "ftscan/__main__.py",
)
ESC_NAME = "names/\x1b[2J\x1b]0;owned\x07red.py"
ODD_NAME = "names/we ird 'single' \"double\" café ü.py"
LONG_NAME = "names/" + "ü" * 120 + ".py"  # 243 bytes, near NAME_MAX


@dataclass
class Corpus:
    root: Path
    outside: Path
    markers: Path
    # rel path -> the notification kinds it must have
    notes: dict[str, set[str]] = field(default_factory=dict)
    # (rel path, rule, value, line or None) that must be reported
    findings: list[tuple[str, str, str, int | None]] = field(default_factory=list)

    def plant(
        self, rel: str, content: str | bytes, *found: tuple[str, str, int | None], note: str | None = None
    ) -> None:
        write(self.root, rel, content)
        self.findings += [(rel, rule, value, line) for rule, value, line in found]
        if note:
            self.notes.setdefault(rel, set()).add(note)


def build_corpus(base: Path) -> Corpus:
    root, outside, markers = base / "repo", base / "outside", base / "markers"
    for directory in (root, outside, markers):
        directory.mkdir()
    c = Corpus(root, outside, markers)

    # Code that does not parse: every ID and call still reported, through the text fallback.
    c.plant(
        "legacy/py2.py",
        f'import openai\nprint "training"\njob = openai.FineTune.create(training_file="f", model="curie")\n'
        f'MODEL = "{model("py2")}"\n',
        ("FT301", "openai.FineTune.create", 3),
        ("FT101", model("py2"), 4),
        note="parse-error",
    )
    c.plant(
        "broken/syntax.py",
        f"from openai import OpenAI\nclient = OpenAI()\ndef broken(:\n"
        f'client.fine_tuning.jobs.create(model="{model("syntax")}", training_file="f")\n',
        ("FT201", "openai.fine_tuning.jobs.create", 4),
        ("FT101", model("syntax"), 4),
        note="parse-error",
    )
    c.plant(
        "broken/nul.py",
        f'x = 1\nMODEL = "{model("nul")}"\x00\n',
        ("FT101", model("nul"), 2),
        note="parse-error",
    )
    c.plant(
        "broken/nul.yaml",
        f'a: "\x00"\nmodel: {model("nulyaml")}\n',
        ("FT101", model("nulyaml"), 2),
        note="parse-error",
    )
    c.plant(
        "broken/chain.py",
        "x = " + "a - " * 40_000 + f'a\nMODEL = "{model("chain")}"\n',
        ("FT101", model("chain"), 2),
        note="parse-error",
    )
    c.plant(
        "broken/brackets.py",
        "x = " + "[" * 100_000 + "]" * 100_000 + f'\nM = "{model("brackets")}"\n',
        ("FT101", model("brackets"), 2),
        note="parse-error",
    )
    cells = {
        "cells": [
            {
                "cell_type": "code",
                "source": [
                    "print 'py2'\n",
                    f'M = "{model("cell")}"\n',
                    "!openai api fine_tunes.create -t x\n",
                ],
            }
        ]
    }
    c.plant(
        "broken/py2.ipynb",
        json.dumps(cells, indent=1),
        ("FT101", model("cell"), None),
        ("FT301", "openai api fine_tunes.create", None),
        note="parse-error",
    )

    # Too large, too deep, too many aliases.
    minified = "var a=1;" * (10 * 1024 * 1024 // 8) + f'var m="{model("minified")}";'
    c.plant("static/app.min.js", minified, note="too-large")
    c.plant(
        "deep/nested.json",
        "[" * 100_000 + f'"{model("deepjson")}"' + "]" * 100_000,
        ("FT101", model("deepjson"), 1),
        note="parse-error",
    )
    c.plant(
        "deep/nested.yaml",
        "a: " + "[" * 100_000 + model("deepyaml") + "]" * 100_000 + "\n",
        ("FT101", model("deepyaml"), 1),
        note="parse-limit",
    )
    c.plant(
        "deep/nested.ipynb",
        '{"cells": ' + "[" * 100_000 + f'"{model("deepnb")}"' + "]" * 100_000 + "}",
        ("FT101", model("deepnb"), 1),
        note="parse-error",
    )
    c.plant(
        "deep/nested.toml",
        "a = " + "[" * 100_000 + f'"{model("deeptoml")}"' + "]" * 100_000 + "\n",
        ("FT101", model("deeptoml"), 1),
        note="parse-error",
    )
    c.plant("bomb/laughs.yaml", BILLION_LAUGHS + f"model: {model('bomb')}\n", ("FT101", model("bomb"), 11))

    # Duplicate keys: both values are in the file, both are dependencies.
    c.plant(
        "dup/keys.json",
        f'{{"model": "{model("dupa")}",\n "model": "{model("dupb")}"}}\n',
        ("FT101", model("dupa"), 1),
        ("FT101", model("dupb"), 2),
    )
    c.plant(
        "dup/keys.yaml",
        f"model: {model('dupc')}\nmodel: {model('dupd')}\n",
        ("FT101", model("dupc"), 1),
        ("FT101", model("dupd"), 2),
    )

    # Encodings.
    c.plant(
        "enc/invalid.py",
        b'# caf\xe9\nMODEL = "' + model("badutf8").encode() + b'"\n',
        ("FT101", model("badutf8"), 2),
        note="decode-error",
    )
    c.plant(
        "enc/utf16.env",
        codecs.BOM_UTF16_LE + f"# \u00e9t\u00e9\nMODEL={model('utf16')}\n".encode("utf-16-le"),
        ("FT101", model("utf16"), 2),
    )
    c.plant(
        "enc/latin1.yaml",
        f"name: caf\u00e9\nmodel: {model('latin1')}\n".encode("latin-1"),
        ("FT101", model("latin1"), 2),
        note="decode-error",
    )

    # Line ends: lines and columns as on an editor's screen.
    for name, eol in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
        source = eol.join(
            [
                "from openai import OpenAI",
                "client = OpenAI()",
                "",
                f'client.fine_tuning.jobs.create(model="{model(name)}", training_file="f")',
                f'OTHER = "{model(name + "2")}"  # ftscan: ignore[FT101]',
                "",
            ]
        )
        c.plant(
            f"eol/{name}.py",
            source,
            ("FT201", "openai.fine_tuning.jobs.create", 4),
            ("FT101", model(name), 4),
        )
    c.plant(
        "eol/formfeed.sh",
        "echo a\x0c\nopenai api fine_tunes.create -t x  # ftscan: ignore[FT301,OP104]\n"
        f"echo {model('formfeed')}\n",
        ("FT101", model("formfeed"), 3),
    )

    # What is not a file: FIFOs (one as a .gitignore), links in a loop, out of the tree, to a device.
    os.mkfifo(root / "pipe.py")
    c.notes["pipe.py"] = {"not-a-file"}
    (root / "fifo-ignore").mkdir()
    os.mkfifo(root / "fifo-ignore" / ".gitignore")
    c.notes["fifo-ignore/.gitignore"] = {"not-a-file"}
    c.plant("fifo-ignore/app.py", f'M = "{model("fifoignore")}"\n', ("FT101", model("fifoignore"), 1))
    (root / "zero-ignore").mkdir()
    os.symlink("/dev/zero", root / "zero-ignore" / ".gitignore")
    c.notes["zero-ignore/.gitignore"] = {"symlink"}
    c.plant("zero-ignore/app.py", f'M = "{model("zeroignore")}"\n', ("FT101", model("zeroignore"), 1))
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    c.notes["loop-a"] = c.notes["loop-b"] = {"symlink"}
    write(outside, "secret.py", f'M = "{model("outside")}"\n')
    os.symlink(outside / "secret.py", root / "escape.py")
    os.symlink(outside, root / "escape-dir")
    c.notes["escape.py"] = c.notes["escape-dir"] = {"symlink"}
    os.symlink("/dev/zero", root / "device.py")
    c.notes["device.py"] = {"symlink"}

    # Paths: past PATH_MAX, and names with blanks, quotes, non-ASCII and terminal escapes.
    top = nested_past_path_max(root, "longpath", f'M = "{model("longpath")}"\n'.encode())
    c.notes[top] = set()  # a directory under it cannot be listed: checked by prefix
    c.plant(ODD_NAME, f'M = "{model("odd")}"\n', ("FT101", model("odd"), 1))
    c.plant(ESC_NAME, f'M = "{model("esc")}"\n', ("FT101", model("esc"), 1))
    c.plant(LONG_NAME, f'M = "{model("long")}"\n', ("FT101", model("long"), 1))
    c.plant("names/escape.sh", "openai api fine_tunes.\x1b]0;owned\x07create -t x\n")

    # Code that would do something if it ran: it never does.
    for rel in SIDE_EFFECT_FILES:
        c.plant(
            rel,
            SIDE_EFFECT.format(marker=str(markers / rel.replace("/", "_")))
            + "import openai\nopenai.FineTune.create(training_file='f')\n",
            ("FT301", "openai.FineTune.create", 4),
        )
    cells = {
        "cells": [
            {
                "cell_type": "code",
                "source": SIDE_EFFECT.format(marker=str(markers / "notebook"))
                + "client.fine_tuning.jobs.create(training_file='f')\n",
                "outputs": [],
            }
        ]
    }
    c.plant("run.ipynb", json.dumps(cells), ("FT201", "openai.fine_tuning.jobs.create", None))
    c.plant(
        "evil.yaml",
        f"x: !!python/object/apply:os.system ['touch {markers / 'yaml'}']\nm: {model('tag')}\n",
        ("FT101", model("tag"), 2),
    )
    c.plant(
        ".env", f"X=$(touch {markers / 'dotenv'})\nMODEL={model('dotenv')}\n", ("FT101", model("dotenv"), 2)
    )
    return c


BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
laughs: *i
"""


@dataclass
class Scans:
    corpus: Corpus
    json: subprocess.CompletedProcess[str]
    sarif: subprocess.CompletedProcess[str]
    text: subprocess.CompletedProcess[str]
    seconds: float
    before: dict[str, tuple[int, int, int]]
    after: dict[str, tuple[int, int, int]]
    output_dir: Path

    @property
    def data(self) -> dict:
        return json.loads(self.json.stdout)

    @property
    def log(self) -> dict:
        return json.loads((self.output_dir / "out.sarif").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Scans:
    corpus = build_corpus(tmp_path_factory.mktemp("hostile"))
    output_dir = tmp_path_factory.mktemp("reports")
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache")}
    before = snapshot(corpus.root)
    started = time.monotonic()
    # Run from inside the scanned tree, as CI does: its `click.py` and `ftscan/` must stay inert.
    as_json = ftscan(*scan_args(corpus.root, "json"), cwd=corpus.root, env=env)
    seconds = time.monotonic() - started
    as_sarif = ftscan(
        *scan_args(corpus.root, "sarif", "-o", str(output_dir / "out.sarif")), cwd=corpus.root, env=env
    )
    as_text = ftscan(*scan_args(corpus.root, "text"), cwd=corpus.root, env=env)
    return Scans(corpus, as_json, as_sarif, as_text, seconds, before, snapshot(corpus.root), output_dir)


def test_the_corpus_scans_to_completion(scans):
    for run in (scans.json, scans.sarif, scans.text):
        assert run.returncode == 1, run.stderr  # findings: neither a crash nor a usage error
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert scans.seconds < 60


def test_every_planted_finding_is_reported(scans):
    reported = {(f["path"], f["rule_id"], f["evidence"]["value"], f["line"]) for f in scans.data["findings"]}
    anywhere = {(path, rule, value) for path, rule, value, _line in reported}
    missing = [
        (path, rule, value, line)
        for path, rule, value, line in scans.corpus.findings
        if ((path, rule, value, line) not in reported if line else (path, rule, value) not in anywhere)
    ]
    assert missing == []
    in_sarif = {(uri, rule, value) for uri, rule, value, _line, _col in sarif_results(scans.log)}
    assert {(quote(path), rule, value) for path, rule, value, _line in scans.corpus.findings} <= in_sarif


def test_every_unreadable_thing_is_a_notification_in_json_and_sarif(scans):
    in_json = {(n["path"], n["kind"]) for n in scans.data["notifications"]}
    in_sarif = set(sarif_notes(scans.log))
    for rel, kinds in scans.corpus.notes.items():
        if not kinds:  # under a directory nothing can name: some directory below it is reported
            assert any(path.startswith(rel + "/") and kind == "unreadable" for path, kind in in_json), rel
            assert any(uri.startswith(quote(rel) + "/") and kind == "unreadable" for uri, kind in in_sarif)
            continue
        for kind in kinds:
            assert (rel, kind) in in_json, (rel, kind, sorted(in_json))
            assert (quote(rel), kind) in in_sarif, (rel, kind)


def test_nothing_outside_the_tree_is_read(scans):
    values = {f["evidence"]["value"] for f in scans.data["findings"]}
    assert model("outside") not in values
    assert not any(f["path"].startswith(("escape", "device")) for f in scans.data["findings"])


def test_scanned_code_never_runs(scans):
    assert sorted(p.name for p in scans.corpus.markers.iterdir()) == []


def test_only_the_output_file_is_written(scans):
    assert scans.after == scans.before, "the scanned tree changed"
    assert sorted(p.name for p in scans.output_dir.iterdir()) == ["out.sarif"]


def test_lines_and_columns_survive_line_ends(scans):
    found = {
        (f["path"], f["rule_id"]): (f["line"], f["column"], f["end_line"])
        for f in scans.data["findings"]
        if f["path"].startswith("eol/") and f["path"].endswith(".py")
    }
    for rule in ("FT101", "FT201"):
        assert found[("eol/lf.py", rule)] == found[("eol/crlf.py", rule)] == found[("eol/cr.py", rule)]
    for f in scans.data["findings"]:
        if f["path"].startswith("eol/") and f["rule_id"] == "FT101":
            assert f["end_column"] - f["column"] == len(f["evidence"]["value"])
    suppressed = {(f["path"], f["line"]) for f in scans.data["suppressed"]}
    assert {("eol/lf.py", 5), ("eol/crlf.py", 5), ("eol/cr.py", 5), ("eol/formfeed.sh", 2)} <= suppressed


def test_untrusted_text_is_escaped_in_every_format(scans):
    text = scans.text.stdout
    assert "\x1b" not in text and "\x07" not in text
    assert "names/?[2J?]0;owned?red.py:1:" in text
    assert f"{ODD_NAME}:1:" in text  # blanks, quotes and non-ASCII are fine as they are
    data = scans.data
    assert ESC_NAME in {f["path"] for f in data["findings"]}  # JSON escapes it itself
    assert "\\u001b" in scans.json.stdout
    uris = {uri for uri, *_ in sarif_results(scans.log)}
    assert "names/%1B%5B2J%1B%5D0%3Bowned%07red.py" in uris
    assert "names/we%20ird%20%27single%27%20%22double%22%20caf%C3%A9%20%C3%BC.py" in uris
    assert all(" " not in uri and "\x1b" not in uri for uri in uris)


@pytest.mark.parametrize("fmt", ["github", "markdown"])
def test_workflow_formats_strip_terminal_controls(tmp_path, fmt):
    (tmp_path / "names").mkdir()
    (tmp_path / ESC_NAME).write_text(f'M = "{model("esc")}"\n', encoding="utf-8")
    (tmp_path / "run.sh").write_text("openai api fine_tunes.\x1b]0;owned\x07create -t x\n", encoding="utf-8")
    result = ftscan(*scan_args(tmp_path, fmt))
    assert result.returncode == 1, result.stderr
    assert "FT101" in result.stdout and "FT301" in result.stdout
    assert not set(result.stdout) & {"\x1b", "\x07", "\x9b"}
    assert "?[2J?]0;owned?red.py" in result.stdout


def test_the_sarif_is_valid(scans):
    assert schema_errors(scans.log) == []


def test_a_second_run_says_the_same(scans, tmp_path_factory):
    root = scans.corpus.root
    again = ftscan(*scan_args(root, "json"), cwd=root)
    assert again.stdout == scans.json.stdout
    out = tmp_path_factory.mktemp("again") / "out.sarif"
    ftscan(*scan_args(root, "sarif", "-o", str(out)), cwd=root)
    assert out.read_text(encoding="utf-8") == (scans.output_dir / "out.sarif").read_text(encoding="utf-8")


def test_the_action_runs_no_scanned_code(tmp_path):
    """The GitHub Action's scan step, in a workspace holding modules named like ftscan's own."""
    from test_action import run_step

    workspace = tmp_path / "workspace"
    markers = tmp_path / "markers"
    markers.mkdir()
    for rel in SIDE_EFFECT_FILES:
        write(workspace, rel, SIDE_EFFECT.format(marker=str(markers / rel.replace("/", "_"))))
    write(workspace, "app.py", f'M = "{model("action")}"\n')
    result, outputs = run_step(
        "scan",
        tmp_path,
        workspace,
        {"path": ".", "args": f"--as-of {AS_OF}"},
        {"install": {"python": sys.executable}},
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in markers.iterdir()) == []
    assert outputs["findings"] == "1"


# ------------------------------------------------------------------ files that change under the scan

SWAP = """\
import os, sys
from pathlib import Path
import ftscan.pipeline
from ftscan.walk import FileWalk

OUTSIDE = Path(sys.argv.pop(1))

class Swapping(FileWalk):
    def walk(self, paths):
        targets = list(super().walk(paths))
        root, outside = self.reference.root, OUTSIDE
        (root / "gone.py").unlink()
        (root / "dangling.py").unlink()
        os.symlink(root / "nowhere", root / "dangling.py")
        (root / "swapped.py").unlink()
        os.symlink(outside / "secret.py", root / "swapped.py")
        (root / "fifo.py").unlink()
        os.mkfifo(root / "fifo.py")
        (root / "dir.py").unlink()
        (root / "dir.py").mkdir()
        if os.geteuid() != 0:  # root reads whatever the mode says
            os.chmod(root / "locked.py", 0)
        return iter(targets)

ftscan.pipeline.FileWalk = Swapping
from ftscan.cli import main
sys.argv[0] = "ftscan"
main()
"""


def make_swapped_tree(root: Path) -> None:
    for name in ("gone", "dangling", "swapped", "fifo", "dir", "locked", "kept"):
        write(root, f"{name}.py", f'M = "{model(name)}"\n')


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_files_that_change_between_walk_and_scan(tmp_path, fmt):
    root, outside = tmp_path / "repo", tmp_path / "outside"
    make_swapped_tree(root)
    write(outside, "secret.py", f'M = "{model("secret")}"\n')
    result = subprocess.run(
        [sys.executable, "-c", SWAP, str(outside), *scan_args(root, fmt)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr  # `kept.py` still has its finding
    if fmt == "json":
        data = json.loads(result.stdout)
        notes = {(n["path"], n["kind"]) for n in data["notifications"]}
        values = [f["evidence"]["value"] for f in data["findings"]]
    else:
        log = json.loads(result.stdout)
        notes = set(sarif_notes(log))
        values = [value for _uri, _rule, value, _l, _c in sarif_results(log)]
    changed = ["gone.py", "dangling.py", "swapped.py", "fifo.py", "dir.py"]
    if os.geteuid() != 0:
        changed.append("locked.py")
    assert {(name, "unreadable") for name in changed} <= notes
    assert model("kept") in values
    assert model("secret") not in values, "a link put there after the walk is not followed"


# ------------------------------------------------------------------ determinism


def make_tree(root: Path, seed: int) -> None:
    """Over 200 code files (so the scan of code runs in a process pool) and configuration that
    links to them, created in an order that depends on `seed`."""
    files = {}
    for i in range(230):
        files[f"svc{i % 7}/mod_{i:03d}.py"] = (
            "import os\nfrom openai import OpenAI\nclient = OpenAI()\n"
            f'client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file="f{i}")\n'
            f'MODEL = os.environ.get("MODEL_{i % 5}")\nOTHER = "{model(f"m{i % 11}")}"\n'
        )
    for i in range(5):
        files[f"deploy/env_{i}.env"] = f"MODEL_{i}={model(f'env{i}')}\n"
        files[f"deploy/values_{i}.yaml"] = f"env:\n  MODEL_{i}: {model(f'yaml{i}')}\n"
        files[f"docs/page_{i}.md"] = f"Use `{model(f'doc{i}')}`.\n\n```sh\nopenai api fine_tunes.list\n```\n"
        files[f"broken/bad_{i}.py"] = f'print "x"\nM = "{model(f"bad{i}")}"\n'
    files["notebook.ipynb"] = json.dumps(
        {"cells": [{"cell_type": "code", "source": [f'M = "{model("nb")}"\n'], "outputs": []}]}
    )
    order = sorted(files)
    random.Random(seed).shuffle(order)
    for rel in order:
        write(root, rel, files[rel])


def test_output_is_the_same_across_runs_jobs_and_file_system_orders(tmp_path):
    first, second = tmp_path / "first" / "repo", tmp_path / "second" / "repo"
    make_tree(first, seed=1)
    make_tree(second, seed=2)
    outputs = {}
    runs = [(first, "1", "0"), (first, "2", "1"), (second, "2", "2"), (second, "1", "3")]
    for n, (root, jobs, hash_seed) in enumerate(runs):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}  # sets and dicts in another order
        for fmt in ("json", "sarif"):
            out = tmp_path / f"{n}.{fmt}"
            result = subprocess.run(
                [sys.executable, "-m", "ftscan", *scan_args(root, fmt, "--jobs", jobs, "-o", str(out))],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            assert result.returncode == 1, result.stderr
            outputs.setdefault(fmt, []).append(out.read_bytes())
    for fmt, texts in outputs.items():
        assert all(text == texts[0] for text in texts), fmt
    data = json.loads(outputs["json"][0])
    assert data["summary"]["files_scanned"] > 200
    assert any(f["related"] for f in data["findings"]), "reads joined to their definitions"


def test_the_process_pool_runs_for_this_tree(tmp_path):
    """The determinism test above compares a pool's output with one process's."""
    from ftscan.scan import CODE_KINDS
    from ftscan.scan.pool import PARALLEL_MIN_FILES
    from ftscan.walk import Walker

    make_tree(tmp_path, seed=0)
    targets = list(Walker(tmp_path).walk([tmp_path]))
    code = [t for t in targets if t.kind in CODE_KINDS]
    assert len(code) >= PARALLEL_MIN_FILES


# ------------------------------------------------------------------ bounds


def test_a_ten_megabyte_line_is_scanned_in_bounded_time(tmp_path):
    line = "var a=1;" * (10 * 1024 * 1024 // 8)
    middle = len(line) // 2
    write(
        tmp_path,
        "app.min.js",
        line[:middle] + f'm="{model("big")}";fetch("/v1/fine_tuning/jobs");' + line[middle:],
    )
    started = time.monotonic()
    result = ftscan(*scan_args(tmp_path, "json", "--max-file-size", str(16 * 1024 * 1024)))
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr
    values = {f["evidence"]["value"] for f in json.loads(result.stdout)["findings"]}
    assert {model("big"), "/v1/fine_tuning/jobs"} <= values
    assert DEFAULT_MAX_BYTES < 10 * 1024 * 1024  # and by default it is reported, not read (corpus)


def test_an_alias_bomb_costs_neither_time_nor_memory():
    text = BILLION_LAUGHS + f"model: {model('bomb')}\n"
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = scan_source("bomb.yaml", text, "yaml", PATTERNS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 20 * 1024 * 1024
    assert result.notifications == ()
    assert [(ev.value, ev.prop("key_path")) for ev in result.evidence] == [(model("bomb"), "model")]


# Inputs that took quadratic (or worse) time in one scanner or another: about a megabyte each,
# as (kind, head, unit, count, tail). Each runs in a child process, so that a regression fails
# on the timeout instead of hanging the suite (a regex in C cannot be interrupted).
ID = "ft:gpt-4o:org::abcdefgh "
ADVERSARIAL = {
    "IDs on one line": ("text", "x\n", "ft:gpt-4o:org:", 70_000, ""),
    "Azure look-alikes": ("text", "", "a.ft-", 200_000, ""),
    "legacy look-alikes": ("text", "", "davinci:ft-a", 80_000, ""),
    "IDs in one YAML scalar": ("yaml", "a: ", ID, 40_000, ""),
    "IDs in a YAML comment": ("yaml", "a: 1 # ", ID, 40_000, ""),
    "IDs in one JSON string": ("json", '["', ID, 40_000, '"]'),
    "IDs in one TOML string": ("toml", 'a = "', ID, 40_000, '"'),
    "IDs in a TOML comment": ("toml", "a = 1 # ", ID, 40_000, ""),
    "IDs in one .env value": ("dotenv", "A=", ID, 40_000, ""),
    "IDs on a commented-out line": ("dotenv", "# ", "A=" + ID, 38_000, ""),
    "an operator chain": ("python", "ft:", "a-", 500_000, ":"),
    "IDs in an operator chain": ("python", "x = ", "'ft:gpt-4o:org::abcdefgh' + ", 35_000, "''"),
    "ignore comments": ("python", "", "# ftscan: ignore[FT101]\nx = 1\n", 36_000, ID),
    "CLI words": ("shell", "", "openai api ", 90_000, ""),
    "REST paths": ("text", "", "/v1/fine_tuning/jobs ", 48_000, ""),
}
ADVERSARIAL_CHILD = """\
import json, sys, time
from ftscan.rules.needles import derive_patterns
from ftscan.rules.load import load_packs
from ftscan.scan import scan_file, scan_source
from ftscan.types import FileLimits
from ftscan.scan.ignores import find_ignores
packs = load_packs()
patterns = derive_patterns(packs, [rule for pack in packs for rule in pack.rules])
kind, head, unit, count, tail = json.loads(sys.argv[1])
text = head + unit * count + tail
started = time.monotonic()
result = scan_source("adversarial", text, kind, patterns)
ignores = find_ignores("adversarial", text, kind)
errors = [n.message for n in result.notifications if n.kind == "scanner-error"]
print(json.dumps({"seconds": time.monotonic() - started, "errors": errors, "ignores": len(ignores)}))
"""


@pytest.mark.parametrize("case", sorted(ADVERSARIAL))
def test_adversarial_input_is_scanned_in_linear_time(case):
    _kind, head, unit, count, tail = ADVERSARIAL[case]
    assert 0.9e6 < len(head + unit * count + tail) < 1.1e6
    try:
        child = subprocess.run(
            [sys.executable, "-c", ADVERSARIAL_CHILD, json.dumps(ADVERSARIAL[case])],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: not scanned within 60 seconds")
    outcome = json.loads(child.stdout)
    assert outcome["seconds"] < 15, case
    assert outcome["errors"] == []
    if "ftscan:" in unit:
        assert outcome["ignores"] == count


# ------------------------------------------------------------------ rule packs through the command line

PACK = """\
pack: mine
version: "1"
milestones:
  cutoff: {date: 2027-03-01, effect: the gateway stops, status: confirmed}
rules:
  - id: MINE1
    name: launcher
    summary: Launches a job through the wrapper
    match: {evidence: api-call, calls: [acme.ml.launch_finetune]}
    milestones: [cutoff]
    help: Move.
"""


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (
            ("date: 2027-03-01", "date: 2027-02-30"),
            ":4: milestones.cutoff.date: '2027-02-30' is not a 'date'",
        ),
        (("    help: Move.", "    colour: red\n    help: Move."), ":11: rules[0].colour: unknown field"),
        (
            (
                "match: {evidence: api-call, calls: [acme.ml.launch_finetune]}",
                'match: {evidence: text, pattern: "launch(v[12"}',
            ),
            ":9: rules[0].match.pattern: invalid regular expression",
        ),
        (
            (
                "    help: Move.",
                "    help: Move.\n  - id: MINE1\n    name: again\n    summary: s\n    help: h\n"
                "    match: {evidence: api-call, calls: [a.b]}",
            ),
            ":12: rules[1].id: duplicate rule ID MINE1",
        ),
        ((PACK[PACK.index("rules:") :], "rules: []\n"), ":5: rules: [] should be non-empty"),
        (
            ("pack: mine", "pack: mine\nnested: " + "[" * 1000 + "]" * 1000),
            ":2: nested deeper than 64 levels",
        ),
        (("  cutoff:", "  7:"), ":10: rules[0].milestones[0]: unknown milestone 'cutoff' (known: 7)"),
    ],
    ids=["bad-date", "unknown-field", "invalid-regex", "duplicate-id", "zero-rules", "too-deep", "int-key"],
)
def test_a_broken_pack_exits_2_naming_file_line_and_field(tmp_path, edit, where):
    pack = write(tmp_path, "mine.yaml", PACK.replace(*edit))
    write(tmp_path, "src/app.py", "x = 1\n")
    result = ftscan(*scan_args(tmp_path / "src", "text", "--rules", str(pack)))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert f"rule error: {pack}{where}" in result.stderr, result.stderr


def test_a_pack_that_repeats_a_shipped_rule_exits_2(tmp_path):
    pack = write(tmp_path, "mine.yaml", PACK.replace("id: MINE1", "id: FT101"))
    result = ftscan(*scan_args(tmp_path, "text", "--rules", str(pack)))
    assert result.returncode == 2
    assert f"{pack}:6: id: rule FT101 is already defined at " in result.stderr, result.stderr


def slow_python(lines: int) -> str:
    """A valid module whose tree takes far longer to build than its text takes to read."""
    head = [
        "from openai import OpenAI",
        "client = OpenAI()",
        'client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file="file-abc")',
        f'MODEL = "{model("slow")}"',
    ]
    body = [f"def f{i}(a, b):\n    return {{'k': [a, b, {i}]}}\n" for i in range(lines)]
    return "\n".join(head + body)


@pytest.mark.parametrize("jobs", ["1", "2"])  # in the process, and in pool workers
def test_a_file_over_the_time_limit_is_scanned_as_text(tmp_path, jobs):
    (tmp_path / "big.py").write_text(slow_python(2_000), encoding="utf-8")
    for i in range(250):  # enough files for a process pool
        (tmp_path / f"small{i}.txt").write_text("nothing to see\n", encoding="utf-8")
    result = ftscan(*scan_args(tmp_path, "json", "--file-timeout", "0.001", "--jobs", jobs))
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert [(n["path"], n["kind"], n["message"]) for n in data["notifications"]] == [
        ("big.py", "timeout", "python scanner stopped after 0.001 s; scanned as plain text")
    ]
    found = {(f["rule_id"], f["line"], f["evidence"]["value"]) for f in data["findings"]}
    assert ("FT201", 3, "openai.fine_tuning.jobs.create") in found  # seen in the text
    assert ("FT101", 4, model("slow")) in found


def test_the_size_cap_holds_where_the_file_is_read(tmp_path):
    packs = load_packs(())
    patterns = derive_patterns(packs, [r for p in packs for r in p.rules])
    path = tmp_path / "grown.py"
    path.write_text(f'M = "{model("grown")}"\n' * 100, encoding="utf-8")
    result = scan_file(path, "grown.py", "python", patterns, FileLimits(max_bytes=64))
    assert result.evidence == ()
    assert [(n.kind, n.message) for n in result.notifications] == [
        ("too-large", f"{path.stat().st_size} bytes, over the 64-byte limit; not scanned")
    ]
    assert len(scan_file(path, "grown.py", "python", patterns, FileLimits()).evidence) == 100


def test_a_time_limit_never_leaves_the_parse_running():
    """The stop waits for libcst's parse thread, which holds a raised recursion limit."""
    import threading

    limit, threads = sys.getrecursionlimit(), threading.active_count()
    result = scan_source("big.py", slow_python(2_000), "python", PATTERNS, seconds=0.001)
    assert [n.kind for n in result.notifications] == ["timeout"]
    assert sys.getrecursionlimit() == limit and threading.active_count() == threads


def test_a_file_parsed_only_for_its_reads_keeps_its_notifications(tmp_path):
    (tmp_path / ".env").write_text(f"FT_MODEL={model('env')}\n", encoding="utf-8")
    (tmp_path / "e1.py").write_bytes(
        b"# caf\xe9 fine_tuning\nimport os\nMODEL = os.environ['FT_MODEL']\n\ndef broken(:\n"
    )
    data = json.loads(ftscan(*scan_args(tmp_path, "json")).stdout)
    assert sorted((n["path"], n["kind"]) for n in data["notifications"]) == [
        ("e1.py", "decode-error"),
        ("e1.py", "parse-error"),
    ]


def test_a_callers_own_timer_goes_on_after_a_time_limit():
    import signal

    from ftscan.scan.time_limit import TimeLimitExceeded, time_limit

    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with pytest.raises(TimeLimitExceeded), time_limit(0.001):
            while True:
                pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < left <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_time_limit_that_expires_at_once_still_tidies_up():
    import signal

    from ftscan.scan.time_limit import time_limit

    def mine(*_):
        pass

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        for _ in range(2000):  # the alarm lands anywhere: while arming, in the block, while tidying
            signal.setitimer(signal.ITIMER_REAL, 30)
            with contextlib.suppress(BaseException), time_limit(1e-6):
                pass
            assert signal.getsignal(signal.SIGALRM) is mine
            assert signal.getitimer(signal.ITIMER_REAL)[0] > 20
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_comment_lines_before_a_guessed_chain_cost_linear_time(tmp_path):
    """CRLF comment lines gave a backtracking search two ways to read each line end."""
    lines = [
        "def start(client):",
        "    return (client.fine_tuning",
        *(["        # the jobs API"] * 2000),
        "        .jobs.create(training_file='f'))",
        *(["# uses fine_tuning"] * 20000),
    ]
    (tmp_path / "crlf.py").write_bytes("\r\n".join(lines).encode())
    data = json.loads(ftscan(*scan_args(tmp_path, "json")).stdout)
    assert [(f["rule_id"], f["line"]) for f in data["findings"]] == [("FT201", 2)]


def test_a_path_too_long_is_unreadable_not_a_crash(tmp_path):
    result = ftscan("scan", "a" * 300, "--root", str(tmp_path), "-f", "json", "--as-of", AS_OF, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [n["kind"] for n in json.loads(result.stdout)["notifications"]] == ["unreadable"]
