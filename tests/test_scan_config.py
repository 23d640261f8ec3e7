"""Configuration and data scanners: where each model ID sits, what carries it, what is not one."""

import subprocess
import sys
import time
from textwrap import dedent

from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import scanner_for
from ftscan.types import EvidenceKind, FileResult, Span

PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [rule for pack in PACKS for rule in pack.rules])

MINI = "ft:gpt-4o-mini-2024-07-18:northwind:support-v3:Bq7x2LmN"  # 55 characters
TURBO = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"  # 41
ROUTER = "ft:gpt-4.1-2025-04-14:northwind:router:Zx81Lq0a"  # 47
LEGACY = "curie:ft-northwind-2022-07-10-22-06-17"


def scan(kind: str, source: str, path: str = "config") -> FileResult:
    return scan_raw(kind, dedent(source), path)


def scan_raw(kind: str, text: str, path: str = "config") -> FileResult:
    """Scan `text` with the kind's scanner; every model ID's span must cover exactly its value."""
    result = scanner_for(kind)(path, text, PATTERNS)
    lines = text.splitlines()
    for ev in result.evidence:
        if ev.kind == EvidenceKind.MODEL_ID:
            assert ev.span.line == ev.span.end_line
            line = lines[ev.span.line - 1]
            assert line[ev.span.column - 1 : ev.span.end_column - 1] == ev.value
    return result


def keys(result: FileResult) -> list[tuple]:
    """(value, line, key_path) of each model ID, all of them reported as mapping keys, high."""
    assert all(ev.prop("context") == "key" and ev.confidence == "high" for ev in result.evidence)
    return [(ev.value, ev.span.line, ev.prop("key_path")) for ev in result.evidence]


def ids(result: FileResult) -> list[tuple]:
    """(value, line, column, key_path, env_var, keyword, confidence) of each model ID."""
    return [
        (
            ev.value,
            ev.span.line,
            ev.span.column,
            ev.prop("key_path"),
            ev.prop("env_var"),
            ev.keyword,
            ev.confidence,
        )
        for ev in result.evidence
        if ev.kind == EvidenceKind.MODEL_ID
    ]


def of_kind(result: FileResult, kind: str) -> list[tuple[str, int, int]]:
    """(value, line, column) of each piece of evidence of `kind`."""
    return [(ev.value, ev.span.line, ev.span.column) for ev in result.evidence if ev.kind == kind]


def training(result: FileResult) -> list[tuple[str, str | None]]:
    """(format, records sampled) of the training-data evidence."""
    return [
        (ev.value, ev.prop("records_sampled"))
        for ev in result.evidence
        if ev.kind == EvidenceKind.TRAINING_DATA
    ]


# ---------------------------------------------------------------- .env


def test_dotenv_quotes_export_and_comments():
    result = scan(
        "dotenv",
        f"""\
        # Models served by the support bot
        SUPPORT_MODEL={MINI}
        export ROUTER_MODEL="{TURBO}"  # the router
        SINGLE='{ROUTER}'
        FALLBACK=gpt-4o  # was {ROUTER}
        # LEGACY_MODEL={LEGACY}
        #   export OLDER = "{TURBO}"
        # see {MINI} for details
    """,
        ".env",
    )
    assert ids(result) == [
        (MINI, 2, 15, "SUPPORT_MODEL", "SUPPORT_MODEL", "SUPPORT_MODEL", "high"),
        (TURBO, 3, 22, "ROUTER_MODEL", "ROUTER_MODEL", "ROUTER_MODEL", "high"),
        (ROUTER, 4, 9, "SINGLE", "SINGLE", "SINGLE", "high"),
        (ROUTER, 5, 24, None, None, None, "low"),
        (LEGACY, 6, 16, None, "LEGACY_MODEL", "LEGACY_MODEL", "low"),
        (TURBO, 7, 21, None, "OLDER", "OLDER", "low"),
        (MINI, 8, 7, None, None, None, "low"),
    ]
    assert all(ev.prop("context") == "comment" for ev in result.evidence[3:])
    assert result.notifications == ()


