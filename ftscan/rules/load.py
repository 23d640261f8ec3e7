"""Load rule packs (YAML), validate them, and turn them into typed rules.

A pack that breaks the schema, names an unknown milestone, carries a bad regex or
repeats a rule ID fails with a `RuleError` naming the file, the line and the field.
A pack may come from the scanned tree, which is untrusted: it is read with a size cap,
the rules and needles it can add are capped, its regexes run on RE2 (`ftscan.rules.regex`),
and no error quotes more of it than a short excerpt (`ftscan.untrusted.words`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftscan.rules.cache import cache_file, read_cache, write_cache
from ftscan.rules.limits import PackProblem, check_caps, check_events, read_pack_text
from ftscan.rules.needles import regex_needle
from ftscan.rules.regex import PackRegex, PatternRefused
from ftscan.rules.sdks import build_sdk
from ftscan.types import (
    BaseModel,
    Milestone,
    MilestoneRef,
    Rule,
    RuleExample,
    RuleMatch,
    RulePack,
)
from ftscan.untrusted.words import excerpt, short_quotes

if TYPE_CHECKING:
    import yaml

PACK_SUFFIXES = (".yaml", ".yml")


class RuleError(Exception):
    """A rule pack that cannot be used; the message names file, line and field."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, problem: str):
        self.path, self.line, self.field, self.problem = str(path), line, field, problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")


