"""First answer after a server start, in a real browser: `onestop serve` (warmed) vs plain `streamlit run`.

    .venv/bin/python benchmarks/first_answer.py

For each way of starting the app: start the server, open Debian's Chromium, ask the first
question of the first session, then a second question in the same session (warm). The figure
that matters is the ratio first / warm: about 1 when the server loads the guidance before the
first session. Needs a built index (`onestop ingest`). Results go to stdout and reports/first-answer.md.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
QUESTIONS = ("How much is Statutory Sick Pay?", "Who pays for Access to Work?")
STARTS = {
    "streamlit run app.py (cold)": [sys.executable, "-m", "streamlit", "run", "app.py"],
    "onestop serve (warmed)": [sys.executable, "-m", "onestop.cli", "serve"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str], port: int) -> subprocess.Popen:
    """Start the server and wait until it answers its health check (and, if warming, has warmed)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen(
        command + ["--server.port" if "streamlit" in command else "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server did not start: {' '.join(command)}")


def answer_seconds(page, question: str, number: int) -> float:
    """Seconds from pressing Enter to the answer's sources being shown."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=120_000)
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    page.get_by_text("Sources", exact=True).nth(number).wait_for(timeout=180_000)
    return time.perf_counter() - started


def main() -> None:
    """Measure both ways of starting the app and print the table."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for label, command in STARTS.items():
            port = free_port()
            server = start(command, port)
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}", wait_until="domcontentloaded")
                first = answer_seconds(page, QUESTIONS[0], 0)
                warm = answer_seconds(page, QUESTIONS[1], 1)
                rows.append((label, first, warm))
                page.close()
            finally:
                server.terminate()
                server.wait(timeout=30)
        browser.close()
    lines = [
        f"First answer after a server start, {dt.date.today():%d %B %Y}, real Chromium, {os.cpu_count()} cores",
        "",
        "| start | first question of the first session (s) | warm question (s) | first / warm |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {label} | {first:.2f} | {warm:.2f} | {first / warm:.1f}× |" for label, first, warm in rows]
    report = "\n".join(lines)
    print(report)
    (REPO / "reports").mkdir(exist_ok=True)
    (REPO / "reports" / "first-answer.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
