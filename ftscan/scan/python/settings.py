"""Readers of environment variables in Python: `os.environ`, `os.getenv`, `dotenv_values`,
and pydantic settings classes, whose fields read variables named after them (with
`env_prefix`, or an alias instead), in pydantic 1 and 2."""

from __future__ import annotations

import libcst as cst

from ftscan.frozen import Frozen, replace
from ftscan.scan.python.binder import Ref, Value
from ftscan.scan.python.syntax import dotted_name, literal_string

# Qualified callees that read the variable named by their first argument (or `key=`).
ENV_CALLS = frozenset(
    {
        "os.getenv",
        "os.environ.get",
        "os.environ.setdefault",
        "os.environ.pop",
        "dotenv.dotenv_values().get",
    }
)
# Mappings whose subscript reads a variable.
ENV_MAPPINGS = frozenset({"os.environ", "dotenv.dotenv_values()"})
# pydantic's settings classes, and the pydantic generation (their aliases differ).
SETTINGS_BASES = {
    "pydantic_settings.BaseSettings": 2,
    "pydantic_settings.main.BaseSettings": 2,
    "pydantic.BaseSettings": 1,
    "pydantic.env_settings.BaseSettings": 1,
    "pydantic.v1.BaseSettings": 1,
    "pydantic.v1.env_settings.BaseSettings": 1,
}
_GUESSED_SETTINGS = "pydantic_settings.BaseSettings"
# Field arguments that name the variable instead of the field, by pydantic generation.
_ALIAS_KEYWORDS = {1: ("env",), 2: ("validation_alias", "alias"), None: ("validation_alias", "alias", "env")}
_ALIAS_CLASSES = frozenset({"AliasChoices", "AliasPath"})


def env_reader(
    value: Value | None, written: cst.BaseExpression, readers: frozenset[str]
) -> tuple[str, bool] | None:
    """The qualified reader `written` is, one of `readers`, and whether that is a guess.

    A guess: `os.environ.get` written so in a file where `os` cannot be resolved.
    """
    if value is not None:
        return (value.qname, False) if value.qname in readers else None
    name = dotted_name(written)
    if name is not None and name.startswith("os.") and name in readers:
        return name, True
    return None


class Settings(Frozen):
    """How a pydantic settings class reads its fields from the environment."""

    call: str  # the qualified BaseSettings it derives from
    version: int | None  # pydantic 1 or 2; None when the base is guessed from its name
    prefix: str = ""
    case_sensitive: bool = False


class SettingsField(Frozen):
    name: cst.Name  # the field as declared
    env: tuple[str, ...]  # the variables it reads, spelled as in the code
    default: str | None = None  # a literal default


def settings_classes(classes: list[tuple[cst.ClassDef, list[Ref]]]) -> list[tuple[cst.ClassDef, Settings]]:
    """The classes deriving from BaseSettings, directly or through a class of the file.

    `classes` are the file's classes in source order, each with its bases resolved. A class
    takes its parent's `env_prefix` and `case_sensitive` unless it sets its own.
    """
    local: dict[str, Settings] = {}
    found = []
    for node, bases in classes:
        pairs = zip(node.bases, bases, strict=True)
        base = next(filter(None, (_settings_base(arg.value, ref, local) for arg, ref in pairs)), None)
        if base is not None:
            settings = _configured(node, base)
            local[node.name.value] = settings
            found.append((node, settings))
    return found


def settings_fields(node: cst.ClassDef, settings: Settings) -> list[SettingsField]:
    """The annotated fields a settings class reads, with the variable names each one reads."""
    fields = []
    for member in _members(node):
        if not isinstance(member, cst.AnnAssign) or not isinstance(member.target, cst.Name):
            continue
        name, annotation = member.target.value, member.annotation.annotation
        if name.startswith("_") or name == "model_config" or _is_class_var(annotation):
            continue
        field = _field_call(member.value, annotation)
        keywords = {a.keyword.value: a.value for a in field.args if a.keyword} if field else {}
        alias = next((keywords[key] for key in _ALIAS_KEYWORDS[settings.version] if key in keywords), None)
        env = _alias_names(alias) if alias is not None else (settings.prefix + name,)
        fields.append(SettingsField(member.target, env, _field_default(member.value, field)))
    return fields


