"""Severity follows the calendar: the same evidence at different as-of dates."""

from datetime import date

import pytest

from ftscan.frozen import replace
from ftscan.match.engine import Matcher
from ftscan.model_ids import parse_model_id
from ftscan.rules.load import load_packs
from ftscan.types import Evidence, EvidenceKind, Span

PACKS = load_packs()
RULES = [r for p in PACKS for r in p.rules]
BASES = [b for p in PACKS for b in p.base_models]
SPAN = Span(3, 9, 3, 50)


def model_evidence(raw: str, confidence: str = "high") -> Evidence:
    return Evidence(
        EvidenceKind.MODEL_ID, "app.py", SPAN, raw, model=parse_model_id(raw), confidence=confidence
    )


def call_evidence(call: str, **args: str) -> Evidence:
    props = tuple((f"arg:{k}", v) for k, v in args.items())
    return Evidence(EvidenceKind.API_CALL, "train.py", SPAN, call, props=props)


def match(evidence: Evidence, as_of: date, warn_within: int = 90):
    return Matcher(RULES, BASES, as_of, warn_within).findings([evidence])


@pytest.mark.parametrize(
    ("raw", "as_of", "level"),
    [
        ("ft:gpt-3.5-turbo-0125:northwind::9tt19es9", date(2026, 11, 22), "error"),
        ("ft:gpt-3.5-turbo-0125:northwind::9tt19es9", date(2026, 10, 22), "warning"),
        ("ft:gpt-3.5-turbo-0125:northwind::9tt19es9", date(2026, 1, 1), "note"),
        ("ft:gpt-4o-mini-2024-07-18:northwind:s:Bq7x2LmN", date(2026, 11, 22), "warning"),
        ("ft:gpt-4o-mini-2024-07-18:northwind:s:Bq7x2LmN", date(2027, 1, 14), "error"),
        ("ft:gpt-4.1-nano-2025-04-14:northwind:s:Bq7x2LmN", date(2026, 11, 22), "error"),
        ("ft:gpt-4.1-2025-04-14:northwind:s:Bq7x2LmN", date(2026, 11, 22), "warning"),
        ("ft:o4-mini-2025-04-16:northwind:s:Bq7x2LmN", date(2026, 11, 22), "error"),
        ("ft:gpt-4-0613:northwind:s:Bq7x2LmN", date(2026, 11, 22), "error"),
    ],
)
def test_inference_level_follows_the_base_model(raw, as_of, level):
    (finding,) = match(model_evidence(raw), as_of)
    assert (finding.rule.id, finding.level) == ("FT101", level)


def test_most_specific_base_wins():
    (nano,) = match(model_evidence("ft:gpt-4.1-nano:northwind:s:Bq7x2LmN"), date(2026, 11, 22))
    (full,) = match(model_evidence("ft:gpt-4.1:northwind:s:Bq7x2LmN"), date(2026, 11, 22))
    assert nano.deadline.date == date(2026, 10, 23)
    assert full.deadline.date == date(2027, 1, 14)


def test_message_names_the_date_days_and_status():
    (finding,) = match(model_evidence("ft:gpt-3.5-turbo-0125:northwind::9tt19es9"), date(2026, 11, 22))
    assert "2026-10-23 (30 days ago)" in finding.message
    (later,) = match(model_evidence("ft:gpt-4o-2024-08-06:northwind:s:Bq7x2LmN"), date(2026, 11, 22))
    assert "2027-01-14 (in 53 days, reported, not confirmed)" in later.message


def test_undated_base_is_a_note_that_says_so():
    (finding,) = match(model_evidence("ft:gpt-5-mini:northwind:s:Bq7x2LmN"), date(2026, 11, 22))
    assert finding.level == "note" and finding.deadline is None
    assert "no shutdown date is announced for base `gpt-5-mini`" in finding.message


def test_low_confidence_stays_a_note():
    ev = model_evidence("ft:gpt-3.5-turbo-0125:northwind::9tt19es9", confidence="low")
    (finding,) = match(ev, date(2026, 11, 22))
    assert finding.level == "note"


@pytest.mark.parametrize(
    ("as_of", "warn_within", "level"),
    [
        (date(2026, 1, 1), 90, "note"),  # every milestone more than 90 days off
        (date(2026, 6, 1), 90, "warning"),  # 2026-05-07 passed: pinned to warning
        (date(2026, 11, 22), 30, "warning"),  # end 45 days off, outside the window; pins hold
        (date(2027, 1, 6), 90, "error"),  # the end has come
    ],
)
def test_job_creation_levels(as_of, warn_within, level):
    ev = call_evidence("openai.fine_tuning.jobs.create", model="gpt-4o-mini")
    levels = {f.rule.id: f.level for f in match(ev, as_of, warn_within)}
    assert levels["FT201"] == level


