"""Every setting changes something: each is read outside its own definition, and does."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import make_settings
from plataforma.context import Platform
from plataforma.settings import Settings

SRC = Path(__file__).resolve().parents[1] / "src" / "plataforma"


def _source_without_field_definitions() -> str:
    texts = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "settings.py" and path.parent == SRC:
            # the class body defines the fields; its properties and validators read them
            text = re.sub(r"^    \w+: .*= Field\($", "", text, flags=re.MULTILINE)
        texts.append(text)
    return "\n".join(texts)


def test_every_setting_is_read_somewhere() -> None:
    """Defect 9: PLATAFORMA_MAX_BATCH_RECORDS was documented and never read."""
    source = _source_without_field_definitions()
    unread = [name for name in Settings.model_fields if f".{name}" not in source]
    assert unread == []


def test_db_pool_size_sizes_the_sqlite_pool_too(tmp_path: Path) -> None:
    """Defect 9: SQLite ignored PLATAFORMA_DB_POOL_SIZE (a hard-coded 8)."""
    settings = make_settings(tmp_path).model_copy(update={"db_pool_size": 3})
    platform = Platform.open(settings)
    try:
        assert platform.engine.pool.size() == 3  # type: ignore[attr-defined]
    finally:
        platform.close()
