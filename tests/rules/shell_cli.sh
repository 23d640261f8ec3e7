#!/usr/bin/env bash
# as-of: 2026-11-22
# ruleid: FT201:warning, OP104:error
openai api fine_tuning.jobs.create -t file-abc -m gpt-4o-mini-2024-07-18
# ruleid: FT301:error, OP104:error
openai api fine_tunes.create -t train.jsonl -m curie
# ruleid: OP104:error
openai tools fine_tunes.prepare_data -f data.jsonl
# ruleid: FT201:warning
instructor jobs create-from-file train.jsonl --model gpt-4o-mini-2024-07-18
# ruleid: FT205:warning
curl -s https://api.openai.com/v1/fine_tuning/jobs -H "Authorization: Bearer $OPENAI_API_KEY"
# ok: OP104
echo "openai is great"
# ok: OP104
echo "set the openai api key first"
# ruleid: FT202:note, OP104:error
openai wandb sync --project support-bot
# ok: FT202, OP104
echo "sync the wandb project by hand"
