"""Feedback that respects privacy: kept only when a user presses a button, locally, for 12 months.

One JSON Lines file a month in the feedback folder (`ONESTOP_FEEDBACK_DIR`). Every change
happens under an exclusive lock on the folder's `.lock` file: a record is appended with one
write and fsynced; old records are deleted on every write (and by `purge_before`) by
rewriting a file atomically or removing it. Nothing here logs or sends anything.
"""

from __future__ import annotations

import calendar
import datetime as dt
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from onestop.errors import FeedbackError

if TYPE_CHECKING:
    from onestop.answer import Answer
    from onestop.cards import Card

Outcome = Literal["answered", "near_miss", "refused"]
GroupKind = Literal["card", "topic", "uncovered"]
OUTCOMES: tuple[Outcome, ...] = ("answered", "near_miss", "refused")
MAX_QUESTION_CHARS = 2000
MAX_COMMENT_CHARS = 1000
LOCK_FILE = ".lock"
_MONTH_FILE = re.compile(r"^feedback-(\d{4})-(\d{2})\.jsonl$")
RECORD_KEYS = ("date", "question", "helpful", "comment", "outcome", "sources", "cards", "topics")


@dataclass(frozen=True)
class FeedbackRecord:
    """One press of a feedback button: everything onestop keeps about it, and nothing else."""

    date: dt.date
    question: str  # as the user typed it
    helpful: bool  # "Did this answer your question?"
    comment: str  # "What was missing?" (may be empty)
    outcome: Outcome  # how onestop answered: answered, near_miss or refused
    sources: tuple[str, ...]  # the answer's cited sections (file.md#slug)
    cards: tuple[str, ...]  # the answer cards used, or else the closest ones
    topics: tuple[str, ...]  # topics of the cited sections (none for a refusal or near miss)

    def to_json(self) -> dict:
        """The record as one JSON object (the line stored on disk)."""
        return {
            "date": self.date.isoformat(),
            "question": self.question,
            "helpful": self.helpful,
            "comment": self.comment,
            "outcome": self.outcome,
            "sources": list(self.sources),
            "cards": list(self.cards),
            "topics": list(self.topics),
        }

    @classmethod
    def from_json(cls, data: object) -> FeedbackRecord:
        """Rebuild a stored record (raises ValueError when the data is not a valid record)."""
        if not isinstance(data, dict) or set(data) != set(RECORD_KEYS):
            raise ValueError("not a feedback record")
        lists = {key: data[key] for key in ("sources", "cards", "topics")}
        if not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in lists.values()):
            raise ValueError("sources, cards and topics must be lists of text")
        if not (isinstance(data["question"], str) and isinstance(data["comment"], str) and isinstance(data["helpful"], bool)):
            raise ValueError("question, comment or helpful has the wrong type")
        if data["outcome"] not in OUTCOMES:
            raise ValueError(f"unknown outcome {data['outcome']!r}")
        return cls(
            date=dt.date.fromisoformat(str(data["date"])),
            question=data["question"],
            helpful=data["helpful"],
            comment=data["comment"],
            outcome=data["outcome"],
            sources=tuple(lists["sources"]),
            cards=tuple(lists["cards"]),
            topics=tuple(lists["topics"]),
        )


@dataclass(frozen=True)
class FeedbackLog:
    """The records read from the feedback folder, and any damaged lines that were skipped."""

    records: tuple[FeedbackRecord, ...]
    damaged: tuple[str, ...] = ()  # "file:line" of lines that are not valid records
    since: dt.date | None = None


@dataclass(frozen=True)
class ReportGroup:
    """The questions to look at that share their nearest answer card (or topic, or neither)."""

    kind: GroupKind
    name: str  # the card id or topic; empty when uncovered
    label: str
    records: tuple[FeedbackRecord, ...]

    def to_json(self) -> dict:
        """The group as in `onestop feedback --json`."""
        return {
            "kind": self.kind,
            "name": self.name,
            "label": self.label,
            "count": len(self.records),
            "questions": [r.to_json() for r in self.records],
        }


