"""An application's own routes are not OpenAI's API."""
import requests
from fastapi import FastAPI

app = FastAPI()


# ok: FT205
@app.post("/v1/fine_tuning/jobs")
def create_job(body: dict):  # an OpenAI-compatible proxy serves this route
    return body


# ok: FT301
requests.get("http://localhost:8000/api/fine-tunes/42")
# ok: FT205
requests.get("/internal/fine_tuning/jobs/summary")
# ruleid: FT205:warning
requests.post("https://api.openai.com/v1/fine_tuning/jobs", json={})
# ruleid: FT205:warning
requests.post(f"{OPENAI_BASE_URL}/fine_tuning/jobs", json={})
