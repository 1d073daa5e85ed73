"""Every audit event of a principal's act is built by ``AuditEvent.of``, nowhere by hand.

Built by hand, an event can forget the agency or the source address (it happened). The one
exception is a refused sign-in, which has no principal yet: only the name it claimed.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "plataforma"
ALLOWED = {("security/authn.py", "_login_refused")}


def hand_built(root: Path = SRC) -> set[tuple[str, str]]:
    """(module, enclosing function) of every ``AuditEvent(...)`` call under ``root``."""
    found: set[tuple[str, str]] = set()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "AuditEvent"
                ):
                    found.add((path.relative_to(root).as_posix(), function.name))
    return found


def test_only_the_refused_sign_in_builds_an_event_by_hand() -> None:
    assert hand_built() == ALLOWED


def test_the_check_finds_a_hand_built_event(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("def f(p):\n    return AuditEvent(p.username, 'A', 'read')\n")
    assert hand_built(tmp_path) == {("x.py", "f")}
