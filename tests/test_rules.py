"""Rule packs: the shipped ones load and validate; broken ones fail naming file, line and field."""

import json
import os
import textwrap
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from ftscan.rules.load import RuleError, load_pack, load_packs, shipped_rules_dir

VALID = """\
pack: extra
version: "1"
milestones:
  cutoff: {date: 2027-03-01, effect: the internal gateway stops, status: confirmed}
rules:
  - id: XT1
    name: internal-launcher
    summary: Launches a job through the internal wrapper
    match: {evidence: api-call, calls: [acme.ml.launch_finetune]}
    milestones: [cutoff]
    help: Use the new gateway.
"""


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_shipped_packs_validate_against_the_schema():
    schema = json.loads((shipped_rules_dir() / "schema.json").read_text())
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in sorted(shipped_rules_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        data = json.loads(json.dumps(data, default=str))  # YAML dates as ISO strings
        assert list(checker.iter_errors(data)) == [], path


def test_shipped_packs_load():
    packs = load_packs()
    assert [p.name for p in packs] == ["azure-openai", "openai-fine-tuning", "openai-platform"]
    ids = [r.id for p in packs for r in p.rules]
    assert len(ids) == len(set(ids))
    ft = packs[1]
    end = next(m for m in ft.milestones if m.key == "training-end")
    assert (end.date, end.status) == (date(2027, 1, 6), "confirmed")
    reported = next(m for m in ft.milestones if m.key == "inference-2027-01-14")
    assert reported.status == "reported"


def test_user_pack_extends_shipped(tmp_path):
    packs = load_packs([write(tmp_path, VALID)])
    assert packs[-1].name == "extra"
    assert packs[-1].rules[0].milestones[0].milestone.date == date(2027, 3, 1)
    assert any(p.name == "openai-fine-tuning" for p in packs)


@pytest.mark.parametrize(
    ("edit", "line", "field", "problem"),
    [
        (("calls: [acme.ml.launch_finetune]", "calls: []"), 9, "rules[0].match.calls", "non-empty"),
        (("date: 2027-03-01", "date: 2027-13-01"), 4, "milestones.cutoff.date", "is not a 'date'"),
        (("    help: Use", "    colour: red\n    help: Use"), 11, "rules[0].colour", "unknown field"),
        (
            ("milestones: [cutoff]", "milestones: [cutof]"),
            10,
            "rules[0].milestones[0]",
            "unknown milestone 'cutof'",
        ),
        (("id: XT1", "id: xt"), 6, "rules[0].id", "does not match"),
        (("status: confirmed", "status: rumoured"), 4, "milestones.cutoff.status", "is not one of"),
    ],
)
def test_broken_pack_names_file_line_and_field(tmp_path, edit, line, field, problem):
    path = write(tmp_path, VALID.replace(*edit))
    with pytest.raises(RuleError) as caught:
        load_pack(path)
    error = caught.value
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert problem in error.problem
    assert str(error).startswith(f"{path}:{line}: {field}: ")


def test_invalid_regex(tmp_path):
    text = VALID.replace(
        "match: {evidence: api-call, calls: [acme.ml.launch_finetune]}",
        'match: {evidence: text, pattern: "gateway(v[12"}',
    )
    with pytest.raises(RuleError) as caught:
        load_pack(write(tmp_path, text))
    assert (caught.value.line, caught.value.field) == (9, "rules[0].match.pattern")
    assert "invalid regular expression" in caught.value.problem


def test_regex_without_literal_needs_needles(tmp_path):
    text = VALID.replace(
        "match: {evidence: api-call, calls: [acme.ml.launch_finetune]}",
        'match: {evidence: text, pattern: "(alpha|beta)-gateway"}',
    )
    with pytest.raises(RuleError, match="add `needles`"):
        load_pack(write(tmp_path, text))


def test_invalid_yaml_names_the_line(tmp_path):
    with pytest.raises(RuleError) as caught:
        load_pack(write(tmp_path, VALID.replace("summary: Launches", "summary: [Launches")))
    assert caught.value.line is not None and "invalid YAML" in str(caught.value)


def test_zero_rules_is_an_error(tmp_path):
    text = VALID.split("rules:")[0] + "rules: []\n"
    with pytest.raises(RuleError) as caught:
        load_pack(write(tmp_path, text))
    assert caught.value.field == "rules"


def test_duplicate_rule_ids_across_packs(tmp_path):
    first = write(tmp_path, VALID, "a.yaml")
    second = write(tmp_path, VALID.replace("pack: extra", "pack: extra-two"), "b.yaml")
    with pytest.raises(RuleError, match="XT1 is already defined"):
        load_packs([first, second])


def test_duplicate_of_a_shipped_rule(tmp_path):
    with pytest.raises(RuleError, match="FT101 is already defined"):
        load_packs([write(tmp_path, VALID.replace("id: XT1", "id: FT101"))])


def test_missing_rule_path(tmp_path):
    with pytest.raises(RuleError, match="no such rule file"):
        load_packs([tmp_path / "nope.yaml"])


def test_pack_cache_is_used_and_follows_edits(tmp_path):
    pack = tmp_path / "extra.yaml"
    pack.write_text(VALID)
    cache = tmp_path / "cache"
    first = load_packs([pack], cache=cache)
    (cached,) = cache.iterdir()
    assert load_packs([pack], cache=cache) == first
    pack.write_text(VALID.replace("Launches a job", "Starts a job"))
    os.utime(pack, ns=(1, 1))  # a different modification time, whatever the clock says
    edited = load_packs([pack], cache=cache)
    assert edited[-1].rules[0].summary == "Starts a job through the internal wrapper"
    assert len(list(cache.iterdir())) == 2 and cached.exists()


def test_broken_pack_is_never_cached(tmp_path):
    pack = tmp_path / "extra.yaml"
    pack.write_text(VALID.replace("milestones: [cutoff]", "milestones: [nope]"))
    cache = tmp_path / "cache"
    with pytest.raises(RuleError):
        load_packs([pack], cache=cache)
    assert not cache.exists() or not any(cache.iterdir())


@pytest.mark.parametrize(
    ("glob", "needle"),
    [
        ("openai.fine_tuning.jobs.create", "fine_tuning"),
        ("openai.beta.threads.*", "beta.threads"),
        ("instructor.*.distil", ".distil"),  # never `*.distil`: a needle is a literal
        ("wandb.*.WandbLogger.sync", "WandbLogger"),
    ],
)
def test_call_needle_is_a_telling_literal(glob, needle):
    from ftscan.rules.needles import call_needle

    assert call_needle(glob) == needle
