"""An open-loop HTTP load generator: requests leave on a fixed schedule, answered or not.

A closed-loop client (wrk, or N workers each waiting for its answer) sends less when the
server slows down, so its latencies hide the queue a real stream of officers would build
(coordinated omission). Here request ``i`` is due at ``start + i / rate``; its latency is
measured from that due time to the last byte of the answer, so time spent waiting for a free
connection or in the server's queue counts. HTTP/1.1 keep-alive over raw asyncio streams
(no client library on the path: at 1,000 requests/s the client must cost little of the two
cores it shares with the server); a new connection is opened whenever none is free.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

TIMEOUT = 10.0  # seconds: an answer later than this is an error


@dataclass
class Run:
    offered_per_s: float
    seconds: float
    latencies_ms: list[float]
    errors: int
    statuses: dict[int, int]

    @property
    def achieved_per_s(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:].strip())
    if length:
        await reader.readexactly(length)
    return status


async def _run(host: str, port: int, requests: Sequence[bytes], rate: float, seconds: float) -> Run:
    loop = asyncio.get_running_loop()
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    total = int(rate * seconds)

    async def one(i: int, due: float) -> None:
        nonlocal errors
        try:
            conn = idle.pop() if idle else await asyncio.open_connection(host, port)
            status = await asyncio.wait_for(_exchange(*conn, requests[i % len(requests)]), TIMEOUT)
        except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError):
            errors += 1
            if "conn" in locals():
                conn[1].close()
            return
        idle.append(conn)
        statuses[status] = statuses.get(status, 0) + 1
        if status != 200:
            errors += 1
        latencies.append((loop.time() - due) * 1000)

    start = loop.time() + 0.05
    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    for _, writer in idle:
        writer.close()
    return Run(rate, seconds, latencies, errors, statuses)


def open_loop(host: str, port: int, requests: Sequence[bytes], rate: float, seconds: float) -> Run:
    """Offer ``rate`` requests a second for ``seconds``, cycling through ``requests``."""
    started = time.perf_counter()
    run = asyncio.run(_run(host, port, requests, rate, seconds))
    run.seconds = max(seconds, time.perf_counter() - started - 0.05)
    return run


def post(path: str, body: bytes, headers: dict[str, str], host: str = "127.0.0.1") -> bytes:
    """One raw HTTP/1.1 POST request with a JSON body, ready to write on a connection."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