@dataclass(frozen=True)
class FeedbackReport:
    """What editors should write next: unanswered and unhelpful questions by nearest card or topic."""

    since: dt.date | None
    rated: int  # feedback records read
    helpful: int  # of which "yes"
    groups: tuple[ReportGroup, ...]  # largest first
    damaged: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """The `onestop feedback --json` contract."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "rated": self.rated,
            "helpful": self.helpful,
            "not_helpful": self.rated - self.helpful,
            "to_review": sum(len(g.records) for g in self.groups),
            "groups": [g.to_json() for g in self.groups],
            "damaged_lines": list(self.damaged),
        }


def outcome_of(answer: Answer) -> Outcome:
    """How onestop answered: from the guidance, with the closest questions only, or not at all."""
    if answer.near_miss:
        return "near_miss"
    return "refused" if answer.refused else "answered"


def record_from_answer(
    answer: Answer, helpful: bool, comment: str, cards: Mapping[str, Card], today: dt.date | None = None
) -> FeedbackRecord:
    """The record for a feedback click on an answer: only the question, source ids, yes/no and comment."""
    outcome = outcome_of(answer)
    used = tuple(p.card_id for p in answer.parts if p.card_id)
    by_question = {card.question: card_id for card_id, card in cards.items()}
    closest = tuple(by_question[s] for s in answer.suggestions if s in by_question)
    topics = () if outcome != "answered" else tuple(dict.fromkeys(t for c in answer.citations for t in c.chunk.topics))
    return FeedbackRecord(
        date=today or dt.date.today(),
        question=answer.question.strip()[:MAX_QUESTION_CHARS],
        helpful=helpful,
        comment=comment.strip()[:MAX_COMMENT_CHARS],
        outcome=outcome,
        sources=tuple(dict.fromkeys(c.chunk.anchor or c.chunk.source_file for c in answer.citations)),
        cards=tuple(dict.fromkeys(used or closest)),
        topics=topics,
    )


def retention_cutoff(today: dt.date) -> dt.date:
    """The oldest date kept: records dated before it (12 months ago) are deleted."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def month_file(directory: Path, day: dt.date) -> Path:
    """The JSON Lines file holding the records of `day`'s month."""
    return directory / f"feedback-{day:%Y-%m}.jsonl"