def test_dotenv_multiline_value_and_crlf():
    result = scan_raw("dotenv", f'A=1\r\nPROMPT="first\r\n{MINI}"\r\nB={TURBO}\r\n', ".env.production")
    assert ids(result) == [
        (MINI, 3, 1, "PROMPT", "PROMPT", "PROMPT", "high"),
        (TURBO, 4, 3, "B", "B", "B", "high"),
    ]


def test_envrc_shell_lines_are_judged_as_text():
    result = scan(
        "dotenv",
        f"""\
        layout python
        export SUPPORT_MODEL={MINI}
        dotenv_if_exists .env.local && MODEL={TURBO} run
    """,
        ".envrc",
    )
    assert ids(result) == [
        (MINI, 2, 22, "SUPPORT_MODEL", "SUPPORT_MODEL", "SUPPORT_MODEL", "high"),
        (TURBO, 3, 38, None, "MODEL", None, "high"),
    ]


# ---------------------------------------------------------------- YAML


def test_compose_environment_list_and_map():
    result = scan(
        "yaml",
        f"""\
        services:
          support:
            image: northwind/support:3
            environment:
              - SUPPORT_MODEL={MINI}
              - "ROUTER={TURBO}"
          router:
            environment:
              ROUTER_MODEL: {ROUTER}
              # OLD_MODEL={LEGACY}
    """,
        "docker-compose.yml",
    )
    assert ids(result) == [
        (MINI, 5, 23, "services.support.environment[0]", "SUPPORT_MODEL", "environment", "high"),
        (TURBO, 6, 17, "services.support.environment[1]", "ROUTER", "environment", "high"),
        (ROUTER, 9, 21, "services.router.environment.ROUTER_MODEL", "ROUTER_MODEL", "ROUTER_MODEL", "high"),
        (LEGACY, 10, 19, None, "OLD_MODEL", None, "low"),
    ]
    assert result.evidence[-1].prop("context") == "comment"


