"""End-to-end: `streamlit run app.py` driven by Debian's headless Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]
REPO = Path(__file__).parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(corpus_index, tmp_path: Path):
    """The real app on 127.0.0.1, over the real corpus index."""
    port = free_port()
    env = {**os.environ, "ONESTOP_CORPUS_DIR": str(corpus_index.corpus_dir), "ONESTOP_INDEX_DIR": str(corpus_index.index_dir)}
    log = open(tmp_path / "streamlit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not become healthy: " + (tmp_path / "streamlit.log").read_text())
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)")
def test_question_in_a_real_browser_shows_a_cited_answer(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        page.goto(server, wait_until="domcontentloaded")
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(timeout=60_000)
        box.fill("My employee has a fit note saying they may be fit for work with a phased return - what do I do?")
        box.press("Enter")
        page.get_by_text("Sources", exact=True).wait_for(timeout=90_000)
        link = page.locator("a[href^='https://']").filter(has_text="Official page").first
        link.wait_for(timeout=10_000)
        assert link.get_attribute("href").startswith("https://")
        body = page.inner_text("body")
        assert "[1]" in body and "phased return" in body.lower()
        page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)
        browser.close()
    assert (tmp_path / "answer.png").stat().st_size > 10_000
