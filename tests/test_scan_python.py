"""The Python scanner on real sources: every SDK generation, every way to reach a client,
the literals a fine-tune hides in, and files that are not Python 3 at all."""

from __future__ import annotations

from textwrap import dedent

import pytest

from ftscan.frozen import replace
from ftscan.scan.python import scan_python
from ftscan.types import Evidence, EvidenceKind, FileResult, ScanPatterns, Span

CALLS = (
    "openai.fine_tuning.*",
    "openai.FineTune.*",
    "openai.FineTuningJob.*",
    "openai.fine_tunes.*",
    "openai.files.create",
    "openai.uploads.create",
    "openai.File.create",
    "openai.beta.assistants.*",
    "litellm.create_fine_tuning_job",
    "litellm.acreate_fine_tuning_job",
    "llama_index.*OpenAIFinetuneEngine",
    "dspy.BootstrapFinetune",
)
PATTERNS = ScanPatterns(
    needles=("fine_tun",),
    calls=CALLS,
    model_args=frozenset({"dall-e-3"}),
    model_keywords=frozenset(
        {
            "model",
            "model_name",
            "engine",
            "base_model",
            "ai_model_id",
            "deployment_name",
            "azure_deployment",
            "fine_tuned_model",
        }
    ),
    rest_paths=("/fine_tuning/", "/fine-tunes"),
)
FT = "ft:gpt-4o-mini-2024-07-18:northwind:support:96olL566"
FT35 = "ft:gpt-3.5-turbo-0125:bis::9tt19es9"


def source(code: str) -> str:
    return dedent(code).removeprefix("\n")


def scan(code: str) -> FileResult:
    return scan_python("app.py", source(code), PATTERNS)


def span_of(text: str, needle: str, nth: int = 0) -> Span:
    """Where the `nth` occurrence of `needle` sits in `text` (1-based, end exclusive)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)

    def position(offset: int) -> tuple[int, int]:
        return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)

    return Span(*position(start), *position(start + len(needle)))


def of_kind(result: FileResult, kind: str) -> list[Evidence]:
    return [e for e in result.evidence if e.kind == kind]


def calls(result: FileResult) -> list[tuple[str, int, str]]:
    """(qualified name, line, confidence) of every API call, in order."""
    return [(e.value, e.span.line, e.confidence) for e in of_kind(result, EvidenceKind.API_CALL)]


# --- API calls, every SDK generation ---------------------------------------------------


def test_v0_module_level_classes():
    code = source("""
        import openai

        openai.File.create(file=open("train.jsonl", "rb"), purpose="fine-tune")
        openai.FineTune.create(training_file="file-abc", model="curie")
        job = openai.FineTuningJob.create(training_file="file-abc", model="gpt-3.5-turbo")
        openai.FineTuningJob.list_events(id=job.id)
        openai.Completion.create(engine="curie:ft-personal-2022-07-10-22-06-17", prompt="Hi")
    """)
    result = scan_python("app.py", code, PATTERNS)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.value, e.span) for e in found] == [
        ("openai.File.create", span_of(code, "openai.File.create")),
        ("openai.FineTune.create", span_of(code, "openai.FineTune.create")),
        ("openai.FineTuningJob.create", span_of(code, "openai.FineTuningJob.create")),
        ("openai.FineTuningJob.list_events", span_of(code, "openai.FineTuningJob.list_events")),
    ]
    assert found[0].props == (("upload_path", "train.jsonl"), ("arg:purpose", "fine-tune"))
    assert found[1].props == (("arg:training_file", "file-abc"), ("arg:model", "curie"))
    assert all(e.confidence == "high" and e.call == e.value for e in found)
    (legacy,) = of_kind(result, EvidenceKind.MODEL_ID)
    assert (legacy.value, legacy.model.flavor, legacy.call, legacy.keyword) == (
        "curie:ft-personal-2022-07-10-22-06-17",
        "legacy",
        "openai.Completion.create",
        "engine",
    )


def test_v0_async_variants_through_an_alias():
    result = scan("""
        import openai as oa

        async def launch():
            return await oa.FineTuningJob.acreate(training_file="file-abc", model="gpt-3.5-turbo")

        oa.FineTune.alist()
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.value, e.span, e.prop("async")) for e in found] == [
        ("openai.FineTuningJob.acreate", Span(4, 18, 4, 42), "true"),
        ("openai.FineTune.alist", Span(6, 1, 6, 18), None),
    ]


def test_v1_legacy_fine_tunes_resource():
    result = scan("""
        from openai import OpenAI

        client = OpenAI()
        client.fine_tunes.create(training_file="file-abc", model="davinci")
    """)
    (call,) = of_kind(result, EvidenceKind.API_CALL)
    assert (call.value, call.span, call.confidence) == (
        "openai.fine_tunes.create",
        Span(4, 1, 4, 25),
        "high",
    )
    assert call.props == (
        ("client", "OpenAI"),
        ("arg:training_file", "file-abc"),
        ("arg:model", "davinci"),
    )