def record_feedback(directory: Path, record: FeedbackRecord, today: dt.date | None = None) -> Path:
    """Append one record to its month's file (one write, fsynced, under the lock); delete records over 12 months old."""
    line = (json.dumps(record.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _locked(directory):
            _purge(directory, retention_cutoff(today or dt.date.today()))
            path = month_file(directory, record.date)
            created = not path.exists()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                written = 0
                while written < len(line):
                    written += os.write(fd, line[written:])
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                _fsync_directory(directory)
    except OSError as exc:
        raise FeedbackError(f"Cannot save feedback in {directory}: {exc.strerror or exc}") from exc
    return path


def read_feedback(directory: Path, since: dt.date | None = None) -> FeedbackLog:
    """Every stored record dated on or after `since` (all when None), oldest first; damaged lines are skipped."""
    if not _folder_exists(directory):
        return FeedbackLog((), (), since)
    records: list[FeedbackRecord] = []
    damaged: list[str] = []
    try:
        with _locked(directory, shared=True):
            for path, (_, last) in _month_files(directory):
                if since is not None and last < since:
                    continue
                for number, line in enumerate(path.read_bytes().splitlines(), start=1):
                    if not line.strip():
                        continue
                    record = _parse(line)
                    if record is None:
                        damaged.append(f"{path.name}:{number}")
                    elif since is None or record.date >= since:
                        records.append(record)
    except OSError as exc:
        raise FeedbackError(f"Cannot read feedback in {directory}: {exc.strerror or exc}") from exc
    records.sort(key=lambda r: r.date)
    return FeedbackLog(tuple(records), tuple(damaged), since)


def purge_before(directory: Path, before: dt.date) -> int:
    """Delete every record dated before `before` (and any damaged line in those months); return how many."""
    if not _folder_exists(directory):
        return 0
    try:
        with _locked(directory):
            return _purge(directory, before)
    except OSError as exc:
        raise FeedbackError(f"Cannot delete feedback in {directory}: {exc.strerror or exc}") from exc


def feedback_report(log: FeedbackLog, cards: Mapping[str, Card]) -> FeedbackReport:
    """Group refused, near-miss and "no" questions by nearest card, else topic, largest group first."""
    grouped: dict[tuple[GroupKind, str], list[FeedbackRecord]] = {}
    for record in log.records:
        if record.outcome != "answered" or not record.helpful:
            key: tuple[GroupKind, str]
            if record.cards:
                key = ("card", record.cards[0])
            elif record.topics:
                key = ("topic", record.topics[0])
            else:
                key = ("uncovered", "")
            grouped.setdefault(key, []).append(record)
    groups = [ReportGroup(kind, name, _label(kind, name, cards), tuple(records)) for (kind, name), records in grouped.items()]
    groups.sort(key=lambda g: (-len(g.records), g.kind, g.name))
    helpful = sum(1 for r in log.records if r.helpful)
    return FeedbackReport(log.since, len(log.records), helpful, tuple(groups), log.damaged)


def format_report(report: FeedbackReport) -> str:
    """The report as plain text for editors: each group, then its questions and comments."""
    since = f" since {report.since.isoformat()}" if report.since else ""
    to_review = sum(len(g.records) for g in report.groups)
    lines = [
        f"Feedback{since}: {report.rated} rating(s), {report.helpful} yes and {report.rated - report.helpful} no; "
        f"{to_review} question(s) to look at."
    ]
    if report.damaged:
        lines.append(f"Skipped {len(report.damaged)} damaged line(s): {', '.join(report.damaged)}")
    labels = {"answered": "no", "near_miss": "near miss", "refused": "refused"}
    for group in report.groups:
        lines += ["", f"{group.label}: {len(group.records)}"]
        for record in group.records:
            lines.append(f"  {record.date.isoformat()}  {labels[record.outcome]:<9}  {record.question}")
            if record.comment:
                lines.append(f"  {'':10}  {'':9}  missing: {record.comment}")
    return "\n".join(lines)


def _label(kind: str, name: str, cards: Mapping[str, Card]) -> str:
    if kind == "topic":
        return f"Topic {name} (no close answer card)"
    if kind == "uncovered":
        return "Not covered: no close answer card or guidance section"
    card = cards.get(name)
    if card is None:
        return f"Card {name} (no longer in the corpus)"
    return f"Card {name} ({', '.join(card.topics)}): {card.question}"


def _folder_exists(directory: Path) -> bool:
    """False when there is no feedback yet; an error when the path is something other than a folder."""
    if directory.exists() and not directory.is_dir():
        raise FeedbackError(f"The feedback folder {directory} is not a folder (check ONESTOP_FEEDBACK_DIR).")
    return directory.is_dir()


def _parse(line: bytes) -> FeedbackRecord | None:
    try:
        return FeedbackRecord.from_json(json.loads(line))
    except (ValueError, UnicodeDecodeError):  # json.JSONDecodeError is a ValueError
        return None


def _month_files(directory: Path) -> list[tuple[Path, tuple[dt.date, dt.date]]]:
    """The month files in the folder, oldest first, with the first and last day of their month."""
    found = []
    for path in directory.iterdir():
        match = _MONTH_FILE.match(path.name)
        if match and path.is_file():
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12:
                last = calendar.monthrange(year, month)[1]
                found.append((path, (dt.date(year, month, 1), dt.date(year, month, last))))
    return sorted(found, key=lambda item: item[1])


def _purge(directory: Path, before: dt.date) -> int:
    """Delete records dated before `before`; the caller holds the exclusive lock."""
    removed = 0
    for path, (first, last) in _month_files(directory):
        if first >= before:
            continue
        lines = [line for line in path.read_bytes().splitlines() if line.strip()]
        if last < before:
            path.unlink()
            removed += len(lines)
            continue
        kept = [line for line in lines if (record := _parse(line)) is not None and record.date >= before]
        if len(kept) == len(lines):
            continue
        removed += len(lines) - len(kept)
        if kept:
            _replace(path, b"".join(line + b"\n" for line in kept))
        else:
            path.unlink()
    if removed:
        _fsync_directory(directory)
    return removed


def _replace(path: Path, data: bytes) -> None:
    """Write a whole file atomically: a fsynced temporary file renamed over it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".purge-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _locked(directory: Path, shared: bool = False) -> Iterator[None]:
    """Hold the folder's lock file: exclusive for changes, shared for reading."""
    fd = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
