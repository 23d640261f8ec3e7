# as-of: 2026-11-22
import litellm
import openai as oa
from llama_index.finetuning import OpenAIFinetuneEngine
from openai import AsyncOpenAI as Client, OpenAI


class Trainer:
    def __init__(self) -> None:
        self.client = OpenAI()

    def launch(self, file_id: str):
        # ruleid: FT201:warning, FT206:warning
        return self.client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=file_id)

    def watch(self, job_id: str):
        jobs = self.client.fine_tuning.jobs
        # ruleid: FT202:note
        jobs.list_events(fine_tuning_job_id=job_id)
        # ruleid: FT202:note
        self.client.with_raw_response.fine_tuning.jobs.retrieve(job_id)
        # ruleid: FT202:note
        self.client.fine_tuning.jobs.checkpoints.list(job_id)
        # ruleid: FT202:note
        self.client.with_options(timeout=5).fine_tuning.checkpoints.permissions.create("ckpt", project_ids=[])


async def upload(path: str):
    client = Client()
    # ruleid: FT203:warning
    await client.files.create(file=open(path, "rb"), purpose="fine-tune")
    # ok: FT203
    await client.files.create(file=open(path, "rb"), purpose="batch")
    # ruleid: FT203:warning
    await client.uploads.create(filename="t.jsonl", bytes=10, mime_type="text/jsonl", purpose="fine-tune")
    # ruleid: FT204:warning
    await client.fine_tuning.alpha.graders.validate(grader={})


# ruleid: FT201:warning, FT206:error
oa.fine_tuning.jobs.create(model="gpt-3.5-turbo-0125", training_file="file-1")
# ruleid: FT201:warning, FT206:error
litellm.create_fine_tuning_job(model="gpt-4.1-nano-2025-04-14", training_file="file-1")
# ruleid: FT201:warning, FT206:error
engine = OpenAIFinetuneEngine(base_model="gpt-3.5-turbo", data_path="data.jsonl")
# ruleid: FT205:warning
URL = "https://api.openai.com/v1/fine_tuning/jobs?limit=10"
