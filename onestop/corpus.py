"""Load corpus files (Markdown with front matter, PDF, HTML, plain text) and validate their metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from onestop.errors import CorpusError

TOPICS: tuple[str, ...] = (
    "access-to-work",
    "disability-confident",
    "reasonable-adjustments",
    "equality-act",
    "recruitment",
    "sickness-absence",
    "statutory-sick-pay",
    "fit-notes",
    "occupational-health",
    "return-to-work",
    "mental-health",
    "group-income-protection",
    "business-case",
    "getting-help",
    "absence-management",
    "holiday-and-leave",
    "flexible-working",
    "health-and-safety",
    "data-protection",
    "benefits-and-work",
)
DOCUMENT_SUFFIXES = (".md", ".pdf", ".html", ".htm", ".txt")
SIDECAR_SUFFIX = ".meta.yaml"
MAX_FILE_BYTES = 20 * 1024 * 1024
logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported once, by ingest
# Folders inside the corpus that hold data for other stages, not guidance documents.
NON_DOCUMENT_DIRS = ("checklists",)


class _PlainLoader(yaml.SafeLoader):
    """A safe YAML loader that leaves dates as text (a bad date is a validation error, not a crash)
    and reads only true/false as booleans (so a word like 'off' or 'no' stays a word)."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlainLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_yaml(text: str) -> object:
    """Parse YAML safely, with dates left as text for our own validation."""
    return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class Source:
    """A published page a corpus document is based on."""

    title: str
    publisher: str
    url: str


@dataclass(frozen=True)
class DocumentMeta:
    """Validated metadata every corpus document carries."""

    title: str
    topics: tuple[str, ...]
    sources: tuple[Source, ...]
    last_reviewed: dt.date
    summary: str


@dataclass(frozen=True)
class Page:
    """A run of document text: a whole Markdown body, or one PDF page."""

    text: str
    number: int | None = None


@dataclass(frozen=True)
class Document:
    """One loaded corpus file: its metadata and its text, ready for chunking."""

    path: str  # relative to the corpus folder, with forward slashes
    kind: str  # "markdown" | "pdf" | "html" | "text"
    meta: DocumentMeta
    pages: tuple[Page, ...]


def discover(corpus_dir: Path) -> list[Path]:
    """List the document files under the corpus folder, sorted, skipping data folders and sidecars."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"The corpus folder {corpus_dir} does not exist.")
    found = []
    for path in sorted(corpus_dir.rglob("*")):
        rel_parts = path.relative_to(corpus_dir).parts
        if any(part.startswith(".") for part in rel_parts) or rel_parts[0] in NON_DOCUMENT_DIRS:
            continue
        if path.name.endswith(SIDECAR_SUFFIX) or path.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        if path.is_file() or path.is_symlink():
            found.append(path)
    return found


def relative_name(path: Path, corpus_dir: Path) -> str:
    """The corpus-relative name used in citations and reports, e.g. `access-to-work.md`."""
    return path.relative_to(corpus_dir).as_posix()


def sidecar_for(path: Path) -> Path | None:
    """The `<name>.meta.yaml` (or `<name>.<ext>.meta.yaml`) file beside a non-Markdown document."""
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Limits:
    """What ingest will read from one file (from settings): checked before anything is read."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_pdf_pages: int = 300
    max_text_chars: int = 2_000_000
    pdf_seconds: float = 60.0


def file_fingerprint(path: Path, corpus_dir: Path, limits: Limits = Limits()) -> str:
    """Hash of a document's bytes and its sidecar's, so editing either counts as a change (checked first)."""
    _check_location(path, corpus_dir, limits)
    digest = hashlib.sha256(_read_bytes(path))
    sidecar = sidecar_for(path) if path.suffix.lower() != ".md" else None
    if sidecar is not None:
        _check_location(sidecar, corpus_dir, limits)
        digest.update(b"\0sidecar\0" + _read_bytes(sidecar))
    return digest.hexdigest()


