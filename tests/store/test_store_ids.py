"""Record ids are RFC 9562 UUIDv7: unique, and ordered by creation within a process."""

from __future__ import annotations

import uuid

from plataforma.store.ids import uuid7


def test_ids_are_version_7_unique_and_ordered() -> None:
    ids = [uuid7() for _ in range(20_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    parsed = uuid.UUID(ids[-1])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert str(parsed) == ids[-1]
