"""Shared fixtures: a clean environment per test, the real model once per session, real Chroma indexes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from onestop.config import Settings
from onestop.embeddings import LocalEmbeddings
from onestop.ingest import IngestReport, ingest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parents[1]
PDF_TEXT = [
    "Occupational health advice for managers. An occupational health adviser can assess fitness for work.",
    "Referral forms need the employee's consent before you send them to the occupational health provider.",
]


def pytest_report_header(config) -> list[str]:
    """Print the versions that ran, so a failing CI log says what was under test."""
    from importlib.metadata import version

    names = ("chromadb", "langchain-core", "langchain-chroma", "sentence-transformers", "streamlit", "torch")
    return ["onestop stack: " + ", ".join(f"{n} {version(n)}" for n in names) + "; model all-MiniLM-L6-v2 (local)"]


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No ONESTOP_* setting leaks in from the developer's shell; every test gets its own index folder."""
    import os

    for name in list(os.environ):
        if name.startswith(("ONESTOP_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(tmp_path / "index"))
    # Never the repository's feedback/; one folder for the run, so the app's cached pipeline is shared.
    monkeypatch.setenv("ONESTOP_FEEDBACK_DIR", str(tmp_path_factory.getbasetemp() / "feedback"))


@pytest.fixture(scope="session")
def embeddings() -> LocalEmbeddings:
    """The real all-MiniLM-L6-v2 model, loaded once for the whole run."""
    return LocalEmbeddings()


def write_pdf(path: Path, pages: list[str]) -> None:
    """Write a real multi-page PDF with a text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


def make_corpus(root: Path, *, with_bad: bool = True) -> Path:
    """Copy the fixture corpus into `root`, add a real PDF with its sidecar, optionally the bad files."""
    corpus = root / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    shutil.copy(REPO / "corpus" / "glossary.yaml", corpus / "glossary.yaml")  # the real glossary
    if not with_bad:
        for name in ("broken.pdf", "broken.meta.yaml", "bad-front-matter.md"):
            (corpus / name).unlink()
    write_pdf(corpus / "oh-guide.pdf", PDF_TEXT)
    (corpus / "oh-guide.meta.yaml").write_text(
        "title: Occupational health for managers\n"
        "topics: [occupational-health]\n"
        "sources:\n  - {title: HSE, publisher: HSE, url: 'https://www.hse.gov.uk/'}\n"
        "last_reviewed: 2026-10-01\n"
        "summary: How occupational health helps.\n",
        encoding="utf-8",
    )
    return corpus


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private, editable copy of the fixture corpus (with the broken files)."""
    return make_corpus(tmp_path)


@pytest.fixture
def settings_for(tmp_path: Path) -> Callable[..., Settings]:
    """Settings pointing at a corpus folder and this test's own index folder."""

    def make(corpus: Path, **overrides) -> Settings:
        return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", **overrides)

    return make


@pytest.fixture
def built_index(corpus_dir: Path, settings_for, embeddings: LocalEmbeddings) -> tuple[Settings, IngestReport]:
    """A real Chroma index built from the fixture corpus with the real model."""
    settings = settings_for(corpus_dir)
    return settings, ingest(settings, embeddings=embeddings)


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory, embeddings: LocalEmbeddings) -> Settings:
    """One read-only index of the good fixture files, shared by tests that only ask questions."""
    root = tmp_path_factory.mktemp("shared")
    settings = Settings(corpus_dir=make_corpus(root, with_bad=False), index_dir=root / "index")
    ingest(settings, embeddings=embeddings)
    return settings


@pytest.fixture(scope="session")
def shared_pipeline(shared_index: Settings, embeddings: LocalEmbeddings):
    """The answering pipeline over the shared fixture index."""
    from onestop.pipeline import open_pipeline

    return open_pipeline(shared_index, embeddings)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, embeddings: LocalEmbeddings) -> Settings:
    """A real index of the shipped corpus (about 280 chunks), built once per run."""
    root = tmp_path_factory.mktemp("real")
    settings = Settings(corpus_dir=REPO / "corpus", index_dir=root / "index")
    report = ingest(settings, embeddings=embeddings)
    assert report.ok, report.failed
    return settings


@pytest.fixture(scope="session")
def corpus_pipeline(corpus_index: Settings, embeddings: LocalEmbeddings):
    """The answering pipeline over the shipped corpus."""
    from onestop.pipeline import open_pipeline

    return open_pipeline(corpus_index, embeddings)


@pytest.fixture(scope="session")
def cards_index(tmp_path_factory: pytest.TempPathFactory, embeddings: LocalEmbeddings) -> Settings:
    """A real index of the good fixture files plus the fixture answer cards."""
    root = tmp_path_factory.mktemp("cards")
    corpus = make_corpus(root, with_bad=False)
    shutil.copytree(FIXTURES / "answers", corpus / "answers")
    shutil.copy(REPO / "corpus" / "rates.yaml", corpus / "rates.yaml")  # the real dated rates, for worked figures
    shutil.copy(REPO / "corpus" / "referrals.yaml", corpus / "referrals.yaml")  # the real out-of-scope subjects
    shutil.copy(REPO / "corpus" / "scope.yaml", corpus / "scope.yaml")  # the real scope words
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    report = ingest(settings, embeddings=embeddings)
    assert report.ok and report.cards == 6, report.failed
    return settings


@pytest.fixture(scope="session")
def cards_pipeline(cards_index: Settings, embeddings: LocalEmbeddings):
    """The answering pipeline over the fixture corpus with answer cards."""
    from onestop.pipeline import open_pipeline

    return open_pipeline(cards_index, embeddings)


def damage_manifest(settings: Settings, text: str) -> None:
    """Overwrite the committed manifest in Chroma with unreadable text (a damaged index)."""
    from onestop.store import Catalog

    Catalog(settings)._collection.upsert(
        ids=["manifest"], documents=[text], metadatas=[{"version": "damaged", "generation": 0}], embeddings=[[0.0]]
    )
