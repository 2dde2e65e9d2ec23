"""Errors raised by onestop.

OneStopError
 ├── SettingsError      an ONESTOP_* variable has a value we cannot use
 ├── CorpusError        one corpus file cannot be loaded (bad front matter, corrupt PDF, ...)
 ├── IndexMissing       no index has been built yet for these settings
 ├── StoreError         the vector store (Chroma) failed or cannot be reached
 │    └── IndexDamaged   the committed manifest cannot be read: rebuild
 ├── DataFileError      a data file (answer cards, rates, ...) is invalid
 │    └── CardError      one answer card is invalid
 ├── ChecklistError     a checklist definition or answers file is invalid
 ├── LLMError           the optional language model is misconfigured or failed
 └── FeedbackError      the feedback folder cannot be read or written

Errors become user-facing messages only at the edges (the CLI and the Streamlit app).
"""

from __future__ import annotations


class OneStopError(Exception):
    """Base class for every error onestop raises on purpose."""


class SettingsError(OneStopError):
    """An environment setting has a value onestop cannot use."""


class CorpusError(OneStopError):
    """A corpus file cannot be loaded; the message says why in one line."""


class IndexMissing(OneStopError):
    """No index exists yet for the configured collection."""


class StoreError(OneStopError):
    """The vector store failed to read or write."""


class IndexDamaged(StoreError):
    """The index's committed manifest cannot be read; `onestop ingest --rebuild` repairs it."""


class DataFileError(OneStopError):
    """A data file in the corpus is invalid; the message names the file, entry and field."""


class CardError(DataFileError):
    """One answer card is invalid; the message names the field."""


class ChecklistError(OneStopError):
    """A checklist definition or a set of answers is invalid."""


class LLMError(OneStopError):
    """The optional language model is misconfigured or failed."""


class FeedbackError(OneStopError):
    """The feedback folder cannot be read or written; the message names the folder."""
