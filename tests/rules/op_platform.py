# as-of: 2026-11-22
import subprocess

from openai import OpenAI

client = OpenAI()
# ruleid: OP101:error
client.beta.assistants.create(model="gpt-4o", name="x")
# ruleid: OP101:error
thread = client.beta.threads.create()
# ruleid: OP101:error
HEADERS = {"OpenAI-Beta": "assistants=v2"}
# ruleid: OP102:error
client.images.generate(model="dall-e-3", prompt="a cat")
# ruleid: OP103:error
REALTIME = {"OpenAI-Beta": "realtime=v1"}
# ruleid: OP104:error, FT202:note
subprocess.run(["bash", "-c", "openai api fine_tuning.jobs.list"], check=True)
# ok: OP102
client.images.generate(model="gpt-image-1", prompt="a cat")
