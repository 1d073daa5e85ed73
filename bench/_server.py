"""Start a real server process on a temporary data directory, for benchmarks that go over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bench_env(data_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PLATAFORMA_DATA_DIR"] = str(data_dir)
    env.pop("PLATAFORMA_DATABASE_URL", None)
    if database_url:
        env["PLATAFORMA_DATABASE_URL"] = database_url
    env.update(extra)
    return env


def provision(env: dict[str, str], agency: str = "BENCH") -> str:
    """Create the benchmark agency and an API key in the store; return the key."""
    code = (
        "from plataforma.context import Platform\n"
        "from plataforma.records.service import RecordService\n"
        "from plataforma.security.identity import create_api_key\n"
        "from plataforma.security.principal import LOCAL_ADMIN, Role\n"
        "p = Platform.open()\n"
        f"RecordService(p).submit(LOCAL_ADMIN, 'agency', {{'source_ref': '{agency}', "
        f"'agency': '{agency}', 'name': 'Bench', 'level': 'federal', 'kind': 'police'}})\n"
        "with p.engine.begin() as c:\n"
        f"    print(create_api_key(c, 'bench', '{agency}', [Role.RECORDS_CLERK]))\n"
        "p.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


@contextmanager
def running_server(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "plataforma.web.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded machine starts slowly
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


@contextmanager
def temp_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="plataforma-bench-") as name:
        yield Path(name)