@pytest.mark.parametrize(
    "chain",
    [
        "fine_tuning.jobs.create",
        "fine_tuning.jobs.retrieve",
        "fine_tuning.jobs.list",
        "fine_tuning.jobs.cancel",
        "fine_tuning.jobs.list_events",
        "fine_tuning.jobs.pause",
        "fine_tuning.jobs.resume",
        "fine_tuning.jobs.checkpoints.list",
        "fine_tuning.checkpoints.permissions.create",
        "fine_tuning.checkpoints.permissions.delete",
        "fine_tuning.alpha.graders.run",
        "fine_tuning.alpha.graders.validate",
    ],
)
def test_current_fine_tuning_surface(chain):
    code = source(f"""
        from openai import OpenAI

        client = OpenAI()
        client.{chain}("x")
    """)
    (call,) = of_kind(scan_python("app.py", code, PATTERNS), EvidenceKind.API_CALL)
    assert (call.value, call.span, call.confidence, call.props) == (
        f"openai.{chain}",
        span_of(code, f"client.{chain}"),
        "high",
        (("client", "OpenAI"),),
    )


def test_job_create_keeps_its_literal_keywords():
    result = scan("""
        from openai import OpenAI

        client = OpenAI()
        job = client.fine_tuning.jobs.create(
            model="gpt-4o-mini-" "2024-07-18",
            training_file="file-abc",
            suffix=SUFFIX,
            method={"type": "dpo"},
        )
    """)
    (call,) = of_kind(result, EvidenceKind.API_CALL)
    assert call.span == Span(4, 7, 4, 37)
    assert call.props == (
        ("client", "OpenAI"),
        ("arg:model", "gpt-4o-mini-2024-07-18"),
        ("arg:training_file", "file-abc"),
    )


def test_uploads_for_training():
    result = scan("""
        from openai import OpenAI

        client = OpenAI()
        client.files.create(file=open("train.jsonl", "rb"), purpose="fine-tune")
        client.uploads.create(purpose="fine-tune", filename="t.jsonl", bytes=9, mime_type="x")
        client.files.list()
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.value, e.span.line, e.prop("arg:purpose")) for e in found] == [
        ("openai.files.create", 4, "fine-tune"),
        ("openai.uploads.create", 5, "fine-tune"),
    ]


def test_the_file_an_upload_sends():
    """`file=` keeps the path the code opens, however it reaches the call; none is guessed."""
    result = scan("""
        from pathlib import Path
        from openai import OpenAI

        client = OpenAI()
        TRAIN = "data/train.jsonl"
        client.files.create(file=open(TRAIN, "rb"), purpose="fine-tune")
        with open("data/valid.jsonl", "rb") as handle:
            client.files.create(file=handle, purpose="fine-tune")
        client.files.create(file=Path("data/extra.jsonl").open("rb"), purpose="fine-tune")
        client.files.create(file=("t.jsonl", open("data/tuple.jsonl", "rb")), purpose="fine-tune")
        def upload(path):
            return client.files.create(file=open(path, "rb"), purpose="fine-tune")
        client.files.create(file=read_bytes(), purpose="fine-tune")
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.span.line, e.prop("upload_path")) for e in found] == [
        (6, "data/train.jsonl"),
        (8, "data/valid.jsonl"),
        (9, "data/extra.jsonl"),
        (10, "data/tuple.jsonl"),
        (12, None),
        (13, None),
    ]


# --- reaching the client ---------------------------------------------------------------


def test_async_client_awaited():
    result = scan("""
        import asyncio
        from openai import AsyncOpenAI

        async def main():
            client = AsyncOpenAI()
            job = await client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="f")
            return job
    """)
    (call,) = of_kind(result, EvidenceKind.API_CALL)
    assert (call.value, call.span) == ("openai.fine_tuning.jobs.create", Span(6, 17, 6, 47))
    assert call.props[:2] == (("client", "AsyncOpenAI"), ("async", "true"))


def test_azure_clients_however_imported():
    result = scan("""
        import openai
        from openai.lib.azure import AsyncAzureOpenAI

        azure = openai.AzureOpenAI(azure_endpoint="https://contoso.openai.azure.com")
        azure.fine_tuning.jobs.list()
        aio = AsyncAzureOpenAI(azure_endpoint="https://contoso.openai.azure.com")
        aio.fine_tuning.jobs.cancel("ftjob-abc")
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.value, e.confidence, e.props) for e in found] == [
        ("openai.fine_tuning.jobs.list", "high", (("client", "AzureOpenAI"),)),
        (
            "openai.fine_tuning.jobs.cancel",
            "high",
            (("client", "AsyncAzureOpenAI"), ("async", "true")),
        ),
    ]


def test_aliased_client_class():
    result = scan("""
        from openai import OpenAI as Client

        Client().fine_tuning.jobs.retrieve("ftjob-abc")
    """)
    assert calls(result) == [("openai.fine_tuning.jobs.retrieve", 3, "high")]
    assert of_kind(result, EvidenceKind.API_CALL)[0].span == Span(3, 1, 3, 35)


def test_self_client_class_attribute_and_annotations():
    result = scan("""
        from typing import Optional

        import openai
        from openai import AsyncOpenAI, OpenAI


        class Trainer:
            shared = openai.OpenAI()
            aclient: AsyncOpenAI

            def __init__(self):
                self._client = OpenAI()

            def start(self):
                self._client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="f")
                self.shared.fine_tuning.jobs.list()
                Trainer.shared.fine_tuning.jobs.pause("ftjob-1")

            async def watch(self):
                await self.aclient.fine_tuning.jobs.list_events("ftjob-1")


        def resume(client: OpenAI, other: Optional["AsyncOpenAI"] = None):
            client.fine_tuning.jobs.resume("ftjob-1")
            other.fine_tuning.jobs.cancel("ftjob-1")


        class Injected:
            def __init__(self, client=None):
                self.client = client or OpenAI()

            def run(self):
                self.client.fine_tuning.jobs.list()
    """)
    assert [(e.value, e.span.line, e.prop("client")) for e in of_kind(result, "api-call")] == [
        ("openai.fine_tuning.jobs.create", 15, "OpenAI"),
        ("openai.fine_tuning.jobs.list", 16, "OpenAI"),
        ("openai.fine_tuning.jobs.pause", 17, "OpenAI"),
        ("openai.fine_tuning.jobs.list_events", 20, "AsyncOpenAI"),
        ("openai.fine_tuning.jobs.resume", 24, "OpenAI"),
        ("openai.fine_tuning.jobs.cancel", 25, "AsyncOpenAI"),
        ("openai.fine_tuning.jobs.list", 33, "OpenAI"),
    ]
    assert all(e.confidence == "high" for e in result.evidence)


def test_intermediate_variables_and_with_blocks():
    result = scan("""
        from openai import AsyncOpenAI, OpenAI

        with OpenAI() as client:
            jobs = client.fine_tuning.jobs
            jobs.create(model="gpt-4o-mini", training_file="f")
            ft = client.fine_tuning
            ft.jobs.list()
            create = ft.jobs.create
            create(model="gpt-4o", training_file="f")

        async def run():
            async with AsyncOpenAI() as aclient:
                await aclient.fine_tuning.jobs.list()
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.value, e.span, e.prop("client")) for e in found] == [
        ("openai.fine_tuning.jobs.create", Span(5, 5, 5, 16), "OpenAI"),
        ("openai.fine_tuning.jobs.list", Span(7, 5, 7, 17), "OpenAI"),
        ("openai.fine_tuning.jobs.create", Span(9, 5, 9, 11), "OpenAI"),
        ("openai.fine_tuning.jobs.list", Span(13, 15, 13, 44), "AsyncOpenAI"),
    ]


