"""Azure OpenAI: its own pack (AZ rules) and dates, never OpenAI's rules."""
import os

import requests
from openai import AzureOpenAI, OpenAI

client = AzureOpenAI(azure_endpoint=os.getenv("AZURE_OPENAI_ENDPOINT"), api_version="2024-10-21")
# ruleid: AZ203
resp = client.files.create(file=open("train.jsonl", "rb"), purpose="fine-tune")
# ruleid: AZ201:note, AZ206:note
job = client.fine_tuning.jobs.create(model="gpt-4o-2024-08-06", training_file=resp.id)
# ruleid: AZ202:note
client.fine_tuning.jobs.retrieve(job.id)
# ruleid: AZ201:note, AZ206:error
client.fine_tuning.jobs.create(model="gpt-35-turbo-0613", training_file=resp.id)

# Azure's v1 API through the plain client: still Azure's.
v1 = OpenAI(api_key=os.getenv("AZURE_OPENAI_API_KEY"), base_url="https://acme.openai.azure.com/openai/v1/")
# ruleid: AZ201:note, AZ206:note
v1.fine_tuning.jobs.create(model="gpt-4.1-mini-2025-04-14", training_file="file-abc")

endpoint = os.environ["AZURE_OPENAI_ENDPOINT"]
# ruleid: AZ205:note
requests.post(f"{endpoint}/openai/fine_tuning/jobs?api-version=2024-10-21", json={})
# ruleid: AZ101:note
DEPLOYED = "gpt-4o-mini-2024-07-18.ft-b044a9d3cf9c4228b5d393567f693b83"
# ruleid: AZ101:error
OLD = "gpt-35-turbo-0613.ft-acaad371be7f43589c32caba9d31b07f"
