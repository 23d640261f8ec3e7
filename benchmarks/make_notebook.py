#!/usr/bin/env python3
"""Write a large, realistic fine-tuning notebook for timing the notebook scanner.

Code cells that upload data, start and poll jobs and call the fine-tuned model; markdown
between them; outputs as real notebooks carry them (training logs printed line by line, a
JSON result, plots as base64 PNG). Deterministic for a given size, standard library only:

    python benchmarks/make_notebook.py /tmp/big.ipynb --megabytes 10
    ftscan scan /tmp/big.ipynb --max-file-size 20000000 -f json -o /dev/null --exit-zero
"""

from __future__ import annotations

import argparse
import base64
import json
import random

CODE = '''import json, time
from openai import OpenAI

client = OpenAI()
MODEL_{n} = "ft:gpt-4o-mini-2024-07-18:northwind:run{n}:Ab{n:06d}"

def load_rows_{n}(path: str) -> list[dict]:
    """Rows of the "{n}th" split, one JSON object a line."""
    with open(path) as f:
        return [json.loads(line) for line in f]

upload = client.files.create(file=open("train_{n}.jsonl", "rb"), purpose="fine-tune")
job = client.fine_tuning.jobs.create(training_file=upload.id, model="gpt-4o-mini-2024-07-18")
while client.fine_tuning.jobs.retrieve(job.id).status not in ("succeeded", "failed"):
    time.sleep(30)
print(f"done: {{job.id}}\\tstatus=\\"ok\\"")
!pip install -q openai tiktoken
%matplotlib inline
reply = client.chat.completions.create(model=MODEL_{n}, messages=[{{"role": "user", "content": "hi"}}])
'''


def make(megabytes: float, seed: int = 7) -> dict:
    rng = random.Random(seed)
    cells: list[dict] = []
    size, n = 0, 0
    png = base64.b64encode(rng.randbytes(60_000)).decode()
    while size < megabytes * 1_000_000:
        n += 1
        cells.append(
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": [
                    f"## Step {n}: train on split {n}\n",
                    "\n",
                    "We upload the data, start a job and wait.\n",
                ],
            }
        )
        log = [f'Step {i}/1000: training loss={rng.random():.4f}\tlr=1e-5 "ok"\n' for i in range(600)]
        cells.append(
            {
                "cell_type": "code",
                "execution_count": n,
                "metadata": {},
                "source": CODE.format(n=n).splitlines(keepends=True),
                "outputs": [
                    {"name": "stdout", "output_type": "stream", "text": log},
                    {
                        "output_type": "execute_result",
                        "execution_count": n,
                        "metadata": {},
                        "data": {"text/plain": [json.dumps({"id": f"ftjob-{n:08d}", "status": "succeeded"})]},
                    },
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"image/png": png, "text/plain": ["<Figure size 640x480 with 1 Axes>"]},
                    },
                ],
            }
        )
        size += sum(len(line) for line in log) + len(png) + 2_500
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--megabytes", type=float, default=10)
    args = parser.parse_args()
    with open(args.path, "w", encoding="utf-8") as f:
        json.dump(make(args.megabytes), f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