def test_job_on_a_retired_base_adds_ft206():
    findings = match(call_evidence("openai.FineTuningJob.create", model="gpt-3.5-turbo"), date(2026, 11, 22))
    assert [(f.rule.id, f.level) for f in findings] == [("FT201", "warning"), ("FT206", "error")]


def test_upload_needs_the_fine_tune_purpose():
    assert match(call_evidence("openai.files.create", purpose="batch"), date(2026, 11, 22)) == []
    (finding,) = match(call_evidence("openai.files.create", purpose="fine-tune"), date(2026, 11, 22))
    assert finding.rule.id == "FT203"


def test_azure_client_is_not_dated_with_openai():
    """An Azure OpenAI job is the azure-openai pack's, dated by Azure's base models alone:
    gpt-4o-mini is OpenAI's 2027-01-14 but Azure's 2027-03-31."""
    ev = Evidence(
        EvidenceKind.API_CALL,
        "a.py",
        SPAN,
        "openai.fine_tuning.jobs.create",
        props=(("arg:model", "gpt-4o-mini-2024-07-18"), ("client", "AzureOpenAI")),
    )
    found = {f.rule.id: f for f in match(ev, date(2026, 11, 22))}
    assert sorted(found) == ["AZ201", "AZ206"]
    assert found["AZ206"].base_model is not None and found["AZ206"].base_model.provider == "azure"
    assert found["AZ206"].deadline is not None and found["AZ206"].deadline.date == date(2027, 3, 31)
    openai_job = replace(ev, props=(("arg:model", "gpt-4o-mini-2024-07-18"), ("client", "OpenAI")))
    found = {f.rule.id: f for f in match(openai_job, date(2026, 11, 22))}
    assert sorted(found) == ["FT201", "FT206"]
    assert found["FT206"].deadline is not None and found["FT206"].deadline.date == date(2027, 1, 14)


def test_fingerprint_ignores_line_and_date():
    raw = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"
    moved = Evidence(EvidenceKind.MODEL_ID, "app.py", Span(40, 1, 40, 42), raw, model=parse_model_id(raw))
    (a,) = match(model_evidence(raw), date(2026, 11, 22))
    (b,) = match(moved, date(2027, 6, 1))
    assert a.fingerprint == b.fingerprint


def test_repeated_value_gets_distinct_fingerprints():
    raw = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"
    second = Evidence(EvidenceKind.MODEL_ID, "app.py", Span(9, 1, 9, 42), raw, model=parse_model_id(raw))
    findings = Matcher(RULES, BASES, date(2026, 11, 22)).findings([second, model_evidence(raw)])
    assert [f.evidence.span.line for f in findings] == [3, 9]
    assert findings[0].fingerprint != findings[1].fingerprint


def env_definition(path: str, line: int, raw: str, name: str = "SUPPORT_MODEL") -> Evidence:
    return Evidence(
        EvidenceKind.MODEL_ID,
        path,
        Span(line, 15, line, 15 + len(raw)),
        raw,
        model=parse_model_id(raw),
        keyword=name,
        props=(("env_var", name),),
    )


def env_read(name: str = "SUPPORT_MODEL") -> Evidence:
    return Evidence(EvidenceKind.ENV_READ, "app/chat.py", Span(13, 36, 13, 51), name, call="os.environ.get")


def test_env_read_is_dated_by_the_model_it_resolves_to():
    later = env_definition(".env", 2, "ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN")
    sooner = env_definition("deploy/.env.legacy", 1, "ft:gpt-3.5-turbo-0125:northwind::9tt19es9")
    findings = Matcher(RULES, BASES, date(2026, 11, 22)).findings([later, sooner, env_read()])
    by_path = {f.evidence.path: f for f in findings}
    read = by_path["app/chat.py"]
    assert (read.rule.id, read.level, read.evidence.value) == (
        "FT101",
        "error",
        "ft:gpt-3.5-turbo-0125:northwind::9tt19es9",
    )
    assert "read from `SUPPORT_MODEL` (set in deploy/.env.legacy:1)" in read.message
    assert [(loc.path, loc.span.line) for loc in read.related] == [(".env", 2), ("deploy/.env.legacy", 1)]
    definition = by_path[".env"]
    assert "read by app/chat.py:13" in definition.message
    assert [(loc.path, loc.span.line, loc.message) for loc in definition.related] == [
        ("app/chat.py", 13, "`SUPPORT_MODEL` is read here (os.environ.get)"),
    ]


def test_env_read_of_an_unrelated_variable_is_dropped():
    definition = env_definition(".env", 2, "ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN")
    findings = Matcher(RULES, BASES, date(2026, 11, 22)).findings([definition, env_read("OTHER")])
    assert [f.evidence.path for f in findings] == [".env"]
    assert findings[0].related == ()
