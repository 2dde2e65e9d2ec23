"""Reliability: bad corpus files, crashes mid-ingest, concurrent askers, ingest while asking."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from onestop.ingest import ingest, load_manifest, manifest_chunk_ids
from onestop.pipeline import open_pipeline
from onestop.store import VectorStore

pytestmark = pytest.mark.slow
REPO = Path(__file__).parents[1]
GOOD_FRONT = (REPO / "tests" / "fixtures" / "corpus" / "getting-help.md").read_text(encoding="utf-8").split("# Who can help")[0]


def test_every_kind_of_bad_file_gets_a_reason_and_nothing_is_lost(built_index, corpus_dir: Path, embeddings) -> None:
    from pypdf import PdfWriter

    settings, first = built_index
    before = manifest_chunk_ids(load_manifest(settings))
    front = GOOD_FRONT.replace("Who can help employers", "{title}")

    def md(name: str, title: str, body: str = "## Part\n\nA sentence long enough to index here.\n") -> None:
        (corpus_dir / name).write_text(front.format(title=title) + body, encoding="utf-8")

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    with open(corpus_dir / "locked.pdf", "wb") as handle:
        writer.write(handle)
    blank = PdfWriter()
    blank.add_blank_page(200, 200)  # a page with no text layer, like a scan
    with open(corpus_dir / "scan.pdf", "wb") as handle:
        blank.write(handle)
    for pdf in ("locked", "scan"):
        (corpus_dir / f"{pdf}.meta.yaml").write_text((corpus_dir / "oh-guide.meta.yaml").read_text())
    (corpus_dir / "zero.md").write_bytes(b"")
    (corpus_dir / "empty-body.md").write_text(front.format(title="Empty body"))
    (corpus_dir / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (corpus_dir / "latin.md").write_bytes((front.format(title="Latin") + "## Caf\xe9\n\nText.\n").encode("latin-1"))
    with open(corpus_dir / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (corpus_dir / "huge.meta.yaml").write_text((corpus_dir / "oh-guide.meta.yaml").read_text())
    (corpus_dir / "malformed.md").write_text("---\ntitle: [oops\n---\n# Body\n")
    (corpus_dir / "unknown-topic.md").write_text(front.replace("[getting-help]", "[gardening]").format(title="Topic"))
    (corpus_dir / "copy of fit-notes.md").write_text((corpus_dir / "fit-notes.md").read_text())
    outside = corpus_dir.parent / "outside.md"
    md("../outside.md", "Outside")
    (corpus_dir / "escape.md").symlink_to(outside)
    md("spaces and ünïcödé name.md", "A good file with an unusual name")

    report = ingest(settings, embeddings=embeddings)
    reasons = {f["file"]: f["reason"] for f in report.failed}
    expected = {
        "locked.pdf": "password",
        "scan.pdf": "no text layer",
        "zero.md": "empty",
        "empty-body.md": "no text",
        "image.md": "binary",
        "latin.md": "not UTF-8",
        "huge.txt": "too large",
        "malformed.md": "not valid YAML",
        "unknown-topic.md": "unknown topic",
        "escape.md": "outside the corpus",
    }
    for name, words in expected.items():
        assert words in reasons.get(name, ""), (name, reasons.get(name))
    duplicate = {"copy of fit-notes.md", "fit-notes.md"} & set(reasons)
    assert duplicate and "same content as" in reasons[duplicate.pop()]
    assert [r for r in reasons.values() if "\n" in r or len(r) > 200] == []
    assert report.added == ["spaces and ünïcödé name.md"]
    assert before <= manifest_chunk_ids(load_manifest(settings)) == VectorStore(settings, embeddings).ids()


CRASHING_INGEST = """
import os, signal, sys
from onestop import ingest as ing
from onestop.config import Settings

kill_after, mode = int(sys.argv[1]), sys.argv[2]
ing.EMBED_BATCH = 1  # so each kill point is a different number of written chunks
if mode == "embed":
    def progress(done, total):
        if done >= kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
    ing.ingest(Settings.from_env(), progress=progress)
