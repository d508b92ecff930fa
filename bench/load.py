"""Load test of the dashboard: concurrent sessions on localhost, bounded in count and time.

Starts ``streamlit run app.py`` on a free localhost port, opens ``--sessions`` (default 20)
Streamlit sessions at once over the app's own WebSocket protocol (what the browser speaks,
without a browser per session), each with one of a few URL variants, and waits until every
script run has finished or ``--timeout`` seconds have passed. Then it stops the server.

For each session it checks that the map component arrived and that no exception or
"Something went wrong" message was sent; it prints the time each session took and the
server's peak resident memory (``VmHWM``), and returns 1 if any session failed.

    .venv/bin/python bench/load.py [--sessions 20] [--timeout 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
#: URL variants the sessions cycle through (the default view and three changed ones).
VARIANTS = ("", "atacms=165,250", "taurus=400", "date=2024-08-20")
MAX_SESSIONS = 50
_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
MAX_TIMEOUT_S = 900.0


@dataclass
class Session:
    """What one session received."""

    query: str
    seconds: float = 0.0
    finished: bool = False
    map_seen: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the run finished with the map and no error."""
        return self.finished and self.map_seen and not self.problems


def main(argv: list[str] | None = None) -> int:
    """Run the load test; print one line per session and a summary; 0 if all passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    sessions = max(1, min(args.sessions, MAX_SESSIONS))
    timeout = max(10.0, min(args.timeout, MAX_TIMEOUT_S))
    port = _free_port()
    server = _start(port)
    try:
        _wait_healthy(port, server, timeout=120.0)
        baseline = _rss_kb(server.pid, "VmRSS")
        start = time.perf_counter()
        results = asyncio.run(_all(port, sessions, timeout))
        wall = time.perf_counter() - start
        peak = _rss_kb(server.pid, "VmHWM")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return _report(results, wall=wall, baseline_kb=baseline, peak_kb=peak)


async def _all(port: int, count: int, timeout: float) -> list[Session]:
    sessions = [Session(VARIANTS[i % len(VARIANTS)]) for i in range(count)]
    tasks = [asyncio.wait_for(_one(port, s), timeout) for s in sessions]
    for session, outcome in zip(
        sessions, await asyncio.gather(*tasks, return_exceptions=True), strict=True
    ):
        if isinstance(outcome, BaseException):
            session.problems.append(f"{type(outcome).__name__}: {outcome}"[:200])
    return sessions


async def _one(port: int, session: Session) -> None:
    """Open one session, ask for a script run and read until it has finished."""
    start = time.perf_counter()
    uri = f"ws://127.0.0.1:{port}/_stcore/stream"
    async with websockets.connect(uri, subprotocols=["streamlit"], max_size=None) as ws:
        back = BackMsg()
        back.rerun_script.query_string = session.query
        await ws.send(back.SerializeToString())
        async for raw in ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            _inspect(msg, session)
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished != _RERUN:
                session.finished = True
                break
    session.seconds = time.perf_counter() - start


def _inspect(msg: ForwardMsg, session: Session) -> None:
    """Record the map component and any exception or error message of one message."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "component_instance" and "folium" in element.component_instance.component_name:
        session.map_seen = True
    elif kind == "exception":
        session.problems.append(f"exception: {element.exception.message[:120]}")
    elif kind == "alert" and "Something went wrong" in element.alert.body:
        session.problems.append(f"error: {element.alert.body[:120]}")


def _report(results: list[Session], *, wall: float, baseline_kb: int, peak_kb: int) -> int:
    for i, s in enumerate(results):
        status = "ok" if s.ok else "FAILED " + "; ".join(s.problems or ["no map"])
        print(f"session {i + 1:2d} ?{s.query or '(default)':24s} {s.seconds:6.1f} s  {status}")
    good = sum(s.ok for s in results)
    times = sorted(s.seconds for s in results if s.finished)
    median = times[len(times) // 2] if times else float("nan")
    print(f"\n{good}/{len(results)} sessions got their map with no server error")
    slowest = max(times or [0.0])
    print(f"wall time {wall:.1f} s; per session median {median:.1f} s, max {slowest:.1f} s")
    print(f"server RSS: {baseline_kb / 1024:.0f} MB idle -> peak {peak_kb / 1024:.0f} MB")
    return 0 if good == len(results) else 1


def _start(port: int, *, app: Path = ROOT / "app.py") -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _wait_healthy(port: int, server: subprocess.Popen[bytes], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"streamlit did not start within {timeout:.0f} s")


def _rss_kb(pid: int, field_name: str) -> int:
    """Return ``VmRSS`` (now) or ``VmHWM`` (peak) of a process in kB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    raise SystemExit(main())
