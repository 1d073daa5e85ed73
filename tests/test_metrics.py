"""Counters live in a neutral module: no domain package imports the web layer."""

from __future__ import annotations

import ast
from pathlib import Path

import plataforma

DOMAIN = ("ingest", "records", "security", "store", "model", "synth")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_domain_module_imports_the_web_layer() -> None:
    root = Path(plataforma.__file__).parent
    offenders = [
        f"{path.relative_to(root)} imports {name}"
        for package in DOMAIN
        for path in (root / package).rglob("*.py")
        for name in _imports(path)
        if name == "plataforma.web" or name.startswith("plataforma.web.")
    ]
    assert offenders == []


def test_the_web_layer_renders_the_neutral_counters() -> None:
    from plataforma import metrics
    from plataforma.web import metrics as web_metrics

    assert web_metrics.REQUESTS is metrics.REQUESTS
    assert web_metrics.AUDIT_PENDING is metrics.AUDIT_PENDING
