"""Subjects next to onestop's scope that it does not cover, and where an employer gets help instead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from onestop.corpus import load_yaml
from onestop.errors import DataFileError
from onestop.text import distinct_named, is_phrase_list, names_any, without_phrases

REFERRALS_FILE = "referrals.yaml"
SCOPE_FILE = "scope.yaml"
_FIELDS = ("id", "name", "phrases", "help", "url")


@dataclass(frozen=True)
class Referral:
    """An out-of-scope subject: the phrases that name it and the official page that helps."""

    id: str
    name: str
    phrases: tuple[str, ...]
    help: str
    url: str
    employment: bool = True  # False for business matters (tax, licences): the employment helpline is not offered
    decisive: tuple[str, ...] = ()  # phrases that ask about this subject itself ("how many weeks of maternity leave")
    # its phrases name the background to a health question, not its subject: a kind of worker ("on a fixed-term
    # contract, off with stress") or what caused the illness ("bullying is causing him stress, now off sick")
    background: bool = False

    def named_in(self, text: str) -> bool:
        """Whether the text names this subject (a whole-word, case-insensitive phrase match)."""
        return names_any(text, self.phrases)

    def asked_about(self, text: str) -> bool:
        """Whether the text asks about this subject itself, so even a good card match on a neighbour must not answer."""
        return names_any(text, self.decisive)


def _read_data_file(corpus_dir: Path, name: str) -> object | None:
    """An optional YAML data file of the corpus, parsed (None when absent); DataFileError when unreadable."""
    path = corpus_dir / name
    if not path.is_file():
        return None
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(f"{name}: cannot be read as YAML ({exc})") from exc


def load_referrals(corpus_dir: Path) -> tuple[Referral, ...]:
    """The referrals in `corpus/referrals.yaml` (none when the file is absent); DataFileError names a bad entry."""
    data = _read_data_file(corpus_dir, REFERRALS_FILE)
    if data is None:
        return ()
    if not isinstance(data, list):
        raise DataFileError(f"{REFERRALS_FILE}: must be a list of subjects")
    referrals = []
    for position, entry in enumerate(data, 1):
        where = f"{REFERRALS_FILE}: entry {position}"
        if not isinstance(entry, dict):
            raise DataFileError(f"{where}: must be a mapping with {', '.join(_FIELDS)}")
        missing = [f for f in _FIELDS if not entry.get(f)]
        if missing:
            raise DataFileError(f"{where} ({entry.get('id', 'no id')}): missing {', '.join(missing)}")
        if not isinstance(entry["phrases"], list) or not all(isinstance(p, str) and p.strip() for p in entry["phrases"]):
            raise DataFileError(f"{where} ({entry['id']}): phrases must be a list of words or phrases")
        if not str(entry["url"]).startswith("https://"):
            raise DataFileError(f"{where} ({entry['id']}): url must start with https://")
        phrases = tuple(p.strip().lower() for p in entry["phrases"])
        employment = entry.get("employment", True)
        if not isinstance(employment, bool):
            raise DataFileError(f"{where} ({entry['id']}): employment must be true or false")
        background = entry.get("background", False)
        if not isinstance(background, bool):
            raise DataFileError(f"{where} ({entry['id']}): background must be true or false")
        decisive = entry.get("decisive", [])
        if not isinstance(decisive, list) or not all(isinstance(p, str) and p.strip() for p in decisive):
            raise DataFileError(f"{where} ({entry['id']}): decisive must be a list of phrases")
        referrals.append(
            Referral(
                str(entry["id"]),
                str(entry["name"]),
                phrases,
                str(entry["help"]).strip(),
                str(entry["url"]),
                employment,
                tuple(p.strip().lower() for p in decisive),
                background,
            )
        )
    ids = [r.id for r in referrals]
    if len(set(ids)) != len(ids):
        raise DataFileError(f"{REFERRALS_FILE}: ids must be unique")
    return tuple(referrals)


def find_referral(
    text: str, referrals: tuple[Referral, ...], decisive_only: bool = False, about_our_subjects: bool = False
) -> Referral | None:
    """The first out-of-scope subject the text names (or, with decisive_only, asks about itself), if any. A background
    subject named in a question about onestop's subjects (a kind of worker, bullying that caused stress) is not what
    the question is about: it refers only when asked about decisively."""
    for referral in referrals:
        if decisive_only or (referral.background and about_our_subjects):
            if referral.asked_about(text):
                return referral
        elif referral.named_in(text):
            return referral
    return None


def load_scope(corpus_dir: Path) -> tuple[str, ...]:
    """The words that show a question is about onestop's subjects (`corpus/scope.yaml`; none when absent)."""
    data = _read_data_file(corpus_dir, SCOPE_FILE)
    if data is None:
        return ()
    words = data.get("words") if isinstance(data, dict) else None
    if (
        not isinstance(words, list)
        or not words
        or not all(
            isinstance(w, str) and re.fullmatch(r"[a-z0-9'-]+\*?|[A-Z]{2,6}|[a-z0-9'-]+(?: [a-z0-9'-]+)+", w) for w in words
        )
    ):
        raise DataFileError(
            f"{SCOPE_FILE}: words must be a list of lowercase words, each optionally ending in *, capitalised acronyms (ME) "
            "or lowercase phrases of several words (kill himself)"
        )
    return tuple(words)


