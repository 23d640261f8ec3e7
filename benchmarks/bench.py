#!/usr/bin/env python3
"""Whole-process wall times of ftscan beside ripgrep, Semgrep and llm-sunset on one corpus.

Standard library only: every tool runs as a subprocess, timed from spawn to exit, so start-up
and imports count as a user feels them. See benchmarks/README.md for the corpus and the peers.

    python benchmarks/bench.py --corpus /dev/shm/ftscan-corpus --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

FTSCAN_FLAGS = ("-f", "json", "-o", os.devnull, "--exit-zero", "--no-progress")
MAX_BYTES = 5 * 1024 * 1024  # ftscan's default --max-file-size; the peers are given the same cap
MARKERS_FALLBACK = ("ft:", ":ft-", ".ft-")
SEMGREP_RULE = r"""rules:
  - id: fine-tuning-api-call
    languages: [python]
    severity: WARNING
    message: OpenAI fine-tuning API call
    pattern-either:
      - pattern: $C.fine_tuning.jobs.create(...)
      - pattern: openai.FineTune.$M(...)
  - id: fine-tuned-model-id
    languages: [generic]
    severity: WARNING
    message: OpenAI fine-tuned model ID
    pattern-regex: 'ft:[a-z0-9.-]+:[\w-]+:[\w.-]*:[\w-]+'
"""
NEEDLES_CODE = """
import json
from ftscan.rules.needles import derive_patterns
from ftscan.rules.load import load_packs
try:
    from ftscan.model_ids import MARKERS
except ImportError:
    MARKERS = {markers!r}
packs = load_packs()
rules = [rule for pack in packs for rule in pack.rules]
print(json.dumps({"needles": list(derive_patterns(packs, rules).needles), "markers": list(MARKERS)}))
""".replace("{markers!r}", repr(MARKERS_FALLBACK))


# --- measuring -------------------------------------------------------------------------


@dataclass
class Measure:
    name: str
    command: list[str]
    cwd: str
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, children included
    max_rss_kb: int = 0  # the largest single process of the tree (wait4)
    load: list[float] = field(default_factory=list)  # 1-minute load average before each run
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)


# Linux counts the memory a process had before exec() into its max RSS, and a child of this
# script starts as a copy of it (tens of MiB after walking the corpus). So every command is
# forked by a small launcher started first, whose size is the floor of any max RSS reported.
LAUNCHER = r"""
import json, os, sys, time
null = os.open(os.devnull, os.O_RDWR)
for line in sys.stdin:
    job = json.loads(line)
    err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(job["cwd"])
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.dup2(err, 2)
            os.execv(job["command"][0], job["command"])
        finally:
            os._exit(127)
    print(json.dumps({"pid": pid}), flush=True)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(err)
    print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss,
                      "code": os.waitstatus_to_exitcode(status)}), flush=True)