def load_document(path: Path, corpus_dir: Path, limits: Limits = Limits()) -> Document:
    """Load and validate one corpus file, raising CorpusError with a one-line reason."""
    _check_location(path, corpus_dir, limits)
    suffix = path.suffix.lower()
    raw = _read_bytes(path)
    if not raw.strip():
        raise CorpusError("the file is empty")
    rel = relative_name(path, corpus_dir)
    if suffix == ".md":
        text = _decode(raw)
        meta_dict, body = split_front_matter(text)
        meta = parse_meta(meta_dict)
        pages, kind = (Page(body),), "markdown"
    else:
        meta = _load_sidecar(path, corpus_dir, limits)
        if suffix == ".pdf":
            pages, kind = _pdf_pages(path, limits), "pdf"
        elif suffix in (".html", ".htm"):
            pages, kind = (Page(html_to_markdown(_decode(raw))),), "html"
        else:
            pages, kind = (Page(_decode(raw)),), "text"
    if not any(page.text.strip() for page in pages):
        raise CorpusError("no text could be read from the file")
    if sum(len(page.text) for page in pages) > limits.max_text_chars:
        raise CorpusError(f"the file has more than {limits.max_text_chars:,} characters of text; split it into smaller documents")
    return Document(path=rel, kind=kind, meta=meta, pages=pages)


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split a Markdown file into its YAML front matter (as a dict) and its body."""
    text = text.lstrip("\ufeff")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise CorpusError("no YAML front matter: the file must start with a '---' block (title, topics, sources, ...)")
    try:
        data = load_yaml(match.group(1))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        raise CorpusError(f"the front matter is not valid YAML{line}") from exc
    if not isinstance(data, dict):
        raise CorpusError("the front matter must be a set of 'key: value' lines")
    return data, text[match.end() :]


def parse_meta(data: dict) -> DocumentMeta:
    """Validate a metadata mapping (front matter or sidecar) and return DocumentMeta."""
    missing = [key for key in ("title", "topics", "sources", "last_reviewed", "summary") if not data.get(key)]
    if missing:
        raise CorpusError(f"missing {', '.join(missing)} in the metadata")
    title = _one_line(data["title"], "title")
    summary = _one_line(data["summary"], "summary")
    topics = data["topics"]
    if isinstance(topics, str):
        topics = [topics]
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise CorpusError("topics must be a list of topic names")
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        raise CorpusError(f"unknown topic {unknown[0]!r} (the allowed topics are listed in README.md)")
    sources = data["sources"]
    if not isinstance(sources, list):
        raise CorpusError("sources must be a list of {title, publisher, url}")
    parsed_sources = []
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, dict) or not all(source.get(k) for k in ("title", "publisher", "url")):
            raise CorpusError(f"source {number} needs a title, a publisher and a url")
        url = str(source["url"]).strip()
        if not re.match(r"^https?://\S+$", url):
            raise CorpusError(f"source {number} has an invalid url {url!r}")
        parsed_sources.append(Source(str(source["title"]).strip(), str(source["publisher"]).strip(), url))
    return DocumentMeta(
        title=title,
        topics=tuple(dict.fromkeys(topics)),
        sources=tuple(parsed_sources),
        last_reviewed=_parse_date(data["last_reviewed"]),
        summary=summary,
    )


class _HTMLToMarkdown(HTMLParser):
    """Keep an HTML page's readable text, turning h1–h3 into Markdown headings."""

    _SKIP = {"script", "style", "noscript", "template", "head", "nav", "footer"}
    _BLOCK = {"p", "div", "li", "br", "tr", "section", "article", "ul", "ol", "table", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag in ("h1", "h2", "h3"):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in ("h1", "h2", "h3"):
            self.parts.append("\n\n")
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    """Readable text of an HTML page, with its h1–h3 headings kept as Markdown headings."""
    parser = _HTMLToMarkdown()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _check_location(path: Path, corpus_dir: Path, limits: Limits) -> None:
    """Location, type and size, checked before a byte is read (a FIFO or /dev/zero must never hang ingest)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(corpus_dir.resolve()):
        raise CorpusError(f"{path.name} is a link to somewhere outside the corpus folder")
    if not resolved.is_file():  # False for FIFOs, devices, folders and broken links
        raise CorpusError(f"{path.name} is a broken link or not a regular file")
    size = resolved.stat().st_size
    if size > limits.max_file_bytes:
        raise CorpusError(f"{path.name} is too large ({size / 1e6:.0f} MB; the limit is {limits.max_file_bytes / 2**20:.0f} MB)")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"the file cannot be read ({exc.strerror or exc})") from exc


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise CorpusError("the file is binary, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"the file is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8") from exc


def _one_line(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(f"{name} must be text")
    return " ".join(value.split())


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise CorpusError(f"last_reviewed must be a date like 2026-11-30 (got {value!r})") from exc


def _load_sidecar(path: Path, corpus_dir: Path, limits: Limits) -> DocumentMeta:
    sidecar = sidecar_for(path)
    if sidecar is None:
        raise CorpusError(
            f"no metadata: add a sidecar file {path.stem}{SIDECAR_SUFFIX} with title, topics, sources, last_reviewed and summary"
        )
    _check_location(sidecar, corpus_dir, limits)
    try:
        data = load_yaml(_decode(_read_bytes(sidecar)))
    except yaml.YAMLError as exc:
        raise CorpusError(f"the sidecar {sidecar.name} is not valid YAML") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"the sidecar {sidecar.name} must be a set of 'key: value' lines")
    return parse_meta(data)


def _pdf_pages(path: Path, limits: Limits) -> tuple[Page, ...]:
    started = time.monotonic()
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise CorpusError("the PDF is password-protected; save an unprotected copy")
        if len(reader.pages) > limits.max_pdf_pages:
            raise CorpusError(
                f"the PDF has {len(reader.pages)} pages (the limit is {limits.max_pdf_pages}); split it into smaller files"
            )
        extracted: list[Page] = []
        characters = 0
        for number, page in enumerate(reader.pages, start=1):
            extracted.append(Page(page.extract_text() or "", number))
            characters += len(extracted[-1].text)
            if characters > limits.max_text_chars:
                raise CorpusError(
                    f"the PDF has more than {limits.max_text_chars:,} characters of text; split it into smaller files"
                )
            if time.monotonic() - started > limits.pdf_seconds:
                raise CorpusError(
                    f"reading the PDF took longer than {limits.pdf_seconds:.0f} seconds (stopped at page {number}); simplify or split it"
                )
        pages = tuple(extracted)
    except CorpusError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise CorpusError(f"the PDF cannot be read ({type(exc).__name__}: {str(exc)[:80]})") from exc
    except Exception as exc:  # pypdf raises many internal error types on damaged files
        raise CorpusError(f"the PDF is damaged ({type(exc).__name__})") from exc
    if pages and not any(p.text.strip() for p in pages):
        raise CorpusError("the PDF has no text layer (it may be a scan); add a text version or run OCR first")
    return pages
