"""No module uses another module's underscore names.

Ruff's import-private-name (PLC2701, on in pyproject.toml) guards imports from other packages;
it lets any module of one top-level package import the others' private names, and all of
Takt is one package. This test closes that gap: a name another module needs is a public name
of the module that owns it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "backend" / "takt"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCES.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(path: Path, here: str) -> list[str]:
    """Every use in ``path`` (the module ``here``) of an underscore name of another ``takt``
    module: imported by name, or read as an attribute of an imported module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("takt"):
            for alias in node.names:
                if _private(alias.name) and node.module != here:
                    found.append(f"{path.name}:{node.lineno} imports "
                                 f"{node.module}.{alias.name}")
                elif not _private(alias.name):
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("takt"):
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr)
                and isinstance(node.value, ast.Name) and node.value.id in modules
                and modules[node.value.id] != here):
            found.append(f"{path.name}:{node.lineno} reads "
                         f"{modules[node.value.id]}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    found = [use for path in sorted(SOURCES.rglob("*.py"))
             for use in private_uses(path, _module_name(path))]
    assert not found, "make these public names of the module that owns them:\n" + "\n".join(
        found)


def test_the_check_sees_a_private_import_and_a_private_attribute(tmp_path):
    # The check itself must be able to fail: a module that reaches into another's privates.
    module = tmp_path / "probe.py"
    module.write_text("from takt.inventory.ledger import _hidden\n"
                      "from takt.production import common\n"
                      "common._STATUS_WORDS\n", encoding="utf-8")
    assert len(private_uses(module, "takt.probe")) == 2
    # A module's own private names are its own business.
    assert private_uses(module, "takt.inventory.ledger") == [
        "probe.py:3 reads takt.production.common._STATUS_WORDS"]
