"""Out-of-scope subjects: the referrals file is validated, matched on whole words, and answered with a pointer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from onestop.errors import DataFileError
from onestop.referrals import REFERRALS_FILE, find_referral, load_referrals

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 30)


def test_the_shipped_referrals_load_and_link_to_official_pages() -> None:
    referrals = load_referrals(REPO / "corpus")
    assert len(referrals) >= 10
    assert all(r.url.startswith(("https://www.gov.uk/", "https://www.acas.org.uk/")) for r in referrals)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How much redundancy pay do I owe?", "redundancy"),
        ("Do I have to auto-enrol a part-timer into the pension?", "pensions"),
        ("We are taking over a shop; does TUPE apply?", "tupe"),
        ("That was a stupendous effort", None),  # 'tupe' inside a word is not TUPE
        ("How much SSP do I pay?", None),
        ("Does the Equality Act cover religion?", "other-discrimination"),
        ("Which laws protect staff from age discrimination?", "other-discrimination"),
        # "benefit*" is one of onestop's words, but not inside the expenses subject's own phrase "benefit in kind"
        ("Is there a tax exemption for our staff Christmas party so it isn't a benefit in kind?", "expenses-and-benefits"),
    ],
)
def test_a_subject_is_found_by_whole_words(text: str, expected: str | None) -> None:
    found = find_referral(text, load_referrals(REPO / "corpus"))
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- id: x\n  name: X\n  phrases: [x]\n  help: Help.\n", "missing url"),
        ("- id: x\n  name: X\n  phrases: x\n  help: Help.\n  url: https://www.gov.uk/x\n", "phrases must be a list"),
        ("- id: x\n  name: X\n  phrases: [x]\n  help: Help.\n  url: http://example.com\n", "https://"),
        ("id: x\n", "must be a list"),
        ("- [unclosed\n", "cannot be read"),
        (
            "- id: x\n  name: X\n  phrases: [x]\n  help: Help.\n  url: https://www.gov.uk/x\n  employment: maybe\n",
            "true or false",
        ),
    ],
)
def test_a_bad_referrals_file_names_the_entry_and_field(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / REFERRALS_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_referrals(tmp_path)


def test_an_out_of_scope_subject_is_declined_with_the_official_page(cards_pipeline) -> None:
    answer = cards_pipeline.ask("How much redundancy pay do I owe someone who is 45 with 6 years' service?", today=TODAY)
    assert answer.refused and answer.referral == "redundancy"
    assert "https://www.gov.uk/redundancy-your-rights" in answer.text
    assert answer.to_json()["referral"] == "redundancy"


def test_a_business_matter_is_declined_without_the_employment_helpline(cards_pipeline) -> None:
    answer = cards_pipeline.ask("Do I need to register for VAT when my turnover goes up?", today=TODAY)
    assert answer.refused and answer.referral == "tax-and-payroll"
    assert "https://www.gov.uk/browse/business" in answer.text
    assert "Acas" not in answer.text and answer.citations == ()


def test_a_well_matched_question_is_answered_even_if_it_names_an_out_of_scope_subject(cards_pipeline) -> None:
    answer = cards_pipeline.ask("How much statutory sick pay do I have to pay? Her maternity pay starts later.", today=TODAY)
    assert not answer.refused and answer.referral is None
    assert "£123.25" in answer.text


def test_a_subject_named_only_in_the_story_does_not_refer_a_question_about_ours(cards_pipeline) -> None:
    passing = cards_pipeline.ask(
        "She is on PAYE and works three days. How much statutory sick pay do I have to pay?", today=TODAY
    )
    assert not passing.refused and passing.referral is None
    assert "£123.25" in passing.text
    # "Was that wrong?" asks about what the sentence before it tells; a message with no question asks in its last sentence
    done = cards_pipeline.ask(
        "We are all on PAYE here. He phoned in sick on Monday and I told him statutory sick pay starts on day four. "
        "Was that wrong?",
        today=TODAY,
    )
    assert done.referral is None
    plan = cards_pipeline.ask(
        "He is on a fixed-term contract. He has been off sick since Monday and I plan not to pay him statutory sick pay",
        today=TODAY,
    )
    assert plan.referral is None
    story = cards_pipeline.ask(  # the story is the subject; "get back" is not about a bad back
        "She wants to opt out of the workplace pension. Can I fill in the form for her, and does she get back what was taken?",
        today=TODAY,
    )
    assert story.refused and story.referral == "pensions"
    # A short question pointing back is asked about the sentence before it, which names sick pay, not PAYE
    family = cards_pipeline.ask(
        "He is on PAYE like everyone else. My wife reckons we don't have to pay him statutory sick pay because he's "
        "family. Do we have to pay it properly?",
        today=TODAY,
    )
    assert family.referral is None and not family.refused
    # What a bare "Is that OK?" asks about (the plan and the sentence before it) still refers a subject it names
    maternity = cards_pipeline.ask(
        "She told me she's pregnant. I'm planning to pay her maternity pay at the lower rate only. Is that OK?", today=TODAY
    )
    assert maternity.referral is not None
    contract = cards_pipeline.ask("She is off sick. Does her zero hours contract have to be in writing?", today=TODAY)
    assert contract.referral == "types-of-worker"


def test_scope_words_match_whole_words_and_prefixes() -> None:
    from onestop.referrals import in_scope, load_scope

    words = load_scope(REPO / "corpus")
    assert in_scope("She has been off with sickness since May", words)  # sick* matches sickness
    assert in_scope("new hire uses a wheelchair", words)
    assert not in_scope("How do I register my van for VAT?", words)
    assert in_scope("her slipped disc is still painful", words) and not in_scope("What paint suits a cafe counter?", words)
    assert in_scope("anything at all", ())  # no scope file: nothing is out of scope
    assert in_scope("he turned up high on something", words)  # a phrase of several words
    assert not in_scope("we are high on the list for a grant", ("high on something",))
    assert in_scope("My receptionist has told me she's got ME", words)  # an acronym, in capitals
    assert not in_scope("Can you tell me how to set up a limited company?", words)  # "me" is not ME
    assert not in_scope("How many days' holiday does she get? Nobody has been off sick.", words)  # a negated subject
    assert not in_scope("Holiday pay for a waitress who has never been off sick?", words)
    assert in_scope("not sure if she is really sick", words)
    assert in_scope("ssp1 form deadline?", words)
    assert in_scope("I docked her pay because she only had a self-cert", words)  # self-cert* is ours


def test_a_bad_scope_file_is_named(tmp_path: Path) -> None:
    from onestop.referrals import load_scope

    (tmp_path / "scope.yaml").write_text("words: [Sick Pay]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="scope.yaml: words must be"):
        load_scope(tmp_path)


def test_danger_words_are_read_from_the_scope_file_and_a_bad_list_is_named(tmp_path: Path) -> None:
    from onestop.referrals import DangerWords, load_danger_words

    (tmp_path / "scope.yaml").write_text(
        "words: [sick*]\ndanger: [blood*, passed out, chest]\nnot_danger: [chest infection*]\n", encoding="utf-8"
    )
    danger = load_danger_words(tmp_path)
    assert danger == DangerWords(("blood*", "passed out", "chest"), ("chest infection*",))
    assert danger.count("off with a chest infection") == 0  # an everyday phrase that uses a danger word harmlessly
    assert danger.count("off with a chest infection, now his chest is tight and he passed out") == 2
    (tmp_path / "scope.yaml").write_text("words: [sick*]\ndanger: [Blood]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="scope.yaml: danger must be"):
        load_danger_words(tmp_path)


def test_a_moderate_match_for_a_question_outside_the_scope_words_is_not_answered(cards_pipeline) -> None:
    from onestop.compose import Thresholds
    from onestop.evaluate import with_thresholds

    question = "What do I pay each week?"  # near the SSP card, but about none of onestop's subjects
    moderate = Thresholds(card=0.2, card_sure=2.0, section=2.0)  # every match counts as moderate here
    guarded = with_thresholds(cards_pipeline, moderate)
    declined = guarded.ask(question, today=TODAY)
    assert declined.refused and declined.text.startswith("onestop covers disability, health and sickness at work")
    assert "https://www.gov.uk/browse/business" in declined.text and "0300 123 1100" in declined.text
    assert declined.suggestions  # the closest questions are still offered
    unguarded = with_thresholds(cards_pipeline, moderate)
    unguarded.composer.scope = ()
    assert not unguarded.ask(question, today=TODAY).refused  # the scope words are what declined it
    assert not guarded.ask("What do I pay someone who is off sick each week?", today=TODAY).refused


def test_a_named_subject_in_a_question_without_scope_words_is_referred_even_on_a_strong_match(cards_pipeline) -> None:
    from onestop.compose import Thresholds
    from onestop.evaluate import with_thresholds

    strong = with_thresholds(cards_pipeline, Thresholds(card=0.2, card_sure=0.3))  # every card match counts as sure
    question = "Do I still owe redundancy pay when the business closes?"  # names redundancy, no onestop subject
    assert strong.ask(question, today=TODAY).referral == "redundancy"
    in_scope = "How much statutory sick pay do I have to pay? Her maternity pay starts later."
    assert strong.ask(in_scope, today=TODAY).referral is None  # about sick pay: the card answers


def test_a_decisive_phrase_asks_about_the_subject_itself() -> None:
    referrals = load_referrals(REPO / "corpus")
    family = next(r for r in referrals if r.id == "family-leave-and-pay")
    question = "She's pregnant and due in March. How many weeks of maternity leave can she take?"
    assert family.asked_about(question) and find_referral(question, referrals, decisive_only=True) == family
    assert not family.asked_about("She is off sick with pregnancy sickness. Does that start her maternity leave?")
    young = next(r for r in referrals if r.id == "young-workers")
    assert young.asked_about("How many hours can a 16-year-old work in the holidays?")
    assert not young.asked_about("Our 17-year-old apprentice is off sick. Do we pay SSP?")  # an SSP question, not hours
    pay = next(r for r in referrals if r.id == "pay-rates")  # pay named in an SSP question describes the worker
    assert not pay.asked_about("She is 18 and on the minimum wage for her age, off with tonsillitis. What sick pay?")
    assert not pay.asked_about("His apprentice pay is £7.55 an hour for 35 hours. What SSP is due?")
    benefits = next(r for r in referrals if r.id == "expenses-and-benefits")
    assert benefits.asked_about("How is company car tax worked out for a van?")
    assert not benefits.asked_about("If we pay for income protection cover, is it a benefit in kind?")  # a GIP card's question
    assert not benefits.asked_about("He drives a company car for work and has epilepsy now. Can he keep driving?")


def test_decisive_phrases_must_be_a_list(tmp_path: Path) -> None:
    (tmp_path / "referrals.yaml").write_text(
        "- {id: x, name: x, phrases: [x], help: x, url: 'https://x.gov.uk', decisive: oops}\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match="decisive must be a list"):
        load_referrals(tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "referral"),
    [
        ("How many hours can a 17-year-old apprentice work a week?", "young-workers"),
        ("Does the Equality Act cover religion?", "other-discrimination"),
        ("Which laws protect staff from age discrimination?", "other-discrimination"),
        # "benefit*" is one of onestop's words, but not inside the expenses subject's own phrase "benefit in kind"
        ("Is there a tax exemption for our staff Christmas party so it isn't a benefit in kind?", "expenses-and-benefits"),
        ("minimum wage 18 year old apprentice", "pay-rates"),  # "apprentice" alone is one of ours (recruitment)
        ("Does an apprentice get paid for college days?", "pay-rates"),
        ("Our company car policy says staff pay for fuel. Is that a taxable benefit?", "expenses-and-benefits"),
    ],
)
def test_a_neighbouring_card_does_not_answer_another_subject(corpus_pipeline, question: str, referral: str) -> None:
    answer = corpus_pipeline.ask(question, today=TODAY)
    assert answer.referral == referral and not answer.parts


def test_bullying_that_caused_the_illness_is_background_to_a_health_question() -> None:
    referrals = load_referrals(REPO / "corpus")
    question = "My site manager says the office manager is bullying him and it's causing stress. He's now off sick."
    assert find_referral(question, referrals) is not None  # named, so a question about nothing of ours is referred
    assert find_referral(question, referrals, about_our_subjects=True) is None
    procedure = "She is off with stress over it. How do I investigate a bullying complaint?"
    assert find_referral(procedure, referrals, about_our_subjects=True).id == "grievances-and-conduct"


def test_the_workforce_on_paye_or_a_health_benefit_in_kind_is_background_to_a_health_question() -> None:
    referrals = load_referrals(REPO / "corpus")
    ptsd = "20 riders on PAYE. One was diagnosed with PTSD after an assault. Does she count as disabled?"
    assert find_referral(ptsd, referrals, about_our_subjects=True) is None
    gip = "If we pay all the group income protection premiums, will staff be taxed on it as a benefit in kind?"
    assert find_referral(gip, referrals, about_our_subjects=True) is None
    assert find_referral("Do I need to register for VAT?", referrals).id == "tax-and-payroll"
    assert find_referral("How is company car tax worked out?", referrals, about_our_subjects=True).id == "expenses-and-benefits"


@pytest.mark.slow
def test_a_health_benefit_asked_about_as_a_benefit_in_kind_is_answered(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "We're thinking about group income protection cover. If the company pays all the premiums, will the staff be "
        "taxed on it as a benefit in kind?",
        today=TODAY,
    )
    assert answer.referral is None and answer.parts and answer.parts[0].card_id.startswith("gip-tax")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "card_id"),
    [
        ("She's on minimum wage and off sick. How much SSP do I pay?", "ssp-low-earners"),
        ("Our apprentice is off sick, does she get SSP?", "ssp-apprentices"),
        # the story pulls up a mental health card; the question itself names SSP
        (
            "She came back from maternity leave and is now off sick with postnatal depression. Do I pay SSP?",
            "abs-pregnancy-sick-pay",
        ),
    ],
)
def test_a_pay_or_family_leave_word_in_a_sick_pay_question_does_not_refer_it(corpus_pipeline, question, card_id) -> None:
    answer = corpus_pipeline.ask(question, today=TODAY)
    assert answer.referral is None and [p.card_id for p in answer.parts][:1] == [card_id]
