"""Real `inspector-bot serve` processes for tests that need several of them (ordering, crashes):
started as subprocesses on one database and one Redis, stopped (or killed) by the test."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import httpx


def serve_env(database_url: str, redis_url: str, settings: dict) -> dict[str, str]:
    """The environment of a `serve` subprocess: this one's, without any INSPECTOR_BOT_* of the
    developer's, plus the database, Redis and the given settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_BOT_")}
    env.update({f"INSPECTOR_BOT_{k.upper()}": str(v) for k, v in settings.items()})
    env.update(INSPECTOR_BOT_DATABASE_URL=database_url, INSPECTOR_BOT_REDIS_URL=redis_url)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli() -> list[str]:
    found = shutil.which("inspector-bot", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "bot.cli"]


class Servers:
    """Two `inspector-bot serve` processes sharing one database and one Redis."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.procs: list[subprocess.Popen] = []
        self.urls: list[str] = []

    async def start(self, n: int = 2) -> None:
        for i in range(n):
            port = free_port()
            env = {**self.env, "INSPECTOR_BOT_MEDIA_DIR": str(self.cwd / f"media{i}")}
            log = open(self.cwd / f"serve{i}.log", "wb")
            self.procs.append(subprocess.Popen([*cli(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                               env=env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT))
            self.urls.append(f"http://127.0.0.1:{port}")
        async with httpx.AsyncClient(timeout=2) as http:
            for url, proc in zip(self.urls, self.procs):
                for _ in range(300):
                    assert proc.poll() is None, (self.cwd / "serve0.log").read_text(errors="replace")
                    try:
                        if (await http.get(f"{url}/healthz")).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    await asyncio.sleep(0.1)
                else:
                    raise AssertionError(f"{url} did not start")

    def kill(self, n: int) -> None:
        """kill -9 of process n: no shutdown, no cleanup, its locks and claims left behind."""
        self.procs[n].kill()
        self.procs[n].wait(10)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