@cache
def _loader() -> type:
    """Safe YAML without implicit timestamps: dates stay strings until validated.

    Built on first use: a run served from the pack cache never imports YAML.
    """
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def shipped_rules_dir() -> Path:
    """The packs that come with ftscan: `ftscan/rules/packs/` once installed, or the top-level
    `rules/` of a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "packs"
    return installed if installed.is_dir() else here.parent.parent / "rules"


def renamed_rules(packs: Iterable[RulePack]) -> dict[str, str]:
    """Old rule IDs and the rules that took them over (`FT103` is `AZ101`): an ignore
    comment, `--disable` or a per-path ignore that names an old ID means the new one."""
    return {old: new for pack in packs for old, new in pack.renamed}


def pack_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to the packs they hold, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in PACK_SUFFIXES))
        elif path.exists():  # a FIFO or a device too: reading it says what it is, without waiting
            files.append(path)
        else:
            raise RuleError(path, None, None, "no such rule file or directory")
    return files


def load_packs(
    extra: Sequence[Path] = (), *, shipped: bool = True, cache: Path | None = None
) -> tuple[RulePack, ...]:
    """The shipped packs plus the user's; rule IDs must be unique across all of them.

    Packs that loaded cleanly are kept, compiled, in `cache` (a directory), keyed by each
    file's path, size, inode, modification and change times and by ftscan's version: the
    next run skips YAML entirely. A pack that fails is never cached.
    """
    own = pack_files([shipped_rules_dir()]) if shipped else []
    files = own + pack_files(extra)
    cached = cache_file(cache, files) if cache else None
    if cached:
        packs = read_cache(*cached)
        if packs is not None:
            return packs
    packs = tuple(load_pack(path, validate=path not in own) for path in files)
    try:
        check_caps(packs)
    except PackProblem as problem:
        raise problem.error(RuleError) from None
    seen: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise RuleError(
                    rule.source, None, "id", f"rule {rule.id} is already defined at {seen[rule.id]}"
                )
            seen[rule.id] = rule.source
    if not seen:
        raise RuleError(", ".join(map(str, files)) or "(none)", None, None, "no rules loaded")
    if cached:
        write_cache(*cached, packs)
    return packs


def load_pack(path: Path, *, validate: bool = True) -> RulePack:
    """Read, validate and build one pack.

    The shipped packs skip schema validation (the test suite validates them), which keeps
    jsonschema's import out of every pre-commit run.
    """
    import yaml

    try:
        text = read_pack_text(path)
        if validate:  # a user's pack: libyaml's loader recurses in C, without a limit
            check_events(text, path, _loader())
        data = yaml.load(text, Loader=_loader())
    except PackProblem as problem:
        raise problem.error(RuleError) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        told = getattr(error, "problem", None) or str(error).partition("\n")[0]  # a ReaderError: no problem
        problem = short_quotes(told or "cannot be parsed")
        raise RuleError(path, mark.line + 1 if mark else None, None, f"invalid YAML: {problem}") from None
    try:
        if validate:
            _validate(data, path, text)
        return _PackBuilder(path, text, data).build()
    except RuleError:
        raise
    except Exception as error:  # a shape the schema let through and the builder did not expect
        raise RuleError(path, None, None, f"cannot load ({type(error).__name__})") from None


@cache
def _validator() -> Any:
    import json

    import jsonschema  # deferred: only loading a pack pays for it

    schema = json.loads((shipped_rules_dir() / "schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _validate(data: Any, path: Path, text: str) -> None:
    import jsonschema

    from ftscan.rules.schema_errors import describe

    errors = list(_validator().iter_errors(data))
    if not errors:
        return
    where, problem = describe(jsonschema.exceptions.best_match(errors))
    raise RuleError(path, line_of(text, where), _field_name(where) if where else None, problem)


def _field_name(where: Sequence[str | int]) -> str:
    """`rules[0].match.pattern`; keys from the file appear as short excerpts."""
    name = ""
    for part in where:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            key = excerpt(str(part), quoted=False)
            name += f".{key}" if name else key
    return name or "(top level)"


def compose(text: str) -> yaml.Node | None:
    import yaml

    try:
        return yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:
        return None


def line_of(text: str | yaml.Node | None, where: Sequence[str | int]) -> int | None:
    import yaml

    """The 1-based line of the node at `where` (keys and indexes) in a YAML text or tree."""
    node = compose(text) if isinstance(text, str) else text
    line = node.start_mark.line + 1 if node else None
    for part in where:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


class _PackBuilder:
    """Turns validated pack data into typed values, checking cross references."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path, self.text, self.data = path, text, data
        self.milestones: dict[str, Milestone] = {}
        self.tree = compose(text)

    def error(self, where: list[str | int], problem: str) -> RuleError:
        return RuleError(self.path, line_of(self.tree, where), _field_name(where), problem)

    def build(self) -> RulePack:
        data = self.data
        for key, spec in (data.get("milestones") or {}).items():
            day = spec.get("date")
            self.milestones[key] = Milestone(
                key=key,
                date=date.fromisoformat(day) if day else None,
                effect=spec["effect"],
                status=spec["status"],
                source=spec.get("source"),
            )
        base_models = tuple(
            BaseModel(
                names=tuple(spec["names"]),
                milestone=self.milestone(spec["milestone"], ["base_models", i, "milestone"])
                if spec.get("milestone")
                else None,
                replacement=spec.get("replacement"),
                provider=data.get("provider", "openai"),
            )
            for i, spec in enumerate(data.get("base_models") or ())
        )
        rules = tuple(self.rule(i, spec) for i, spec in enumerate(data["rules"]))
        ids = [rule.id for rule in rules]
        for i, rule_id in enumerate(ids):
            if rule_id in ids[:i]:
                raise self.error(["rules", i, "id"], f"duplicate rule ID {excerpt(rule_id, quoted=False)}")
        return RulePack(
            name=data["pack"],
            version=data["version"],
            path=str(self.path),
            title=data.get("title", data["pack"]),
            sources=tuple(data.get("sources") or ()),
            milestones=tuple(self.milestones.values()),
            base_models=base_models,
            rules=rules,
            model_keywords=tuple(data.get("model_keywords") or ()),
            sdks=tuple(build_sdk(spec) for spec in data.get("sdks") or ()),
            renamed=tuple((data.get("renamed") or {}).items()),
        )

    def milestone(self, key: str, where: list[str | int]) -> Milestone:
        try:
            return self.milestones[key]
        except KeyError:
            names = [excerpt(str(name), quoted=False) for name in self.milestones]
            known = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "") or "none defined"
            raise self.error(where, f"unknown milestone {excerpt(key)} (known: {known})") from None

    def rule(self, index: int, spec: dict[str, Any]) -> Rule:
        where: list[str | int] = ["rules", index]
        refs = []
        for j, ref in enumerate(spec.get("milestones") or ()):
            key, passed = (ref, None) if isinstance(ref, str) else (ref["milestone"], ref.get("passed_level"))
            refs.append(MilestoneRef(self.milestone(key, [*where, "milestones", j]), passed))
        raw_matches = spec["match"] if isinstance(spec["match"], list) else [spec["match"]]
        match_where = [*where, "match"]
        matches = tuple(
            self.rule_match(m, match_where + ([j] if isinstance(spec["match"], list) else []), spec["id"])
            for j, m in enumerate(raw_matches)
        )
        examples = tuple(
            RuleExample(
                code=ex["code"],
                level=ex["level"],
                as_of=date.fromisoformat(ex["as_of"]),
                path=ex.get("path", "example.py"),
            )
            for ex in spec.get("examples") or ()
        )
        return Rule(
            id=spec["id"],
            name=spec["name"],
            pack=self.data["pack"],
            summary=spec["summary"],
            help=spec["help"].strip(),
            matches=matches,
            milestones=tuple(refs),
            dates_from_base=spec.get("dates_from_base", False),
            level=spec.get("level"),
            precision=spec.get("precision", "high"),
            tags=tuple(spec.get("tags") or ()),
            help_uri=spec.get("help_uri"),
            examples=examples,
            source=f"{self.path}:{line_of(self.tree, where)}",
        )

    def rule_match(self, spec: dict[str, Any], where: list[str | int], rule_id: str) -> RuleMatch:
        pattern = None
        needles = tuple(spec.get("needles") or ())
        if "pattern" in spec:
            try:
                pattern = PackRegex(spec["pattern"])
            except PatternRefused as error:
                raise self.error(
                    [*where, "pattern"],
                    f"invalid regular expression in rule {excerpt(rule_id, quoted=False)}: {error} "
                    "(RE2 syntax: matching in linear time, so no backreferences or lookaround)",
                ) from None
            if not needles:
                needle = regex_needle(spec["pattern"])
                if needle is None:
                    raise self.error(
                        [*where, "pattern"],
                        "no literal text that every match contains: add `needles`",
                    )
                needles = (needle,)
        return RuleMatch(
            evidence=spec["evidence"],
            calls=tuple(spec.get("calls") or ()),
            values=tuple(spec.get("values") or ()),
            flavors=tuple(spec.get("flavors") or ()),
            placeholder=spec.get("placeholder"),
            props=tuple((spec.get("props") or {}).items()),
            not_props=tuple((spec.get("not_props") or {}).items()),
            pattern=pattern,
            needles=needles,
            base_dated=spec.get("base_dated"),
        )