def test_kubernetes_deployment_configmap_and_secret_in_one_file():
    result = scan(
        "yaml",
        f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: support}}
        spec:
          template:
            spec:
              containers:
                - name: bot
                  env:
                    - name: SUPPORT_MODEL
                      value: {MINI}
                    - value: "{TURBO}"
                      name: ROUTER_MODEL
        ---
        apiVersion: v1
        kind: ConfigMap
        data:
          SUPPORT_MODEL: {MINI}
        ---
        apiVersion: v1
        kind: Secret
        stringData:
          router-model: {ROUTER}
    """,
        "k8s/support.yaml",
    )
    containers = "[0].spec.template.spec.containers[0]"
    assert ids(result) == [
        (MINI, 11, 22, f"{containers}.env[0].value", "SUPPORT_MODEL", "value", "high"),
        (TURBO, 12, 23, f"{containers}.env[1].value", "ROUTER_MODEL", "value", "high"),
        (MINI, 18, 18, "[1].data.SUPPORT_MODEL", "SUPPORT_MODEL", "SUPPORT_MODEL", "high"),
        (ROUTER, 23, 17, "[2].stringData.router-model", "router-model", "router-model", "high"),
    ]


def test_data_of_a_document_that_is_no_configmap_is_no_environment():
    result = scan("yaml", f"data:\n  lower_key: {MINI}\nkind: Report\n")
    assert ids(result) == [(MINI, 2, 14, "data.lower_key", None, "lower_key", "high")]


def test_helm_values_nested_value():
    result = scan(
        "yaml",
        f"""\
        replicaCount: 2
        support:
          llm:
            provider: openai
            fineTunedModel: "{MINI}"
          extraEnv:
            - name: ROUTER_MODEL
              value: {TURBO}
    """,
        "charts/support/values.yaml",
    )
    assert ids(result) == [
        (MINI, 5, 22, "support.llm.fineTunedModel", None, "fineTunedModel", "high"),
        (TURBO, 8, 14, "support.extraEnv[0].value", "ROUTER_MODEL", "value", "high"),
    ]


def test_litellm_proxy_config_keeps_the_provider_prefix():
    result = scan(
        "yaml",
        f"""\
        model_list:
          - model_name: support-bot
            litellm_params:
              model: openai/{MINI}
              api_key: os.environ/OPENAI_API_KEY
    """,
        "litellm/config.yaml",
    )
    assert ids(result) == [
        (f"openai/{MINI}", 4, 14, "model_list[0].litellm_params.model", None, "model", "high"),
    ]
    assert result.evidence[0].model.prefix == "openai/"


def test_github_actions_env_at_every_level_and_run_steps():
    result = scan(
        "yaml",
        f"""\
        name: eval
        on: push
        env:
          SUPPORT_MODEL: {MINI}
        jobs:
          eval:
            runs-on: ubuntu-latest
            env:
              ROUTER_MODEL: {TURBO}
            steps:
              - run: |
                  export EVAL_MODEL={ROUTER}
                  openai api fine_tuning.jobs.create -t file-abc -m gpt-4o-mini
                  # openai api fine_tunes.list
    """,
        ".github/workflows/eval.yml",
    )
    assert ids(result) == [
        (MINI, 4, 18, "env.SUPPORT_MODEL", "SUPPORT_MODEL", "SUPPORT_MODEL", "high"),
        (TURBO, 9, 21, "jobs.eval.env.ROUTER_MODEL", "ROUTER_MODEL", "ROUTER_MODEL", "high"),
        (ROUTER, 12, 29, "jobs.eval.steps[0].run", "EVAL_MODEL", "run", "high"),
    ]
    assert of_kind(result, EvidenceKind.CLI) == [
        ("openai api fine_tuning.jobs.create", 13, 11),
        ("openai api fine_tunes.list", 14, 13),
    ]


def test_yaml_lookalikes_are_not_dependencies_whole_ids_as_keys_are():
    result = scan(
        "yaml",
        f"""\
        draft: false
        ft: 3
        height_ft: 6
        pricing:
          "{MINI}": {{input: 0.3, output: 1.2}}
          {TURBO}:
            input: 3.0
          ? [{ROUTER}]
          : complex key
    """,
    )
    assert keys(result) == [
        (MINI, 5, f"pricing.{MINI}"),
        (TURBO, 6, f'pricing["{TURBO}"]'),
        (ROUTER, 8, f'pricing["{ROUTER}"]'),
    ]
    assert result.notifications == ()


def test_yaml_anchor_is_reported_where_it_is_written():
    result = scan(
        "yaml",
        f"""\
        defaults: &defaults
          model: {MINI}
        support:
          <<: *defaults
        router: *defaults
    """,
    )
    assert ids(result) == [(MINI, 2, 10, "defaults.model", None, "model", "high")]


def test_yaml_crlf_line_endings():
    text = f"services:\r\n  bot:\r\n    environment:\r\n      - SUPPORT_MODEL={MINI}\r\n# x {TURBO}\r\n"
    result = scan_raw("yaml", text, "compose.yaml")
    assert ids(result) == [
        (MINI, 4, 23, "services.bot.environment[0]", "SUPPORT_MODEL", "environment", "high"),
        (TURBO, 5, 5, None, None, None, "low"),
    ]
    assert result.evidence[0].span == Span(4, 23, 4, 78)


def test_broken_yaml_falls_back_to_text():
    result = scan(
        "yaml",
        f"""\
        model: {MINI}
        items: [unclosed
    """,
        "broken.yaml",
    )
    assert ids(result) == [(MINI, 1, 8, None, None, None, "high")]
    (note,) = result.notifications
    assert note.kind == "parse-error"
    assert note.message.startswith("invalid YAML: ")
    assert note.message.endswith("at line 3, column 1; scanned as plain text")


def test_yaml_alias_bomb_finishes_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    lines.append(f"model: {MINI}")
    started = time.perf_counter()
    result = scan_raw("yaml", "\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 1
    assert ids(result) == [(MINI, 10, 8, "model", None, "model", "high")]


def test_deep_yaml_nesting_is_refused_not_parsed():
    text = "[" * 100_000 + MINI + "]" * 100_000
    started = time.perf_counter()
    result = scan_raw("yaml", text, "deep.yaml")
    assert time.perf_counter() - started < 2
    assert ids(result) == [(MINI, 1, 100_001, None, None, None, "high")]
    assert [n.kind for n in result.notifications] == ["parse-limit"]


# ---------------------------------------------------------------- JSON


def test_json_app_config():
    result = scan(
        "json",
        f"""\
        {{
          "support": {{"model": "{MINI}", "temperature": 0.2}},
          "env": {{"ROUTER_MODEL": "{TURBO}"}},
          "OPENAI_FALLBACK_MODEL": "{ROUTER}",
          "containers": [{{"env": [{{"name": "BOT_MODEL", "value": "{MINI}"}}]}}],
          "api": "https://api.openai.com/v1/fine_tuning/jobs?limit=5"
        }}
    """,
        "config/app.json",
    )
    assert ids(result) == [
        (MINI, 2, 25, "support.model", None, "model", "high"),
        (TURBO, 3, 28, "env.ROUTER_MODEL", "ROUTER_MODEL", "ROUTER_MODEL", "high"),
        (ROUTER, 4, 29, "OPENAI_FALLBACK_MODEL", "OPENAI_FALLBACK_MODEL", "OPENAI_FALLBACK_MODEL", "high"),
        (MINI, 5, 59, "containers[0].env[0].value", "BOT_MODEL", "value", "high"),
    ]
    assert of_kind(result, EvidenceKind.REST_PATH) == [("/v1/fine_tuning/jobs", 6, 33)]


def test_json_price_rows_are_not_dependencies_whole_ids_as_keys_are():
    result = scan(
        "json",
        f"""\
        {{
          "{MINI}": {{"input": 0.3, "output": 1.2}},
          "ft:gpt-4o-mini-2024-07-18": {{"input": 0.3}},
          "{TURBO}": {{"input": 3.0}}
        }}
    """,
        "prices.json",
    )
    assert keys(result) == [(MINI, 2, MINI), (TURBO, 4, f'["{TURBO}"]')]  # not the bare `ft:<base>` row


def test_broken_json_falls_back_to_text():
    result = scan(
        "json",
        f"""\
        {{
          "model": "{MINI}",
        }}
    """,
        "broken.json",
    )
    assert ids(result) == [(MINI, 2, 13, None, None, None, "high")]
    (note,) = result.notifications
    assert (note.kind, note.message) == (
        "parse-error",
        "invalid JSON: Expecting property name enclosed in double quotes at line 3, column 1; "
        "scanned as plain text",
    )


def test_json_with_escapes_and_wide_characters_keeps_columns():
    result = scan("json", f'{{"n\\u00e9": "caf\\u00e9 😀 {MINI}", "\\"k": ["{TURBO}"]}}\n')
    assert ids(result) == [
        (MINI, 1, 26, "né", None, "né", "high"),
        (TURBO, 1, 93, '["\\"k"][0]', None, '"k', "high"),
    ]


# ---------------------------------------------------------------- TOML


def test_toml_tables_arrays_and_env_like_keys():
    result = scan(
        "toml",
        f"""\
        [tool.app]
        model = "{MINI}"  # was {TURBO}
        OPENAI_ROUTER_MODEL = '{ROUTER}'
        fallbacks = [
          "gpt-4o",
          "{TURBO}",
        ]
        limits = {{ daily = 100, model = "{ROUTER}" }}
        "{MINI}" = 0.3

        [[servers]]
        model = "{TURBO}"

        [[servers]]
        model = "{ROUTER}"

        [env]
        lower_name = "{MINI}"
    """,
        "pyproject.toml",
    )
    assert ids(result) == [
        (MINI, 2, 10, "tool.app.model", None, "model", "high"),
        (TURBO, 2, 74, None, None, None, "low"),
        (ROUTER, 3, 24, "tool.app.OPENAI_ROUTER_MODEL", "OPENAI_ROUTER_MODEL", "OPENAI_ROUTER_MODEL", "high"),
        (TURBO, 6, 4, "tool.app.fallbacks[1]", None, "fallbacks", "high"),
        (ROUTER, 8, 34, "tool.app.limits.model", None, "model", "high"),
        (MINI, 9, 2, f"tool.app.{MINI}", None, None, "high"),  # a key: `context: key`
        (TURBO, 12, 10, "servers[0].model", None, "model", "high"),
        (ROUTER, 15, 10, "servers[1].model", None, "model", "high"),
        (MINI, 18, 15, "env.lower_name", "lower_name", "lower_name", "high"),
    ]
    assert result.evidence[1].prop("context") == "comment"


def test_broken_toml_falls_back_to_text():
    result = scan("toml", f'model = "{MINI}"\nbroken = \n')
    assert ids(result) == [(MINI, 1, 10, None, None, None, "high")]
    (note,) = result.notifications
    assert note.kind == "parse-error"
    assert "(at line 2, column 10)" in note.message


# ---------------------------------------------------------------- JSONL


def test_jsonl_chat_training_data_is_one_piece_of_evidence():
    result = scan(
        "jsonl",
        """\
        {"messages": [{"role": "system", "content": "You answer support tickets."}, {"role": "user", "content": "Refund?"}, {"role": "assistant", "content": "Sure."}]}
        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}

        {"messages": [{"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Bye!"}], "weight": 1}
    """,  # noqa: E501
        "training/support.jsonl",
    )
    (evidence,) = result.evidence
    assert (evidence.kind, evidence.value, evidence.span) == ("training-data", "chat", Span(1, 1, 1, 160))
    assert evidence.props == (("records_sampled", "3"),)


def test_jsonl_prompt_completion_and_preference():
    legacy = scan("jsonl", '{"prompt": "Q: refund?", "completion": " A: yes"}\n' * 3, "legacy.jsonl")
    assert training(legacy) == [("prompt-completion", "3")]
    dpo = scan(
        "jsonl",
        '{"input": {"messages": [{"role": "user", "content": "Hi"}]}, '
        '"preferred_output": [{"role": "assistant", "content": "Hello"}], '
        '"non_preferred_output": [{"role": "assistant", "content": "Go away"}]}\n',
        "dpo.jsonl",
    )
    assert training(dpo) == [("preference", "1")]


def test_jsonl_batch_input_ids_on_their_lines():
    head = '{"custom_id": "r%d", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "%s", '
    lines = [head % (1, MINI), head % (2, "gpt-4o"), head % (3, TURBO)]
    text = "".join(line + '"messages": [{"role": "user", "content": "Hi"}]}}\n' for line in lines)
    result = scan_raw("jsonl", text, "batch.jsonl")
    assert ids(result) == [
        (MINI, 1, 89, "body.model", None, "model", "high"),
        (TURBO, 3, 89, "body.model", None, "model", "high"),
    ]
    assert training(result) == []


def test_jsonl_ids_past_the_sample_are_found():
    filler = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}\n'
    text = filler * 1000 + f'{{"messages": [{{"role": "assistant", "content": "{MINI}"}}]}}\n' + filler * 1000
    result = scan_raw("jsonl", text, "big.jsonl")
    assert training(result) == [("chat", "250")]  # 200 first lines and 50 last
    assert ids(result) == [(MINI, 1001, 49, "messages[0].content", None, "content", "high")]


def test_jsonl_of_other_records_is_no_training_data():
    result = scan(
        "jsonl",
        f"""\
        {{"ts": "2026-01-01", "event": "login", "user": 1}}
        {{"ts": "2026-01-02", "event": "chat", "model": "{MINI}"}}
        not json at all
    """,
        "events.jsonl",
    )
    assert ids(result) == [(MINI, 2, 49, "model", None, "model", "high")]
    assert training(result) == []


# ---------------------------------------------------------------- Markdown


def test_markdown_code_blocks_and_prose():
    result = scan(
        "markdown",
        f"""\
        # Support bot

        Production serves `{MINI}`.

        ```python
        client.chat.completions.create(model="{TURBO}")
        ```

        Never run `openai api fine_tunes.create` from prose.

        ~~~bash
        openai api fine_tuning.jobs.create -t file-abc -m gpt-4o-mini
        curl https://api.openai.com/v1/fine_tuning/jobs
        ~~~
    """,
        "README.md",
    )
    assert ids(result) == [
        (MINI, 3, 20, None, None, None, "low"),
        (TURBO, 6, 39, None, None, None, "high"),
    ]
    assert [(ev.prop("context"), ev.prop("language")) for ev in result.evidence[:2]] == [
        ("prose", None),
        ("code-block", "python"),
    ]
    assert of_kind(result, EvidenceKind.CLI) == [("openai api fine_tuning.jobs.create", 12, 1)]
    assert of_kind(result, EvidenceKind.REST_PATH) == [("/v1/fine_tuning/jobs", 13, 28)]


def test_markdown_fence_rules():
    result = scan(
        "markdown",
        f"""\
        ````
        ```
        {MINI}
        ````
        {TURBO}
          ~~~
        {ROUTER}
    """,
    )
    assert [(ev.span.line, ev.prop("context"), ev.prop("language")) for ev in result.evidence] == [
        (3, "code-block", None),  # the inner ``` neither closes nor opens: the block needs four
        (5, "prose", None),
        (7, "code-block", None),  # an unclosed fence runs to the end of the file
    ]


