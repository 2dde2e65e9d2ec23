"""Checklists as data: load definitions from `corpus/checklists/*.yaml`, check answers, build the list."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from onestop.corpus import load_document
from onestop.errors import ChecklistError, CorpusError, OneStopError
from onestop.sections import markdown_sections

CHECKLIST_DIR = "checklists"
QUESTION_TYPES = ("choice", "multi", "number", "bool")
NOT_LEGAL_ADVICE = "This checklist is guidance, not legal advice. Check the linked sources before you act."


@dataclass(frozen=True)
class Question:
    """One question of a checklist's form."""

    id: str
    text: str
    type: str
    options: tuple[str, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None

    def to_json(self) -> dict:
        """The question as printed by `onestop checklist NAME --list-questions`."""
        return {"id": self.id, "text": self.text, "type": self.type, "options": list(self.options), "default": self.default}


@dataclass(frozen=True)
class Reference:
    """A corpus section an item cites, resolved to its document title and official link."""

    file: str
    section: str
    title: str
    url: str

    def label(self) -> str:
        """'Title: Section' for exports."""
        return f"{self.title}: {self.section}"


@dataclass(frozen=True)
class Item:
    """One action on a checklist."""

    id: str
    phase: str
    text: str
    why: str
    when: dict
    cites: tuple[Reference, ...]


@dataclass(frozen=True)
class Definition:
    """A checklist definition: its form and its items."""

    name: str
    title: str
    description: str
    phases: tuple[str, ...]
    questions: tuple[Question, ...]
    items: tuple[Item, ...]
    scope: str = ""  # where the checklist applies, e.g. Great Britain, and where Northern Ireland differs

    def notice(self) -> str:
        """The notice printed at the top of a built checklist: its scope, then 'not legal advice'."""
        return f"{self.scope} {NOT_LEGAL_ADVICE}".strip()


@dataclass(frozen=True)
class Checklist:
    """A tailored checklist: the answers it was built from and its items grouped by phase."""

    name: str
    title: str
    generated: dt.date
    answers: tuple[tuple[str, str], ...]  # (question text, answer as shown)
    groups: tuple[tuple[str, tuple[Item, ...]], ...]
    notice: str = NOT_LEGAL_ADVICE

    @property
    def items(self) -> list[Item]:
        """Every item, in order."""
        return [item for _, items in self.groups for item in items]


def available(corpus_dir: Path) -> list[str]:
    """Names of the checklists shipped in the corpus folder."""
    return sorted(p.stem for p in (corpus_dir / CHECKLIST_DIR).glob("*.yaml"))


def load_definition(corpus_dir: Path, name: str) -> Definition:
    """Load and validate one checklist, including every citation against the corpus."""
    path = corpus_dir / CHECKLIST_DIR / f"{name}.yaml"
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"The corpus folder {corpus_dir} does not exist: run onestop from the project folder or set ONESTOP_CORPUS_DIR."
        )
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        raise ChecklistError(f"No checklist called {name!r}. Available: {', '.join(available(corpus_dir)) or 'none'}.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ChecklistError(f"{path.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ChecklistError(f"{path.name} must be a mapping with name, title, phases, questions and items")
    for field in ("phases", "questions", "items"):
        if not isinstance(data.get(field) or [], list):
            raise ChecklistError(f"{name}: {field} must be a list")
    phases = tuple(str(p) for p in data.get("phases") or ())
    questions = tuple(_question(name, q) for q in data.get("questions") or ())
    sections = _SectionIndex(corpus_dir)
    items = tuple(_item(name, raw, phases, questions, sections) for raw in data.get("items") or ())
    ids = [i.id for i in items] + [q.id for q in questions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ChecklistError(f"{name}: duplicate ids {', '.join(duplicates)}")
    if not items:
        raise ChecklistError(f"{name}: the checklist has no items")
    title, description, scope = (str(data.get(key) or "").strip() for key in ("title", "description", "scope"))
    return Definition(name, title or name, description, phases, questions, items, scope)


def check_all(corpus_dir: Path) -> list[dict[str, str]]:
    """Validate every checklist; one {file, reason} per broken one (used by `onestop ingest`)."""
    failures = []
    for name in available(corpus_dir):
        try:
            load_definition(corpus_dir, name)
        except OneStopError as exc:
            failures.append({"file": f"{CHECKLIST_DIR}/{name}.yaml", "reason": str(exc)})
    return failures


def resolve_answers(definition: Definition, answers: dict) -> dict:
    """Check answers against the form, fill in defaults, and raise a clear error naming a bad question."""
    if not isinstance(answers, dict):
        raise ChecklistError("Answers must be a JSON object of {question id: value}.")
    known = {q.id for q in definition.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ChecklistError(
            f"Unknown question {unknown[0]!r} for the {definition.name} checklist. Known: {', '.join(sorted(known))}."
        )
    resolved = {}
    for question in definition.questions:
        value = answers.get(question.id, question.default)
        resolved[question.id] = _check_value(question, value)
    return resolved


def build(definition: Definition, answers: dict, today: dt.date | None = None) -> Checklist:
    """The tailored checklist for these answers, grouped by phase in the definition's order."""
    resolved = resolve_answers(definition, answers)
    chosen = [item for item in definition.items if _applies(item.when, resolved)]
    groups = tuple(
        (phase, tuple(i for i in chosen if i.phase == phase))
        for phase in definition.phases
        if any(i.phase == phase for i in chosen)
    )
    shown = tuple((q.text, _display(resolved[q.id])) for q in definition.questions)
    return Checklist(definition.name, definition.title, today or dt.date.today(), shown, groups, definition.notice())


class _SectionIndex:
    """The `##` headings, title and first source of each corpus document, read on demand."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self._cache: dict[str, tuple[str, str, set[str], dict[str, str]]] = {}

    def _load(self, file: str) -> tuple[str, str, set[str], dict[str, str]]:
        if file not in self._cache:
            path = self.corpus_dir / file
            if not path.is_file() or path.suffix != ".md":
                raise ChecklistError(f"cites {file!r}, which is not a Markdown document in the corpus")
            document = load_document(path, self.corpus_dir)
            headings = {h.strip() for h in re.findall(r"^##\s+(.+?)\s*$", document.pages[0].text, re.M)}
            slugs = {s.slug: s.path for s in markdown_sections(document.pages[0].text)}
            self._cache[file] = (document.meta.title, document.meta.sources[0].url, headings, slugs)
        return self._cache[file]

    def resolve(self, file: str, section: str) -> Reference:
        """A cite given as a file and its `##` heading text."""
        title, url, headings, _ = self._load(file)
        if section not in headings:
            raise ChecklistError(f"cites section {section!r} of {file}, which has no such '## ' heading")
        return Reference(file, section, title, url)

    def resolve_anchor(self, file: str, slug: str) -> Reference:
        """A cite given as `file.md#slug`, the name cards, ingest reports and status use."""
        title, url, _, slugs = self._load(file)
        if slug not in slugs:
            raise ChecklistError(f"cites {file}#{slug}, which is not a section of {file}")
        return Reference(file, slugs[slug], title, url)


def _question(checklist: str, raw: dict) -> Question:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("text"):
        raise ChecklistError(f"{checklist}: every question needs an id and a text")
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise ChecklistError(f"{checklist}: question {raw['id']!r} has type {kind!r}; use one of {', '.join(QUESTION_TYPES)}")
    if not isinstance(raw.get("options") or [], list):
        raise ChecklistError(f"{checklist}: question {raw['id']!r}: options must be a list")
    for bound in ("min", "max"):
        if raw.get(bound) is not None and (isinstance(raw[bound], bool) or not isinstance(raw[bound], (int, float))):
            raise ChecklistError(f"{checklist}: question {raw['id']!r}: {bound} must be a number")
    options = tuple(str(o) for o in raw.get("options") or ())
    if kind in ("choice", "multi") and not options:
        raise ChecklistError(f"{checklist}: question {raw['id']!r} needs options")
    default = raw.get("default", {"choice": options[0] if options else None, "multi": [], "number": 0, "bool": False}[kind])
    question = Question(str(raw["id"]), str(raw["text"]), kind, options, default, raw.get("min"), raw.get("max"))
    _check_value(question, default)
    return question


def _item(checklist: str, raw: dict, phases: tuple, questions: tuple[Question, ...], sections: _SectionIndex) -> Item:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("text"):
        raise ChecklistError(f"{checklist}: every item needs an id and a text")
    where = f"{checklist}: item {raw['id']!r}"
    if raw.get("phase") not in phases:
        raise ChecklistError(f"{where} has phase {raw.get('phase')!r}, which is not in the phases list")
    when = raw.get("when") or {}
    if not isinstance(when, dict):
        raise ChecklistError(f"{where}: when must map question ids to the answers that show the item")
    if not isinstance(raw.get("cites") or [], list):
        raise ChecklistError(f"{where}: cites must be a list")
    by_id = {q.id: q for q in questions}
    for question_id, condition in when.items():
        if question_id not in by_id:
            raise ChecklistError(f"{where} has a condition on unknown question {question_id!r}")
        _check_condition(where, by_id[question_id], condition)
    cites = raw.get("cites") or []
    if not cites:
        raise ChecklistError(f"{where} cites nothing; every item must cite the corpus")
    references = []
    for cite in cites:
        if isinstance(cite, str) and "#" in cite:  # the one name of a section everywhere: file.md#slug
            file, _, slug = cite.partition("#")
            try:
                references.append(sections.resolve_anchor(file, slug))
            except OneStopError as exc:
                raise ChecklistError(f"{where} {exc}") from exc
            continue
        if not isinstance(cite, dict) or not cite.get("file") or not cite.get("section"):
            raise ChecklistError(f"{where}: each cite needs a file and a section, or a section as file.md#slug")
        try:
            references.append(sections.resolve(str(cite["file"]), str(cite["section"])))
        except OneStopError as exc:
            raise ChecklistError(f"{where} {exc}") from exc
    return Item(
        str(raw["id"]),
        str(raw["phase"]),
        str(raw["text"]).strip(),
        str(raw.get("why") or "").strip(),
        dict(when),
        tuple(references),
    )


def _check_value(question: Question, value: Any) -> Any:
    bad = ChecklistError(f"Question {question.id!r} ({question.text}) cannot take the answer {value!r}")
    if question.type == "choice":
        if value not in question.options:
            raise ChecklistError(f"{bad} — choose one of: {', '.join(question.options)}")
        return value
    if question.type == "multi":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(v not in question.options for v in value):
            raise ChecklistError(f"{bad} — choose any of: {', '.join(question.options)}")
        return [o for o in question.options if o in value]
    if question.type == "bool":
        if not isinstance(value, bool):
            raise ChecklistError(f"{bad} — answer true or false")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ChecklistError(f"{bad} — answer with a number")
    if question.minimum is not None and value < question.minimum or question.maximum is not None and value > question.maximum:
        raise ChecklistError(f"{bad} — the number must be between {question.minimum} and {question.maximum}")
    return value


def _check_condition(where: str, question: Question, condition: Any) -> None:
    if isinstance(condition, dict):
        allowed = {"number": {"min", "max"}, "multi": {"includes", "includes_any"}}.get(question.type, set())
        if not condition or set(condition) - allowed:
            raise ChecklistError(f"{where}: condition {condition!r} does not fit {question.type} question {question.id!r}")
        values = [condition.get("includes")] if "includes" in condition else list(condition.get("includes_any") or [])
        if question.type == "multi" and any(v not in question.options for v in values):
            raise ChecklistError(f"{where}: condition {condition!r} names an option {question.id!r} does not have")
        return
    values = condition if isinstance(condition, list) else [condition]
    for value in values:
        _check_value(question, value if question.type != "multi" else [value])


def _applies(when: dict, answers: dict) -> bool:
    for question_id, condition in when.items():
        value = answers[question_id]
        if isinstance(condition, dict):
            if "min" in condition and value < condition["min"] or "max" in condition and value > condition["max"]:
                return False
            if "includes" in condition and condition["includes"] not in value:
                return False
            if "includes_any" in condition and not set(condition["includes_any"]) & set(value):
                return False
        elif isinstance(condition, list):
            if value not in condition:
                return False
        elif value != condition:
            return False
    return True


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value) or "None"
    return str(value)
