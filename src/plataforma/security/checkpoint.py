"""The audit chain's head, kept outside the database so a rewrite of the database shows."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

Checkpoint = Path


def write_checkpoint(path: Checkpoint, seq: int, digest: str) -> None:
    """Atomically replace the checkpoint with the new head (write, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    payload = {"chain_seq": seq, "hash": digest, "at": datetime.now(UTC).isoformat()}
    with open(tmp, "w") as handle:
        json.dump(payload, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_checkpoint(path: Checkpoint) -> tuple[int, str] | None:
    if not path.exists():
        return None
    payload = json.loads(path.read_text())
    return int(payload["chain_seq"]), str(payload["hash"])
