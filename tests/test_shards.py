"""A monorepo split across a CI matrix: shards merged equal one scan; --jobs changes nothing."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import AS_OF, FIXTURES, run_ftscan

from ftscan.scan.cache import ResultCache


@pytest.mark.parametrize("fixture", ["demo", "everywhere"])
def test_merged_shards_equal_the_unsharded_scan(fixture, tmp_path):
    root = FIXTURES / fixture
    common = ("--root", str(root), "-f", "sarif", "--as-of", AS_OF, "--exit-zero", "--sarif-category", "app")
    full = tmp_path / "full.sarif"
    run_ftscan("scan", str(root), *common, "-o", str(full))
    parts = []
    for k in (1, 2, 3):
        part = tmp_path / f"part{k}.sarif"
        result = run_ftscan("scan", str(root), *common, "--shard", f"{k}/3", "-o", str(part))
        assert result.returncode == 0, result.stderr
        parts.append(str(part))
    merged = tmp_path / "merged.sarif"
    result = run_ftscan("merge", *parts, "-o", str(merged))
    assert result.returncode == 0, result.stderr
    assert merged.read_text() == full.read_text()


def test_shards_split_the_files(tmp_path):
    for i in range(12):
        (tmp_path / f"m{i}.py").write_text(f'M{i} = "ft:gpt-4o-2024-08-06:northwind:s{i}:Kd82hQz{i % 10}"\n')
    seen = []
    for k in (1, 2, 3):
        args = ("--root", str(tmp_path), "--shard", f"{k}/3", "--as-of", AS_OF)
        result = run_ftscan("scan", str(tmp_path), *args)
        seen += [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("m")]
    assert sorted(seen) == sorted(f"m{i}.py" for i in range(12))


def test_bad_shard_and_bad_merge_input(tmp_path):
    result = run_ftscan("scan", str(tmp_path), "--shard", "4/3")
    assert result.returncode == 2 and "'4/3' is not K/N" in result.stderr
    bad = tmp_path / "x.sarif"
    bad.write_text("{}")
    result = run_ftscan("merge", str(bad))
    assert result.returncode == 2 and "not a SARIF 2.1.0 log" in result.stderr


def test_jobs_and_file_order_do_not_change_the_output(tmp_path):
    """Over 200 files, so the process pool really runs."""
    tree = tmp_path / "tree"
    for i in range(45):
        shutil.copytree(FIXTURES / "demo", tree / f"copy{i:02d}", ignore=shutil.ignore_patterns("generated"))
    args = ("scan", str(tree), "--root", str(tree), "-f", "sarif", "--as-of", AS_OF, "--exit-zero")
    one = run_ftscan(*args, "--jobs", "1")
    two = run_ftscan(*args, "--jobs", "2")
    assert one.returncode == 0
    assert json.loads(one.stdout)["runs"][0]["properties"]["filesScanned"] > 200
    assert one.stdout == two.stdout


def test_result_cache_rereads_only_changed_files(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("FTSCAN_CACHE_DIR", str(cache))
    tree = tmp_path / "tree"
    tree.mkdir()
    a, b = tree / "a.py", tree / "b.py"
    a.write_text('A = "ft:gpt-4o-2024-08-06:northwind:a:Kd82hQz1"\n')
    b.write_text('B = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"\n')
    args = ("scan", str(tree), "--root", str(tree), "-f", "json", "--as-of", AS_OF, "--cache")
    first = json.loads(run_ftscan(*args).stdout)
    assert [f["evidence"]["value"] for f in first["findings"]] == [
        "ft:gpt-4o-2024-08-06:northwind:a:Kd82hQz1",
        "ft:gpt-3.5-turbo-0125:northwind::9tt19es9",
    ]
    # Unchanged files are served from the cache: their entries carry today's stamps.
    (store,) = cache.glob("results-*.json")
    entries = json.loads(store.read_bytes())["value"]
    assert {rel: tuple(stamp) for rel, stamp, _ in entries} == {
        "a.py": ResultCache.stamp(a),
        "b.py": ResultCache.stamp(b),
    }
    # Same size, same modification time, new content: the change time moved, so the file is
    # read again (a tree sets modification times; it cannot set change times).
    stamp = a.stat()
    a.write_text('A = "ft:gpt-4o-2024-08-06:northwind:z:Kd82hQz1"\n')
    os.utime(a, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    b.write_text("B = None\n")
    second = json.loads(run_ftscan(*args).stdout)
    assert [f["evidence"]["value"] for f in second["findings"]] == [
        "ft:gpt-4o-2024-08-06:northwind:z:Kd82hQz1"
    ]
