"""The model-ID grammar on every shape in the domain notes, and the look-alikes it must reject."""

import pytest

from ftscan.model_ids import find_model_ids, parse_model_id, parse_partial


def ids(text: str) -> list[str]:
    return [m.model.raw for m in find_model_ids(text)]


@pytest.mark.parametrize(
    ("raw", "base", "org", "suffix", "ident", "checkpoint"),
    [
        ("ft:gpt-4o-mini:openai::7p4lURel", "gpt-4o-mini", "openai", "", "7p4lURel", None),
        (
            "ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:96olL566:ckpt-step-2000",
            "gpt-4o-mini-2024-07-18",
            "my-org",
            "custom-suffix",
            "96olL566",
            2000,
        ),
        ("ft:gpt-3.5-turbo-0125:bis::9tt19es9", "gpt-3.5-turbo-0125", "bis", "", "9tt19es9", None),
        (
            "ft:davinci-002:my-org:custom_suffix:7q8mpxmy",
            "davinci-002",
            "my-org",
            "custom_suffix",
            "7q8mpxmy",
            None,
        ),
    ],
)
def test_current_ids(raw, base, org, suffix, ident, checkpoint):
    model = parse_model_id(raw)
    assert model is not None
    assert (model.flavor, model.base, model.org, model.suffix, model.id, model.checkpoint) == (
        "openai",
        base,
        org,
        suffix,
        ident,
        checkpoint,
    )


def test_checkpoint_normalises_to_its_model():
    model = parse_model_id("ft:gpt-4o-mini-2024-07-18:northwind:support:96olL566:ckpt-step-2000")
    assert model.normalized == "ft:gpt-4o-mini-2024-07-18:northwind:support:96olL566"


@pytest.mark.parametrize(
    ("raw", "base", "org", "suffix"),
    [
        ("curie:ft-personal-2022-07-10-22-06-17", "curie", "personal", None),
        ("davinci:ft-be-growth:gc-model-v6-2023-03-31-13-59-13", "davinci", "be-growth", "gc-model-v6"),
    ],
)
def test_legacy_ids(raw, base, org, suffix):
    model = parse_model_id(raw)
    assert (model.flavor, model.base, model.org, model.suffix) == ("legacy", base, org, suffix)


def test_azure_id():
    model = parse_model_id("gpt-35-turbo-0613.ft-b044a9d3cf9c4228b5d393567f693b83")
    assert (model.flavor, model.base, model.id) == (
        "azure",
        "gpt-35-turbo-0613",
        "b044a9d3cf9c4228b5d393567f693b83",
    )


@pytest.mark.parametrize("prefix", ["openai/", "openai:"])
def test_provider_prefixes(prefix):
    raw = f"{prefix}ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN"
    (match,) = find_model_ids(f'model="{raw}"')
    assert match.model.raw == raw
    assert match.model.prefix == prefix
    assert match.model.normalized == raw.removeprefix(prefix)
    assert match.start == len('model="')


@pytest.mark.parametrize(
    "raw",
    [
        "ft:gpt-3.5-turbo:my-org:custom_suffix:id",
        "ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:96olL566",
        "ft:gpt-4o-mini:northwind:x:xxxxxxxx",
    ],
)
def test_placeholders_are_flagged_not_dropped(raw):
    model = parse_model_id(raw)
    assert model is not None and model.placeholder


def test_elided_tail_is_a_placeholder():
    (match,) = find_model_ids("use ft:gpt-4o-mini:... here")
    assert match.model.flavor == "partial" and match.model.placeholder


def test_template_tail_is_partial_not_placeholder():
    (match,) = find_model_ids("MODEL=ft:gpt-4o:${ORG}")
    assert match.model.flavor == "partial" and not match.model.placeholder
    assert match.model.base == "gpt-4o"


def test_real_id_is_not_a_placeholder():
    assert not parse_model_id("ft:gpt-4o-mini:northwind:support:Bq7x2LmN").placeholder


@pytest.mark.parametrize(
    "text",
    [
        "ft:open-mistral-7b:587a6b29:20240514:7e773925",
        "ft:codestral-latest:587a6b29:20240514:7e773925",
        ".a { left:0; margin-left:auto }",
        "draft: true",
        "height_ft: 3",
        "ft: gpt-4o",  # a YAML key, not an ID
        "shift:gpt-4o:a:b:c",
        "ftjob-abc123def456",
        'model.startswith("ft:")',
    ],
)
def test_look_alikes_are_rejected(text):
    assert ids(text) == []


def test_several_ids_in_order():
    text = "a=ft:gpt-4o:northwind::Ab12Cd34 b=curie:ft-northwind-2022-07-10-22-06-17"
    assert ids(text) == ["ft:gpt-4o:northwind::Ab12Cd34", "curie:ft-northwind-2022-07-10-22-06-17"]


def test_partial_head():
    model = parse_partial("ft:gpt-4o-mini-2024-07-18:")
    assert (model.flavor, model.base) == ("partial", "gpt-4o-mini-2024-07-18")
    assert parse_partial("ft:") is None
    assert parse_partial("ft:open-mistral-7b:") is None
    assert parse_partial("openai/ft:gpt-4o:").prefix == "openai/"