def test_wrappers_are_transparent():
    result = scan("""
        from openai import OpenAI

        client = OpenAI()
        raw = client.with_raw_response.fine_tuning.jobs.create(model="gpt-4o", training_file="f")
        job = raw.parse()
        with client.fine_tuning.jobs.with_streaming_response.list() as response:
            pass
        client.with_options(timeout=30).fine_tuning.jobs.retrieve("ftjob-1")
        client.fine_tuning.jobs.with_raw_response.cancel("ftjob-1").parse()
    """)
    assert calls(result) == [
        ("openai.fine_tuning.jobs.create", 4, "high"),
        ("openai.fine_tuning.jobs.list", 6, "high"),
        ("openai.fine_tuning.jobs.retrieve", 8, "high"),
        ("openai.fine_tuning.jobs.cancel", 9, "high"),
    ]
    assert of_kind(result, EvidenceKind.API_CALL)[2].span == Span(8, 1, 8, 58)


def test_module_level_client():
    result = scan("""
        import openai

        openai.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-abc")
        openai.files.create(file=open("t.jsonl", "rb"), purpose="fine-tune")
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.value, e.span, e.props[0]) for e in found] == [
        ("openai.fine_tuning.jobs.create", Span(3, 1, 3, 31), ("arg:model", "gpt-4o-mini")),
        ("openai.files.create", Span(4, 1, 4, 20), ("upload_path", "t.jsonl")),
    ]


def test_a_rebinding_takes_effect_where_it_happens():
    result = scan("""
        from mistralai import Mistral
        from openai import OpenAI

        client = OpenAI()
        client.fine_tuning.jobs.list()
        client = Mistral(api_key="k")
        client.fine_tuning.jobs.list()
    """)
    assert calls(result) == [("openai.fine_tuning.jobs.list", 5, "high")]


def test_names_bound_later_in_the_file_and_globals():
    result = scan("""
        import openai

        def list_jobs():
            return CLIENT.fine_tuning.jobs.list()

        def connect():
            global shared
            shared = openai.AsyncOpenAI()

        def use():
            return shared.fine_tuning.jobs.list()

        CLIENT = openai.OpenAI()
    """)
    assert [(e.value, e.span.line, e.prop("client")) for e in of_kind(result, "api-call")] == [
        ("openai.fine_tuning.jobs.list", 4, "OpenAI"),
        ("openai.fine_tuning.jobs.list", 11, "AsyncOpenAI"),
    ]


# --- wrapper libraries -----------------------------------------------------------------


def test_litellm_llama_index_and_dspy():
    result = scan("""
        import dspy
        import litellm
        from litellm import acreate_fine_tuning_job
        from llama_index.finetuning import OpenAIFinetuneEngine

        litellm.create_fine_tuning_job(model="gpt-4o-mini", training_file="file-abc")
        job = await acreate_fine_tuning_job(model="gpt-4o-mini", training_file="file-abc")
        engine = OpenAIFinetuneEngine(base_model="gpt-3.5-turbo", data_path="data.jsonl")
        engine.finetune()
        optimizer = dspy.BootstrapFinetune(metric=None)
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.value, e.span, e.props) for e in found] == [
        (
            "litellm.create_fine_tuning_job",
            Span(6, 1, 6, 31),
            (("arg:model", "gpt-4o-mini"), ("arg:training_file", "file-abc")),
        ),
        (
            "litellm.acreate_fine_tuning_job",
            Span(7, 13, 7, 36),
            (("async", "true"), ("arg:model", "gpt-4o-mini"), ("arg:training_file", "file-abc")),
        ),
        (
            "llama_index.finetuning.OpenAIFinetuneEngine",
            Span(8, 10, 8, 30),
            (("arg:base_model", "gpt-3.5-turbo"), ("arg:data_path", "data.jsonl")),
        ),
        ("dspy.BootstrapFinetune", Span(10, 13, 10, 35), ()),
    ]


