"""`onestop serve` warms the same pipeline cache the pages use, before any browser session."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_warming_fills_the_cache_the_pages_use(shared_index, monkeypatch) -> None:
    import onestop.ui.common as common
    from onestop.serve import warm

    opened = []
    real_open = common.open_pipeline
    monkeypatch.setattr(common, "open_pipeline", lambda settings: opened.append(settings) or real_open(settings))
    common.get_pipeline.clear()
    assert warm(shared_index) >= 0
    pipeline = common.get_pipeline(shared_index)  # what the first session's page gets
    assert len(opened) == 1 and pipeline.retriever.cards is not None  # built once, before the session
    common.get_pipeline.clear()


def test_serve_still_starts_the_app_when_there_is_no_index_streamlit_replaced_by_a_recorder(
    tmp_path, monkeypatch, capsys
) -> None:
    import onestop.serve as serve

    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(tmp_path / "none"))
    started = []
    monkeypatch.setattr("streamlit.web.cli.main", lambda: started.append(True))
    serve.serve(8599, "127.0.0.1")
    assert started and "onestop ingest" in capsys.readouterr().err