# ---------------------------------------------------------------- registry


def test_scanners_are_imported_only_when_needed():
    code = (
        "import sys\n"
        "from ftscan.scan import SCANNERS, scan_source\n"
        "from ftscan.types import ScanPatterns\n"
        "assert {'dotenv', 'yaml', 'json', 'toml', 'jsonl', 'markdown'} <= SCANNERS.keys()\n"
        "scan_source('a.txt', 'ft:gpt-4o:northwind::Bq7x2LmN', 'text', ScanPatterns())\n"
        "scan_source('b.py', 'print(1)', 'python', ScanPatterns(needles=('fine_tuning',)))\n"
        "loaded = [m for m in ('ftscan.scan.structured.documents', 'ftscan.scan.structured.dotenv',"
        " 'dotenv', 'yaml', 'libcst') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cli_commands_carry_the_jobs_arguments():
    result = scan(
        "shell",
        """\
        openai api fine_tuning.jobs.create -t file-abc123 -m gpt-4o-mini-2024-07-18 --suffix support
        openai api fine_tunes.create -t train.jsonl \\
          -m curie -v valid.jsonl  # a comment: -m davinci
        openai api fine_tuning.jobs.create -t "$TRAINING_FILE" -m "${BASE_MODEL}"; other -m x
        openai api fine_tunes.create -t C:\\data\\new_train.jsonl -m davinci
        openai api fine_tunes.create -t -m curie --model=babbage-002 --suffix="a b"
        """,
        "train.sh",
    )
    cli = [(ev.span.line, ev.value, ev.props) for ev in result.evidence if ev.kind == EvidenceKind.CLI]
    assert cli == [
        (
            1,
            "openai api fine_tuning.jobs.create",
            (
                ("arg:model", "gpt-4o-mini-2024-07-18"),
                ("arg:suffix", "support"),
                ("arg:training_file", "file-abc123"),
            ),
        ),
        (
            2,
            "openai api fine_tunes.create",
            (
                ("arg:model", "curie"),
                ("arg:training_file", "train.jsonl"),
                ("arg:validation_file", "valid.jsonl"),
            ),
        ),
        (4, "openai api fine_tuning.jobs.create", ()),  # variables, not literals: no arguments known
        (
            5,
            "openai api fine_tunes.create",
            (  # a Windows path: `\\n` ends nothing here
                ("arg:model", "davinci"),
                ("arg:training_file", "C:\\data\\new_train.jsonl"),
            ),
        ),
        (
            6,
            "openai api fine_tunes.create",
            (  # `-t` has no value; the last model wins
                ("arg:model", "babbage-002"),
                ("arg:suffix", "a b"),
            ),
        ),
    ]


def test_cli_arguments_in_a_json_string_stop_at_its_escapes():
    source = (
        '{"scripts": {"train": "openai api fine_tunes.create -t a.jsonl -m curie\\n'
        'openai api fine_tunes.create -t b.jsonl -m davinci", "next": "-m babbage"}}\n'
    )
    result = scanner_for("json")("package.json", source, PATTERNS)
    cli = [ev.props for ev in result.evidence if ev.kind == EvidenceKind.CLI]
    assert cli[0] == (("arg:model", "curie"), ("arg:training_file", "a.jsonl"))  # not the next one's