# --- other providers -------------------------------------------------------------------


def test_mistral_client_is_not_openai():
    result = scan("""
        from mistralai import Mistral

        client = Mistral(api_key="k")
        client.fine_tuning.jobs.create(model="open-mistral-7b", training_files=[])
        client.chat.complete(model="ft:open-mistral-7b:587a6b29:20240514:7e773925")

        def launch(injected):
            injected.fine_tuning.jobs.create(model="open-mistral-7b")
    """)
    assert result.evidence == ()


def test_base_url_to_another_provider():
    result = scan("""
        import openai
        from openai import OpenAI

        together = OpenAI(base_url="https://api.together.xyz/v1", api_key="k")
        together.fine_tuning.jobs.create(model="meta-llama", training_file="f")
        official = OpenAI(base_url="https://api.openai.com/v1")
        official.fine_tuning.jobs.list()
        configured = OpenAI(base_url=settings.url)
        configured.fine_tuning.jobs.list()
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.span.line, e.confidence, e.prop("provider")) for e in found] == [
        (5, "low", "other"),
        (7, "high", None),
        (9, "high", None),
    ]


def test_module_level_base_url_to_another_provider():
    result = scan("""
        import openai

        openai.api_base = "https://api.fireworks.ai/inference/v1"
        openai.FineTune.create(training_file="f")
    """)
    (call,) = of_kind(result, EvidenceKind.API_CALL)
    assert (call.confidence, call.prop("provider")) == ("low", "other")


# --- unresolved receivers --------------------------------------------------------------


def test_unresolved_receiver_is_guessed():
    result = scan("""
        from openai import OpenAI
        from app.clients import shared

        client = OpenAI()

        def launch(client, drive):
            client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="f")
            shared.with_raw_response.fine_tuning.jobs.list()
            get_client().files.create(file=data, purpose="fine-tune")
            drive.files.create(body={"name": "report"})
            client.models.delete("x")
    """)
    found = of_kind(result, EvidenceKind.API_CALL)
    assert [(e.value, e.span, e.confidence) for e in found] == [
        ("openai.fine_tuning.jobs.create", Span(7, 5, 7, 35), "medium"),
        ("openai.fine_tuning.jobs.list", Span(8, 5, 8, 51), "medium"),
        ("openai.files.create", Span(9, 5, 9, 30), "medium"),
    ]
    assert found[0].props[0] == ("resolved", "guess")
    assert found[0].prop("client") is None


def test_no_guess_in_a_file_of_another_sdk():
    result = scan("""
        import together

        def launch(client):
            client.fine_tuning.create(training_file="f", model="m")
            client.fine_tuning.jobs.create(model="m")
    """)
    assert calls(result) == []


# --- model IDs and their context -------------------------------------------------------


def test_ids_flowing_into_calls():
    code = source(f"""
        import openai
        from langchain_openai import ChatOpenAI
        from openai import OpenAI

        client = OpenAI()
        client.chat.completions.create(model="{FT}", messages=[])
        openai.Completion.create(engine="{FT35}", prompt="Hi")
        llm = ChatOpenAI(model_name="openai:{FT}")
        client.models.delete("{FT35}")
    """)
    result = scan_python("app.py", code, PATTERNS)
    found = of_kind(result, EvidenceKind.MODEL_ID)
    assert [(e.value, e.span, e.call, e.keyword, e.confidence) for e in found] == [
        (FT, span_of(code, FT), "openai.chat.completions.create", "model", "high"),
        (FT35, span_of(code, FT35), "openai.Completion.create", "engine", "high"),
        (f"openai:{FT}", span_of(code, f"openai:{FT}"), "langchain_openai.ChatOpenAI", "model_name", "high"),
        (FT35, span_of(code, FT35, 1), "openai.models.delete", None, "high"),
    ]
    assert found[0].model.base == "gpt-4o-mini-2024-07-18"
    assert found[2].model.prefix == "openai:"


def test_ids_in_assignments_dicts_defaults_and_unknown_calls():
    code = source(f"""
        import os

        MODEL = "{FT}"
        settings.model: str = os.getenv("FINE_TUNE", "{FT35}")
        PARAMS = {{"model": "{FT35}", "temperature": 0}}
        response = client.chat.completions.create(**{{"model": "{FT}"}})

        def answer(question, model="{FT35}"):
            return make_llm(model_name=MODEL if question else "{FT}")
    """)
    result = scan_python("app.py", code, PATTERNS)
    found = of_kind(result, EvidenceKind.MODEL_ID)
    assert [(e.span.line, e.call, e.keyword, e.props, e.confidence) for e in found] == [
        (3, None, None, (("target", "MODEL"),), "high"),
        (4, "os.getenv", None, (), "high"),
        (5, None, "model", (("target", "PARAMS"),), "high"),
        (6, "client.chat.completions.create", "model", (), "high"),
        (8, None, "model", (), "high"),
        (9, "make_llm", "model_name", (), "high"),
    ]
    assert found[0].span == span_of(code, FT)


def test_price_table_keys_are_not_dependencies():
    result = scan("""
        COSTS = {
            "ft:gpt-4o-mini-2024-07-18:": {"input": 0.3, "output": 1.2},
            "ft:gpt-3.5-turbo-0125:": {"input": 3.0},
            f"ft:gpt-4o:{org}:": 1,
        }
        if model.startswith("ft:"):
            price = COSTS.get(model)
    """)
    assert result.evidence == ()


def test_complete_ids_as_keys_are_dependencies_with_their_key_path():
    code = source(f"""
        LABELS = {{"{FT}": "ft_gpt4o"}}
        self.results = {{"runs": {{"{FT35}": 0.91, "gpt-4o": 0.88}}}}
        report({{"ft:gpt-4o:my-org:x:abcdefgh": 1, "ft:gpt-4o:acme:": 2}})
        ALIASES = {{"ft:gpt-3.5-turbo-0125:bis:v.2:9tt19es9": "v2"}}
    """)
    result = scan_python("app.py", code, PATTERNS)
    found = [(e.value, e.span, e.call, e.keyword, e.confidence, e.props) for e in result.evidence]
    assert found == [
        (FT, span_of(code, FT), None, None, "high", (("key_path", f"LABELS.{FT}"),)),
        (FT35, span_of(code, FT35), None, None, "high", (("key_path", f'self.results.runs["{FT35}"]'),)),
        (
            "ft:gpt-4o:my-org:x:abcdefgh",
            span_of(code, "ft:gpt-4o:my-org:x:abcdefgh"),
            None,
            None,
            "low",
            (("key_path", "ft:gpt-4o:my-org:x:abcdefgh"),),
        ),
        (
            "ft:gpt-3.5-turbo-0125:bis:v.2:9tt19es9",
            span_of(code, "ft:gpt-3.5-turbo-0125:bis:v.2:9tt19es9"),
            None,
            None,
            "high",
            (("key_path", 'ALIASES["ft:gpt-3.5-turbo-0125:bis:v.2:9tt19es9"]'),),
        ),
    ]


def test_comments_docstrings_and_placeholders_are_low():
    code = source(f"""
        \"\"\"Fine-tune helpers. Example: {FT35}.\"\"\"
        # MODEL = "{FT}"
        EXAMPLE = "ft:gpt-3.5-turbo:my-org:custom_suffix:id"

        def run():
            "Runs ft:gpt-4o-mini:bis::7p4lURel."
            return client.chat.completions.create(model="{FT}")  # was {FT35}
    """)
    result = scan_python("app.py", code, PATTERNS)
    found = of_kind(result, EvidenceKind.MODEL_ID)
    assert [(e.value, e.span, e.confidence, e.props) for e in found] == [
        (FT35, span_of(code, FT35), "low", (("context", "docstring"),)),
        (FT, span_of(code, FT), "low", (("context", "comment"),)),
        (
            "ft:gpt-3.5-turbo:my-org:custom_suffix:id",
            Span(3, 12, 3, 52),
            "low",
            (("target", "EXAMPLE"),),
        ),
        ("ft:gpt-4o-mini:bis::7p4lURel", Span(6, 11, 6, 39), "low", (("context", "docstring"),)),
        (FT, span_of(code, FT, 1), "high", ()),
        (FT35, span_of(code, FT35, 1), "low", (("context", "comment"),)),
    ]
    assert found[2].model.placeholder


def test_id_in_a_template_string():
    result = scan(f"""
        prompt = t"Use {FT} for {{user}}"
    """)
    (found,) = of_kind(result, EvidenceKind.MODEL_ID)
    assert (found.span, found.confidence, found.props) == (
        Span(1, 16, 1, 68),
        "high",
        (("target", "prompt"),),
    )


def test_id_split_over_adjacent_literals():
    result = scan("""
        MODEL = (
            "ft:gpt-4o-mini-2024-07-18:northwind"
            ":support:96olL566"
        )
    """)
    (found,) = of_kind(result, EvidenceKind.MODEL_ID)
    assert (found.value, found.span, found.props) == (FT, Span(2, 5, 3, 24), (("target", "MODEL"),))


# --- IDs built at run time -------------------------------------------------------------


def test_partial_ids_from_fstrings_concatenation_and_formatting():
    code = source("""
        a = f"ft:gpt-4o-mini:{org}:{suffix}:{job_id}"
        b = "ft:gpt-4o-mini-2024-07-18:" + org + ":" + suffix + ":" + job_id
        c = "ft:gpt-4o:%s:%s:%s" % (org, suffix, job_id)
        d = "ft:gpt-4o:{}:{}:{}".format(org, suffix, job_id)
        client.chat.completions.create(model=f"openai/ft:gpt-4.1-nano-2025-04-14:{org}::{job_id}")
        prefix_only = model.startswith("ft:gpt-4o:")
        not_a_base = f"ft:{base}:{org}:x:y"
    """)
    result = scan_python("app.py", code, PATTERNS)
    found = of_kind(result, EvidenceKind.MODEL_ID)
    assert [(e.value, e.span, e.confidence, e.model.flavor) for e in found] == [
        ("ft:gpt-4o-mini:", Span(1, 5, 1, 46), "medium", "partial"),
        ("ft:gpt-4o-mini-2024-07-18:", Span(2, 5, 2, 69), "medium", "partial"),
        ("ft:gpt-4o:", Span(3, 5, 3, 49), "medium", "partial"),
        ("ft:gpt-4o:", Span(4, 5, 4, 53), "medium", "partial"),
        ("openai/ft:gpt-4.1-nano-2025-04-14:", Span(5, 38, 5, 90), "medium", "partial"),
    ]
    assert [e.props for e in found[:4]] == [(("target", name),) for name in "abcd"]
    assert (found[4].call, found[4].keyword, found[4].model.prefix) == (
        "client.chat.completions.create",
        "model",
        "openai/",
    )


def test_fine_tuned_model_reference():
    result = scan("""
        from openai import OpenAI

        client = OpenAI()
        job = client.fine_tuning.jobs.retrieve("ftjob-abc")
        client.chat.completions.create(model=job.fine_tuned_model, messages=[])
        body = {"model": job.fine_tuned_model}
        print(job.fine_tuned_model)
    """)
    found = of_kind(result, EvidenceKind.MODEL_REF)
    assert [(e.value, e.span, e.call, e.keyword) for e in found] == [
        ("job.fine_tuned_model", Span(5, 38, 5, 58), "openai.chat.completions.create", "model"),
        ("job.fine_tuned_model", Span(6, 18, 6, 38), None, "model"),
    ]


def test_model_args_a_rule_asks_about():
    result = scan("""
        from openai import OpenAI

        client = OpenAI()
        client.images.generate(model="dall-e-3", prompt="a cat")
        client.images.generate(model="dall-e-2", prompt="a dog")
        pick("dall-e-3")
        pick("gpt-4o", "dall-e-3")
    """)
    found = of_kind(result, EvidenceKind.MODEL_ARG)
    assert [(e.value, e.span, e.call, e.keyword) for e in found] == [
        ("dall-e-3", Span(4, 30, 4, 40), "openai.images.generate", "model"),
        ("dall-e-3", Span(6, 6, 6, 16), "pick", None),
    ]


# --- reads of environment variables ----------------------------------------------------

ENV_PATTERNS = replace(
    PATTERNS,
    env_vars=frozenset({"SUPPORT_MODEL", "APP_SUPPORT_MODEL", "TRIAGE_MODEL"}),
    needles=(*PATTERNS.needles, "SUPPORT_MODEL", "APP_SUPPORT_MODEL", "TRIAGE_MODEL"),
)


def env_reads(code: str, patterns: ScanPatterns = ENV_PATTERNS) -> list[tuple[str, Span, str | None, str]]:
    """(variable, span, reader, confidence) of every read of a variable, in order."""
    result = scan_python("app.py", code, patterns)
    return [(e.value, e.span, e.call, e.confidence) for e in of_kind(result, EvidenceKind.ENV_READ)]


@pytest.mark.parametrize(
    ("imports", "read", "call"),
    [
        ("import os", 'os.environ["SUPPORT_MODEL"]', "os.environ"),
        ("import os", 'os.environ.get("SUPPORT_MODEL")', "os.environ.get"),
        ("import os", 'os.getenv("SUPPORT_MODEL")', "os.getenv"),
        ("import os", 'os.getenv(key="SUPPORT_MODEL")', "os.getenv"),
        ("import os", 'os.environ.setdefault("SUPPORT_MODEL", "")', "os.environ.setdefault"),
        ("import os", 'os.environ.pop("SUPPORT_MODEL")', "os.environ.pop"),
        ("import os as _os", '_os.environ.get("SUPPORT_MODEL")', "os.environ.get"),
        ("from os import environ", 'environ["SUPPORT_MODEL"]', "os.environ"),
        ("from os import getenv", 'getenv("SUPPORT_MODEL")', "os.getenv"),
        ("from os import environ as env", 'env.get("SUPPORT_MODEL")', "os.environ.get"),
        ("import os\nenv = os.environ.copy()", 'env["SUPPORT_MODEL"]', "os.environ"),
        ("from dotenv import dotenv_values", 'dotenv_values()["SUPPORT_MODEL"]', "dotenv.dotenv_values()"),
        ("import dotenv\nd = dotenv.dotenv_values()", 'd.get("SUPPORT_MODEL")', "dotenv.dotenv_values().get"),
    ],
)
def test_env_reads_however_os_is_imported(imports, read, call):
    code = f"{imports}\n\nmodel = {read}\n"
    assert env_reads(code) == [("SUPPORT_MODEL", span_of(code, '"SUPPORT_MODEL"'), call, "high")]


def test_env_read_defaults_and_constant_names():
    code = source("""
        import os

        KEY = "TRIAGE_MODEL"
        support = os.environ.get("SUPPORT_MODEL", "gpt-4o-mini")
        support = os.getenv("SUPPORT_MODEL", default="gpt-4o")
        triage = os.getenv(KEY)
    """)
    result = scan_python("app.py", code, ENV_PATTERNS)
    found = of_kind(result, EvidenceKind.ENV_READ)
    assert [(e.value, e.span, e.keyword, e.props) for e in found] == [
        ("SUPPORT_MODEL", span_of(code, '"SUPPORT_MODEL"'), None, (("default", "gpt-4o-mini"),)),
        ("SUPPORT_MODEL", span_of(code, '"SUPPORT_MODEL"', 1), None, (("default", "gpt-4o"),)),
        ("TRIAGE_MODEL", span_of(code, "KEY", 1), None, ()),
    ]


def test_only_reads_of_the_variables_configuration_sets():
    code = source("""
        import os

        KEY = "SUPPORT_MODEL"
        KEY = "OTHER"
        os.environ["SUPPORT_MODEL"] = "ft:gpt-4o-mini-2024-07-18:acme:support:Bq7x2LmN"
        del os.environ["SUPPORT_MODEL"]
        os.environ.get("OPENAI_MODEL")
        os.getenv("support_model")
        os.getenv(KEY)
        settings = {"SUPPORT_MODEL": "x"}
        settings["SUPPORT_MODEL"]
        settings.get("SUPPORT_MODEL")
        print("SUPPORT_MODEL")
    """)
    assert env_reads(code) == []


def test_env_read_through_an_unimported_os_is_a_guess():
    code = 'model = os.environ.get("SUPPORT_MODEL")\nother = environ.get("SUPPORT_MODEL")\n'
    assert env_reads(code) == [("SUPPORT_MODEL", Span(1, 24, 1, 39), "os.environ.get", "medium")]


def test_settings_fields_read_the_environment_case_insensitively():
    code = source("""
        from typing import ClassVar
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            support_model: str = "gpt-4o"
            Triage_Model: str
            _support_model: str = "private"
            TRIAGE_MODEL_DEFAULT: ClassVar[str] = "class variable"
            other: int = 3
    """)
    result = scan_python("app.py", code, ENV_PATTERNS)
    found = of_kind(result, EvidenceKind.ENV_READ)
    assert {e.call for e in found} == {"pydantic_settings.BaseSettings"}
    assert [(e.value, e.span, e.keyword, e.confidence, e.props) for e in found] == [
        ("SUPPORT_MODEL", span_of(code, "support_model"), "support_model", "high", (("default", "gpt-4o"),)),
        ("TRIAGE_MODEL", span_of(code, "Triage_Model"), "Triage_Model", "high", ()),
    ]


@pytest.mark.parametrize(
    "config",
    [
        'model_config = SettingsConfigDict(env_prefix="APP_")',
        'model_config = {"env_prefix": "APP_", "extra": "ignore"}',
        'class Config:\n    env_prefix = "APP_"',
    ],
)
def test_settings_env_prefix(config):
    code = source("""
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Settings(BaseSettings):
            CONFIG
            support_model: str = "gpt-4o"
    """).replace("CONFIG", config.replace("\n", "\n    "))
    assert env_reads(code) == [
        ("APP_SUPPORT_MODEL", span_of(code, "support_model"), "pydantic_settings.BaseSettings", "high"),
    ]


def test_settings_class_keywords_and_case_sensitivity():
    code = source("""
        import pydantic_settings as ps

        class Strict(ps.BaseSettings, env_prefix="APP_", case_sensitive=True):
            support_model: str = "gpt-4o"
            SUPPORT_MODEL: str = "gpt-4o"
    """)
    assert env_reads(code) == [
        ("APP_SUPPORT_MODEL", span_of(code, "SUPPORT_MODEL"), "pydantic_settings.BaseSettings", "high"),
    ]


def test_settings_aliases_name_the_variable():
    code = source("""
        from typing import Annotated
        from pydantic import AliasChoices, AliasPath, Field
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="APP_")
            a: str = Field(alias="SUPPORT_MODEL")
            b: str = Field("gpt-4o", validation_alias="triage_model")
            c: str = Field(default="x", validation_alias=AliasChoices("OTHER", "SUPPORT_MODEL"))
            d: str = Field(validation_alias=AliasPath("TRIAGE_MODEL", "name"))
            e: Annotated[str, Field(alias="SUPPORT_MODEL")] = "y"
            support_model: str = Field(alias="OTHER")
            triage_model: str = Field(env="OTHER")
    """)
    result = scan_python("app.py", code, ENV_PATTERNS)
    found = of_kind(result, EvidenceKind.ENV_READ)
    # An alias replaces the prefixed field name; v1's `env=` means nothing to pydantic-settings.
    assert [(e.value, e.keyword, e.span.line, e.prop("default")) for e in found] == [
        ("SUPPORT_MODEL", "a", 7, None),
        ("TRIAGE_MODEL", "b", 8, "gpt-4o"),
        ("SUPPORT_MODEL", "c", 9, "x"),
        ("TRIAGE_MODEL", "d", 10, None),
        ("SUPPORT_MODEL", "e", 11, "y"),
    ]


def test_pydantic_v1_settings():
    code = source("""
        from pydantic import BaseSettings, Field

        class Settings(BaseSettings):
            support_model: str = "gpt-4o"
            a: str = Field("x", env="TRIAGE_MODEL")
            b: str = Field(..., env=["OTHER", "SUPPORT_MODEL"])
            c: str = Field(alias="SUPPORT_MODEL")

            class Config:
                env_prefix = "APP_"
    """)
    result = scan_python("app.py", code, ENV_PATTERNS)
    found = of_kind(result, EvidenceKind.ENV_READ)
    # v1 reads `env=` names as given, and ignores aliases.
    assert [(e.value, e.keyword, e.call, e.prop("default")) for e in found] == [
        ("APP_SUPPORT_MODEL", "support_model", "pydantic.BaseSettings", "gpt-4o"),
        ("TRIAGE_MODEL", "a", "pydantic.BaseSettings", "x"),
        ("SUPPORT_MODEL", "b", "pydantic.BaseSettings", None),
    ]


def test_settings_through_a_class_of_the_file():
    code = source("""
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Base(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="APP_")

        class Support(Base):
            support_model: str = "gpt-4o"

        class Triage(Support):
            model_config = SettingsConfigDict(env_prefix="")
            triage_model: str = "gpt-4o"

        class Plain:
            support_model: str = "gpt-4o"
    """)
    assert env_reads(code) == [
        ("APP_SUPPORT_MODEL", span_of(code, "support_model"), "pydantic_settings.BaseSettings", "high"),
        ("TRIAGE_MODEL", span_of(code, "triage_model"), "pydantic_settings.BaseSettings", "high"),
    ]


def test_settings_base_guessed_from_its_name():
    code = source("""
        from pydantic_settings import *

        class Settings(BaseSettings):
            support_model: str = "gpt-4o"
    """)
    assert env_reads(code) == [
        ("SUPPORT_MODEL", span_of(code, "support_model"), "pydantic_settings.BaseSettings", "medium"),
    ]


ENV_CODE = f"""import os
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    support_model: str = "gpt-4o"

