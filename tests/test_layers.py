"""The layers of docs/ARCHITECTURE.md, kept by reading every import of every module
(those inside functions too, which Python only runs later).

core is the ground floor: it imports no other package of the project, and the apps plug
into it through registries filled in their AppConfig.ready(). microsoft (the clients of
Microsoft's services) sits right above core, below the apps. privacy and demo sit on top:
no app imports them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's own packages: every top-level directory that is a Python package.
PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))
APPS = ["cities", "vendors", "notifications", "meetings", "outcomes", "reports", "buyers"]
ON_TOP = ["privacy", "demo"]
MICROSOFT = "microsoft"


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def _imported(path: Path, root: Path = ROOT) -> set[str]:
    """Every module `path` imports, anywhere in it, with relative imports resolved."""
    package = list(path.relative_to(root).parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            # `from . import views` imports a module too.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _top_level(module: str) -> str:
    return module.split(".")[0]


def _imports_into(package: str, forbidden: set[str]) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules(package)
        for module in _imported(path)
        if _top_level(module) in forbidden
    )


def test_the_packages_are_found():
    assert {"core", MICROSOFT, *APPS, *ON_TOP} <= set(PACKAGES)


def test_core_imports_no_other_package_of_the_project():
    assert _imports_into("core", set(PACKAGES) - {"core"}) == []


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_privacy_or_demo(app):
    assert _imports_into(app, set(ON_TOP)) == []


def test_microsoft_builds_on_core_alone():
    """The Microsoft clients (sign-in, Graph, Teams) serve the apps and import none."""
    assert _imports_into(MICROSOFT, set(PACKAGES) - {MICROSOFT, "core"}) == []


def test_cities_builds_on_core_alone():
    """The sister cities are the first app above core: their admin's file widget is core's."""
    assert _imports_into("cities", set(PACKAGES) - {"cities", "core"}) == []


def test_meetings_imports_neither_outcomes_nor_reports():
    """Outcomes and reports are built on sessions; the session page shows their panels
    through meetings.panels."""
    assert _imports_into("meetings", {"outcomes", "reports"}) == []


def test_outcomes_figures_and_selectors_do_not_import_each_other():
    selectors = ROOT / "outcomes" / "selectors.py"
    assert "outcomes.figures" not in _imported(selectors)


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    probe = tmp_path / "core" / "probe.py"
    probe.parent.mkdir()
    probe.write_text(
        "from .audit import save_audited\n"
        "def f():\n"
        "    from vendors.models import Vendor\n"
        "    import cities\n"
        "    from ..outcomes import figures\n"
    )
    assert _imported(probe, root=tmp_path) >= {
        "core.audit",
        "vendors.models",
        "cities",
        "outcomes",
        "outcomes.figures",
    }


def test_notifications_builds_on_core_and_the_vendor_registry_alone():
    """The outbox serves meetings and outcomes: they register their messages with it."""
    imported = {_top_level(m) for path in _modules("notifications") for m in _imported(path)} & set(
        PACKAGES
    )
    assert imported <= {"notifications", "core", "vendors"}


def test_no_app_below_imports_buyers():
    """The showcase and the leads sit above sessions, cities and vendors: those reach it
    through registries (the invitation's hooks), never by importing it."""
    for app in ["cities", "vendors", "notifications", "meetings", "outcomes", "reports"]:
        assert _imports_into(app, {"buyers"}) == []


def test_buyers_builds_on_core_cities_vendors_meetings_notifications_and_outcomes():
    """buyers sits above outcomes: it hands its confirmed leads to the KPI through
    outcomes.kpi.register_contact_source."""
    imported = {_top_level(m) for path in _modules("buyers") for m in _imported(path)} & set(
        PACKAGES
    )
    assert imported <= {
        "buyers",
        "core",
        "cities",
        "vendors",
        "meetings",
        "notifications",
        "outcomes",
        "microsoft",  # the follow-up meeting's Teams backend, as meetings uses it
    }
