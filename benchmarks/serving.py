"""What the load benchmarks share: a free local port and waiting for `nichely serve` to answer."""

from __future__ import annotations

import socket
import time

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
