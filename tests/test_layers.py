"""The layers of the apps (README, «Layers»): an app imports only from its own layer's foundation
and from the layers below it. This test parses every module of every app (imports inside
functions included) and fails on an import against the layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. Apps in one layer may not import each other, except in the foundation.
LAYERS: list[set[str]] = [
    {"organisation", "reports"},  # the foundation: staff, scoping, calendar, deadlines; PDF
    {"recipients"},
    {"services"},
    {"patronage", "rehab_programs"},
    {"consilium"},
    {"orders"},
    {"reports.stats"},  # statistical reports and dashboards: they read every app
    {"search", "agenda"},  # reads across every app: the menu's search, the calendar
]
FOUNDATION = LAYERS[0]
APPS = set().union(*LAYERS)
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}

# The one declared exception: the registry of deadline kinds imports the `deadlines` module of
# every app (organisation.deadlines.kinds).
REGISTRY = ("organisation/deadlines.py", "deadlines")


def _modules() -> list[Path]:
    files = []
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or path.name == "demo.py":
                continue  # demo data is built through every app's actions, by a command on top
            files.append(path)
    return files


def _imports(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _app(dotted: str) -> str:
    """The layer unit of a module: its app, except `reports.stats`, which stands on top."""
    return "reports.stats" if dotted.startswith("reports.stats") else dotted.split(".")[0]


def violations(rel: str, source: str) -> list[str]:
    """Imports of the module at `rel` (e.g. "orders/actions.py") against the layers."""
    app = _app(rel.replace("/", "."))
    wrong = []
    for line, module in _imports(source):
        target = _app(module)
        if target not in APPS or target == app:
            continue
        if rel == REGISTRY[0] and module.split(".")[-1] == REGISTRY[1]:
            continue
        if LEVEL[target] < LEVEL[app]:
            continue
        if app in FOUNDATION and target in FOUNDATION:
            continue
        wrong.append(f"{rel}:{line} imports {module} ({app} may not import {target})")
    return wrong


def test_every_app_module_keeps_to_the_layers():
    wrong = [
        v
        for path in _modules()
        for v in violations(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
    ]
    assert wrong == []


def test_every_app_is_placed_in_a_layer():
    found = [*ROOT.glob("*/apps.py"), *ROOT.glob("*/*/apps.py")]
    apps = {p.parent.relative_to(ROOT).as_posix().replace("/", ".") for p in found}
    assert apps == APPS


@pytest.mark.parametrize(
    ("app", "source", "allowed"),
    [
        ("recipients", "from orders.models import Order\n", False),
        ("consilium", "def f():\n    from orders import actions\n", False),
        ("patronage", "import rehab_programs.models\n", False),
        ("orders", "from consilium.selectors import discharge_decision\n", True),
        ("organisation", "from reports.pdf import render_pdf\n", True),
        ("reports", "from reports.stats import selectors\n", False),
        ("reports/stats", "from orders.models import Order\n", True),
    ],
)
def test_the_check_catches_an_import_against_the_layers(app, source, allowed):
    """The check itself: an upward or sideways import is reported, a downward one is not."""
    assert (violations(f"{app}/probe.py", source) == []) is allowed
