"""Dependencies run one way.

Each package imports only from its own layer and the layers below (README, "Layout"). Every import
counts, at module level and inside functions.
"""
import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Lowest first. A package may import from its own layer and the layers below, never above.
LAYERS = [
    {"timeutil", "config", "i18n", "inputs", "logs"},  # inputs: what a client may send
    {"extensions"},
    {"storage"},  # stored files: a local folder or the database (app/storage/__init__.py)
    {"errors"},
    {"web", "forms", "idempotency"},  # the request edge, the base form, create-once tokens
    {"auth", "units"},  # a user belongs to a unit; units are administered by admins
    {"settings", "docpage"},  # domain numbers as data; read by every feature above (and
    # the page of every .docx: its margins are settings)
    {"events"},
    {"press"},
    {"checklists"},
    {"spokespeople"},
    {"training"},  # courses, quotas, nominations, attendance, records, coverage
    {"feeds"},
    {"notifications"},
    {"monitoring"},  # press monitoring cases: notifies through notifications (guards)
    {"oversight"},  # reads every feature: figures, the periodic report, standing alerts
    {"imports"},  # events from spreadsheets, partners' calendars into programmes
    {"api"},  # the JSON API: calls every feature's services
    {"app", "main", "navigation", "demo", "cli", "models", "backup",  # the application: wires features
     "headers", "gunicorn_conf", "gunicorn_logging"},
]
LAYER_OF = {name: index for index, layer in enumerate(LAYERS) for name in layer}

# Pure modules: no Flask, no database, and only other pure modules of the app.
PURE = {"app.checklists.rules", "app.checklists.schedule", "app.events.vocabulary",
        "app.inputs", "app.spokespeople.vcard"}
IMPURE_LIBRARIES = ("flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy",
                    "sqlalchemy", "werkzeug", "wtforms")


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: use absolute imports"
            if node.module == "app":  # from app import cli, create_app: modules or app itself
                found += [(f"app.{alias.name}" if _is_module(alias.name) else "app", node.lineno)
                          for alias in node.names]
            else:
                found.append((node.module, node.lineno))
    return found


def _is_module(name: str) -> bool:
    return (APP / f"{name}.py").exists() or (APP / name).is_dir()


def _package(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "app":
        return None
    return parts[1] if len(parts) > 1 else "app"


FILES = sorted(APP.rglob("*.py"))


def test_every_package_has_a_layer():
    packages = {_package(_module_name(path)) for path in FILES}
    assert packages <= LAYER_OF.keys(), f"add to LAYERS: {packages - LAYER_OF.keys()}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(APP.parent)))
def test_imports_follow_the_layers(path):
    source = _package(_module_name(path))
    wrong = []
    for module, line in _imports(path):
        target = _package(module)
        if target is not None and LAYER_OF[target] > LAYER_OF[source]:
            wrong.append(f"line {line}: {source} imports {module} (a higher layer)")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("module", sorted(PURE))
def test_pure_modules_import_neither_flask_nor_the_database(module):
    path = APP.parent / (module.replace(".", "/") + ".py")
    for imported, line in _imports(path):
        assert not imported.startswith(IMPURE_LIBRARIES), f"{module}:{line} imports {imported}"
        if imported.startswith("app"):
            assert imported in PURE, f"{module}:{line} imports {imported}, which is not pure"


def test_the_checklists_press_circle_is_gone():
    """Press is below checklists: nothing in press imports checklists."""
    for path in (APP / "press").rglob("*.py"):
        assert not [m for m, _line in _imports(path) if m.startswith("app.checklists")], path
