#!/bin/sh
# What a script only echoes is shown, not run.
# ok: FT301, OP104
echo "Next: openai api fine_tunes.create -t data.jsonl -m curie"
# ok: FT205
printf 'status at /v1/fine_tuning/jobs\n'
# ruleid: FT301:error, OP104:error
openai api fine_tunes.list
