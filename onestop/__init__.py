"""onestop: cited, plain-English guidance for small UK employers.

The flow, one module a stage: corpus (load) → chunking → embeddings → store → ingest →
retrieve → cards / questions / compose (answer, or llm) → checklists / calculators / export
→ cli and ui.

The public API, imported eagerly (submodules keep their own names: `onestop.ingest` is always
the module; the function is `onestop.ingest_corpus`):

    from onestop import Settings, ingest_corpus, open_pipeline
    ingest_corpus(Settings.from_env())
    answer = open_pipeline().ask("Who pays for Access to Work?")
"""

from __future__ import annotations

from onestop.answer import Answer, Citation
from onestop.config import Settings
from onestop.errors import (
    CorpusError,
    DataFileError,
    IndexDamaged,
    IndexMissing,
    OneStopError,
    SettingsError,
    StoreError,
)
from onestop.ingest import IngestReport
from onestop.ingest import ingest as ingest_corpus
from onestop.pipeline import Pipeline, open_pipeline
from onestop.status import IndexStatus, index_status

__version__ = "0.1.0"
__all__ = [
    "Answer",
    "Citation",
    "CorpusError",
    "DataFileError",
    "IndexDamaged",
    "IndexMissing",
    "IndexStatus",
    "IngestReport",
    "OneStopError",
    "Pipeline",
    "Settings",
    "SettingsError",
    "StoreError",
    "__version__",
    "index_status",
    "ingest_corpus",
    "open_pipeline",
]