"""


class Launcher:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.scratch = tempfile.TemporaryDirectory()
        self.floor_kb = self.run(["/bin/true"], "/", frozenset({0}))[2]

    def start(self, command: Sequence[str], cwd: str) -> int:
        program = shutil.which(command[0]) or command[0]
        stderr = os.path.join(self.scratch.name, "stderr")
        job = {"command": [program, *command[1:]], "cwd": cwd, "stderr": stderr}
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())["pid"]

    def finish(self, command: Sequence[str], ok: frozenset[int]) -> tuple[float, float, int]:
        assert self.proc.stdout
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the launcher stopped")
        done = json.loads(line)
        if done["code"] not in ok:
            tail = Path(self.scratch.name, "stderr").read_bytes()[-2000:].decode("utf-8", "replace")
            raise RuntimeError(f"exit {done['code']}: {shlex.join(command)}\n{tail}")
        return done["wall"], done["cpu"], done["rss"]

    def run(self, command: Sequence[str], cwd: str, ok: frozenset[int]) -> tuple[float, float, int]:
        """Wall seconds, CPU seconds (children included) and max RSS (KiB) of one run."""
        self.start(command, cwd)
        return self.finish(command, ok)


LAUNCH: Launcher | None = None


def run_once(command: Sequence[str], cwd: str, ok: frozenset[int]) -> tuple[float, float, int]:
    global LAUNCH
    if LAUNCH is None:
        LAUNCH = Launcher()
    return LAUNCH.run(command, cwd, ok)


def measure(
    name: str,
    command: list[str],
    cwd: str,
    runs: int,
    ok: frozenset[int] = frozenset({0}),
    before: Callable[[], None] | None = None,
    warmup: bool = True,
) -> Measure:
    result = Measure(name, command, cwd)
    print(f"  {name}: {shlex.join(command)}", file=sys.stderr, flush=True)
    if warmup:
        if before:
            before()
        run_once(command, cwd, ok)
    for _ in range(runs):
        if before:
            before()
        result.load.append(os.getloadavg()[0])
        wall, cpu, rss = run_once(command, cwd, ok)
        result.times.append(wall)
        result.cpu.append(cpu)
        result.max_rss_kb = max(result.max_rss_kb, rss)
    print(
        f"    median {result.median:.3f} s (min {min(result.times):.3f}, max {max(result.times):.3f})",
        file=sys.stderr,
        flush=True,
    )
    return result


def _tree_rss_kb(root: int, page_kb: int) -> int:
    """Resident set of `root` and every descendant, from /proc (Linux)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            parents[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page_kb
        except OSError:
            pass
    return total


def peak_tree_rss(command: Sequence[str], cwd: str, interval: float = 0.05) -> tuple[int, int]:
    """(peak summed RSS of the process tree, sampled; max RSS of its largest process), in KiB."""
    global LAUNCH
    if LAUNCH is None:
        LAUNCH = Launcher()
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    pid = LAUNCH.start(command, cwd)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(pid, page_kb))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, _, rss = LAUNCH.finish(command, frozenset({0}))
    finally:
        done.set()
        sampler.join()
    return peak[0], rss


def warm_cache(corpus: Path) -> Callable[[], None]:
    """A reader of every file under `corpus` (but .git), so each timed run starts with a warm cache."""

    def warm() -> None:
        for root, dirs, files in os.walk(corpus):
            if ".git" in dirs:
                dirs.remove(".git")
            for name in files:
                try:
                    with open(os.path.join(root, name), "rb") as handle:
                        while handle.read(1 << 20):
                            pass
                except OSError:
                    pass

    return warm


# --- tools -----------------------------------------------------------------------------


