"""Every environment variable read in settings.py is documented in .env.example.

As in datasette, the documentation is tested against the code: settings.py is parsed
(not imported) for os.getenv / os.environ and the env* helpers, so a variable read under
a condition (DATABASE_URL, BEHIND_PROXY) is found too.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = ROOT / "hemicycle" / "settings.py"
ENV_EXAMPLE = ROOT / ".env.example"

HELPERS = {"envbool", "envint", "envlist", "envsecret"}
# A variable line, set or commented out: "NAME=value" or "# NAME=value".
VARIABLE_LINE = re.compile(r"^(?:# ?)?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _is_os_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ"
            and isinstance(node.value, ast.Name) and node.value.id == "os")


def variables_read(source: str) -> set[str]:
    """Names passed as literals to os.getenv, os.environ.get/[...] and the env* helpers."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in HELPERS:
                name = _first_string(node)
            elif isinstance(func, ast.Attribute) and (
                (func.attr == "getenv" and isinstance(func.value, ast.Name)
                 and func.value.id == "os")
                or (func.attr == "get" and _is_os_environ(func.value))
            ):
                name = _first_string(node)
            else:
                continue
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            key = node.slice
            name = key.value if isinstance(key, ast.Constant) else None
        else:
            continue
        if isinstance(name, str):
            names.add(name)
    return names


def variables_documented(text: str) -> set[str]:
    return set(VARIABLE_LINE.findall(text))


def test_the_parser_finds_the_variables_of_settings():
    # Guards against a parser that finds nothing, so that the next test passes vacuously.
    source = 'import os\nA = os.getenv("A")\nB = envint("B", "1")\nC = os.environ["C"]\n'
    assert variables_read(source) == {"A", "B", "C"}
    found = variables_read(SETTINGS.read_text(encoding="utf-8"))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "EMAIL_HOST"} <= found


def test_every_variable_of_settings_is_in_env_example():
    read = variables_read(SETTINGS.read_text(encoding="utf-8"))
    documented = variables_documented(ENV_EXAMPLE.read_text(encoding="utf-8"))
    missing = sorted(read - documented)
    assert not missing, (
        f"settings.py reads {', '.join(missing)} but .env.example does not list "
        "them: add a line 'NAME=value' (or '# NAME=default') with one comment line above"
    )


def test_env_example_lists_only_variables_that_settings_reads():
    read = variables_read(SETTINGS.read_text(encoding="utf-8"))
    documented = variables_documented(ENV_EXAMPLE.read_text(encoding="utf-8"))
    stale = sorted(documented - read)
    assert not stale, f".env.example lists {', '.join(stale)}, which settings.py never reads"


def test_each_variable_of_env_example_has_a_comment_above():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    bare = [
        match.group(1)
        for previous, line in zip(["", *lines], lines, strict=False)
        if (match := VARIABLE_LINE.match(line))
        and (not previous.startswith("# ") or VARIABLE_LINE.match(previous))
    ]
    assert not bare, f".env.example: no comment line above {', '.join(bare)}"
