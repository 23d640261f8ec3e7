"""Each language's grammar and the few tree-sitter queries the scanner asks of it.

The scanner itself knows no language: it asks a grammar for calls (the call node and its
arguments), for bindings (a name and the value or type it is given), for keyed arguments
(`Model: "x"`, `model: "x"`, `'model' => 'x'`, `.model("x")`, `Model = "x"`) and for the
functions the file defines. Every name, method and constant of an SDK is data in the rule
packs (`sdks`); what is here is only how each language writes a call.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ftscan.frozen import Frozen


class Syntax(Frozen):
    grammar: str  # the grammar's module (a wheel of its own, imported on first use)
    function: str  # the module's function that returns the language
    calls: str  # @call, with @args: its argument list
    bindings: str  # @name, with @value (the expression it is given) or @type (its declared type)
    pairs: str  # @key and @value of a keyed argument, anywhere inside a call's arguments
    definitions: str  # @name of each function or method the file defines, @type of each type
    arguments: frozenset[str]  # node types of argument lists and their wrappers
    tests: tuple[str, ...] = ()  # path parts of test files


GO = Syntax(
    grammar="tree_sitter_go",
    function="language",
    calls="(call_expression arguments: (argument_list) @args) @call",
    bindings="""
        (short_var_declaration
            left: (expression_list . (identifier) @name) right: (expression_list . (_) @value))
        (assignment_statement left: (expression_list . (_) @name) right: (expression_list . (_) @value))
        (var_spec name: (identifier) @name type: (_)? @type value: (expression_list . (_) @value)?)
        (const_spec name: (identifier) @name value: (expression_list . (_) @value))
        (parameter_declaration name: (identifier) @name type: (_) @type)
        (field_declaration name: (field_identifier) @name type: (_) @type)
    """,
    pairs="(keyed_element key: (literal_element (identifier) @key) value: (literal_element (_) @value))",
    definitions="""
        (function_declaration name: (identifier) @name)
        (method_declaration name: (field_identifier) @name)
        (type_spec name: (type_identifier) @type)
    """,
    arguments=frozenset({"argument_list", "literal_value", "func_literal", "type_arguments"}),
    tests=("_test.go",),
)

JAVA = Syntax(
    grammar="tree_sitter_java",
    function="language",
    calls="""
        (method_invocation arguments: (argument_list) @args) @call
        (object_creation_expression arguments: (argument_list) @args) @call
    """,
    bindings="""
        (local_variable_declaration
            type: (_) @type declarator: (variable_declarator name: (identifier) @name value: (_)? @value))
        (field_declaration
            type: (_) @type declarator: (variable_declarator name: (identifier) @name value: (_)? @value))
        (formal_parameter type: (_) @type name: (identifier) @name)
        (assignment_expression left: (identifier) @name right: (_) @value)
    """,
    pairs="(method_invocation name: (identifier) @key arguments: (argument_list . (_) @value .))",
    definitions="""
        (method_declaration name: (identifier) @name)
        (class_declaration name: (identifier) @type)
        (interface_declaration name: (identifier) @type)
    """,
    arguments=frozenset({"argument_list", "type_arguments", "lambda_expression", "class_body"}),
    tests=("Test.java", "/test/", "Tests.java"),
)

KOTLIN = Syntax(
    grammar="tree_sitter_kotlin",
    function="language",
    calls="(call_expression (value_arguments) @args) @call",
    bindings="""
        (property_declaration (variable_declaration (identifier) @name (_)? @type) (_) @value)
        (parameter (identifier) @name (_) @type)
        (class_parameter (identifier) @name (_) @type)
    """,
    pairs="""
        (value_argument (identifier) @key (_) @value)
        (assignment left: (_) @key right: (_) @value)
        (call_expression
            (navigation_expression (_) (identifier) @key .)
            (value_arguments . (value_argument . (_) @value .) .))
    """,
    definitions="""
        (function_declaration (identifier) @name)
        (class_declaration (identifier) @type)
    """,
    arguments=frozenset({"value_arguments", "annotated_lambda", "lambda_literal", "type_arguments"}),
    tests=("Test.kt", "/test/"),
)

RUBY = Syntax(
    grammar="tree_sitter_ruby",
    function="language",
    calls="(call arguments: (argument_list)? @args) @call",
    bindings="(assignment left: (_) @name right: (_) @value)",
    pairs="(pair key: (_) @key value: (_) @value)",
    definitions="""
        (method name: (_) @name)
        (class name: (_) @type)
    """,
    arguments=frozenset({"argument_list", "block", "do_block"}),
    tests=("_spec.rb", "_test.rb", "/spec/", "/test/"),
)

CSHARP = Syntax(
    grammar="tree_sitter_c_sharp",
    function="language",
    calls="""
        (invocation_expression arguments: (argument_list) @args) @call
        (object_creation_expression arguments: (argument_list)? @args) @call
    """,
    bindings="""
        (variable_declaration type: (_) @type (variable_declarator name: (identifier) @name (_)? @value))
        (parameter type: (_) @type name: (identifier) @name)
        (property_declaration type: (_) @type name: (identifier) @name)
        (assignment_expression left: (identifier) @name right: (_) @value)
    """,
    pairs="""
        (assignment_expression left: (identifier) @key right: (_) @value)
        (argument name: (identifier) @key (_) @value)
    """,
    definitions="(method_declaration name: (identifier) @name)",
    arguments=frozenset(
        {"argument_list", "initializer_expression", "type_argument_list", "lambda_expression"}
    ),
    tests=("Tests.cs", "Test.cs", ".Tests/"),
)

PHP = Syntax(
    grammar="tree_sitter_php",
    function="language_php",
    calls="""
        (member_call_expression arguments: (arguments) @args) @call
        (scoped_call_expression arguments: (arguments) @args) @call
        (function_call_expression arguments: (arguments) @args) @call
        (object_creation_expression (arguments) @args) @call
    """,
    bindings="""
        (assignment_expression left: (_) @name right: (_) @value)
        (property_declaration type: (_) @type (property_element (variable_name) @name))
        (simple_parameter type: (_) @type name: (variable_name) @name)
    """,
    pairs="(array_element_initializer . (_) @key . (_) @value .)",
    definitions="""
        (function_definition name: (name) @name)
        (method_declaration name: (name) @name)
        (class_declaration name: (name) @type)
    """,
    arguments=frozenset({"arguments", "array_creation_expression", "anonymous_function"}),
    tests=("Test.php", "/tests/"),
)

LANGUAGES: dict[str, Syntax] = {
    "go": GO,
    "java": JAVA,
    "kotlin": KOTLIN,
    "ruby": RUBY,
    "csharp": CSHARP,
    "php": PHP,
}


# Languages read for their resources, not their calls: Terraform and OpenTofu
# (`ftscan.scan.languages.terraform`).
OTHER_GRAMMARS = {"terraform": ("tree_sitter_hcl", "language")}


@cache
def parser(kind: str) -> Any:
    """A parser of a kind in `LANGUAGES` or `OTHER_GRAMMARS`, built on first use."""
    if kind in LANGUAGES:
        return grammar(kind)[0]
    from importlib import import_module

    from tree_sitter import Language, Parser

    module, function = OTHER_GRAMMARS[kind]
    return Parser(Language(getattr(import_module(module), function)()))


@cache
def grammar(kind: str) -> tuple[Any, Any]:
    """The parser and the compiled queries of a kind, built on first use."""
    from importlib import import_module

    from tree_sitter import Language, Parser, Query

    syntax = LANGUAGES[kind]
    language = Language(getattr(import_module(syntax.grammar), syntax.function)())
    queries = {
        name: Query(language, getattr(syntax, name)) for name in ("calls", "bindings", "pairs", "definitions")
    }
    return Parser(language), queries