def find_tool(given: str | None, name: str, extra_dirs: Sequence[str]) -> str | None:
    if given:
        return given if shutil.which(given) else None
    for directory in extra_dirs:
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def interpreter_of(script: str) -> str:
    """The Python a console script runs under (its shebang), else this one."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!") and "python" in first:
        return first[2:].split()[0]
    return sys.executable


def version_of(command: Sequence[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error})"
    return (out.stdout.strip() or out.stderr.strip()).splitlines()[0] if (out.stdout or out.stderr) else "?"


def ftscan_commit(python: str) -> str:
    """The commit of the ftscan source tree that `python` imports, with '+dirty' for local changes."""
    out = subprocess.run(
        [python, "-c", "import ftscan, os; print(os.path.dirname(ftscan.__file__))"],
        capture_output=True,
        text=True,
        check=False,
    )
    source = out.stdout.strip()
    if not source:
        return "unknown"
    head = subprocess.run(
        ["git", "-C", source, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not head:
        return "not a git checkout"
    dirty = subprocess.run(
        ["git", "-C", source, "status", "--porcelain", "--untracked-files=no", "."],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return head + ("+dirty" if dirty else "")


def ftscan_needles(python: str) -> tuple[list[str], list[str]]:
    out = subprocess.run([python, "-c", NEEDLES_CODE], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    return data["needles"], data["markers"]


# --- the pre-commit files --------------------------------------------------------------


def py_files(directory: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "build"))
        found.extend(Path(root, name) for name in sorted(files) if name.endswith(".py"))
    return found


def read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def text_sizes(directory: Path) -> list[int]:
    """Sizes of the files under `directory` that ftscan could read: not in .git, at most MAX_BYTES,
    no NUL byte in the first 8 KiB (.gitignore is not applied: an upper bound)."""
    sizes = []
    for root, dirs, files in os.walk(directory):
        if ".git" in dirs:
            dirs.remove(".git")
        for name in files:
            path = os.path.join(root, name)
            try:
                size = os.path.getsize(path)
                with open(path, "rb") as handle:
                    binary = b"\0" in handle.read(8192)
            except OSError:
                continue
            if size <= MAX_BYTES and not binary:
                sizes.append(size)
    return sizes


def precommit_files(corpus: Path, needles: Sequence[str]) -> tuple[Path, list[str], list[str]]:
    """A repository root, 5 small .py files none of which can match, and 4 of them plus one that
    needs libcst (the smallest .py calling `.fine_tuning.jobs.create(`)."""
    calls = [p for p in py_files(corpus) if ".fine_tuning.jobs.create(" in read_text(p)]
    if not calls:
        raise SystemExit(f"no .py file in {corpus} calls .fine_tuning.jobs.create(")
    libcst_file = min(calls, key=lambda p: (p.stat().st_size, str(p)))
    repo = corpus / libcst_file.relative_to(corpus).parts[0]
    quiet = [
        p
        for p in py_files(repo)
        if 1024 <= p.stat().st_size <= 6144 and not any(n in read_text(p) for n in needles)
    ]
    if len(quiet) < 5:
        raise SystemExit(f"fewer than 5 small .py files without a needle in {repo}")
    step = len(quiet) // 5
    chosen = [quiet[i * step] for i in range(5)]
    rel = [str(p.relative_to(repo)) for p in chosen]
    return repo, rel, [*rel[:4], str(libcst_file.relative_to(repo))]


def ftscan_summary(ftscan: str, paths: Sequence[str], cwd: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [ftscan, "scan", *paths, "-f", "json", "-o", out.name, "--exit-zero", "--no-progress"],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        summary = json.loads(Path(out.name).read_text(encoding="utf-8")).get("summary", {})
    return {"files": summary.get("files_scanned"), "findings": summary.get("findings")}


# --- the run ---------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/dev/shm/ftscan-corpus", help="directory to scan")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each full scan [5]")
    parser.add_argument("--precommit-runs", type=int, default=20, help="timed runs of each short run [20]")
    parser.add_argument("--ftscan", help="ftscan executable [PATH]")
    parser.add_argument("--rg", help="ripgrep executable [PATH]")
    parser.add_argument("--semgrep", help="semgrep executable [PATH]")
    parser.add_argument("--llm-sunset", help="llm-sunset executable [PATH]")
    parser.add_argument(
        "--peer-bin",
        action="append",
        default=[],
        help="directory searched for the peers before PATH (e.g. /tmp/bench-venv/bin)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["rg", "semgrep", "llm-sunset", "precommit", "memory"],
        help="leave out",
    )
    parser.add_argument(
        "--no-warm",
        action="store_true",
        help="do not read the corpus before each full-scan run (cold-cache figures)",
    )
    parser.add_argument(
        "--ftscan-commit",
        help="the commit ftscan was installed from, when its install is "
        "not a git checkout (an editable install's is read from git)",
    )
    parser.add_argument("--json", help="also write every measurement here")
    args = parser.parse_args(argv)
    global LAUNCH
    LAUNCH = Launcher()  # while this process is small: see LAUNCHER

    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        parser.error(f"no corpus at {corpus}: see benchmarks/README.md")
    ftscan = find_tool(args.ftscan, "ftscan", [])
    if not ftscan:
        parser.error("ftscan not found: pass --ftscan")
    python = interpreter_of(ftscan)
    tools = {
        name: (
            None
            if name in args.skip
            else find_tool(getattr(args, name.replace("-", "_")), name, args.peer_bin)
        )
        for name in ("rg", "semgrep", "llm-sunset")
    }
    needles, markers = ftscan_needles(python)
    before = None if args.no_warm else warm_cache(corpus)
    cwd = str(corpus)
    notes: list[str] = []
    rows: list[Measure] = []
    print(f"corpus {corpus}; {len(needles)} needles + {len(markers)} markers from ftscan", file=sys.stderr)

    # full scans
    full = [ftscan, "scan", str(corpus), *FTSCAN_FLAGS]
    rows.append(measure("ftscan (default jobs)", full, cwd, args.runs, before=before))
    rows.append(measure("ftscan --jobs 1", [*full, "--jobs", "1"], cwd, args.runs, before=before))
    coverage = {"ftscan": ftscan_summary(ftscan, [str(corpus)], cwd)}

    if tools["rg"]:
        rg = [
            tools["rg"],
            "--fixed-strings",
            "--count",
            "--hidden",
            "--glob",
            "!.git",
            "--max-filesize",
            str(MAX_BYTES),
        ]
        for needle in (*needles, *markers):
            rg += ["-e", needle]
        rows.append(
            measure(
                "ripgrep, ftscan's needles",
                [*rg, str(corpus)],
                cwd,
                args.runs,
                ok=frozenset({0, 1}),
                before=before,
            )
        )
        rows.append(
            measure(
                "ripgrep -j 1, ftscan's needles",
                [*rg, "-j", "1", str(corpus)],
                cwd,
                args.runs,
                ok=frozenset({0, 1}),
                before=before,
            )
        )
        listed = subprocess.run(
            [*rg[:1], "--files", "--hidden", "--glob", "!.git", str(corpus)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        hits = subprocess.run([*rg, str(corpus)], capture_output=True, text=True, check=False).stdout
        coverage["rg"] = {"files": len(listed.splitlines()), "files_with_a_needle": len(hits.splitlines())}
    else:
        notes.append("ripgrep: not found (pip install ripgrep==14.1.0, or pass --rg)")

    if tools["semgrep"]:
        with tempfile.TemporaryDirectory() as scratch:
            rule = Path(scratch, "fine-tuning.yaml")
            rule.write_text(SEMGREP_RULE, encoding="utf-8")
            semgrep = [
                tools["semgrep"],
                "scan",
                "--config",
                str(rule),
                "--metrics=off",
                "--disable-version-check",
                "--max-target-bytes",
                str(MAX_BYTES),
                "--json",
                "--quiet",
            ]
            out = Path(scratch, "semgrep.json")
            probe = subprocess.run(
                [*semgrep, "-o", str(out), str(corpus)], cwd=cwd, capture_output=True, text=True, check=False
            )
            if probe.returncode not in (0, 1) or not out.exists():
                notes.append(
                    f"semgrep: cannot run here (exit {probe.returncode}): "
                    f"{(probe.stderr or probe.stdout).strip()[-500:]}"
                )
            else:
                data = json.loads(out.read_text(encoding="utf-8"))
                coverage["semgrep"] = {
                    "files": len(data.get("paths", {}).get("scanned", [])),
                    "findings": len(data.get("results", [])),
                }
                rows.append(
                    measure(
                        "semgrep, equivalent rule",
                        [*semgrep, "-o", os.devnull, str(corpus)],
                        cwd,
                        args.runs,
                        ok=frozenset({0, 1}),
                        before=before,
                        warmup=False,
                    )
                )
    elif "semgrep" not in args.skip:
        notes.append("semgrep: not found (pip install semgrep, or pass --semgrep)")

    if tools["llm-sunset"]:
        sunset = [
            tools["llm-sunset"],
            "scan",
            "--offline",
            "--include-docs",
            "--no-fail",
            "--format",
            "json",
            str(corpus),
        ]
        probe = subprocess.run(sunset, cwd=cwd, capture_output=True, text=True, check=False)
        try:
            coverage["llm-sunset"] = {"findings": len(json.loads(probe.stdout).get("findings", []))}
        except ValueError:
            coverage["llm-sunset"] = {"findings": None}
        rows.append(measure("llm-sunset scan", sunset, cwd, args.runs, before=before, warmup=False))
    elif "llm-sunset" not in args.skip:
        notes.append("llm-sunset: not found (pip install llm-sunset, or pass --llm-sunset)")

    # short runs: start-up floors and pre-commit
    short: list[Measure] = []
    precommit: dict = {}
    if "precommit" not in args.skip:
        repo, quiet, with_cst = precommit_files(corpus, [*needles, *markers])
        precommit = {
            "repo": str(repo),
            "no_match": quiet,
            "one_libcst": with_cst,
            "no_match_result": ftscan_summary(ftscan, quiet, str(repo)),
            "one_libcst_result": ftscan_summary(ftscan, with_cst, str(repo)),
        }
        n = args.precommit_runs
        short.append(measure("python -c pass (floor)", [python, "-c", "pass"], str(repo), n))
        # What any click command pays before its own code: click and the standard library it loads.
        short.append(
            measure(
                "python -c 'import click' (floor of a click CLI)",
                [python, "-c", "import click"],
                str(repo),
                n,
            )
        )
        short.append(measure("ftscan --version", [ftscan, "--version"], str(repo), n))
        short.append(
            measure(
                "pre-commit: 5 files, none can match", [ftscan, "scan", *quiet, *FTSCAN_FLAGS], str(repo), n
            )
        )
        short.append(
            measure(
                "pre-commit: 5 files, one needs libcst",
                [ftscan, "scan", *with_cst, *FTSCAN_FLAGS],
                str(repo),
                n,
            )
        )

    # memory
    memory: dict = {}
    if "memory" not in args.skip:
        print("  memory: sampling the process tree of a full scan", file=sys.stderr, flush=True)
        if before:
            before()
        tree, largest = peak_tree_rss(full, cwd)
        memory["full_default_jobs"] = {"peak_tree_rss_kb": tree, "largest_process_rss_kb": largest}
        per_repo = []
        for repo in sorted(p for p in corpus.iterdir() if p.is_dir()):
            sizes = text_sizes(repo)
            py_sizes = [p.stat().st_size for p in py_files(repo) if p.stat().st_size <= MAX_BYTES]
            _, _, rss = run_once(
                [ftscan, "scan", str(repo), *FTSCAN_FLAGS, "--jobs", "1"], cwd, frozenset({0})
            )
            per_repo.append(
                {
                    "repo": repo.name,
                    "files": len(sizes),
                    "bytes": sum(sizes),
                    "largest_file": max(sizes, default=0),
                    "largest_py": max(py_sizes, default=0),
                    "max_rss_kb": rss,
                }
            )
        if "ftscan --jobs 1" in {r.name for r in rows}:
            sizes = text_sizes(corpus)
            per_repo.append(
                {
                    "repo": "(whole corpus)",
                    "files": len(sizes),
                    "bytes": sum(sizes),
                    "largest_file": max(sizes, default=0),
                    "largest_py": max((r["largest_py"] for r in per_repo), default=0),
                    "max_rss_kb": rows[1].max_rss_kb,
                }
            )
        memory["per_repo_jobs_1"] = per_repo

    report(rows, short, coverage, precommit, memory, notes, corpus, ftscan, python, tools, args)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "rows": [vars(r) for r in rows],
                    "short": [vars(r) for r in short],
                    "coverage": coverage,
                    "precommit": precommit,
                    "memory": memory,
                    "notes": notes,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


def report(
    rows: list[Measure],
    short: list[Measure],
    coverage: dict,
    precommit: dict,
    memory: dict,
    notes: list[str],
    corpus: Path,
    ftscan: str,
    python: str,
    tools: dict,
    args: argparse.Namespace,
) -> None:
    by = {r.name: r for r in rows}
    base = by.get("ftscan (default jobs)")
    rg = by.get("ripgrep, ftscan's needles")
    print(f"# ftscan benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print()
    print(f"- machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}")
    commit = args.ftscan_commit or ftscan_commit(python)
    print(f"- ftscan: {version_of([ftscan, '--version'])}, commit {commit}, at {ftscan}")
    for name, path in tools.items():
        if path:
            print(f"- {name}: {version_of([path, '--version'])}")
    print(
        f"- corpus: {corpus}; files seen: "
        + "; ".join(
            f"{tool} {', '.join(f'{k} {v}' for k, v in facts.items())}" for tool, facts in coverage.items()
        )
    )
    if LAUNCH:
        print(
            f"- commands forked by a launcher of {LAUNCH.floor_kb / 1024:.0f} MiB max RSS, the floor of "
            "the max RSS figures"
        )
    print(
        f"- {args.runs} timed runs of each full scan, {args.precommit_runs} of each short run; one untimed "
        "warm-up first" + ("" if args.no_warm else "; the corpus read into the page cache before each run")
    )
    print()
    print("| command | median | min | max | CPU (median) | max RSS | ÷ ripgrep | ÷ ftscan |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        vs_rg = f"{r.median / rg.median:.1f}x" if rg else "-"
        vs_ft = f"{r.median / base.median:.2f}x" if base else "-"
        print(
            f"| {r.name} | {fmt_s(r.median)} | {fmt_s(min(r.times))} | {fmt_s(max(r.times))} | "
            f"{fmt_s(statistics.median(r.cpu))} | {r.max_rss_kb / 1024:.0f} MiB | {vs_rg} | {vs_ft} |"
        )
    pairs = [
        ("ftscan (default jobs)", "ripgrep, ftscan's needles"),
        ("ftscan --jobs 1", "ripgrep -j 1, ftscan's needles"),
        ("semgrep, equivalent rule", "ftscan (default jobs)"),
        ("llm-sunset scan", "ftscan (default jobs)"),
    ]
    ratios = [f"{a} / {b} = {by[a].median / by[b].median:.2f}" for a, b in pairs if a in by and b in by]
    if ratios:
        print()
        print("Ratios of medians: " + "; ".join(ratios) + ".")
    if short:
        print()
        print("| short run | median | min | max | max RSS |")
        print("|---|---:|---:|---:|---:|")
        for r in short:
            print(
                f"| {r.name} | {fmt_s(r.median)} | {fmt_s(min(r.times))} | {fmt_s(max(r.times))} | "
                f"{r.max_rss_kb / 1024:.0f} MiB |"
            )
        print()
        print(
            f"Pre-commit files (in {precommit['repo']}): none can match: {' '.join(precommit['no_match'])} "
            f"-> {precommit['no_match_result']}; one needs libcst: {precommit['one_libcst'][-1]} "
            f"-> {precommit['one_libcst_result']}"
        )
    if memory:
        full = memory["full_default_jobs"]
        print()
        print(
            f"Memory, full scan with default jobs: peak RSS of the whole process tree "
            f"{full['peak_tree_rss_kb'] / 1024:.0f} MiB (sampled every 50 ms), largest single process "
            f"{full['largest_process_rss_kb'] / 1024:.0f} MiB."
        )
        print()
        print("| scanned with --jobs 1 | text files | MiB | largest text file | largest .py | max RSS |")
        print("|---|---:|---:|---:|---:|---:|")
        for row in memory["per_repo_jobs_1"]:
            print(
                f"| {row['repo']} | {row['files']} | {row['bytes'] / 2**20:.0f} | "
                f"{row['largest_file'] / 1024:.0f} KiB | {row['largest_py'] / 1024:.0f} KiB | "
                f"{row['max_rss_kb'] / 1024:.0f} MiB |"
            )
    loads = [x for r in (*rows, *short) for x in r.load]
    if loads:
        print()
        print(f"1-minute load average before the timed runs: {min(loads):.2f} to {max(loads):.2f}.")
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    sys.exit(main())
