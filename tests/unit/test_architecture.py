"""The import rules of docs/architecture.md, checked on the source tree with `ast`."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = (
    "app.py",
    "cli.py",
    "bot",
    "cards",
    "config",
    "i18n",
    "manifest",
    "observability",
    "playground",
    "reports",
    "rkk",
    "scheduler",
)
# What the pure domain may never import: the edges of the application and the I/O libraries.
OUTER_LAYERS = (
    "bot", "scheduler", "cards", "config", "i18n", "observability", "playground", "manifest", "reports", "app", "cli"
)  # fmt: skip
IO_LIBRARIES = (
    "aiohttp",
    "botbuilder",
    "botframework",
    "sqlalchemy",
    "alembic",
    "msgraph",
    "azure",
    "apscheduler",
    "matplotlib",
    "prometheus_client",
)


@dataclass(frozen=True)
class Violation:
    """One import that breaks a rule: where, what, and which rule."""

    module: str
    imported: str
    rule: str


def module_name(root: Path, path: Path) -> str:
    """The dotted module name of a file under root."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[str]:
    """Every absolute module a file imports, with `from a import b` also giving `a.b`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def capabilities(root: Path) -> list[str]:
    """The capability packages of the domain and of the store: rkk/<name>/ and rkk/store/<name>/."""
    found = []
    for base in (root / "rkk", root / "rkk" / "store"):
        for init in sorted(base.glob("*/__init__.py")):
            if init.parent.name not in ("store", "migrations"):
                found.append(module_name(root, init))
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(root: Path) -> list[Violation]:
    """Every import in the production code that breaks one of the layout's rules."""
    caps = capabilities(root)
    files = [p for top in PRODUCTION for p in ([root / top] if top.endswith(".py") else (root / top).rglob("*.py"))]
    found = []
    for path in files:
        if not path.exists() or "migrations" in path.parts:
            continue
        me = module_name(root, path)
        for imported in imports_of(path):
            top = imported.split(".")[0]
            if _within(me, "rkk") and top in OUTER_LAYERS:
                found.append(Violation(me, imported, "the domain imports no outer layer"))
            if _within(me, "rkk") and not _within(me, "rkk.store") and top in IO_LIBRARIES:
                found.append(Violation(me, imported, "only rkk/store/ talks to I/O libraries"))
            if _within(me, "rkk") and not _within(me, "rkk.store") and _within(imported, "rkk.store"):
                found.append(Violation(me, imported, "the domain does not import its adapters"))
            for cap in caps:
                # `from rkk.rounds import post` also yields "rkk.rounds.post": only a real submodule counts
                if imported.startswith(cap + ".") and not _within(me, cap) and _is_module(root, imported):
                    found.append(Violation(me, imported, f"outside {cap}, import only its public names"))
            if _is_core(root, path) and any(_within(imported, cap) for cap in caps):
                found.append(Violation(me, imported, "the core imports no capability"))
    return found


def _is_module(root: Path, dotted: str) -> bool:
    base = root / dotted.replace(".", "/")
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _is_core(root: Path, path: Path) -> bool:
    return path.parent == root / "rkk" and path.name != "__init__.py"


def test_the_source_tree_follows_the_import_rules() -> None:
    """No production module imports across the layers or into another capability's internals."""
    assert violations(ROOT) == []


def test_capabilities_are_found_in_domain_and_store() -> None:
    """The rules cover every capability folder, in the domain and in the store."""
    caps = capabilities(ROOT)
    assert {"rkk.rounds", "rkk.answers", "rkk.crosspost", "rkk.themes"} <= set(caps)
    assert {"rkk.store.rounds", "rkk.store.crosspost", "rkk.store.answers"} <= set(caps)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


LAYOUT = {
    "rkk/__init__.py": "",
    "rkk/model.py": "",
    "rkk/store/__init__.py": "",
    "rkk/store/sql.py": "import sqlalchemy\n",
    "rkk/rounds/__init__.py": "from rkk.rounds.posting import post\n",
    "rkk/rounds/posting.py": "from rkk.model import Round\n",
    "rkk/answers/__init__.py": "",
    "rkk/answers/by_card.py": "from rkk.rounds import post\n",
    "bot/__init__.py": "",
    "bot/handler.py": "from rkk.rounds import post\nimport botbuilder\n",
}


@pytest.mark.parametrize(
    ("file", "text", "rule"),
    [
        ("rkk/answers/by_card.py", "from rkk.rounds.posting import post\n", "outside rkk.rounds"),
        ("bot/handler.py", "from rkk.rounds.posting import post\n", "outside rkk.rounds"),
        ("rkk/answers/by_card.py", "from bot.handler import x\n", "no outer layer"),
        ("rkk/answers/by_card.py", "import aiohttp\n", "I/O libraries"),
        ("rkk/answers/by_card.py", "from sqlalchemy import select\n", "I/O libraries"),
        ("rkk/answers/by_card.py", "from rkk.store.sql import x\n", "adapters"),
        ("rkk/model.py", "from rkk.rounds import post\n", "core imports no capability"),
        ("rkk/answers/by_card.py", "from scheduler import weekly\n", "no outer layer"),
    ],
)
def test_each_rule_catches_its_violation(tmp_path: Path, file: str, text: str, rule: str) -> None:
    """A tree with one forbidden import is reported, naming the broken rule."""
    root = _tree(tmp_path, {**LAYOUT, file: text})
    found = violations(root)
    assert any(rule in v.rule for v in found), found


def test_a_tree_that_follows_the_rules_has_no_violations(tmp_path: Path) -> None:
    """Public names across capabilities, SQLAlchemy in the store and botbuilder in bot/ are allowed."""
    assert violations(_tree(tmp_path, LAYOUT)) == []
