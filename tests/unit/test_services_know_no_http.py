"""Service modules know no HTTP: only the HTTP layer imports Litestar.

The backend's source is read as code (AST), so a module added later is checked without being
listed here. A module outside the HTTP layer fails when it imports ``litestar`` itself, when it
imports a module of the HTTP layer, or when a ``takt`` module it imports loads Litestar on
import (directly or further down). Imports under ``if TYPE_CHECKING:`` run nothing and are not
counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
PACKAGE = BACKEND / "takt"

HTTP_LAYER = {
    "app.py": "create_app(): the one place that wires Litestar together",
    "*/api.py": "controllers",
    "*_api.py": "controllers",
    "platform/http.py": "the command dependency, pages, the signed-in user of a request",
    "platform/problems.py": "domain errors answered as problem details, in the reader's language",
    "platform/auth.py": "the JWT middleware and the role guards",
    "platform/params.py": "path and query parameter declarations",
    "platform/live.py": "the websocket handler",
    "platform/openapi.py": "plugins that complete the OpenAPI document",
}
"""Modules that are HTTP: they may import Litestar, and no service may import them."""

START_UP = {
    "platform/mode.py": "chooses the channels backend and stores for create_app, importing "
                        "Litestar's inside the functions that build them; the database modules "
                        "import it for the engine",
    "cli.py": "the command line starts the server and prints the OpenAPI document, importing "
              "the app inside those commands",
}
"""Modules that import Litestar only inside functions that building or serving the app calls,
never when they are imported."""


def _name(path: Path) -> str:
    parts = list(path.relative_to(BACKEND).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_name(path): path for path in PACKAGE.rglob("*.py")
           if "piccolo_migrations" not in path.parts}


def _matches(name: str, patterns: dict[str, str]) -> bool:
    relative = MODULES[name].relative_to(PACKAGE)
    return any(relative.match(pattern) for pattern in patterns)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(body: list[ast.stmt], *, at_import: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements in ``body``; with ``at_import`` only those that run when the module is
    imported (not inside functions). Never those under ``if TYPE_CHECKING:``."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _type_checking(node):
            yield from _imports(node.orelse, at_import=at_import)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not at_import:
                yield from _imports(node.body, at_import=at_import)
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    yield from _imports([child for child in children
                                         if isinstance(child, ast.stmt | ast.excepthandler)],
                                        at_import=at_import)


def _targets(name: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules an import statement loads: ``litestar`` for any of Litestar's, and each
    ``takt`` module with the packages above it."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, *([node.module] if node.module else [])])
        # ``from takt.platform import db`` loads the module takt.platform.db.
        names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
    found = set()
    for imported in names:
        if imported.split(".")[0] == "litestar":
            found.add("litestar")
            continue
        parts = imported.split(".")
        for end in range(1, len(parts) + 1):
            module = ".".join(parts[:end])
            if module in MODULES:
                found.add(module)
    return found


@cache
def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def _loaded(name: str, *, at_import: bool) -> set[str]:
    return {target for node in _imports(_tree(name).body, at_import=at_import)
            for target in _targets(name, node)} - {name}


def _litestar_chain(name: str, seen: frozenset[str] = frozenset()) -> list[str] | None:
    """How importing ``name`` loads Litestar (``[name, ..., "litestar"]``), or None."""
    loaded = _loaded(name, at_import=True)
    if "litestar" in loaded:
        return [name, "litestar"]
    for module in sorted(loaded - seen):
        chain = _litestar_chain(module, seen | {name})
        if chain:
            return [name, *chain]
    return None


def test_the_lists_name_modules_that_exist():
    for pattern in [*HTTP_LAYER, *START_UP]:
        assert any(_matches(name, {pattern: ""}) for name in MODULES), pattern


def test_start_up_modules_load_no_litestar_when_imported():
    for name in MODULES:
        if _matches(name, START_UP):
            assert _litestar_chain(name) is None, " -> ".join(_litestar_chain(name) or [])


def test_modules_outside_the_http_layer_import_no_litestar():
    wrong = []
    for name in sorted(MODULES):
        if _matches(name, HTTP_LAYER) or _matches(name, START_UP):
            continue
        loaded = _loaded(name, at_import=False)
        if "litestar" in loaded:
            wrong.append(f"{name} imports litestar")
            continue
        for module in sorted(loaded):
            if _matches(module, HTTP_LAYER):
                wrong.append(f"{name} imports {module} (HTTP layer)")
                break
            if chain := _litestar_chain(module):
                wrong.append(f"{name} imports {' -> '.join(chain)}")
                break
    assert not wrong, "\n".join(wrong)