def _settings_base(expr: cst.BaseExpression, ref: Ref, local: dict[str, Settings]) -> Settings | None:
    name = dotted_name(expr)
    if name in local:
        return local[name]
    if ref.value is not None:
        version = SETTINGS_BASES.get(ref.value.qname)
        return Settings(ref.value.qname, version) if version else None
    if name is not None and name.rpartition(".")[2] == "BaseSettings":
        return Settings(_GUESSED_SETTINGS, None)
    return None


def _configured(node: cst.ClassDef, base: Settings) -> Settings:
    """`base` with the options the class sets: class keywords, `model_config`, `class Config`."""
    options = {arg.keyword.value: arg.value for arg in node.keywords if arg.keyword is not None}
    for member in _members(node):
        options.update(_config_options(member))
    prefix = literal_string(options["env_prefix"]) if "env_prefix" in options else base.prefix
    sensitive = options.get("case_sensitive")
    return replace(
        base,
        prefix=base.prefix if prefix is None else prefix,
        case_sensitive=base.case_sensitive if sensitive is None else _is_true(sensitive),
    )


def _config_options(member: cst.CSTNode) -> dict[str, cst.BaseExpression]:
    """`model_config = SettingsConfigDict(...)` (or a dict), or v1's `class Config:` body."""
    if isinstance(member, cst.ClassDef) and member.name.value == "Config":
        return {name: m.value for m in _members(member) if (name := _assigned(m)) and m.value is not None}
    if _assigned(member) != "model_config":
        return {}
    value = member.value
    if isinstance(value, cst.Call):
        return {arg.keyword.value: arg.value for arg in value.args if arg.keyword is not None}
    if isinstance(value, cst.Dict):
        return {
            key: e.value
            for e in value.elements
            if isinstance(e, cst.DictElement) and (key := literal_string(e.key)) is not None
        }
    return {}


def _members(node: cst.ClassDef) -> list[cst.CSTNode]:
    """The statements of a class body, simple statements unpacked from their lines."""
    members: list[cst.CSTNode] = []
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            members.extend(statement.body)
        else:
            members.append(statement)
    return members


def _assigned(member: cst.CSTNode) -> str | None:
    """The name a one-target assignment binds."""
    if isinstance(member, cst.Assign) and len(member.targets) == 1:
        target = member.targets[0].target
    elif isinstance(member, cst.AnnAssign):
        target = member.target
    else:
        return None
    return target.value if isinstance(target, cst.Name) else None


def _field_call(value: cst.BaseExpression | None, annotation: cst.BaseExpression) -> cst.Call | None:
    """The `Field(...)` of a field: its value, or in `Annotated[str, Field(...)]`."""
    if _is_field(value):
        return value  # type: ignore[return-value]
    if isinstance(annotation, cst.Subscript) and (dotted_name(annotation.value) or "").endswith("Annotated"):
        elements = (e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index))
        return next((e for e in elements if _is_field(e)), None)  # type: ignore[misc]
    return None


def _is_field(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Call) and (dotted_name(expr.func) or "").rpartition(".")[2] == "Field"


def _field_default(value: cst.BaseExpression | None, field: cst.Call | None) -> str | None:
    if value is not None and value is field:
        positional = [arg.value for arg in field.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg.value for arg in field.args if arg.keyword is not None}
        value = positional[0] if positional else keywords.get("default")
    return literal_string(value) if value is not None else None


def _alias_names(expr: cst.BaseExpression) -> tuple[str, ...]:
    """`"X"`, `["X", "Y"]` (v1), `AliasChoices("X", AliasPath("Y", 0))`: the names, in order."""
    value = literal_string(expr)
    if value is not None:
        return (value,)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        items = [element.value for element in expr.elements]
    elif isinstance(expr, cst.Call) and (dotted_name(expr.func) or "").rpartition(".")[2] in _ALIAS_CLASSES:
        items = [arg.value for arg in expr.args if arg.keyword is None and not arg.star]
        if (dotted_name(expr.func) or "").endswith("AliasPath"):
            items = items[:1]  # a path into the variable's value
    else:
        return ()
    return tuple(dict.fromkeys(name for item in items for name in _alias_names(item)))


def _is_class_var(annotation: cst.BaseExpression) -> bool:
    head = annotation.value if isinstance(annotation, cst.Subscript) else annotation
    return (dotted_name(head) or "").rpartition(".")[2] == "ClassVar"


def _is_true(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True"
