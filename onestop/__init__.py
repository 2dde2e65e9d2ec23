"""onestop: cited, plain-English guidance for small UK employers.

The flow, one module a stage: corpus (load) → chunking → embeddings → store → ingest →
retrieve → answer / llm → checklists / calculators / export → cli and ui.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"
__all__ = ["Settings", "ingest", "open_pipeline", "Answer", "OneStopError", "__version__"]

# Exported lazily so `onestop --help` does not pay for importing PyTorch.
_EXPORTS = {
    "Settings": "onestop.config",
    "ingest": "onestop.ingest",
    "open_pipeline": "onestop.pipeline",
    "Answer": "onestop.answer",
    "OneStopError": "onestop.errors",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'onestop' has no attribute {name!r}")
