"""Browser-test harness: Debian's Chromium driven by Playwright, Streamlit apps on free ports.

Playwright cannot download its own browsers here, so the tests drive ``/usr/bin/chromium``
(installed by ``scripts/install_chromium.sh``, which ``make test`` runs). One browser serves
the whole session; each test gets a fresh context (its own cookies, storage and routes).
Screenshots go to ``test-output/`` (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Dialog,
    Page,
    Route,
    sync_playwright,
)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = ROOT / "test-output"
FIXTURE_MAP_APP = Path(__file__).with_name("fixture_map_app.py")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Seconds to wait for a Streamlit app to answer its health check.
STARTUP_TIMEOUT = 60.0
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder as a browser test."""
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Launch headless Chromium once per session (skip only if it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `sh scripts/install_chromium.sh` (make test does)")
    with sync_playwright() as playwright:
        # Playwright gives every launch a fresh temporary user data dir, removed on close.
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Return a page in a fresh browser context (its own cookies, storage and routes)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Return the (live) list of messages of the dialogs ``page`` opens; each is dismissed."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


@pytest.fixture
def block_network() -> Callable[[BrowserContext], list[str]]:
    """Return a function that aborts every non-localhost request of a browser context.

    The function returns the (live) list of URLs it blocked.
    """

    def install(context: BrowserContext) -> list[str]:
        blocked: list[str] = []

        def handle(route: Route) -> None:
            url = route.request.url
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        context.route("**/*", handle)
        return blocked

    return install


@pytest.fixture(scope="session")
def map_app_url() -> Iterator[str]:
    """Serve the fixture map app (synthetic layers) and return its URL."""
    with streamlit_app(FIXTURE_MAP_APP) as url:
        yield url


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Serve the real dashboard ``app.py`` and return its URL."""
    app = ROOT / "app.py"
    if not app.exists():
        pytest.fail(f"{app} does not exist")
    with streamlit_app(app) as url:
        yield url


@contextmanager
def streamlit_app(script: Path, *, timeout: float = STARTUP_TIMEOUT) -> Iterator[str]:
    """Run ``streamlit run script`` on a free localhost port; yield its URL; stop it after.

    Raises
    ------
    RuntimeError
        If the app does not answer ``/_stcore/health`` within ``timeout`` seconds (its
        output is included).
    """
    port = _free_port()
    python = ROOT / ".venv" / "bin" / "python"
    command = [
        str(python if python.exists() else Path(sys.executable)),
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    log = OUTPUT / f"streamlit-{script.stem}-{port}.log"
    OUTPUT.mkdir(exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process, timeout=timeout, log=log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Return a function saving a page's screenshot as ``test-output/<name>.png``."""

    def save(target: Page, name: str) -> Path:
        OUTPUT.mkdir(exist_ok=True)
        path = OUTPUT / f"{name}.png"
        target.screenshot(path=str(path), full_page=True)
        return path

    return save


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], *, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"streamlit did not start within {timeout:.0f} s:\n{log.read_text()}")