else:
    from onestop.store import Catalog
    write = Catalog.write
    def write_then_die(self, manifest):
        write(self, manifest)
        os.kill(os.getpid(), signal.SIGKILL)
    Catalog.write = write_then_die
    ing.ingest(Settings.from_env())
"""


@pytest.mark.parametrize(
    ("kill_after", "mode"),
    [(1, "embed"), (2, "embed"), (3, "embed"), (0, "after-manifest")],
)
def test_killed_ingest_keeps_the_last_good_state_and_the_next_run_repairs(
    built_index, corpus_dir: Path, embeddings, kill_after: int, mode: str
) -> None:
    settings, _ = built_index
    committed = manifest_chunk_ids(load_manifest(settings))
    for path in corpus_dir.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(".\n\n", ". Revised in November.\n\n"), encoding="utf-8")
    env = {**os.environ, "ONESTOP_CORPUS_DIR": str(corpus_dir), "ONESTOP_INDEX_DIR": str(settings.index_dir)}
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_INGEST, str(kill_after), mode], env=env, cwd=REPO, capture_output=True, timeout=300
    )
    assert result.returncode == -9, result.stderr.decode()[-2000:]

    pipeline = open_pipeline(settings, embeddings)  # a new app process after the crash
    answer = pipeline.ask("Who pays for Access to Work?")
    assert not answer.refused and answer.citations[0].chunk.source_file == "access-to-work.md"
    live = manifest_chunk_ids(load_manifest(settings))
    assert {c.chunk.id for c in answer.citations} <= live
    if mode == "embed":
        assert live == committed  # nothing committed: the previous state is what askers see

    report = ingest(settings, embeddings=embeddings)
    assert report.ok or {f["file"] for f in report.failed} == {"bad-front-matter.md", "broken.pdf"}
    ids = VectorStore(settings, embeddings).ids()
    assert ids == manifest_chunk_ids(load_manifest(settings))  # no orphans, nothing missing
    assert len(VectorStore(settings, embeddings).vectors(sorted(ids))) == len(ids)  # every vector readable
    assert ingest(settings, embeddings=embeddings).embedded == 0


QUESTIONS = [
    "Who pays for Access to Work?",
    "How much is Statutory Sick Pay?",
    "Who can issue a fit note?",
    "What is the Acas helpline number?",
    "Can my employee come back before the fit note ends?",
]


def test_twenty_concurrent_askers_get_the_single_threaded_answers(shared_pipeline) -> None:
    expected = {q: shared_pipeline.ask(q).text for q in QUESTIONS}
    deadline = time.monotonic() + 20

    def asker(number: int) -> list[tuple[str, str]]:
        seen = []
        while time.monotonic() < deadline and len(seen) < 4:
            question = QUESTIONS[(number + len(seen)) % len(QUESTIONS)]
            seen.append((question, shared_pipeline.ask(question).text))
        return seen

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = [pair for batch in pool.map(asker, range(20)) for pair in batch]
    assert len(results) >= 20
    assert all(text == expected[question] for question, text in results)


def test_askers_never_see_an_error_or_empty_result_while_ingest_runs(built_index, corpus_dir: Path, embeddings) -> None:
    settings, _ = built_index
    pipeline = open_pipeline(settings, embeddings)
    problems: list[str] = []
    stop = threading.Event()

    def asker() -> None:
        while not stop.is_set():
            try:
                answer = pipeline.ask("Who pays for Access to Work?")
                if answer.refused or not answer.citations:
                    problems.append("empty answer")
            except Exception as exc:  # the test's whole point is that none happen
                problems.append(repr(exc))

    threads = [threading.Thread(target=asker) for _ in range(6)]
    for thread in threads:
        thread.start()
    try:
        for round_number in range(3):
            for path in corpus_dir.glob("*.md"):
                path.write_text(
                    path.read_text(encoding="utf-8") + f"\n\nRevision {round_number} note for editors.\n", encoding="utf-8"
                )
            ingest(settings, embeddings=embeddings)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert problems == []


ASKING_PROCESS = """
import json, sys
from pathlib import Path
from onestop.pipeline import open_pipeline
stop = Path(sys.argv[1])
pipeline = open_pipeline()  # a long-lived pipeline, as the app holds one in st.cache_resource
print("ready", flush=True)
asked, wrong = 0, []
while not stop.exists() or asked == 0:
    answer = pipeline.ask("Who pays for Access to Work?")
    asked += 1
    if answer.refused or not answer.citations or answer.citations[0].chunk.source_file != "access-to-work.md":
        wrong.append(answer.text[:200])
    print("answered", flush=True)
