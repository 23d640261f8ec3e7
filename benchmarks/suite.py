#!/usr/bin/env python3
"""ftscan beside its yardsticks on several corpora, in paired runs: medians and ratios.

Each row runs ftscan (A) and a yardstick (B) in turn, A B A B ..., so that a machine whose
speed drifts (a shared one) slows both alike; the ratio is taken pair by pair and its median
reported beside each command's median wall time. See benchmarks/README.md for the corpora.

    python benchmarks/suite.py --corpora /dev/shm/walk-corpus --ftscan VENV/bin/ftscan \
        --old-ftscan OLD/bin/ftscan --peer-bin /tmp/bench-venv/bin --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # the launcher, the needles, the pre-commit files, the Semgrep rule

FLAGS = ("-o", os.devnull, "--exit-zero", "--no-progress", "--as-of", "2026-06-01")


def commands_in(corpus: Path) -> list[Path]:
    """A corpus is scanned whole; `small/` is a set whose repositories are scanned one by one."""
    return sorted(p for p in corpus.iterdir() if p.is_dir()) if corpus.name == "small" else [corpus]


def timed(commands: Sequence[Sequence[str]], cwds: Sequence[str]) -> tuple[float, float, int]:
    """One run of a set of commands, one after another: summed wall and CPU, largest RSS."""
    wall = cpu = 0.0
    rss = 0
    for command, cwd in zip(commands, cwds, strict=True):
        w, c, r = bench.run_once(command, cwd, frozenset({0, 1}))
        wall, cpu, rss = wall + w, cpu + c, max(rss, r)
    return wall, cpu, rss


def paired(name: str, a: list[list[str]], b: list[list[str]], cwds: list[str], runs: int) -> dict:
    print(f"{name}\n  A: {' '.join(a[0])}\n  B: {' '.join(b[0])}", file=sys.stderr, flush=True)
    timed(a, cwds), timed(b, cwds)  # warm-up, untimed
    rows: dict[str, list] = {"a": [], "b": [], "ratio": [], "cpu_a": [], "cpu_b": [], "load": []}
    rss_a = rss_b = 0
    for _ in range(runs):
        rows["load"].append(os.getloadavg()[0])
        wa, ca, ra = timed(a, cwds)
        wb, cb, rb = timed(b, cwds)
        rows["a"].append(wa), rows["b"].append(wb), rows["ratio"].append(wa / wb)
        rows["cpu_a"].append(ca), rows["cpu_b"].append(cb)
        rss_a, rss_b = max(rss_a, ra), max(rss_b, rb)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"  A {med['a']:.3f} s, B {med['b']:.3f} s, A/B {med['ratio']:.2f}", file=sys.stderr, flush=True)
    return {"name": name, **med, "min_a": min(rows["a"]), "max_a": max(rows["a"]), "rss_a": rss_a,
            "rss_b": rss_b, "runs": runs, "command_a": a[0], "command_b": b[0]}  # fmt: skip


def identical_sarif(new: str, old: str, paths: list[Path]) -> bool:
    """The SARIF of the new and the old ftscan, byte for byte, on every repository."""
    for path in paths:
        outputs = []
        for ftscan in (new, old):
            with tempfile.NamedTemporaryFile(suffix=".sarif") as out:
                args = [ftscan, "scan", ".", "-f", "sarif", "-o", out.name, "--exit-zero", "--no-progress"]
                subprocess.run([*args, "--as-of", "2026-06-01"], cwd=path, check=True, capture_output=True)
                outputs.append(Path(out.name).read_bytes())
        if outputs[0] != outputs[1]:
            print(f"SARIF differs: {path}", file=sys.stderr)
            return False
    return True


def precommit_set(corpora: Path, needles: Sequence[str]) -> tuple[Path, list[str], list[str]]:
    """bench.py's pre-commit files, from the first repository that has them all: a caller of
    `.fine_tuning.jobs.create(` and 5 small .py files without a needle."""
    for repo in sorted(
        p for group in corpora.iterdir() if group.is_dir() for p in group.iterdir() if p.is_dir()
    ):
        try:
            return _precommit_in(repo, needles)
        except SystemExit:
            continue
    raise SystemExit("no repository with a caller and 5 small .py files without a needle")


def _precommit_in(repo: Path, needles: Sequence[str]) -> tuple[Path, list[str], list[str]]:
    files = bench.py_files(repo)
    calls = [p for p in files if ".fine_tuning.jobs.create(" in bench.read_text(p)]
    quiet = [
        p for p in files
        if 1024 <= p.stat().st_size <= 6144 and not any(n in bench.read_text(p) for n in needles)
    ]  # fmt: skip
    if not calls or len(quiet) < 5:
        raise SystemExit(f"not in {repo}")
    step = len(quiet) // 5
    rel = [str(quiet[i * step].relative_to(repo)) for i in range(5)]
    libcst_file = min(calls, key=lambda p: (p.stat().st_size, str(p)))
    return repo, rel, [*rel[:4], str(libcst_file.relative_to(repo))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", required=True, help="directory with free/, notebooks/, small/, js/")
    parser.add_argument("--ftscan", required=True)
    parser.add_argument("--old-ftscan", help="the ftscan to compare with (an earlier commit's install)")
    parser.add_argument("--peer-bin", action="append", default=[])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow-runs", type=int, default=3, help="pairs with Semgrep and llm-sunset [3]")
    parser.add_argument("--precommit-runs", type=int, default=20)
    parser.add_argument(
        "--skip", action="append", default=[], choices=["semgrep", "llm-sunset", "old", "precommit"]
    )
    parser.add_argument(
        "--only", action="append", default=[], help="these corpora only (free, notebooks, ...)"
    )
    parser.add_argument("--format", default="sarif", help="ftscan's report format [sarif]")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    bench.LAUNCH = bench.Launcher()
    corpora = Path(args.corpora).resolve()
    ftscan, old = args.ftscan, args.old_ftscan
    rg = bench.find_tool(None, "rg", args.peer_bin)
    semgrep = None if "semgrep" in args.skip else bench.find_tool(None, "semgrep", args.peer_bin)
    sunset = None if "llm-sunset" in args.skip else bench.find_tool(None, "llm-sunset", args.peer_bin)
    needles, markers = bench.ftscan_needles(bench.interpreter_of(ftscan))
    patterns = [arg for needle in (*needles, *markers) for arg in ("-e", needle)]
    rg_cmd = [rg, "--files-with-matches", "--hidden", "--glob", "!.git", "--fixed-strings",
              "--max-filesize", str(bench.MAX_BYTES), *patterns, "."]  # fmt: skip
    results: list[dict] = []
    facts: dict = {"load_before": os.getloadavg(), "sarif_identical": {}}
    for name in ("free", "notebooks", "small", "js"):
        corpus = corpora / name
        if not corpus.is_dir() or (args.only and name not in args.only):
            continue
        repos = commands_in(corpus)
        cwds = [str(p) for p in repos]
        ours = [[ftscan, "scan", ".", "-f", args.format, *FLAGS] for _ in repos]
        if rg:
            results.append(
                paired(f"{name}: ftscan ÷ ripgrep", ours, [rg_cmd for _ in repos], cwds, args.runs)
            )
        if old and "old" not in args.skip:
            facts["sarif_identical"][name] = identical_sarif(ftscan, old, repos)
            theirs = [[old, "scan", ".", "-f", args.format, *FLAGS] for _ in repos]
            results.append(paired(f"{name}: ftscan ÷ ftscan before", ours, theirs, cwds, args.runs))
        if semgrep and name == "free":
            with tempfile.TemporaryDirectory() as scratch:
                rule = Path(scratch, "rule.yaml")
                rule.write_text(bench.SEMGREP_RULE, encoding="utf-8")
                theirs = [
                    [
                        semgrep,
                        "scan",
                        "--config",
                        str(rule),
                        "--metrics=off",
                        "--disable-version-check",
                        "--max-target-bytes",
                        str(bench.MAX_BYTES),
                        "--json",
                        "--quiet",
                        "-o",
                        os.devnull,
                        ".",
                    ]
                ]
                results.append(paired(f"{name}: ftscan ÷ Semgrep", ours, theirs, cwds, args.slow_runs))
        if sunset and name == "small":
            theirs = [[sunset, "scan", "--offline", "--include-docs", "--no-fail", "--format", "json", "."]
                      for _ in repos]  # fmt: skip
            results.append(paired(f"{name}: ftscan ÷ llm-sunset", ours, theirs, cwds, args.runs))
    if (
        "precommit" not in args.skip
        and (corpora / "free").is_dir()
        and (not args.only or "precommit" in args.only)
    ):
        repo, quiet, with_cst = precommit_set(corpora, [*needles, *markers])
        floor = [[sys.executable, "-c", "import click"]]
        for label, files in (("5 files, none can match", quiet), ("5 files, one needs libcst", with_cst)):
            command = [[ftscan, "scan", *files, "--no-progress", "--exit-zero"]]
            row = paired(
                f"pre-commit, {label}: ftscan ÷ import click",
                command,
                floor,
                [str(repo)],
                args.precommit_runs,
            )
            row["files"] = files
            results.append(row)
    facts["load_after"] = os.getloadavg()
    print(markdown(results, facts))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": results, "facts": facts}, indent=1), encoding="utf-8"
        )
    return 0


def markdown(results: list[dict], facts: dict) -> str:
    lines = [
        "| pair (A ÷ B) | A median | A min-max | B median | A/B (median of pairs) | A CPU | B CPU "
        "| A max RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['a']:.3f} s | {r['min_a']:.3f}-{r['max_a']:.3f} s | {r['b']:.3f} s | "
            f"{r['ratio']:.2f}x | {r['cpu_a']:.2f} s | {r['cpu_b']:.2f} s | {r['rss_a'] // 1024} MiB |"
        )
    lines.append("")
    lines.append(f"Load average (1, 5, 15 min) before: {facts['load_before']}; after: {facts['load_after']}.")
    lines.append(f"SARIF of this ftscan and the earlier one byte-identical: {facts['sarif_identical']}.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