@dataclass(frozen=True)
class DangerWords:
    """Words that may mean someone is in danger, and everyday phrases that use them harmlessly ("a chest infection")."""

    words: tuple[str, ...] = ()
    harmless: tuple[str, ...] = ()

    def count(self, text: str) -> int:
        """How many different danger words the text names, once its harmless phrases are set aside."""
        return distinct_named(without_phrases(text, self.harmless), self.words)


def load_danger_words(corpus_dir: Path) -> DangerWords:
    """Danger words and their harmless phrases (`danger` and `not_danger` in `corpus/scope.yaml`; none when absent)."""
    data = _read_data_file(corpus_dir, SCOPE_FILE)
    data = data if isinstance(data, dict) else {}
    return DangerWords(_phrase_list(data, "danger"), _phrase_list(data, "not_danger"))


def _phrase_list(data: dict, key: str) -> tuple[str, ...]:
    words = data.get(key, [])
    if not is_phrase_list(words):
        raise DataFileError(f"{SCOPE_FILE}: {key} must be a list of lowercase words or phrases, each optionally ending in *")
    return tuple(words)


# A clause that says the question is NOT about sickness or health does not bring it into scope.
_NOT_ABOUT = re.compile(
    r"\b(?:nobody|no one|no-one|none of (?:them|us|our staff|the staff)) (?:has|have|had|is|was|were|are)(?: been)? (?:off sick|sick|ill)\b"
    r"|\b(?:isn't|is not|wasn't|was not|hasn't been|has not been|haven't been|not been|not|never been|never) (?:off sick|sick|ill)\b(?! or)",
    re.I,
)


def in_scope(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text uses any scope word or phrase (a trailing * matches any ending; an ACRONYM matches only in capitals)."""
    if not words:
        return True
    text = _NOT_ABOUT.sub(" ", text)  # "nobody has been off sick, I just need the holiday figure"
    acronyms = {w for w in words if w.isupper()}
    if acronyms & set(re.findall(r"[A-Za-z]+", text)):  # "she's got ME", not "tell me"
        return True
    if names_any(text, tuple(w for w in words if " " in w)):  # "told me he wants to kill himself"
        return True
    found = set(re.findall(r"[a-z0-9'-]+", text.lower().replace("’", "'")))
    exact = {w for w in words if not w.endswith("*") and not w.isupper() and " " not in w}
    prefixes = tuple(w[:-1] for w in words if w.endswith("*"))
    return bool(found & exact) or any(f.startswith(prefixes) for f in found)
