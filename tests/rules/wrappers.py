# as-of: 2026-11-22
from unittest import mock

import dspy
import instructor
from dspy.clients.lm_local import LocalProvider
from dspy.utils import DummyLM
from openai import OpenAI
from wandb.integration.openai.fine_tuning import WandbLogger

instructions = instructor.Instructions(name="summaries", finetune_format="messages")


# ruleid: FT401:note
@instructions.distil
def summarize(text: str) -> Summary:
    return Summary(text=text[:100])


# ok: FT401
@app.route("/distil")
def view():
    return "ok"


# ruleid: FT202:note
WandbLogger.sync(fine_tune_job_id="ftjob-abc", openai_client=OpenAI())

student = dspy.LM(model="openai/local:meta-llama/Llama-3.2-1B-Instruct", provider=LocalProvider())
# ok: FT201
optimizer = dspy.BootstrapFinetune(num_threads=16)


def test_start_on_a_mock():
    client = mock.MagicMock()
    # ruleid: FT201:note, FT206:note
    client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file="file-abc")


def test_dummy():
    dspy.configure(lm=DummyLM([{"answer": "4"}]))


@mock.patch("app.trainer.OpenAI")
def test_patched_where_used(mock_openai):
    # ruleid: FT203:note
    OpenAI().files.create(file=b"{}", purpose="fine-tune")
