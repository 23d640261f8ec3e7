# as-of: 2026-11-22
import openai
from openai import OpenAI

# ruleid: FT301:error
openai.FineTune.create(training_file="file-1", model="curie")
# ruleid: FT301:error
openai.FineTune.list()
# ruleid: FT301:error
OpenAI().fine_tunes.create(training_file="file-1")
# ruleid: FT301:error
LEGACY = "https://api.openai.com/v1/fine-tunes"
# ruleid: FT201:warning, FT206:error
openai.FineTuningJob.create(training_file="file-1", model="gpt-3.5-turbo")
# ruleid: FT203:warning
openai.File.create(file=open("a.jsonl", "rb"), purpose="fine-tune")
