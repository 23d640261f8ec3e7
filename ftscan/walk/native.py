"""The walk and the prefilter on ripgrep: the files holding a needle, and how many there are.

`rg --files-with-matches` lists the files git's ignore rules leave (the `ignore` crate,
the same rules as the reference walk) that hold a needle, a model-ID marker, an ignore
comment, a NUL byte or a UTF-16/32 byte-order mark, and its `--stats` say how many files
it read: one pass over the tree. `find`, beside it, lists what ripgrep never reports
(symbolic links, FIFOs, sockets, devices), which the reference walk's rules then judge one
by one, the files over the size limit and those of the kinds read whatever they hold.
Only the files of those lists can make a scan yield anything: the others are never
opened by ftscan. Where every file's name is needed (a `--shard`, the user's own
`--exclude` or `--include` rules, the code files a second look reads), `rg --files`
lists them all.

Whatever these tools cannot promise to decide exactly as the reference walk does is left
to it (`None`): an error from either tool (an unreadable directory, a pattern the crate
refuses), `.git/info/exclude` rules, a `.gitignore` that is a link or not a file.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ftscan.model_ids import RG_FT_START
from ftscan.untrusted.files import read_regular
from ftscan.walk.kinds import BINARY_SUFFIXES

RG_ENV = "FTSCAN_RG"  # the ripgrep binary to use
_REGEX_META = frozenset("\\.+*?()|[]{}^$#&-~")
# Bytes that make a file's scan depend on more than its needles: a NUL byte (a text file's
# `binary` note) and the byte-order marks of UTF-16 and UTF-32 (the text is decoded first).
_RAW_PATTERNS = ("(?-u:\\x00)", "(?-u:^\\xff\\xfe)", "(?-u:^\\xfe\\xff)")
_TIMEOUT = 600
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def find_rg() -> str | None:
    """The `rg` of the `ripgrep` wheel beside this interpreter, else one on PATH
    (`FTSCAN_RG` names another; a path that is not there means none)."""
    given = os.environ.get(RG_ENV)
    if given is not None:
        return given if os.path.isfile(given) and os.access(given, os.X_OK) else None
    scripts = sysconfig.get_path("scripts")
    for directory in (scripts, os.path.dirname(sys.executable)):
        for name in ("rg", "rg.exe"):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return shutil.which("rg")


def escape(needle: str) -> str:
    """A literal as a Rust regex (ripgrep's syntax): every meta character escaped."""
    return "".join("\\" + c if c in _REGEX_META else c for c in needle)


def needle_patterns(needles: Sequence[str]) -> list[str]:
    """ripgrep's `-e` arguments for the needles and the raw patterns: each needle as a
    literal, but the model-ID marker `ft:` only where an ID could start (`left:` is not)."""
    regexes = [RG_FT_START if needle == "ft:" else escape(needle) for needle in needles]
    return [arg for regex in (*regexes, *_RAW_PATTERNS) for arg in ("-e", regex)]


def _binary_types() -> list[str]:
    """File names the walk never scans (images, archives...), left unread by ripgrep: a
    type, unlike a glob, never leaves out a directory of that name. Each glob names exactly
    the files whose suffix, as `os.path.splitext` splits it and in any case, is binary (not
    `.png` alone, nor `...png`; `x.PNG` too), so that ripgrep reads the files the walk keeps."""
    globs = [
        glob
        for suffix in sorted(BINARY_SUFFIXES)
        if suffix == suffix.lower()
        for glob in (f"[!.]*{_any_case(suffix)}", f".[!.]*{_any_case(suffix)}")
    ]
    args = [arg for glob in globs for arg in ("--type-add", f"ftscanbinary:{glob}")]
    return [*args, "--type-not", "ftscanbinary"]


def _any_case(text: str) -> str:
    """A glob matching `text` in any case (`.png` as `.[pP][nN][gG]`)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else c for c in text)


@dataclass(frozen=True)
class Listing:
    """What the tools found: files to judge, files holding a needle, other entries."""

    files: list[str] | None  # repo-relative, every regular file the ignore rules leave (if asked)
    candidates: frozenset[str]  # the files ripgrep read whose bytes hold a pattern
    specials: list[str]  # links, FIFOs, sockets and devices, wherever they are
    large: frozenset[str]  # regular files over the size limit, wherever they are
    searched: int = 0  # how many files ripgrep read
    named: frozenset[str] = frozenset()  # regular files of the kinds read whatever they hold, wherever


def _rg_common(use_gitignore: bool, excluded_dirs: Sequence[str], parents: bool) -> list[str]:
    """`parents`: read the `.gitignore` files of the directories above each path given (the
    root's and those between it and a directory below it; the caller makes sure there are
    none above the root)."""
    args = [
        "--null", "--hidden", "--no-config", "--no-require-git",
        "--no-ignore-dot", "--no-ignore-global", "--no-ignore-exclude", "--no-follow",
    ]  # fmt: skip
    if not parents:
        args.append("--no-ignore-parent")
    if not use_gitignore:
        args.append("--no-ignore-vcs")
    for name in sorted(excluded_dirs):  # pruned here for speed; the walk's rules decide
        args += ["--glob", f"!{name}/"]
    return [*args, *_binary_types()]


def list_files(
    rg: str,
    root: Path,
    needles: Sequence[str],
    *,
    use_gitignore: bool,
    excluded_dirs: Sequence[str],
    max_bytes: int = -1,
    directories: Sequence[str] = ("",),
    every_file: bool = True,
    read_always: Sequence[str] = (),
) -> Listing | None:
    """The files under the `directories` of `root` ("" for the root itself) holding a
    needle, and every file's name if `every_file`, else only how many ripgrep read; None
    when only the reference walk can answer exactly. `read_always`: name globs (`*.jsonl`,
    in any case) of the files to list whatever they hold."""
    if use_gitignore and _has_exclude_rules(root):
        return None
    find = shutil.which("find")
    if find is None or os.name == "nt":  # Windows' `find` searches text: no POSIX find there
        return None
    starts = _starts(directories)
    common = _rg_common(use_gitignore, excluded_dirs, parents=starts != ["."])
    patterns = needle_patterns(needles)
    large = ["-o", "-type", "f", "-size", f"+{max_bytes}c"] if max_bytes >= 0 else []
    named = [arg for glob in read_always for arg in ("-o", "-type", "f", "-iname", glob)]
    prune = [arg for name in sorted(excluded_dirs) for arg in ("-o", "-name", name)][1:]
    # What ripgrep never lists: links, FIFOs, sockets, devices; files over the limit.
    others = [find, *starts, "-type", "d", "(", *prune, ")", "-prune", "-o",
              "(", "-type", "l", "-o", "-type", "p", "-o", "-type", "s", "-o", "-type", "b",
              "-o", "-type", "c", *large, *named, ")", "-print0"]  # fmt: skip
    search = [rg, "--files-with-matches", "--text", "--encoding", "none", *common, *patterns]
    commands = [(others, (0,))]  # (command, exit codes that mean success)
    if every_file:
        commands.append((_every_file_command(rg, common, starts), (0, 1)))
    counted = () if every_file else ("--stats", "--max-count", "1")  # -l would stop there too
    commands.append(([*search, *counted, "--", *starts], (0, 1)))
    running = _start(commands, root)
    if running is None:
        return None
    # All run at once, each output read as it comes (a full pipe would stall its writer).
    # A `.gitignore` that is a link (to /dev/zero, say) or a FIFO would make ripgrep read
    # for ever, and only `find` tells: when it names one, ripgrep is stopped and the
    # reference walk answers.
    draining = [_Drain(process, codes) for process, codes in running]
    classified = None
    try:
        found = draining[0].output()
        if found is not None:
            classified = _classify(root, found, max_bytes)
    finally:
        if classified is None:  # an unusable answer, an error or ^C: ripgrep is stopped
            for drain in draining[1:]:
                drain.process.kill()  # its thread reads what is left and ends
    if classified is None:
        for drain in draining[1:]:
            drain.output()
        return None
    outputs = [drain.output() for drain in draining[1:]]
    if any(output is None for output in outputs):
        return None
    specials, oversize, always = classified
    if every_file:
        files_out, matches_out = outputs
        candidates = frozenset(_paths(matches_out))
        return Listing(_paths(files_out), candidates, specials, frozenset(oversize), named=always)
    matches_out, stats = _split_stats(outputs[0])
    if stats is None:
        return None
    return Listing(None, frozenset(_paths(matches_out)), specials, frozenset(oversize), stats, always)


def list_every_file(
    rg: str,
    root: Path,
    *,
    use_gitignore: bool,
    excluded_dirs: Sequence[str],
    directories: Sequence[str] = ("",),
) -> list[str] | None:
    """Every file the ignore rules leave under the `directories` of `root` (as
    `list_files` lists them); None if ripgrep could not tell."""
    starts = _starts(directories)
    common = _rg_common(use_gitignore, excluded_dirs, parents=starts != ["."])
    outputs = _run_all([(_every_file_command(rg, common, starts), (0, 1))], root)
    return None if outputs is None else _paths(outputs[0])


def _every_file_command(rg: str, common: list[str], starts: list[str]) -> list[str]:
    """`rg --files` on one thread: 1.0 CPU-s for 194k files against 1.6 on two."""
    return [rg, "--files", "--threads", "1", *common, "--", *starts]


def _starts(directories: Sequence[str]) -> list[str]:
    """ripgrep's and find's paths for the directories: `./name`, never read as an option."""
    return [f"./{directory}" if directory else "." for directory in _outermost(directories)]


def _outermost(directories: Sequence[str]) -> list[str]:
    """The directories not below another of them ("" is the root): ripgrep given both a
    directory and one inside it reads the inner one's files twice."""
    if "" in directories:
        return [""]
    kept: list[str] = []
    for directory in sorted(set(directories)):
        if not any(directory.startswith(outer + "/") for outer in kept):
            kept.append(directory)
    return kept


_SEARCHED = re.compile(rb"\n(\d+) files searched\n")


def _split_stats(output: bytes) -> tuple[bytes, int | None]:
    """ripgrep's `--stats` output as (the names it printed, how many files it read): the
    statistics follow the last name's NUL byte."""
    names, _, tail = output.rpartition(b"\0")
    found = _SEARCHED.search(b"\n" + tail)
    return names + b"\0", int(found.group(1)) if found else None


class _Drain:
    """A started command's output, read on a thread of its own until it ends."""

    def __init__(self, process: subprocess.Popen[bytes], codes: tuple[int, ...]) -> None:
        self.process = process
        self.result: list[bytes] | None = None
        self.thread = threading.Thread(target=self._read, args=(process, codes), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen[bytes], codes: tuple[int, ...]) -> None:
        self.result = _finish([(process, codes)])

    def output(self) -> bytes | None:
        """The command's output; None if it failed, complained or ran out of time."""
        self.thread.join()
        return self.result[0] if self.result else None


def _classify(root: Path, found: bytes, max_bytes: int) -> tuple[list[str], set[str], frozenset[str]] | None:
    """`find`'s entries as (links, FIFOs and the like; regular files over the limit; other
    regular files, found by name); None when one of them is a `.gitignore` that is not a
    regular file, or cannot be looked at."""
    specials, oversize, named = [], set(), set()
    for rel in _paths(found):
        try:
            info = os.lstat(root / rel)
        except OSError:
            return None
        if stat.S_ISREG(info.st_mode):
            (oversize if 0 <= max_bytes < info.st_size else named).add(rel)
        elif rel.rsplit("/", 1)[-1] == ".gitignore":
            return None
        else:
            specials.append(rel)
    return specials, oversize, frozenset(named)


_Running = list[tuple[subprocess.Popen[bytes], tuple[int, ...]]]


def _start(commands: list[tuple[list[str], tuple[int, ...]]], cwd: Path) -> _Running | None:
    """Start every command at once; None (and none left running) if one cannot start."""
    running: _Running = []
    for command, codes in commands:
        try:
            process = subprocess.Popen(
                command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        except OSError:
            _stop(running)
            return None
        running.append((process, codes))
    return running


def _finish(running: _Running) -> list[bytes] | None:
    """The outputs of the started commands; None if one failed or complained."""
    results = []
    ok = True
    for process, codes in running:
        try:
            out, err = process.communicate(timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            _stop([(process, codes)])
            ok = False
            continue
        # ripgrep: 0 found, 1 nothing found; any message at all means something went unread.
        if err or process.returncode not in codes:
            ok = False
        results.append(out)
    return results if ok else None


def _stop(running: _Running) -> None:
    for process, _ in running:
        process.kill()
        process.communicate()


def _run_all(commands: list[tuple[list[str], tuple[int, ...]]], cwd: Path) -> list[bytes] | None:
    """Run the commands at once; their outputs, or None if one failed or complained."""
    running = _start(commands, cwd)
    return None if running is None else _finish(running)


def _paths(output: bytes) -> list[str]:
    names = (os.fsdecode(raw) for raw in output.split(b"\0") if raw)
    return [name[2:] if name.startswith("./") else name for name in names]


def _has_exclude_rules(root: Path) -> bool:
    """`.git/info/exclude` with a rule: the walk joins it to the root's `.gitignore` (its
    rules win over that file's), which ripgrep cannot be told."""
    try:  # as the walk reads it: never through a link, never from a FIFO
        text, _ = read_regular(root / ".git" / "info" / "exclude", DEFAULT_MAX_BYTES)
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.lexists(root / ".git" / "info" / "exclude")
    return any(line.strip() and not line.startswith(b"#") for line in text.splitlines())


_ARGS_BYTES = 64 * 1024  # paths per ripgrep call: far below any platform's argument limit


def files_holding(rg: str, root: Path, rels: Sequence[str], needles: Sequence[str]) -> frozenset[str] | None:
    """Which of the files `rels` (relative to `root`) hold a needle or a raw pattern; None
    when ripgrep could not tell for every file."""
    patterns = needle_patterns(needles)
    base = [
        rg,
        "--files-with-matches",
        "--null",
        "--no-config",
        "--text",
        "--encoding",
        "none",
        *patterns,
        "--",
    ]
    found: set[str] = set()
    batch: list[str] = []
    size = 0
    for rel in (*rels, None):
        if rel is not None:
            batch.append(f"./{rel}")  # never read as an option
            size += len(rel) + 3
        if batch and (rel is None or size > _ARGS_BYTES):
            outputs = _run_all([([*base, *batch], (0, 1))], root)
            if outputs is None:
                return None
            found.update(_paths(outputs[0]))
            batch, size = [], 0
    return frozenset(found)