model = os.environ.get("SUPPORT_MODEL", "{FT}")
"""


def test_nothing_changes_without_env_vars():
    with_env = scan_python("app.py", ENV_CODE, ENV_PATTERNS)
    without = scan_python("app.py", ENV_CODE, PATTERNS)
    assert [e.kind for e in with_env.evidence] == ["env-read", "env-read", "model-id"]
    assert without.evidence == tuple(e for e in with_env.evidence if e.kind != "env-read")
    read_only = ENV_CODE.replace(f', "{FT}"', "")
    assert scan_python("app.py", read_only, PATTERNS) == FileResult("app.py")  # not even parsed
    assert len(scan_python("app.py", read_only, ENV_PATTERNS).evidence) == 2


# --- REST paths, and the raw text ------------------------------------------------------


def test_rest_path_in_an_fstring():
    result = scan("""
        import requests

        def cancel(job_id):
            url = f"https://api.openai.com/v1/fine_tuning/jobs/{job_id}/cancel"
            return requests.post(url, headers=HEADERS)
    """)
    (path,) = of_kind(result, EvidenceKind.REST_PATH)
    assert (path.value, path.span) == ("/v1/fine_tuning/jobs/{job_id}/cancel", Span(4, 35, 4, 71))


def test_crlf_and_byte_order_mark():
    code = f'\ufeffimport openai\r\nopenai.fine_tuning.jobs.create(model="{FT}")\r\n'
    result = scan_python("app.py", code, PATTERNS)
    assert [(e.kind, e.span) for e in result.evidence] == [
        ("api-call", Span(2, 1, 2, 31)),
        ("model-id", Span(2, 39, 2, 91)),
    ]
    assert result.notifications == ()


def test_a_file_with_nothing_to_parse_is_not_parsed():
    result = scan("""
        print "no needle here"
    """)
    assert result == FileResult("app.py")


# --- files that are not Python 3 -------------------------------------------------------


def test_python2_file_falls_back_to_text():
    result = scan(f"""
        import openai
        print "training"
        openai.FineTune.create(training_file="file-abc", model="{FT35}")
    """)
    (note,) = result.notifications
    assert (note.path, note.kind) == ("app.py", "parse-error")
    assert note.message == "not valid Python 3 (syntax error at line 2); scanned as plain text"
    (found,) = of_kind(result, EvidenceKind.MODEL_ID)
    assert (found.value, found.span.line) == (FT35, 3)


def test_syntax_error_falls_back_to_text():
    result = scan(f"""
        MODEL = "{FT}"
        x = = 1
    """)
    assert [n.message for n in result.notifications] == [
        "not valid Python 3 (syntax error at line 2); scanned as plain text"
    ]
    assert [(e.kind, e.value, e.span.line) for e in result.evidence] == [("model-id", FT, 1)]


def test_nul_byte_falls_back_to_text():
    result = scan_python("app.py", f'x = 1\nMODEL = "{FT}"\x00\n', PATTERNS)
    assert [n.message for n in result.notifications] == [
        "not valid Python 3 (a NUL character at line 2); scanned as plain text"
    ]
    assert [(e.value, e.span) for e in result.evidence] == [(FT, Span(2, 10, 2, 62))]


@pytest.mark.parametrize(
    "code",
    [
        "",
        "\ufeff",
        "x = 1\r",
        "import openai\nx = " + "(" * 300 + "1" + ")" * 300 + f"\nm = '{FT}'\n",
        "import openai\nif a: pass\n" + "elif a: pass\n" * 3000 + "openai.fine_tuning.jobs.list()\n",
        "import openai\nx = " + " ".join([f'"{FT}"'] * 1500) + "\n",
        'import openai\nx = "\udcff"\nopenai.fine_tuning.jobs.list()\n',
        "def f(:\n" * 50,
    ],
)
def test_never_raises(code):
    result = scan_python("app.py", code, PATTERNS)
    assert result.path == "app.py"
    assert all(n.kind == "parse-error" for n in result.notifications)


def test_brackets_nested_deeper_than_python_allows_are_not_parsed():
    code = f"x = {'(' * 300}1{')' * 300}\nMODEL = '{FT}'\n"
    result = scan_python("app.py", code, PATTERNS)
    assert [n.message for n in result.notifications] == [
        "not parsed as Python (brackets nested 300 deep); scanned as plain text"
    ]
    assert [(e.value, e.span) for e in result.evidence] == [(FT, Span(2, 10, 2, 62))]


def test_deep_trees_are_still_analysed():
    code = "import openai\nif a: pass\n" + "elif a: pass\n" * 3000 + "openai.fine_tuning.jobs.list()\n"
    result = scan_python("app.py", code, PATTERNS)
    assert calls(result) == [("openai.fine_tuning.jobs.list", 3003, "high")]
    assert result.notifications == ()


def test_a_guessed_chain_split_by_a_continuation_or_a_comment_is_parsed():
    """No `openai` in the file: the tree is built because a guess root is followed by a dot."""
    result = scan("""
        def start(client, file_id):
            client.fine_tuning \\
                .jobs.create(training_file=file_id)
            return (client.fine_tuning  # the jobs API
                    .jobs.list())
    """)
    assert [(e.value, e.span.line) for e in of_kind(result, EvidenceKind.API_CALL)] == [
        ("openai.fine_tuning.jobs.create", 2),
        ("openai.fine_tuning.jobs.list", 4),
    ]
