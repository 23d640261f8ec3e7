"""The attacks of a hostile tree (issue 15), each tried through the command line.

A pull request from a fork controls every file of the tree, its configuration included. Each
test plants a secret where the attack would fetch it (a file outside the repository, the
environment, the attacking file itself) and asserts the exit code, the message, and that the
secret appears nowhere: not on stdout, not on stderr, not in the report file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import AS_OF

SECRET = "ghp_PLANTEDsecret0123456789abcdefXYZ"
PIECE = "PLANTEDsecret"  # any excerpt of the secret would hold this
LINUX_LIKE = hasattr(os, "symlink") and Path("/proc/self/environ").exists()
needs_links = pytest.mark.skipif(not LINUX_LIKE, reason="symbolic links and /proc needed")

PACK = """\
pack: local
version: "1"
rules:
  - id: LOC1
    name: local-launcher
    summary: Launches a job through the internal wrapper
    help: Move to the new gateway.
    match: {evidence: api-call, calls: [acme.ml.launch_finetune]}
"""


class Attack:
    """A repository (`repo`, with `.git`) beside a directory outside it holding the secret."""

    def __init__(self, base: Path) -> None:
        self.repo = base / "repo"
        (self.repo / ".git").mkdir(parents=True)
        (self.repo / "app.py").write_text("print('hello')\n", encoding="utf-8")
        self.outside = base / "outside"
        self.outside.mkdir()
        self.credentials = self.outside / ".git-credentials"
        self.credentials.write_text(f"https://x-access-token:{SECRET}@github.com\n", encoding="utf-8")
        self.report = base / "report.sarif"

    def config(self, body: str) -> None:
        (self.repo / "pyproject.toml").write_text(f"[tool.ftscan]\n{body}\n", encoding="utf-8")

    def scan(self, *extra: str, env: dict[str, str] | None = None, timeout: float = 120) -> Outcome:
        args = ["scan", ".", "--as-of", AS_OF, "--no-progress", "-f", "sarif", "-o", str(self.report)]
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-I", "-m", "ftscan", *args, *extra],
            cwd=self.repo,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
        report = self.report.read_text(encoding="utf-8") if self.report.exists() else ""
        return Outcome(result.returncode, result.stdout, result.stderr, report, time.monotonic() - started)


class Outcome:
    def __init__(self, code: int, stdout: str, stderr: str, report: str, seconds: float) -> None:
        self.code, self.stdout, self.stderr, self.report, self.seconds = code, stdout, stderr, report, seconds

    def assert_no_secret(self, excerpt: bool = False) -> None:
        """Not the secret, nor any part of it; with `excerpt`, at most its first 20 characters."""
        shown = SECRET[:21] if excerpt else PIECE
        for name, text in (("stdout", self.stdout), ("stderr", self.stderr), ("report", self.report)):
            assert SECRET not in text and shown not in text, f"the secret reached {name}: {text[:400]}"

    def assert_error(self, *parts: str, excerpt: bool = False) -> None:
        assert self.code == 2, (self.code, self.stderr)
        assert "Traceback" not in self.stderr and "internal error" not in self.stderr, self.stderr
        for part in parts:
            assert part in self.stderr, self.stderr
        assert self.report == "", "no report is written when the configuration is refused"
        self.assert_no_secret(excerpt)


@pytest.fixture
def attack(tmp_path) -> Attack:
    return Attack(tmp_path)


# --- configuration names a file outside the repository ---------------------------------------


@pytest.mark.parametrize("key", ["rules", "baseline"])
def test_an_absolute_path_in_configuration_is_refused(attack, key):
    value = str(attack.credentials)
    attack.config(f'{key} = ["{value}"]' if key == "rules" else f'{key} = "{value}"')
    outcome = attack.scan()
    outcome.assert_error(
        f"config error: {attack.repo / 'pyproject.toml'}: tool.ftscan.{key}: ",
        "is an absolute path; configuration may name only files inside the repository",
        "so it was not read",
    )


@pytest.mark.parametrize("key", ["rules", "baseline"])
def test_a_dot_dot_escape_in_configuration_is_refused(attack, key):
    value = "../outside/.git-credentials"
    attack.config(f'{key} = ["{value}"]' if key == "rules" else f'{key} = "{value}"')
    outcome = attack.scan()
    outcome.assert_error(
        f"tool.ftscan.{key}: '../outside/.git-cred...' is a path whose '..' leads outside the repository",
    )


@needs_links
@pytest.mark.parametrize("key", ["rules", "baseline"])
def test_a_link_out_of_the_tree_in_configuration_is_refused(attack, key):
    (attack.repo / "ci").mkdir()
    (attack.repo / "ci" / "team.yaml").symlink_to(attack.credentials)
    attack.config(f'{key} = ["ci/team.yaml"]' if key == "rules" else f'{key} = "ci/team.yaml"')
    outcome = attack.scan()
    outcome.assert_error(
        f"tool.ftscan.{key}: 'ci/team.yaml' is a path through a symbolic link",
        "that leads outside the repository",
    )


@needs_links
def test_a_link_out_inside_a_configured_rules_directory_is_refused(attack):
    (attack.repo / "ci").mkdir()
    (attack.repo / "ci" / "good.yaml").write_text(PACK, encoding="utf-8")
    (attack.repo / "ci" / "more.yaml").symlink_to(attack.credentials)
    attack.config('rules = ["ci"]')
    outcome = attack.scan()
    outcome.assert_error("tool.ftscan.rules: 'more.yaml' in 'ci' is a symbolic link that leads outside")


@needs_links
def test_a_directory_link_out_is_refused(attack):
    (attack.repo / "ci").symlink_to(attack.outside, target_is_directory=True)
    attack.config('rules = ["ci/.git-credentials"]')
    outcome = attack.scan()
    outcome.assert_error("is a path through a symbolic link that leads outside the repository")


@needs_links
def test_a_configuration_file_that_links_out_is_not_read(attack):
    toml = attack.outside / "ftscan.toml"
    toml.write_text(f'sarif-category = 7\ntoken = "{SECRET}"\n', encoding="utf-8")
    (attack.repo / "ftscan.toml").symlink_to(toml)
    outcome = attack.scan()
    outcome.assert_error(f"config error: {attack.repo / 'ftscan.toml'}: a symbolic link to a file outside")


@needs_links
def test_proc_self_environ_is_never_echoed(attack):
    env = {"PLANTED_TOKEN": SECRET}
    attack.config('rules = ["/proc/self/environ"]')
    attack.scan(env=env).assert_error("tool.ftscan.rules: '/proc/self/environ' is an absolute path")

    attack.config('rules = ["../../../../../../../../proc/self/environ"]')
    attack.scan(env=env).assert_error("tool.ftscan.rules: ", "whose '..' leads outside the repository")

    (attack.repo / "environ.yaml").symlink_to("/proc/self/environ")
    attack.config('rules = ["environ.yaml"]')
    attack.scan(env=env).assert_error("is a path through a symbolic link that leads outside")

    # Named on the command line, it is read (the user's choice) but only described.
    (attack.repo / "pyproject.toml").unlink()
    outcome = attack.scan("--rules", "/proc/self/environ", env=env)
    outcome.assert_error(
        "rule error: /proc/self/environ: a binary file (it holds NUL bytes), not a rule pack"
    )
    outcome = attack.scan("--baseline", "/proc/self/environ", env=env)
    outcome.assert_error("baseline error: /proc/self/environ: a binary file (it holds NUL bytes)")


def test_command_line_paths_stay_unrestricted_but_are_described_not_echoed(attack):
    outcome = attack.scan("--rules", str(attack.credentials))
    outcome.assert_error(
        f"rule error: {attack.credentials}:1: top level is a string, not a mapping: not a rule pack"
    )
    outcome = attack.scan("--baseline", str(attack.credentials))
    outcome.assert_error(f"baseline error: {attack.credentials}: not JSON (Expecting value, line 1 column 1)")


# --- files of the tree that are not what configuration says they are ---------------------------


def test_a_binary_file_as_a_pack(attack):
    (attack.repo / "logo.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + SECRET.encode() + b"\0" * 64)
    attack.config('rules = ["logo.yaml"]')
    outcome = attack.scan()
    outcome.assert_error(
        f"rule error: {attack.repo / 'logo.yaml'}: a binary file (it holds NUL bytes), not a rule pack"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{SECRET}\n", ":1: top level is a string, not a mapping: not a rule pack"),
        (f"- {SECRET}\n- two\n", ":1: top level is a list, not a mapping: not a rule pack"),
        (f"pack: local\nversion: '1'\nrules: {SECRET}\n", ":3: rules: expected a list, got a string"),
        (
            PACK.replace("pack: local", f"pack: {SECRET}"),
            ":1: pack: 'ghp_PLANTEDsecret012...' does not match",
        ),
        (
            PACK.replace("    help:", f"    {SECRET}: 1\n    help:"),
            ":7: rules[0].ghp_PLANTEDsecret012...: unknown field",
        ),
        (
            PACK.replace("evidence: api-call", f'evidence: "\\e[2J{SECRET}"'),
            ":8: rules[0].match.evidence: '?[2Jghp_PLANTEDsecre...' is not one of",
        ),
        (f"pack: *{SECRET}\n", ":1: invalid YAML: found undefined alias"),
        (
            f"pack: !{SECRET} x\nversion: '1'\nrules: []\n",
            "could not determine a constructor for the tag '!ghp_PLANTEDsecret01...'",
        ),
    ],
    ids=["string", "list", "wrong-type", "pattern", "unknown-key", "enum-with-controls", "alias", "tag"],
)
def test_pack_errors_describe_shapes_and_cut_quotes(attack, text, message):
    pack = attack.repo / "mine.yaml"
    pack.write_text(text, encoding="utf-8")
    attack.config('rules = ["mine.yaml"]')
    outcome = attack.scan()
    outcome.assert_error(f"rule error: {pack}", message, excerpt=True)
    assert "\x1b" not in outcome.stderr


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (json.dumps(SECRET), "top level is a string, not a mapping: not an ftscan baseline"),
        (json.dumps({"ftscan_baseline_version": SECRET}), "(ftscan_baseline_version a string, not 1)"),
        (
            json.dumps({"ftscan_baseline_version": 1, "findings": [SECRET]}),
            "findings must be a list of entries",
        ),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
    ],
    ids=["string", "version", "entries", "nesting"],
)
def test_baseline_errors_describe_shapes(attack, document, message):
    (attack.repo / "baseline.json").write_text(document, encoding="utf-8")
    attack.config('baseline = "baseline.json"')
    outcome = attack.scan()
    outcome.assert_error(f"baseline error: {attack.repo / 'baseline.json'}: ", message)


# --- work a tree can make ftscan do ---------------------------------------------------------


CATASTROPHIC = PACK.replace(
    "match: {evidence: api-call, calls: [acme.ml.launch_finetune]}",
    'match: {evidence: text, pattern: "x(a+)+$", needles: ["x"]}',
)


def test_a_catastrophic_pattern_runs_in_linear_time(attack):
    """`x(a+)+$` on `x`, 32 `a` and `!` takes hours on a backtracking engine, inside C code the
    per-file alarm cannot stop. On RE2 it is a linear scan: the file is scanned in full, in far
    less than the 10 s allowed, with nothing to time out and so no notification."""
    (attack.repo / "rules.yaml").write_text(CATASTROPHIC, encoding="utf-8")
    (attack.repo / "victim.txt").write_text(f"x{'a' * 32}!\n# {SECRET}\n", encoding="utf-8")
    (attack.repo / "hit.txt").write_text("x" + "a" * 32, encoding="utf-8")  # a match: the rule runs
    attack.config('rules = ["rules.yaml"]')
    outcome = attack.scan("--file-timeout", "5", timeout=10)
    assert outcome.code == 1, outcome.stderr
    results = json.loads(outcome.report)["runs"][0]["results"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results
    ] == [("LOC1", "hit.txt")]
    notes = json.loads(outcome.report)["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])
    assert notes == []
    outcome.assert_no_secret()


def test_the_per_file_limit_holds_through_the_pattern_on_a_five_megabyte_file(attack):
    """The per-file limit is a signal, handled between Python steps: it holds only if native
    code returns. With a limit of a millisecond, the 5 MiB file times out: the RE2 search
    returns (a backtracking one would not, for hours), the alarm is handled, the file is
    scanned again as plain text and a notification says so, all well within 10 s."""
    (attack.repo / "rules.yaml").write_text(CATASTROPHIC, encoding="utf-8")
    (attack.repo / "victim.txt").write_text("x" + "a" * (5 * 1024 * 1024 - 3) + "!", encoding="utf-8")
    attack.config('rules = ["rules.yaml"]')
    outcome = attack.scan("--file-timeout", "0.001", timeout=10)
    assert outcome.code == 0, outcome.stderr
    run = json.loads(outcome.report)["runs"][0]
    assert run["results"] == []
    notes = {
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: n["message"]["text"]
        for n in run["invocations"][0]["toolExecutionNotifications"]
    }
    assert notes["victim.txt"] == "victim.txt: text scanner stopped after 0.001 s; scanned as plain text"
    assert outcome.seconds < 10


@pytest.mark.parametrize(
    ("pattern", "why"),
    [(r"(a+)\\1", "invalid escape sequence"), ("(?=secret)token", "invalid perl operator")],
    ids=["backreference", "lookahead"],
)
def test_a_pattern_re2_refuses_is_a_rule_error_naming_rule_and_field(attack, pattern, why):
    pack = attack.repo / "rules.yaml"
    pack.write_text(CATASTROPHIC.replace("x(a+)+$", pattern), encoding="utf-8")
    attack.config('rules = ["rules.yaml"]')
    attack.scan().assert_error(
        f"rule error: {pack}:8: rules[0].match.pattern: invalid regular expression in rule LOC1: {why}"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs needed")
@pytest.mark.parametrize("key", ["rules", "baseline"])
def test_a_fifo_in_configuration_is_refused_without_waiting(attack, key):
    os.mkfifo(attack.repo / "pipe.yaml")
    attack.config(f'{key} = ["pipe.yaml"]' if key == "rules" else f'{key} = "pipe.yaml"')
    outcome = attack.scan(timeout=30)
    outcome.assert_error(f"{attack.repo / 'pipe.yaml'}: cannot read: not a regular file")


def test_a_fifty_megabyte_pack_is_refused_unread(attack):
    pack = attack.repo / "huge.yaml"
    with pack.open("wb") as handle:
        handle.write(f"# {SECRET}\n".encode())
        handle.truncate(50 * 1024 * 1024)
    attack.config('rules = ["huge.yaml"]')
    outcome = attack.scan()
    outcome.assert_error(f"rule error: {pack}: larger than the 1 MiB a rule pack may be (52,428,800 bytes)")


def test_a_pack_whose_aliases_expand_past_the_cap_is_refused(attack):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    pack = attack.repo / "bomb.yaml"
    pack.write_text(PACK + "extra:\n" + "".join(f"  {line}\n" for line in lines), encoding="utf-8")
    attack.config('rules = ["bomb.yaml"]')
    outcome = attack.scan(timeout=30)
    outcome.assert_error(f"rule error: {pack}:", "more than 200,000 YAML nodes once aliases expand")


def test_rule_and_needle_counts_are_capped(attack):
    many = (
        PACK.split("rules:")[0]
        + "rules:\n"
        + "".join(
            f"  - id: LOC{i}\n    name: r{i}\n    summary: s\n    help: h\n"
            f"    match: {{evidence: api-call, calls: [acme.ml.launch{i}]}}\n"
            for i in range(501)
        )
    )
    pack = attack.repo / "many.yaml"
    pack.write_text(many, encoding="utf-8")
    attack.config('rules = ["many.yaml"]')
    attack.scan().assert_error(f"rule error: {pack}:3: rules: 501 items, more than the 500 allowed")

    calls = ", ".join(f"acme.ml.launch{i}" for i in range(101))
    pack.write_text(PACK.replace("calls: [acme.ml.launch_finetune]", f"calls: [{calls}]"), encoding="utf-8")
    attack.scan().assert_error(
        f"rule error: {pack}:8: rules[0].match.calls: 101 items, more than the 100 allowed"
    )


def test_a_path_inside_the_repository_is_still_read(attack):
    """The confinement refuses only what leaves the repository: `..` that stays inside is fine."""
    (attack.repo / "ci").mkdir()
    (attack.repo / "ci" / "team.yaml").write_text(PACK, encoding="utf-8")
    (attack.repo / "sub").mkdir()
    (attack.repo / "sub" / "ftscan.toml").write_text('rules = ["../ci/team.yaml"]\n', encoding="utf-8")
    (attack.repo / "sub" / "job.py").write_text("import acme\nacme.ml.launch_finetune()\n", encoding="utf-8")
    outcome = attack.scan()
    assert outcome.code == 0, outcome.stderr  # the scan root is the repository: no config there
    result = subprocess.run(
        [sys.executable, "-I", "-m", "ftscan", "scan", ".", "--as-of", AS_OF, "-f", "json"],
        cwd=attack.repo / "sub",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert [f["rule_id"] for f in json.loads(result.stdout)["findings"]] == ["LOC1"]


def test_the_readme_example_of_a_refused_path_is_what_ftscan_prints(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    (line,) = [ln for ln in readme.splitlines() if ln.startswith("Error: config error:") and "absolute" in ln]
    app = tmp_path / "work" / "app"
    (app / ".git").mkdir(parents=True)
    (app / "pyproject.toml").write_text('[tool.ftscan]\nrules = ["/home/runner/.git-credentials"]\n')
    result = subprocess.run(
        [sys.executable, "-I", "-m", "ftscan", "scan", "."],
        cwd=app,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == line.replace("/work/app", str(app.resolve()))


# --- every error path: no error quotes more than an excerpt --------------------------------


def _mutations():
    """A valid pack with the secret put at one place: as a value, a key, or a whole part."""
    from hypothesis import strategies as st

    leaf = st.sampled_from([SECRET, f"\x1b]0;{SECRET}\x07", 7, None, True, [SECRET], {SECRET: SECRET}])
    places = st.sampled_from(
        [
            (),
            ("pack",),
            ("version",),
            ("rules",),
            ("rules", 0),
            ("rules", 0, "id"),
            ("rules", 0, "name"),
            ("rules", 0, "match"),
            ("rules", 0, "match", "evidence"),
            ("rules", 0, "match", "calls"),
            ("rules", 0, "match", "calls", 0),
            ("rules", 0, "milestones"),
            ("rules", 0, "milestones", 0),
            ("milestones",),
            ("milestones", "cutoff"),
            ("milestones", "cutoff", "date"),
            ("milestones", "cutoff", "status"),
            ("base_models",),
            ("rules", 0, "examples"),
            ("rules", 0, "match", "pattern"),
        ]
    )
    return st.tuples(places, leaf, st.booleans())


def _pack_with(place: tuple, leaf, as_key: bool) -> dict:
    import yaml

    data = yaml.safe_load(
        PACK.replace("    help:", "    milestones: [cutoff]\n    help:").replace(
            "rules:\n", "milestones:\n  cutoff: {date: '2027-03-01', effect: e, status: confirmed}\nrules:\n"
        )
    )
    if not place:
        return leaf
    parent = data
    for part in place[:-1]:
        parent = parent[part]
    last = place[-1]
    if as_key and isinstance(parent, dict) and last in parent:
        parent[SECRET] = parent.pop(last)
    else:
        parent[last] = leaf
    return data


def test_no_pack_error_quotes_more_than_an_excerpt(tmp_path):
    import yaml
    from hypothesis import HealthCheck, given, settings

    from ftscan.rules.load import RuleError, load_pack

    path = tmp_path / "pack.yaml"

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(_mutations())
    def check(case):
        place, leaf, as_key = case
        path.write_text(yaml.safe_dump(_pack_with(place, leaf, as_key), allow_unicode=True), encoding="utf-8")
        try:
            load_pack(path)
        except RuleError as error:
            message = str(error)
            assert SECRET[:21] not in message and "\x1b" not in message and "\x07" not in message, message

    check()


@pytest.mark.parametrize("cap", ["MAX_RULES", "MAX_NEEDLES"])
def test_the_caps_over_all_packs_name_the_pack_that_crosses_them(tmp_path, monkeypatch, cap):
    from ftscan.rules import limits as pack_limits
    from ftscan.rules.load import RuleError, load_packs

    shipped = load_packs()
    rules = sum(len(pack.rules) for pack in shipped)
    needles = sum(
        len(m.needles) + len(m.calls) + len(m.values) for p in shipped for r in p.rules for m in r.matches
    )
    monkeypatch.setattr(pack_limits, cap, rules if cap == "MAX_RULES" else needles)
    pack = tmp_path / "mine.yaml"
    pack.write_text(PACK, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_packs([pack])
    assert caught.value.path == str(pack)
    assert "in all packs together" in caught.value.problem
