"""What the load benchmarks share: `nichely serve` on a free local port, answering before use."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 120) -> None:
    """Poll `url` until it answers 200 (workers import, migrate and warm up first), or give up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # A first search builds the speller and loads jieba, so allow a slow first answer.
            if httpx.get(url, timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("server did not become ready")


@contextmanager
def served(env: Mapping[str, str], workers: int, ready_path: str) -> Iterator[str]:
    """`nichely serve --workers N` on the store `env` names; yields its base URL once `ready_path`
    answers, and stops the server afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        Path(sys.executable).parent / "nichely",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(command, env=dict(env))
    try:
        wait_ready(f"{base}{ready_path}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
