"""`onestop serve`: load the model and open the index first, then start the Streamlit app.

Streamlit runs `app.py` only when a browser session starts, so without this the first user
after a server start waits for PyTorch and the model. The pipeline is built here, in the
server process, into the same `st.cache_resource` the pages use, so the first question of the
first session answers as fast as later ones.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from onestop.config import Settings
from onestop.errors import OneStopError

APP = Path(__file__).resolve().parents[1] / "app.py"


def warm(settings: Settings) -> float:
    """Build the shared pipeline (model, index, card matrix) before any session; seconds taken."""
    from onestop.ui.common import get_pipeline

    started = time.perf_counter()
    pipeline = get_pipeline(settings)
    pipeline.warm_up()
    return time.perf_counter() - started


def serve(port: int, address: str) -> None:
    """Warm the pipeline, then run the app with Streamlit in this process (blocks until stopped)."""
    settings = Settings.from_env()
    print("onestop: loading the guidance (model and index)…", file=sys.stderr, flush=True)
    try:
        seconds = warm(settings)
        print(f"onestop: guidance loaded in {seconds:.1f} s", file=sys.stderr, flush=True)
    except OneStopError as exc:  # e.g. no index yet: the app itself explains what to do
        print(f"onestop: {exc}", file=sys.stderr, flush=True)
    from streamlit.web import cli as streamlit_cli

    sys.argv = ["streamlit", "run", str(APP), "--server.port", str(port), "--server.address", address]
    streamlit_cli.main()
