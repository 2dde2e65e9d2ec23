"""Lint and spot-check the shipped guidance corpus (docs as tests)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from onestop.corpus import TOPICS, load_document, split_front_matter

CORPUS = Path(__file__).parents[1] / "corpus"
DOCUMENTS = sorted(CORPUS.glob("*.md"))
MAX_SECTION_WORDS = 400


def sections(path: Path) -> dict[str, str]:
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    parts = re.split(r"^## +(.+?)\s*$", body, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def words(text: str) -> int:
    return len(re.sub(r"<!--.*?-->", "", text, flags=re.S).split())


def test_there_are_at_least_30_documents() -> None:
    assert len(DOCUMENTS) >= 30


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_is_well_formed(path: Path) -> None:
    document = load_document(path, CORPUS)  # valid front matter, known topics, sources, date
    meta = document.meta
    assert any(s.url.startswith("https://") for s in meta.sources), "needs at least one https source"
    assert meta.last_reviewed <= dt.date.today(), "review date is in the future"
    found = sections(path)
    assert len(found) >= 2, "needs at least two ## sections"
    long = {name: words(text) for name, text in found.items() if words(text) > MAX_SECTION_WORDS}
    assert not long, f"sections over {MAX_SECTION_WORDS} words: {long}"
    assert 300 <= words(document.pages[0].text) <= 1300
    assert list(found)[-1] == "Where to find out more"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_internal_links_point_to_existing_documents(path: Path) -> None:
    targets = re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8"))
    broken = [t for t in targets if not t.startswith(("http://", "https://", "mailto:")) and not (CORPUS / t).is_file()]
    assert not broken


def test_titles_are_unique() -> None:
    titles = Counter(load_document(p, CORPUS).meta.title for p in DOCUMENTS)
    assert [t for t, n in titles.items() if n > 1] == []


def test_every_topic_has_at_least_two_documents() -> None:
    counts = Counter(t for p in DOCUMENTS for t in load_document(p, CORPUS).meta.topics)
    assert {t: counts[t] for t in TOPICS if counts[t] < 2} == {}


@pytest.mark.parametrize(
    ("file", "facts"),
    [
        ("statutory-sick-pay.md", [r"£123\.25", r"6 April 2026", r"80%|80 per cent", r"28 weeks"]),
        ("statutory-sick-pay-previous-rules.md", [r"£118\.75", r"£125", r"waiting days", r"applies_until: 2026-04-05"]),
        ("fit-notes.md", [r"phased return", r"altered hours", r"amended duties", r"workplace adaptations", r"pharmacists"]),
        ("access-to-work.md", [r"0800 121 7479", r"(employee|disabled person)[^.]{0,40}appl"]),
        ("access-to-work-applying.md", [r"12 weeks", r"Northern Ireland"]),
        ("access-to-work-mental-health-support.md", [r"273 days|9 months|nine months"]),
        ("getting-help.md", [r"0300 123 1100", r"Fit for Work", r"2018"]),
        ("pre-employment-health-questions.md", [r"section 60", r"conditional"]),
        ("occupational-health-referral.md", [r"£500", r"28"]),
        ("disability-confident.md", [r"Committed", r"Leader", r"interview"]),
        ("phased-returns.md", [r"£16\.45", r"£72", r"2016"]),
    ],
)
def test_key_facts_are_where_they_should_be(file: str, facts: list[str]) -> None:
    text = (CORPUS / file).read_text(encoding="utf-8")
    missing = [fact for fact in facts if not re.search(fact, text, re.I)]
    assert not missing


ROOT = CORPUS.parent
RESEARCH_NOTES = [
    r"not seen",
    r"we could not",
    r"our sources",
    r"we have not",
    r"when this guide was (written|last reviewed)",
    r"for this guid(e|ance)\b",
    r"sources behind this guidance",
    r"has found no source",
]


def _texts(pattern: str) -> dict[str, str]:
    paths = sorted(ROOT.glob(pattern))
    assert paths, f"nothing matches {pattern}"
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in paths}


@pytest.mark.parametrize(
    ("pattern", "present", "absent"),
    [
        pytest.param(
            "corpus/phased-returns.md",
            [r"G4S Cash Solutions v Powell \(2016\), the Employment Appeal Tribunal", r"lower-paid role", r"not a phased return"],
            [r"Court of Appeal"],
            id="powell-was-the-eat",
        ),
        pytest.param(
            "corpus/statutory-sick-pay-linked-periods.md",
            [
                r"form SSP1 by the start of the 23rd week",
                r"within 7 days of it ending",
                r"within 7 days of them going off sick",
                r"linked absences",
            ],
            [r"ends and the employee is still sick, you must give the employee form SSP1 within 7 days"],
            id="ssp1-deadlines-doc",
        ),
        pytest.param(
            "corpus/checklists/return-to-work.yaml",
            [
                r"id: plan-for-end-of-ssp\n[^#]*23rd week[^#]*within 7 days",
                r"id: linked_weeks_total",
                r"linked_weeks_total: \{min: 20\}",
            ],
            [r"give them form SSP1 within 7 days of it ending\.\n"],
            id="ssp1-deadlines-checklist",
        ),
        pytest.param(
            "corpus/interview-adjustments.md",
            [r"arranged through Jobcentre Plus", r"minimum wage", r"not paid work"],
            [r"eligibility rules on GOV.UK count work trials as paid work, so a candidate"],
            id="work-trial-interviews",
        ),
        pytest.param(
            "corpus/checklists/recruitment.yaml",
            [r"Jobcentre Plus", r"minimum wage"],
            [r"Access to Work counts work trials as paid work"],
            id="work-trial-recruitment-checklist",
        ),
        pytest.param(
            "corpus/supported-internships-apprenticeships.md",
            [r"trial arranged through Jobcentre Plus", r"unpaid trial shift[^.]*not paid work", r"minimum wage"],
            [r"may therefore be able to get Access to Work support"],
            id="work-trial-internships",
        ),
        pytest.param(
            "corpus/statutory-sick-pay.md",
            [
                r"set time on their first day",
                r"in person",
                r"special form",
                r"medical evidence for the first 7 days",
                r"accept late notice[^.]*good reason",
            ],
            [],
            id="ssp-notice-rules-ssp",
        ),
        pytest.param(
            "corpus/sickness-absence-basics.md",
            [
                r"set time on the first day",
                r"in person",
                r"special form",
                r"medical evidence for the first 7 days",
                r"good reason[^.]*accept the late notice",
            ],
            [],
            id="ssp-notice-rules-basics",
        ),
        pytest.param(
            "corpus/*.md",
            [
                r"Green Paper used the same name, the Mental Health Support Service",
                r"Learning and Work Institute report called it the Mental Health Advisory Service",
            ],
            [
                r"(?<!Learning and Work Institute report called it the )Mental Health Advisory",
                r"In 2016 the government noted that employers could choose to top up",
            ],
            id="2016-names-and-attribution",
        ),
        pytest.param(
            "corpus/statutory-sick-pay-linked-periods.md",
            [r"2016 Learning and Work Institute report noted that employers can choose to top up SSP"],
            [r"In 2016 the government"],
            id="linked-periods-2016-is-l-and-w",
        ),
        pytest.param(
            "corpus/pre-employment-health-questions.md",
            [
                r"60\(6\)",
                r"take part in an assessment",
                r"reasonable adjustments for the recruitment process",
                r"intrinsic to the job",
                r"monitoring diversity",
                r"positive action",
                r"occupational requirement",
            ],
            [r"which you should check on legislation.gov.uk if it applies"],
            id="section-60-exceptions",
        ),
        pytest.param(
            "corpus/long-term-absence.md",
            [r"substantial, long-term adverse effect on normal day-to-day activities", r"at least 12 months"],
            [r"may be a disability under the Equality Act 2010, for example if it has lasted"],
            id="disability-definition",
        ),
        pytest.param(
            "corpus/reasonable-adjustments-duty.md",
            [r"contract workers", r"self-employed contractors[^.]*not usually covered"],
            [r"employees, workers, contractors and job applicants"],
            id="contract-workers",
        ),
        pytest.param(
            "corpus/checklists/return-to-work.yaml",
            [
                r"id: adjust-absence-triggers\n[^#]*consider whether adjusting your absence triggers[^#]*may_be_disability: \[\"Yes\", \"Not sure\"\]",
                r"id: may_be_disability",
            ],
            [r"adjust absence triggers so the employee is not penalised"],
            id="absence-triggers-are-considered",
        ),
        pytest.param(
            "corpus/long-term-absence.md",
            [
                r"## Unfair dismissal qualifying period until 31 December 2026\n<!-- applies_until: 2026-12-31 -->\n[^#]*2 years' service",
                r"## Unfair dismissal qualifying period from 1 January 2027\n<!-- applies_from: 2027-01-01 -->\n[^#]*6 months[^#]*Employment Rights Act 2025[^#]*committed",
            ],
            [r"Currently an employee needs 2 years"],
            id="unfair-dismissal-dated",
        ),
        pytest.param("corpus/*.md", [r"special category data"], [r"sensitive personal data"], id="special-category-data"),
        pytest.param(
            "corpus/supported-internships-apprenticeships.md",
            [r"19 or over[^.]*no longer need English and maths", r"11 February 2025"],
            [r"In 2016 the government said it would make adjustments to the English and maths"],
            id="apprentice-english-and-maths",
        ),
        pytest.param(
            "corpus/disability-employment-gap.md",
            [
                r"5\.5 million disabled people in employment",
                r"April to June 2024",
                r"20 November 2024",
                r"met in 2022",
                r"https://www\.gov\.uk/government/collections/disability-facts-and-figures",
            ],
            [r"The figures in this guide date from 2013 to 2017"],
            id="disability-employment-gap-latest",
        ),
        pytest.param(
            "corpus/older-workers-health-conditions.md",
            [r"2009 European Commission report[^.]*3 million"],
            [r"In 2016 the Green Paper said that as many as 3 million"],
            id="carers-figure-is-2009",
        ),
        pytest.param(
            "corpus/rates.yaml",
            [
                r"applies_from: 2016-04-06\n(?:.*\n){0,4}\s+lower_earnings_limit: 112",
                r"national_living_wage:\n[^#]*applies_from: 2025-04-01\n\s+hourly_rate: 12\.21",
                r"applies_from: 2026-04-01\n\s+hourly_rate: 12\.71\n\s+age_band: \"21 and over\"",
            ],
            [r"2019-01-01", r"not seen", r"our sources"],
            id="rates-yaml",
        ),
        pytest.param(
            "onestop/ui/calculator_page.py",
            [r"national_living_wage_on\(rates"],
            [r"12\.21", r"12\.71"],
            id="nlw-default-not-hard-coded",
        ),
        pytest.param(
            "corpus/statutory-sick-pay-linked-periods.md",
            [r"more than 3 years", r"Form SSP1 lists this 3-year limit"],
            [r"Secondary sources also say that SSP stops"],
            id="three-year-limit-settled",
        ),
        pytest.param(
            "corpus/phased-returns.md",
            [r"Statutory Payments Manual", r"any work is not a day of incapacity"],
            [r"did no work at all\. The sources"],
            id="part-days-settled",
        ),
        pytest.param("corpus/*.md", [r"Where to find out more"], RESEARCH_NOTES, id="no-research-notes"),
    ],
)
def test_guidance2_correction_is_in_place(pattern: str, present: list[str], absent: list[str]) -> None:
    texts = _texts(pattern)
    joined = "\n".join(texts.values())
    missing = [fact for fact in present if not re.search(fact, joined, re.I)]
    still_there = [(name, bad) for name, text in texts.items() for bad in absent if re.search(bad, text, re.I)]
    assert not missing, missing
    assert not still_there, still_there
