"""Scale-out: the same ingest and answers against a real Chroma server (`chroma run`)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from onestop.config import Settings
from onestop.ingest import ingest
from onestop.pipeline import open_pipeline

pytestmark = pytest.mark.slow
QUESTIONS = ["Who pays for Access to Work?", "How much is Statutory Sick Pay?", "Who can issue a fit note?"]


@pytest.fixture
def chroma_server(tmp_path: Path):
    """A real Chroma server on loopback, started and stopped by the test."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    log = open(tmp_path / "chroma.log", "w")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("chroma did not start: " + (tmp_path / "chroma.log").read_text()[-2000:])
    yield url
    process.terminate()
    process.wait(timeout=15)
    log.close()


def test_server_mode_gives_the_same_answers_as_the_embedded_store(
    chroma_server, shared_index, shared_pipeline, embeddings, tmp_path
) -> None:
    settings = Settings(corpus_dir=shared_index.corpus_dir, index_dir=tmp_path / "server-index", chroma_url=chroma_server)
    report = ingest(settings, embeddings=embeddings)
    assert report.ok and report.chunks == len(shared_pipeline.retriever.chunks)
    assert not (settings.chroma_dir).exists()  # vectors live on the server, not in a local folder
    served = open_pipeline(settings, embeddings)
    for question in QUESTIONS:
        assert served.ask(question).to_json() == shared_pipeline.ask(question).to_json()
    assert ingest(settings, embeddings=embeddings).embedded == 0


def test_replicas_sharing_a_server_share_the_manifest_and_refresh_bm25(chroma_server, corpus_dir, embeddings, tmp_path) -> None:
    first = Settings(corpus_dir=corpus_dir, index_dir=tmp_path / "replica-1", chroma_url=chroma_server)
    second = Settings(corpus_dir=corpus_dir, index_dir=tmp_path / "replica-2", chroma_url=chroma_server)
    ingest(first, embeddings=embeddings)
    replicas = [open_pipeline(first, embeddings), open_pipeline(second, embeddings)]  # no local manifest on replica 2
    path = corpus_dir / "access-to-work.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n## Zebra crossings\n\nZebrafinch grants cover zebra crossings outside the office.\n",
        encoding="utf-8",
    )
    report = ingest(second, embeddings=embeddings)  # an editor ingests through the other replica
    assert report.updated == ["access-to-work.md"] and report.embedded >= 1
    for pipeline in replicas:
        found = pipeline.retriever.lexical("zebrafinch grants", 3)
        assert found and "Zebrafinch" in found[0].chunk.text  # BM25 was refreshed from the shared manifest
    path.unlink()
    ingest(first, embeddings=embeddings)
    for pipeline in replicas:
        assert all(f.chunk.source_file != "access-to-work.md" for f in pipeline.retriever.lexical("zebrafinch grants", 3))
