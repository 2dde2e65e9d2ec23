"""Answer cards: validation names the file, the card and the field; figures must be in the cited sections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from onestop.cards import Card, load_cards, unsupported_figures, with_person_variants
from onestop.sections import markdown_sections, slugify

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    shutil.copytree(FIXTURES / "answers", corpus / "answers")
    return corpus


def test_slugs_are_lowercase_hyphenated_and_unique_within_a_file() -> None:
    assert slugify("How much Statutory Sick Pay is from 6 April 2026") == "how-much-statutory-sick-pay-is-from-6-april-2026"
    assert slugify("Employer's duty: what's \"reasonable\"?") == "employers-duty-whats-reasonable"
    body = "# Title\n\n## Pay\ntext\n\n### Returning early\nmore\n\n## Pay\nagain\n"
    sections = markdown_sections(body)
    assert [(s.level, s.slug, s.path) for s in sections] == [
        (2, "pay", "Pay"),
        (3, "returning-early", "Pay > Returning early"),
        (2, "pay-2", "Pay"),
    ]
    assert "more" in sections[0].text  # a section's text includes its subsections


def test_the_fixture_cards_are_valid(corpus: Path) -> None:
    cards = load_cards(corpus)
    assert cards.problems == []
    assert len(cards.cards) == 6
    card = cards.cards["ssp-how-much"]
    assert card.phrases[0] == card.question and len(card.phrases) == 6
    assert Card.from_json_text(card.to_json_text()) == card


def test_a_card_for_one_size_of_employer(corpus: Path) -> None:
    card = load_cards(corpus).cards["atw-who-pays"]
    assert card.staff == (0, 49)
    assert card.fits_staff(8) and card.fits_staff(None) and not card.fits_staff(50)
    assert Card.from_json_text(card.to_json_text()) == card
    assert load_cards(corpus).cards["ssp-how-much"].fits_staff(5000)  # no staff field: any size


def test_figures_must_appear_in_a_cited_section() -> None:
    assert unsupported_figures("You pay £123.25 a week for 28 weeks.", "£123.25 ... up to 28 weeks") == []
    assert unsupported_figures("You pay £125 a week from 1 May 2026.", "£123.25 from 6 April 2026") == ["125", "1"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("answer: Up to 28 weeks.", "answer: Up to 29 weeks."), "card ssp-how-long: answer states 29"),
        (
            lambda t: t.replace("statutory-sick-pay.md#how-long-statutory-sick-pay-lasts", "statutory-sick-pay.md#nope"),
            "card ssp-how-long: cites: no section",
        ),
        (lambda t: t.replace("    - ssp maximum\n", ""), "card ssp-how-long: asked_as needs at least 5"),
        (lambda t: t.replace("- id: ssp-how-long", "- id: ssp-how-much"), "id is already used"),
        (lambda t: t.replace("related: [ssp-how-long]", "related: [ssp-missing]"), "related card(s) ssp-missing do not exist"),
        (
            lambda t: t.replace("    - does ssp ever stop\n", "    - ssp rate 2026\n"),
            "asked_as 'ssp rate 2026' is also on card ssp-how-much",
        ),
        (
            lambda t: t.replace("    - does ssp ever stop\n", "    - ssp maximum\n"),
            "card ssp-how-long: asked_as 'ssp maximum' is repeated on this card",
        ),
        (
            lambda t: t.replace("last_reviewed: 2026-11-30\n  next_steps", "last_reviewed: 2026-13-45\n  next_steps"),
            "last_reviewed must be a real date",
        ),
        (
            lambda t: t.replace(
                "topics: [fit-notes]\n  last_reviewed: 2026-11-30\n- id", "topics: [fitnotes]\n  last_reviewed: 2026-11-30\n- id"
            ),
            "unknown topic 'fitnotes'",
        ),
        (lambda t: t.replace("staff: [0, 49]", "staff: [49, 0]"), "card atw-who-pays: staff must be [fewest, most]"),
        (
            lambda t: t.replace("- id: ssp-how-long\n", "- id: ssp-how-long\n  leads_when: kill himself\n"),
            "card ssp-how-long: leads_when must be a list of phrases",
        ),
        (
            lambda t: t.replace("- id: ssp-how-long\n", "- id: ssp-how-long\n  only_when: [Hangover]\n"),
            "card ssp-how-long: only_when must be a list of lowercase words",
        ),
    ],
)
def test_a_broken_card_is_reported_by_file_card_and_field(corpus: Path, edit, message: str) -> None:
    path = corpus / "answers" / "cards.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    problems = load_cards(corpus).problems
    assert any(p.startswith("answers/cards.yaml: ") and message in p for p in problems), problems


def test_check_command_reports_file_and_line(corpus: Path, capsys) -> None:
    from onestop.cli import main

    path = corpus / "answers" / "cards.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Up to 28 weeks.", "Up to 29 weeks."), encoding="utf-8")
    assert main(["check", "--corpus", str(corpus)]) == 1
    out = capsys.readouterr().out
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text == "- id: ssp-how-long")
    assert f"answers/cards.yaml:{line}: card ssp-how-long: answer states 29" in out


def test_a_card_leads_only_when_the_question_names_one_of_its_phrases_as_whole_words() -> None:
    card = Card("urgent", "Q?", ("a",) * 5, "A.", (), (), "2026-12-01", "x.yaml", leads_when=("kill himself", "self-harm"))
    assert card.must_lead("One of my lads told me he wants to KILL himself")
    assert card.must_lead("she mentioned self-harm")
    assert not card.must_lead("the machine could kill himselfish")  # whole words only
    assert not card.must_lead("off sick with his back")


def test_a_card_with_only_when_or_not_when_answers_only_the_situation_it_is_for() -> None:
    card = Card("sickie", "Q?", ("a",) * 5, "A.", (), (), "2026-12-01", "x.yaml", only_when=("hangover*", "don't believe"))
    assert card.fits_situation("pretty sure it's hangovers, can I refuse SSP?")
    assert card.fits_situation("I don't believe she was ill")
    assert not card.fits_situation("Our payroll notes say no SSP for the first 3 days, is that right?")
    assert Card("any", "Q?", ("a",) * 5, "A.", (), (), "2026-12-01", "x.yaml").fits_situation("anything at all")
    task = Card("task", "Q?", ("a",) * 5, "A.", (), (), "2026-12-01", "x.yaml", not_when=("questionnaire*",))
    assert task.fits_situation("can I ask if they can climb ladders?")
    assert not task.fits_situation("can I send a health questionnaire with the application form?")


def test_leads_when_phrases_are_written_once_for_he_and_cover_she_they_i_and_no_apostrophes() -> None:
    phrases = with_person_variants(["he'd be better off dead", "kill her and then himself"])
    assert {"she'd be better off dead", "they'd be better off dead", "id be better off dead", "hed be better off dead"} <= set(
        phrases
    )
    assert "kill her and then himself" in phrases  # as written: two different people
    card = Card("urgent", "Q?", ("a",) * 5, "A.", (), (), "2026-12-01", "x.yaml", leads_when=phrases)
    assert card.must_lead("keeps saying shed be better off dead")
    assert not card.must_lead("he'd be better off with a standing desk")


def test_a_leads_when_entry_with_plus_needs_every_term_and_a_star_matches_any_ending() -> None:
    card = Card(
        "urgent", "Q?", ("a",) * 5, "A.", (), (), "2026-12-01", "x.yaml", leads_when=("goodbye* + answer*", "gun* + for good")
    )
    assert card.must_lead("texted goodbye to everyone at 2am and isn't answering his phone")
    assert card.must_lead("asked where the gun cabinet key is, says he'll sort it for good")
    assert not card.must_lead("said goodbye to everyone at her leaving do")  # one term only
    assert not card.must_lead("the answer is in the gun safe policy")  # "answer" and "gun": neither pair complete
