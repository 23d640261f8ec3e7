"""The pack cache and the `--cache` results load data only: a planted pickle, a corrupt file,
a forged value or an oversize file is a miss (the scan's findings as without a cache), and
no code in them runs."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES

from ftscan.stored import Unreadable, Unstorable, dumps, loads
from ftscan.types import Span


class _Planted:
    """Pickles as a call that writes `marker`: what a pickle-era cache could be made to do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"echo ran > {self.marker}",))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "demo", tree, ignore=shutil.ignore_patterns("generated"))
    return tree


def _scan(tree: Path, cache: Path, *extra: str) -> str:
    """The SARIF of a scan of `tree` whose caches live in `cache`."""
    args = ("scan", str(tree), "--root", str(tree), "-f", "sarif", "--as-of", AS_OF, "--exit-zero")
    result = subprocess.run(
        [sys.executable, "-m", "ftscan", *args, *extra],
        env={**os.environ, "FTSCAN_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _hostile_contents(marker: Path) -> dict[str, bytes]:
    return {
        "a pickle-era file": pickle.dumps(_Planted(marker)),
        "cut short": b'{"format": 1, "key": "',
        "not UTF-8": b"\xff\xfe\x00{",
        "a class not on the list": json.dumps(
            {"format": 1, "key": "x", "value": {"system": [f"echo ran > {marker}"]}}
        ).encode(),
        "deep": b"[" * 100_000,
    }


@pytest.mark.parametrize("which", ["packs", "results"])
def test_a_planted_or_corrupt_cache_is_a_miss_and_runs_nothing(tree, tmp_path, which):
    reference = _scan(tree, tmp_path / "none", "--no-cache")
    cache = tmp_path / "cache"
    assert _scan(tree, cache, "--cache") == reference
    written = sorted(cache.glob(f"{which}-*.json"))
    assert written
    marker = tmp_path / "ran"
    for name, content in _hostile_contents(marker).items():
        for path in written:  # today's name and the pickle era's
            path.write_bytes(content)
            path.with_suffix(".pickle").write_bytes(content)
        assert _scan(tree, cache, "--cache") == reference, name
        assert not marker.exists(), name
        for path in written:  # the miss was scanned again and written back, as data
            assert json.loads(path.read_bytes())["format"] == 1, name


def test_a_forged_result_of_the_right_shape_but_wrong_key_is_a_miss(tree, tmp_path):
    reference = _scan(tree, tmp_path / "none", "--no-cache")
    cache = tmp_path / "cache"
    _scan(tree, cache, "--cache")
    written = max(cache.glob("results-*.json"), key=lambda path: path.stat().st_size)
    document = json.loads(written.read_bytes())
    emptied = [[rel, stamp, {"FileResult": [rel, [], [], [], []]}] for rel, stamp, _ in document["value"]]
    written.write_text(json.dumps({**document, "key": "another", "value": emptied}))
    assert _scan(tree, cache, "--cache") == reference
    # Entries not as written (a stamp of strings) make the whole file a miss.
    broken = [[rel, ["1", "2", "3", "4", "5"], result] for rel, _, result in document["value"]]
    written.write_text(json.dumps({**document, "value": broken}))
    assert _scan(tree, cache, "--cache") == reference


def test_an_oversize_cache_is_a_miss_without_being_read(tree, tmp_path):
    reference = _scan(tree, tmp_path / "none", "--no-cache")
    cache = tmp_path / "cache"
    _scan(tree, cache, "--cache")
    for written in cache.glob("*.json"):
        with written.open("r+b") as handle:
            handle.truncate(600 * 1024 * 1024)  # sparse: no disk used
    assert _scan(tree, cache, "--cache") == reference


def test_values_round_trip_and_nothing_else_is_stored():
    makers = {"Span": Span}
    value = (Span(1, 2, 3, 4), frozenset({"a"}), ("x", 1, None, True, 1.5))
    assert loads(dumps("k", value, makers), "k", makers) == value
    with pytest.raises(Unreadable):
        loads(dumps("k", value, makers), "other key", makers)
    with pytest.raises(Unreadable):
        loads(dumps("k", value, makers), "k", {})  # Span is not on the reader's list
    with pytest.raises(Unstorable):
        dumps("k", (Path("x"),), makers)
    with pytest.raises(Unreadable):
        loads(b'{"format": 1, "key": "k", "value": {"Span": [1, 2]}}', "k", makers)  # wrong arity


def test_a_cache_as_ftscan_writes_it_is_used(tree, tmp_path):
    """The other side of a miss: an entry whose key and stamp hold is served as stored (here
    emptied, so its findings disappear), which is why a cache directory must be the user's."""
    cache = tmp_path / "cache"
    before = json.loads(_scan(tree, cache, "--cache"))["runs"][0]["results"]
    written = max(cache.glob("results-*.json"), key=lambda path: path.stat().st_size)
    document = json.loads(written.read_bytes())
    emptied = [[rel, stamp, {"FileResult": [rel, [], [], [], []]}] for rel, stamp, _ in document["value"]]
    written.write_text(json.dumps({**document, "value": emptied}))
    after = json.loads(_scan(tree, cache, "--cache"))["runs"][0]["results"]
    assert before and len(after) < len(before)


def test_the_shipped_packs_come_back_from_the_cache_as_loaded(tmp_path):
    """A hit, not a silent miss that loads the YAML again: the stored packs read back equal."""
    from ftscan.rules.cache import cache_file, read_cache
    from ftscan.rules.load import load_packs, pack_files, shipped_rules_dir

    loaded = load_packs(cache=tmp_path)
    found = cache_file(tmp_path, pack_files([shipped_rules_dir()]))
    assert found is not None
    assert read_cache(*found) == loaded
    assert read_cache(found[0], "another key") is None


@pytest.mark.parametrize(
    ("name", "forge"),
    [
        ("evidence is a string", lambda result: result["FileResult"].__setitem__(1, "xy")),
        ("a span is a string", lambda result: result["FileResult"][1][0]["Evidence"].__setitem__(2, "nope")),
        (
            "a span for a notification",
            lambda result: result["FileResult"].__setitem__(2, [{"Span": [1, 1, 1, 1]}]),
        ),
    ],
)
def test_a_value_of_the_right_classes_but_wrong_fields_is_a_miss(tree, tmp_path, name, forge):
    reference = _scan(tree, tmp_path / "none", "--no-cache")
    cache = tmp_path / "cache"
    _scan(tree, cache, "--cache")
    written = max(cache.glob("results-*.json"), key=lambda path: path.stat().st_size)
    document = json.loads(written.read_bytes())
    entry = next(e for e in document["value"] if e[2]["FileResult"][1])  # one with evidence
    forge(entry[2])
    written.write_text(json.dumps(document))
    assert _scan(tree, cache, "--cache") == reference, name


def test_a_pack_cache_of_the_right_classes_but_wrong_fields_is_a_miss(tree, tmp_path):
    reference = _scan(tree, tmp_path / "none", "--no-cache")
    cache = tmp_path / "cache"
    _scan(tree, cache)
    (written,) = cache.glob("packs-*.json")
    document = json.loads(written.read_bytes())
    document["value"][0]["RulePack"][7] = "oops"  # its rules
    written.write_text(json.dumps(document))
    assert _scan(tree, cache) == reference


@pytest.mark.skipif(os.name == "nt", reason="a file name that is not UTF-8 needs a POSIX file system")
def test_a_file_name_that_is_not_utf8_is_cached_and_read_back(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / os.fsdecode(b"caf\xe9.py")).write_text('M = "ft:gpt-4o-mini-2024-07-18:acme:s:Bq7x2LmN"\n')
    cache = tmp_path / "cache"
    first = _scan(tree, cache, "--cache")
    assert "caf" in first and len(list(cache.glob("results-*.json"))) == 1
    assert _scan(tree, cache, "--cache") == first
