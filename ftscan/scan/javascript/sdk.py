"""The Node SDK's names, mapped onto the qualified names the rules already use.

The Node SDK (`openai` on npm) mirrors the Python SDK resource for resource, in camelCase:
`client.fineTuning.jobs.listEvents` is `client.fine_tuning.jobs.list_events`. ftscan reports
both under the Python spelling, so one rule (`openai.fine_tuning.jobs.*`), one message and
one fingerprint cover a dependency whichever language holds it, and a user's pack written
for Python covers JavaScript too. The v3 SDK's flat `OpenAIApi` methods map onto the legacy
Python names they called (`createFineTune` is `openai.FineTune.create`).
"""

from __future__ import annotations

import re

OPENAI = "openai"
# `new <qname>(...)` builds an OpenAI client; the client ftscan reports.
CLIENT_CLASSES = {
    "openai": "OpenAI",  # `import OpenAI from "openai"`, `require("openai")`
    "openai.default": "OpenAI",
    "openai.OpenAI": "OpenAI",
    "openai.AzureOpenAI": "AzureOpenAI",
}
V3_CLIENT = "openai.OpenAIApi"  # `new OpenAIApi(new Configuration(...))`
# The v3 client's methods, by the legacy Python call each one is.
V3_METHODS = {
    "createFineTune": "openai.FineTune.create",
    "listFineTunes": "openai.FineTune.list",
    "retrieveFineTune": "openai.FineTune.retrieve",
    "cancelFineTune": "openai.FineTune.cancel",
    "listFineTuneEvents": "openai.FineTune.list_events",
    "createFineTuningJob": "openai.FineTuningJob.create",
    "listFineTuningJobs": "openai.FineTuningJob.list",
    "retrieveFineTuningJob": "openai.FineTuningJob.retrieve",
    "cancelFineTuningJob": "openai.FineTuningJob.cancel",
    "listFineTuningEvents": "openai.FineTuningJob.list_events",
    "createFile": "openai.File.create",
    "createChatCompletion": "openai.ChatCompletion.create",
    "createCompletion": "openai.Completion.create",
    "createEmbedding": "openai.Embedding.create",
    "createImage": "openai.Image.create",
}
# v3 methods that take their arguments positionally: the name of each position.
V3_POSITIONAL = {"createFile": ("file", "purpose"), "retrieveFineTune": ("fine_tune_id",)}
# Methods that return the client they are called on.
WRAPPER_CALLS = frozenset({"withOptions"})
# Where the chain of a receiver ftscan cannot resolve (a client imported from another file)
# may start for ftscan to guess it is OpenAI's; uploads only with `purpose: "fine-tune"`.
GUESS_ROOTS = frozenset({"fine_tuning", "fine_tunes", "beta"})
UPLOAD_ROOTS = frozenset({"files", "uploads"})
V3_GUESSES = frozenset(
    name for name, qname in V3_METHODS.items() if qname.split(".")[1] in ("FineTune", "FineTuningJob")
)
# Model wrappers whose first argument is the model: the Vercel AI SDK's provider.
PROVIDER = "@ai-sdk/openai.openai"
PROVIDER_FACTORIES = frozenset({"@ai-sdk/openai.createOpenAI"})
PROVIDER_METHODS = frozenset(
    {
        "chat",
        "completion",
        "responses",
        "languageModel",
        "embedding",
        "textEmbedding",
        "textEmbeddingModel",
        "image",
        "imageModel",
        "transcription",
        "speech",
    }
)
# Objects whose members are environment variables, and the function that reads one.
ENV_OBJECTS = frozenset({"process.env", "import.meta.env", "Bun.env"})
ENV_FUNCTIONS = frozenset({"Deno.env.get"})
_HOSTS = ("openai.com", "azure")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """`fineTuning` -> `fine_tuning`, `listEvents` -> `list_events`; others unchanged."""
    return _CAMEL.sub(lambda m: "_" + m[1].lower(), name) if name[:1].islower() else name


def is_other_provider(url: str) -> bool:
    """A `baseURL` that names neither OpenAI nor Azure."""
    lowered = url.lower()
    return not any(host in lowered for host in _HOSTS)


def module_name(source: str) -> str | None:
    """The package an import names, or None for the project's own files (`./db`, `@/lib`)."""
    if source.startswith((".", "/", "@/", "~/", "#")):
        return None
    if source == OPENAI or source.startswith(OPENAI + "/"):
        return OPENAI
    return source
