# as-of: 2026-11-22
import os

from openai import OpenAI
from langchain_openai import ChatOpenAI

client = OpenAI()

# ruleid: FT101:error
client.chat.completions.create(model="ft:gpt-3.5-turbo-0125:northwind::9tt19es9", messages=[])
# ruleid: FT101:warning
SUPPORT = "ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN"
# ruleid: FT101:warning
llm = ChatOpenAI(model_name="openai:ft:gpt-4.1-2025-04-14:northwind:triage:Pq8Rs7Tu")
# ruleid: FT101:error
CHECKPOINT = "ft:o4-mini-2025-04-16:northwind:grader:Mn3Op4Qr:ckpt-step-200"
# ruleid: FT101:note
FUTURE = "ft:gpt-5-mini-2025-08-07:northwind:next:Zz9Yy8Xx"
# ruleid: FT101:warning
model = f"ft:gpt-4o-2024-08-06:{os.environ['ORG']}:support:{os.environ['ID']}"
# ruleid: FT101:warning
other = "ft:gpt-4o-mini-2024-07-18:" + os.environ["ORG"] + ":x:y"
# ruleid: FT102:error
old = openai_legacy = "davinci:ft-northwind:faq-2023-03-31-13-59-13"
# ruleid: AZ101:error
azure = "gpt-35-turbo-0613.ft-b044a9d3cf9c4228b5d393567f693b83"
# ruleid: FT104:note
example = "ft:gpt-3.5-turbo:my-org:custom_suffix:id"
# ruleid: FT105:warning
client.chat.completions.create(model=job.fine_tuned_model, messages=[])
# ruleid: FT101:note
# MODEL = "ft:gpt-3.5-turbo-0125:northwind:retired:Ab12Cd34"

# ok: FT101
PRICES = {"ft:gpt-4o-mini-2024-07-18": {"input": 0.3}}
# ok: FT101
is_ft = SUPPORT.startswith("ft:")
# ok: FT101
css = "left:0;draft:true"
