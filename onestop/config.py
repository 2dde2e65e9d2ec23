"""Settings: one frozen object read from ONESTOP_* environment variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from onestop.errors import SettingsError

if TYPE_CHECKING:
    from onestop.corpus import Limits

DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"
_COLLECTION_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$")


@dataclass(frozen=True)
class Settings:
    """Everything configurable about onestop, with the defaults a first-time user needs."""

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path(".onestop")
    collection: str = "onestop"
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    chunk_size: int = 900
    chunk_overlap: int = 120
    chroma_url: str | None = None
    llm: str | None = None
    ollama_url: str = "http://localhost:11434"
    top_k: int = 5
    max_question_chars: int = 2000
    feedback: bool = True  # ONESTOP_FEEDBACK=off removes the feedback buttons
    feedback_dir: Path = Path("feedback")
    max_file_mb: int = 20  # ingest reads no corpus file larger than this
    max_pdf_pages: int = 300
    max_text_chars: int = 2_000_000  # extracted text per file
    pdf_seconds: int = 60  # time limit for reading one PDF

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from ONESTOP_* variables, falling back to the defaults."""
        env = os.environ if environ is None else environ

        def text(name: str, default: str | None) -> str | None:
            value = env.get(name, "").strip()
            return value or default

        def number(name: str, default: int, minimum: int) -> int:
            raw = text(name, None)
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError as exc:
                raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from exc
            if value < minimum:
                raise SettingsError(f"{name} must be at least {minimum}, not {value}.")
            return value

        def switch(name: str, default: bool) -> bool:
            raw = text(name, None)
            if raw is None:
                return default
            if raw.lower() in ("on", "true", "yes", "1"):
                return True
            if raw.lower() in ("off", "false", "no", "0"):
                return False
            raise SettingsError(f"{name} must be on or off, not {raw!r}.")

        settings = cls(
            corpus_dir=Path(text("ONESTOP_CORPUS_DIR", "corpus")),
            index_dir=Path(text("ONESTOP_INDEX_DIR", ".onestop")),
            collection=text("ONESTOP_COLLECTION", "onestop"),
            embedding_model=text("ONESTOP_EMBEDDING_MODEL", DEFAULT_EMBEDDING_MODEL),
            chunk_size=number("ONESTOP_CHUNK_SIZE", 900, 200),
            chunk_overlap=number("ONESTOP_CHUNK_OVERLAP", 120, 0),
            chroma_url=text("ONESTOP_CHROMA_URL", None),
            llm=text("ONESTOP_LLM", None),
            ollama_url=text("ONESTOP_OLLAMA_URL", "http://localhost:11434"),
            top_k=number("ONESTOP_TOP_K", 5, 1),
            max_question_chars=number("ONESTOP_MAX_QUESTION_CHARS", 2000, 50),
            feedback=switch("ONESTOP_FEEDBACK", True),
            feedback_dir=Path(text("ONESTOP_FEEDBACK_DIR", "feedback")),
            max_file_mb=number("ONESTOP_MAX_FILE_MB", 20, 1),
            max_pdf_pages=number("ONESTOP_MAX_PDF_PAGES", 300, 1),
            max_text_chars=number("ONESTOP_MAX_TEXT_CHARS", 2_000_000, 1000),
            pdf_seconds=number("ONESTOP_PDF_SECONDS", 60, 1),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise SettingsError when two settings cannot work together."""
        if not _COLLECTION_NAME.match(self.collection):
            raise SettingsError(
                "ONESTOP_COLLECTION must be 3 to 512 characters of letters, digits, '.', '_' or '-', "
                f"starting and ending with a letter or digit (got {self.collection!r})."
            )
        if self.chunk_overlap >= self.chunk_size:
            raise SettingsError("ONESTOP_CHUNK_OVERLAP must be smaller than ONESTOP_CHUNK_SIZE.")
        if self.chroma_url and not re.match(r"^https?://[^/:]+(:\d+)?/?$", self.chroma_url):
            raise SettingsError(f"ONESTOP_CHROMA_URL must look like http://host:port (got {self.chroma_url!r}).")

    @property
    def limits(self) -> Limits:
        """What ingest will read from one corpus file."""
        from onestop.corpus import Limits  # corpus imports config's neighbours; keep config import-light

        return Limits(self.max_file_mb * 2**20, self.max_pdf_pages, self.max_text_chars, float(self.pdf_seconds))

    @property
    def collection_dir(self) -> Path:
        """Folder holding this collection's manifest (and, when embedded, its Chroma files)."""
        return self.index_dir / self.collection

    @property
    def manifest_path(self) -> Path:
        """Where the ingest manifest for this collection lives."""
        return self.collection_dir / "manifest.json"

    @property
    def chroma_dir(self) -> Path:
        """Where the embedded Chroma store keeps its files."""
        return self.collection_dir / "chroma"


SETTING_NAMES = tuple(f"ONESTOP_{f.name.upper()}" for f in fields(Settings))