print(json.dumps({"asked": asked, "wrong": wrong, "generation": pipeline.retriever.store.generation}), flush=True)
"""


def test_a_running_pipeline_in_another_process_survives_rebuilds_and_ingests(
    built_index, corpus_dir: Path, embeddings, tmp_path: Path
) -> None:
    import json

    settings, _ = built_index
    stop = tmp_path / "stop"
    env = {**os.environ, "ONESTOP_CORPUS_DIR": str(corpus_dir), "ONESTOP_INDEX_DIR": str(settings.index_dir)}
    asker = subprocess.Popen(
        [sys.executable, "-c", ASKING_PROCESS, str(stop)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert asker.stdout.readline().strip() == "ready", asker.stderr.read()[-2000:]

        def after_an_answer() -> None:  # interleave: each index change lands between or during answers
            assert asker.stdout.readline().strip() == "answered", asker.stderr.read()[-2000:]

        after_an_answer()
        assert ingest(settings, rebuild=True, embeddings=embeddings).ok is False  # the fixture's two bad files still fail
        after_an_answer()
        path = corpus_dir / "statutory-sick-pay.md"
        path.write_text(path.read_text(encoding="utf-8").replace("28 weeks", "twenty-eight weeks"), encoding="utf-8")
        assert ingest(settings, embeddings=embeddings).updated == ["statutory-sick-pay.md"]
        after_an_answer()
        ingest(settings, rebuild=True, embeddings=embeddings)
        after_an_answer()
        after_an_answer()
    finally:
        stop.touch()
        out, err = asker.communicate(timeout=120)
    assert asker.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["asked"] >= 5 and result["wrong"] == []
    assert result["generation"] == load_manifest(settings)["generation"] == 3  # built, rebuilt, rebuilt
    assert VectorStore(settings, embeddings).ids() == manifest_chunk_ids(load_manifest(settings))


def test_a_damaged_manifest_is_an_error_that_says_how_to_repair_it(built_index, embeddings, monkeypatch, capsys) -> None:
    from conftest import damage_manifest

    from onestop.cli import main
    from onestop.errors import IndexDamaged

    settings, _ = built_index
    damage_manifest(settings, '{"files": ')  # a half-written manifest
    with pytest.raises(IndexDamaged, match="onestop ingest --rebuild"):
        open_pipeline(settings, embeddings)
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(settings.index_dir))
    assert main(["ask", "Who pays for Access to Work?"]) == 1
    assert "damaged" in capsys.readouterr().err
    report = ingest(settings, embeddings=embeddings)  # an ingest starts again from the corpus
    assert report.chunks > 0 and not open_pipeline(settings, embeddings).ask("Who pays for Access to Work?").refused


def test_one_ingest_at_a_time_also_across_machines_sharing_a_store(built_index, embeddings) -> None:
    from onestop.errors import StoreError
    from onestop.store import Catalog

    settings, _ = built_index
    catalog = Catalog(settings)
    catalog._collection.upsert(  # a lease taken a moment ago by an ingest on another machine
        ids=["ingest-lease"],
        documents=[""],
        embeddings=[[0.0]],
        metadatas=[{"owner": "elsewhere:1:abc", "host": "another-machine", "pid": 1, "renewed": time.time()}],
    )
    with pytest.raises(StoreError, match="Another ingest is running"):
        ingest(settings, embeddings=embeddings)
    catalog.release_lease("elsewhere:1:abc")
    assert ingest(settings, embeddings=embeddings).chunks > 0  # free again
    catalog._collection.upsert(  # a lease nobody renewed for longer than the limit is taken over
        ids=["ingest-lease"],
        documents=[""],
        embeddings=[[0.0]],
        metadatas=[{"owner": "elsewhere:1:abc", "host": "another-machine", "pid": 1, "renewed": time.time() - 3600}],
    )
    assert ingest(settings, embeddings=embeddings).chunks > 0
