# as-of: 2026-11-22
# Look-alikes: none of these is an OpenAI fine-tuning dependency.
from mistralai import Mistral
from openai import OpenAI

mistral = Mistral(api_key="x")
# ok: FT201
mistral.fine_tuning.jobs.create(model="open-mistral-7b", training_files=[])
# ok: FT101
mistral.chat.complete(model="ft:open-mistral-7b:587a6b29:20240514:7e773925", messages=[])

together = OpenAI(base_url="https://api.together.xyz/v1")
# ok: FT201
together.fine_tuning.jobs.create(model="meta-llama/Meta-Llama-3-8B", training_file="f")

# ok: FT101
height_ft: int = 3
# ok: FT101
STYLE = {"draft": "left:0"}
# ok: FT201
trainer = Trainer(model=model, args=args)  # Hugging Face fine-tuning is not OpenAI's
