#!/bin/bash
# Shell: uploads of training files with curl, however the form is written.
# ruleid: FT203
curl https://api.openai.com/v1/files \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -F purpose="fine-tune" \
  -F file="@train.jsonl"
# ruleid: FT203
curl -s -F "purpose=fine-tune" -F "file=@data/chat.jsonl" "$OPENAI_BASE_URL"https://api.openai.com/v1/files
# ok: FT203
curl https://api.openai.com/v1/files -F purpose=assistants -F file=@manual.pdf
# ruleid: FT205
curl https://api.openai.com/v1/fine_tuning/jobs -H "Content-Type: application/json" -d '{"training_file": "file-abc", "model": "gpt-4o-mini"}'
