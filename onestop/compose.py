"""Compose the answer: each part of the question from its best answer card, else from a guidance section.

The flow for one question: split it into parts (questions plus the scenario around them),
match every part to the answer cards question-to-question, answer each matched part under
a short label with the card's cited sections, add a worked figure where the question gives
numbers, add situation cautions, and fall back to the sections (or a near miss, or a
refusal) when no card fits well.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from onestop.answer import Answer, Citation, ExtractiveAnswerer, Part, date_notices, evidence_strength
from onestop.calculators import (
    LINK_GAP_DAYS,
    access_to_work_cost_share,
    bradford_factor,
    cost_share_threshold,
    pounds,
    spells_link,
    ssp_for_days,
    ssp_rate_on,
    weekly_ssp,
)
from onestop.cards import Card
from onestop.chunking import join_chunks
from onestop.dated_rules import (
    qualifying_service_figure,
    riddor_over_7_days_figure,
    riddor_specified_figure,
    treatment_tax_figure,
)
from onestop.errors import OneStopError
from onestop.questions import (
    MAX_PARTS,
    Figures,
    ParsedQuestion,
    asks_for,
    asks_its_terms,
    asks_something,
    is_elliptical,
    is_generic_follow_up,
    names_northern_ireland,
    parse_question,
    placed_in_calendar,
    question_words,
    with_northern_ireland,
)
from onestop.referrals import DangerWords, Referral, find_referral, in_scope
from onestop.retrieve import CardMatch, Retriever
from onestop.text import STOPWORDS, long_date, names_any, tokens, without_phrases

NEAR_TIE = 0.05  # a part whose best card beats a chosen card by less than this counts as answered by it
URGENT_CARDS = 2  # at most two urgent-help cards lead (an overdose: the medical emergency, then the person at risk)


@dataclass(frozen=True)
class Thresholds:
    """When a card, a section, a near miss or a refusal answers; calibrated on the dev split only.

    The defaults come from `onestop eval --split dev --calibrate` on tests/eval/managers.jsonl;
    the test split is never used to set them.
    """

    card: float = 0.6  # a card answers a part when its best phrase is at least this close
    card_sure: float = 0.75  # at or above this, a card answers even if the question names an out-of-scope subject
    card_certain: float = 0.85  # below this, a question asking about an out-of-scope subject itself is referred
    closest_label: float = 0.65  # below this, an answer is labelled "the closest question onestop answers"
    section: float = 0.55  # with no card, a section answers when its chunk is at least this close
    near_miss_card: float = 0.5  # below those, offer the closest cards instead of refusing
    runner_up: float = 0.04  # a second card within this much of the best also answers (two readings of one question)
    later_part: float = 0.55  # once one part has its card, a later part is answered from this (dev, dev2, dev3: parts up)
    near_miss_section: float = 0.5


# Scope words too common to show on their own that a question asks about onestop's subjects ("does she get back
# what's been taken?", "working from home"): they still bring a question into scope, but not past a referral.
_LOOSE_SCOPE_WORDS = frozenset(
    "back off home fit note signed income insurance access hire hiring supported heart return* flexible flexi hybrid "
    "wfh workplace cope coping crisis attendance broken".split()
)
MAX_CAUTIONS = 2
# A verdict that a refusing plan is not right needs the card among the few closest to the plan alone. Set from the
# author's own plans ("refuse her SSP because she told us late" got the low-earners card at rank 58), not from eval sets.
PLAN_CARD_RANK = 3
# A claim checked against a card must be a near paraphrase of the card's own question, which its "Yes"/"No"
# answers: an asked_as phrase may ask something else the answer also covers ("is it only for big firms?" on a card
# asking "does it cost anything?"). Set from the author's own claims (a wrong verdict at 0.69), not from any eval set.
CLAIM_ON_CARD_QUESTION = 0.75
_ASKS_AMOUNT = re.compile(
    r"\bhow much\b|\bwhat (?:do|should|would|will|must) (?:i|we) (?:have to )?pay\b|\bwhat (?:is|are) (?:she|he|they) (?:due|owed|entitled)|"
    r"\b(?:owe|owed|total|altogether|entitled|amount)\b|\bwhat (?:ssp|sick pay)\b|\ba week\?",
    re.I,
)
_ASKS_SSP_END = re.compile(
    r"\b(?:runs?|ran) out\b|\b(?:end|ends|stop|stops|finish|finishes)\b|\bssp1\b|\b28 weeks\b|\bexhaust", re.I
)
_SSP_ALREADY_ENDED = re.compile(
    r"\b(?:ssp|sick pay)\b[^.?!]{0,20}\b(?:ran out|has run out|had run out|has ended|ended|has stopped|stopped|has finished|finished|expired)\b",
    re.I,
)
_ASKS_SHARE = re.compile(
    r"\bhow much\b|\bshare\b|\bwhat (?:do|will|would|should) we pay\b|\bcontribut|\bcosts?\b|\bpay (?:for|towards|anything)\b",
    re.I,
)
# "Can I say no because of the cost?" asks for a verdict first; the share worked out follows it.
_NAMES_ACCESS_TO_WORK = re.compile(r"\baccess to work\b|\batw\b", re.I)
_ASKS_REFUSAL = re.compile(r"\bsay no\b|\brefus|\bturn (?:it |this |that |them |her |him )?down\b|\breject", re.I)
_ABOUT_PAYING = re.compile(r"\bpay(?:s|ing)?\b|\bshare\b|\bcontribut", re.I)
# An opening verdict, and what turns a question's polarity ("can I refuse…?" against "must I agree…?")
_YES_NO_OPENER = re.compile(r"(?:Yes|No|Usually not|Not usually|Usually,? yes)(?:[,:]\s+|\.\s+)(?=[A-Za-z])")
# Words that turn a question round without "not": "Is it optional?" asks the opposite of "Do I have to?"
_OPPOSITE_SENSE = re.compile(
    r"\boptional\b|\bexempt|\billegal\b|\bbanned\b|\bagainst the law\b|\bunlawful\b|\bstops? (?:being|counting)\b"
    r"|\bno longer\b|\breplaces?\b|\binstead of\b|\btax[- ]free\b|\bstill no\b|\bwrong\b"
    r"|\bstops? (?:his |her |their |the )?(?:sick )?pay\b",
    re.I,
)
_NEGATIVE = re.compile(
    r"\bnot\b|n't\b|\bnever\b|\bcannot\b|\bsay no\b|\brefus|\breject|\bturn\w* (?:\w+ )?down\b|\blos(?:e|es|ing)\b"
    r"|\bstop(?:s|ped|ping)? pay|\bunpaid\b",
    re.I,
)
_CHOICE = re.compile(r"\w \bor\b \w", re.I)
# "Is there still a lower earnings limit?": a card's "Yes, low earners can get SSP" would read as "yes, there is a limit"
_ASKS_IF_A_BAR_EXISTS = re.compile(
    r"\b(?:is|are) there (?:still )?(?:a|an|any)\b[^?.]{0,30}?\b(?:limit|threshold|minimum|waiting days?|cap|"
    r"qualifying period|restrictions?)\b",
    re.I,
)
# "His manager says he can't count as disabled yet. Is that right?": a card's "Yes" would read as agreeing with the claim.
_CHECKS_A_CLAIM = re.compile(
    r"\b(?:is|was|are) (?:that|this|he|she|they|it|(?:my|our|the|his|her) \w+) (?:still )?(?:right|correct|true|the case|legit)\b"
    r"|\bis that (?:still )?(?:so|how it works)\b|\b(?:am i|are we) right\b",
    re.I,
)
# Support Access to Work funds in full: the equipment cost share does not apply to it.
_FULLY_FUNDED = re.compile(
    r"\bsupport workers?\b|\bjob coach|\btravel\b|\btaxis?\b|\binterpreters?\b|\bmental health support\b", re.I
)
_NAMES_EQUIPMENT = re.compile(
    r"\b(?:equipment|kit|phones?|software|chairs?|desks?|laptops?|screens?|keyboards?|devices?|hearing loops?|adaptations?)\b",
    re.I,
)
_ASKS_DAILY = re.compile(r"\bdaily\b|\bper day\b|\ba day\b|\bday rate\b|\bfor (?:one|1|a single) day\b", re.I)
_PHASED = re.compile(r"\bphased\b|\b(?:reduced|fewer|shorter) hours\b", re.I)
# "the most SSP anyone can get", "total SSP over 28 weeks": money, not how many weeks or days
_ASKS_MOST_MONEY = re.compile(
    r"\b(?:most|max(?:imum)?)\b(?! (?:number of )?(?:weeks|days))[^.?!]{0,30}\b(?:ssp|sick pay)\b(?![^.?!]{0,12}\b(?:weeks?|days?|last)\b)"
    r"|\b(?:ssp|sick pay)\b[^.?!]{0,30}\b(?:in total|altogether)\b",
    re.I,
)
# "…and what's the total he could get?": money over the whole entitlement, asked beside something else
_ASKS_TOTAL = re.compile(
    r"\btotal\b|\baltogether\b|\bin all\b|\bhow much (?:could|would|will|can|might) (?:he|she|they) get\b", re.I
)
_ASKS_MOST_DAYS = re.compile(
    r"\b(?:max(?:imum)?|most|how many)\b(?: number of)?(?: (?:her|his|their|the))?(?: (?:working|qualifying|work))? days\b", re.I
)
# "what do I pay her each week?": the weekly amount leads, the total for the weeks off follows
_ASKS_WEEKLY = re.compile(r"\b(?:each|every|per) week\b|\bweekly (?:amount|rate|figure|ssp)\b|\ba week\?", re.I)
# "what was the deadline, have we missed it?", "how long do we have to report it?": the dated deadline is the answer
_ASKS_DEADLINE = re.compile(
    r"\bdeadline\b|\bby when\b|\bmissed\b|\btoo late\b|\blast (?:day|date)\b|\bhow (?:long|many days) do (?:we|i) have\b"
    r"|\bwhen (?:do|must|should|did) (?:we|i) (?:have to |need to )?(?:report|tell)\b|\bdue\b",
    re.I,
)
# "could she claim unfair dismissal?", "does he have enough service?": their service against the qualifying period
_ASKS_CLAIM = re.compile(
    r"\bclaim\b|\btribunal\b|\bunfair(?:ly)? dismiss|\bservice\b|\b(?:2|two) years\b|\bprotected\b|\brights?\b|\bsue\b",
    re.I,
)
# A choice between amounts ("the full £123.25 or less?"): answered by the figure worked out, not by "Yes"
_AMOUNT_CHOICE = re.compile(r"£\s?\d[\d,.]*\s+(?:a week\s+)?or\s+(?:less|more|lower|higher|only)\b", re.I)
_NAMES_DISMISSAL = re.compile(
    r"\bdismiss|\bsack|\bfire\b|\blet (?:him|her|them) go\b|\bget rid\b|\bend (?:his|her|their) (?:job|employment|contract)\b"
    r"|\b(?:job|employment|contract) (?:ends|will end|is ending|to end)\b|\bterminat"
    r"|\btribunal\b|\bunfair dismissal\b",
    re.I,
)
# What a question asks that makes a dated rule's figure lead ("have we missed the deadline?", "how much is tax-free?")
_ASKS_DATED_RULE = {
    "riddor-over-7-days": _ASKS_DEADLINE,
    "riddor-specified": _ASKS_DEADLINE,
    "qualifying-service": _ASKS_CLAIM,
    "treatment-tax": _ASKS_AMOUNT,
}
_ASKS_FIT_NOTE = re.compile(r"\b(?:fit|sick|doctor'?s?|medical|gp) ?note\b|\bself[- ]?cert", re.I)
# Their worked figure answers the question, so it comes before the card's answer.
VERDICT_CALCULATORS = (
    "ssp",
    "ssp-linking",
    "bradford-factor",
    "ssp-end",
    "phased-return-pay",
    "ssp-straddle",
    "holiday-carry-over",
)
CARRY_OVER_WEEKS = 4  # statutory holiday that sickness lets them carry into the next leave year
SSP_MAX_WEEKS = 28
SSP1_DUE_AFTER_WEEKS = 22  # form SSP1 is due by the start of the 23rd week
MAX_SUGGESTIONS = 3
DANGER_LINE = "**If anyone is in danger now, call 999.**"
NEAR_MISS_LEAD = (
    "onestop's guidance may not answer exactly this. These are the closest questions it does answer; "
    "choose one, or ask again in other words:"
)
OUTSIDE_LEAD = (
    "onestop covers disability, health and sickness at work, and this question looks like it is about "
    "something else, so it will not guess."
)
BUSINESS_URL = "https://www.gov.uk/browse/business"


class CardAnswerer:
    """Answers from answer cards first, then guidance sections; says so when neither is close."""

    def __init__(
        self,
        retriever: Retriever,
        sections: ExtractiveAnswerer,
        rates: dict | None,
        thresholds: Thresholds = Thresholds(),
        referrals: tuple[Referral, ...] = (),
        scope: tuple[str, ...] = (),
        danger: DangerWords = DangerWords(),
    ) -> None:
        self.retriever = retriever
        self.danger = danger
        self.sections = sections
        self.rates = rates
        self.thresholds = thresholds
        self.referrals = referrals
        self.scope = scope
        self.core_scope = tuple(w for w in scope if w not in _LOOSE_SCOPE_WORDS)  # scope words that show what is asked
        self.referral_phrases = tuple(p for r in referrals for p in r.phrases)  # the out-of-scope subjects' own words

    def answer(
        self,
        question: str,
        resolved: str,
        topics: Sequence[str],
        k: int,
        notices: tuple[str, ...] = (),
        today: dt.date | None = None,
    ) -> Answer:
        """Answer a cleaned, follow-up-resolved question."""
        answer = self._compose(question, resolved, topics, k, notices, today)
        cards = [self.retriever.cards.get(p.card_id) for p in answer.parts if p.card_id]
        if cards and cards[0] is not None and cards[0].leads_when:  # urgent help already leads
            return answer
        # No urgent card's phrase matched, but someone may be in danger: one danger word when no card answers (a
        # refusal, a near miss, a guidance section), two different ones over an ordinary card's answer.
        if self.danger.count(resolved) >= (2 if cards else 1):
            return _with(answer, text=f"{DANGER_LINE}\n\n{answer.text}")
        return answer

    def _compose(
        self,
        question: str,
        resolved: str,
        topics: Sequence[str],
        k: int,
        notices: tuple[str, ...] = (),
        today: dt.date | None = None,
    ) -> Answer:
        today = today or dt.date.today()
        resolved = with_northern_ireland(resolved)
        parsed = placed_in_calendar(parse_question(resolved), today)
        urgent = self._urgent_cards(parsed.text)  # someone may be at risk: never declined, never referred elsewhere
        chosen, closest, unanswered = self.match(parsed, topics, urgent)
        best_card = closest[0].score if closest else 0.0
        about_our_subjects = bool(urgent) or in_scope(resolved, self.scope)
        # A subject onestop does not cover, named in a question that matches a card only moderately or
        # uses none of onestop's words ("do bank holidays count in the 5.6 weeks?"): point to the right page.
        # A subject named in passing in the story does not refer a question that asks about ours ("she's on PAYE …
        # how much SSP do we pay her?"); named in what is asked, or in a story around a question on nothing of ours, it does.
        asked_about = parsed.asked_about
        asks_ours = asked_about != resolved and in_scope(asked_about, self.core_scope)
        referral_text = asked_about if asks_ours else resolved
        referral = (
            find_referral(referral_text, self.referrals, about_our_subjects=self._about_our_subjects(resolved))
            if best_card < self.thresholds.card_sure or not about_our_subjects
            else None
        )
        if referral is None and best_card < self.thresholds.card_certain:  # "how many weeks of maternity leave…?"
            referral = find_referral(resolved, self.referrals, decisive_only=True)
        if referral is not None and not urgent:
            return self.refer(question, resolved, referral, notices)
        # A moderate match for a question about none of onestop's subjects: do not guess from a neighbour.
        outside = best_card < self.thresholds.card_sure and not about_our_subjects
        if chosen and not outside:
            urgent_ids = frozenset(c.id for c in urgent)
            return self.from_cards(question, parsed, chosen, notices, today, unanswered, topics, k, urgent_ids)
        hits = self.retriever.hybrid(resolved, k, topics)
        strength = evidence_strength(hits)
        suggestions = tuple(m.card.question for m in closest[:MAX_SUGGESTIONS])
        if strength >= self.thresholds.section and not outside:
            answer = self.sections.answer_from(question, resolved, hits, notices)
            if not answer.refused:
                part = Part(resolved, None, strength)
                return _with(answer, parts=(part,), suggestions=suggestions)
        refusal = self.sections.refuse(question, resolved, notices)
        if outside:  # about none of onestop's subjects: say so, and still offer the closest questions as buttons
            return self.outside(refusal, suggestions)
        if suggestions and (best_card >= self.thresholds.near_miss_card or strength >= self.thresholds.near_miss_section):
            body = _help_body(refusal)
            listed = "\n".join(f"- {s}" for s in suggestions)
            text = f"{NEAR_MISS_LEAD}\n\n{listed}" + (f"\n\nFor advice on your situation: {body}" if body else "")
            return _with(refusal, text=text, refused=False, near_miss=True, suggestions=suggestions)
        return refusal

    def outside(self, refusal: Answer, suggestions: tuple[str, ...]) -> Answer:
        """Decline a question about none of onestop's subjects, pointing to help for employment and for business questions."""
        body = _help_body(refusal)
        text = OUTSIDE_LEAD + (f"\n\nFor an employment question: {body}" if body else "")
        text += f"\n\nFor other business questions, start at GOV.UK's business pages: [{BUSINESS_URL}]({BUSINESS_URL})"
        return _with(refusal, text=text, suggestions=suggestions)

    def refer(self, question: str, resolved: str, referral: Referral, notices: tuple[str, ...]) -> Answer:
        """Decline a question about a subject onestop does not cover, pointing to the official page."""
        refusal = self.sections.refuse(question, resolved, notices)
        body = _help_body(refusal)
        text = (
            f"onestop's guidance does not cover {referral.name}: it is about disability, health and sickness at work. "
            f"{referral.help} [{referral.url}]({referral.url})"
        )
        if body and referral.employment:  # the employment helpline, for employment matters only
            text += f"\n\nFor advice on your own situation: {body}"
        citations = refusal.citations if referral.employment else ()
        return _with(refusal, text=text, referral=referral.id, citations=citations)

    def match(
        self, parsed: ParsedQuestion, topics: Sequence[str], urgent: Sequence[Card] = ()
    ) -> tuple[list[tuple[str, CardMatch]], list[CardMatch], list[str]]:
        """The cards answering each part (at most three, none repeated), the closest cards, and parts no chosen card answers."""
        position: dict[str, int] = {parsed.text: 0}  # each distinct text is embedded once

        def text_index(text: str) -> int:
            return position.setdefault(text, len(position))

        # A part is matched with the scenario around it: alone, "does she need to have worked here
        # first?" is elliptical and short texts win the phrase match for the wrong reasons.
        variants = [text_index(matching_text(parsed, n)) for n in range(len(parsed.parts))]
        # The question sentences alone, for when the scenario's nouns pull every card away ("off with a broken leg …
        # how often should I contact him?"): used only when no card fits the question with its scenario.
        alone = [(part, text_index(part)) for part in parsed.parts if asks_something(part)] if parsed.context else []
        if parsed.plan:  # "… I plan to take the cost out of her wages. OK?": the plan, asked as "can I …?", in its scenario
            alone.append((parsed.plan, text_index(f"{parsed.context} {parsed.plan}")))
        staff = parsed.figures.staff  # a card written for another size of employer never answers
        in_ni = names_northern_ireland(parsed.text)  # a card on Northern Ireland's own rules answers only for employers there
        matches = [
            [
                m
                for m in ranked
                if m.card.fits_staff(staff) and m.card.fits_situation(parsed.text) and (in_ni or m.card.applies_to != ("NI",))
            ]
            for ranked in self.retriever.match_cards(list(position), topics)
        ]
        # the plan is story, not the subject asked about ("… and keep her on SSP. Is that allowed?")
        asked_in = {0: " ".join(parsed.parts), **{i: part for part, i in zip(parsed.parts, variants)}}
        matches = [led_by_named_subject(ranked, asked_in.get(i, "")) for i, ranked in enumerate(matches)]
        whole = matches[0]
        per_part = [(part, matches[i][0]) for part, i in zip(parsed.parts, variants) if matches[i]]
        closest = _distinct(whole + [m for i in variants for m in matches[i][:MAX_SUGGESTIONS]])
        chosen = assign_cards(
            parsed.parts,
            [matches[i] for i in variants],
            self.thresholds.card,
            self.thresholds.later_part,
        )
        chosen = self._terms_from_related(chosen)
        if not chosen and alone:  # no card fits the question with its scenario: try the question sentences alone
            chosen = assign_cards(
                [part for part, _ in alone], [matches[i] for _, i in alone], self.thresholds.card, self.thresholds.later_part
            )
            if chosen:
                per_part = [(part, matches[i][0]) for part, i in alone if matches[i]]
                whole = []
                closest = _distinct([m for _, i in alone for m in matches[i][:MAX_SUGGESTIONS]] + closest)
        if len(chosen) < 2:  # one need: the best single card for the whole question or any part
            pool = whole[:1] + [m for _, m in per_part]
            if len(parsed.parts) > 1 and chosen:  # the card that answers one of the parts, not a looser fit for the whole
                pool = [chosen[0][1]]
            best = max(pool, key=lambda m: m.score, default=None)
            chosen = [(parsed.text, best)] if best is not None and best.score >= self.thresholds.card else []
            runner = next((m for m in closest if chosen and m.card.id != chosen[0][1].card.id), None)
            if runner is not None and is_second_reading(chosen[0][1], runner, self.thresholds):
                asked = parsed.parts[0] if len(parsed.parts) == 1 else parsed.text
                readings = readings_in_order(asked, [chosen[0][1], runner], about_plan=parsed.plan is not None)
                chosen = [(parsed.text, m) for m in readings]
        if urgent:  # someone may be at risk: the urgent-help cards lead, whatever else was asked
            leading = {c.id for c in urgent}
            urgent_matches = self._urgent_matches(parsed.text, closest, urgent)
            chosen = [*((parsed.text, m) for m in urgent_matches), *((p, m) for p, m in chosen if m.card.id not in leading)]
            chosen = chosen[:MAX_PARTS]
        answered = {m.card.id for _, m in chosen}
        ranked_for = {part: matches[i] for part, i in [*zip(parsed.parts, variants), *alone]}

        def covered(part: str, best: CardMatch) -> bool:
            """A chosen card all but ties for this part ("and how long does the support last?" after the service's card)."""
            ranked = ranked_for.get(part, [])[:MAX_SUGGESTIONS]
            return best.card.id in answered or any(m.card.id in answered and m.score >= best.score - NEAR_TIE for m in ranked)

        unanswered = [
            p
            for n, (p, m) in enumerate(per_part)
            if len(parsed.parts) > 1 and chosen and not covered(p, m) and not (n and is_generic_follow_up(p))
        ]
        return chosen, closest, unanswered

    def _terms_from_related(self, chosen: list[tuple[str, CardMatch]]) -> list[tuple[str, CardMatch]]:
        """A later part asking only for the terms of the one before ("… can we pay for it tax-free? Are there any
        conditions?") is answered by the related card about those terms, when the earlier card names one."""
        result = list(chosen)
        for n in range(1, len(result)):
            term = asks_its_terms(result[n][0])
            if term is None:
                continue
            earlier = result[n - 1][1]
            taken = {m.card.id for _, m in result}
            related = (self.retriever.cards.get(card_id) for card_id in earlier.card.related if card_id not in taken)
            card = next((c for c in related if c is not None and term in c.question.lower()), None)
            if card is not None:
                result[n] = (result[n][0], replace(earlier, card=card))
        return result

    def _about_our_subjects(self, text: str) -> bool:
        """Whether the text uses onestop's core words outside the out-of-scope subjects' own phrases ("benefit in kind"
        names the expenses subject, not a health benefit)."""
        if not in_scope(text, self.core_scope):
            return False
        own = self.referral_phrases
        return not names_any(text, own) or in_scope(without_phrases(text, own), self.core_scope)

    def _refuses_entitlement(self, parsed: ParsedQuestion, card: Card) -> bool:
        """Whether a plan asked "OK?" refuses what this card firmly says is allowed or due, and the card is one of the
        closest to the plan on its own (a card chosen for the story, not the plan, gives no verdict on it)."""
        if parsed.plan is None or parsed.asks_if_wrong or parsed.claim is not None or not _FIRM_YES.match(card.answer):
            return False
        if not refuses_what_card_allows(parsed.plan, card.question):
            return False
        closest = self.retriever.match_cards([parsed.plan])[0][:PLAN_CARD_RANK]
        return card.id in {m.card.id for m in closest}

    def _urgent_cards(self, text: str) -> list[Card]:
        """The cards that must lead any answer to this text (someone may be in danger), in corpus order."""
        return [c for c in self.retriever.cards.values() if c.leads_when and c.must_lead(text)][:URGENT_CARDS]

    def _urgent_matches(self, text: str, closest: Sequence[CardMatch], cards: Sequence[Card]) -> list[CardMatch]:
        """The matches for the cards that must lead because the question says someone may be in danger."""
        wanted = {c.id for c in cards}
        ranked = closest if wanted <= {m.card.id for m in closest} else self.retriever.match_cards([text])[0]
        found = {m.card.id: m for m in ranked if m.card.id in wanted}
        return [found.get(c.id, CardMatch(c, score=0.0, dense=0.0, lexical=0.0)) for c in cards]

    def _northern_ireland_first(self, chosen: list[tuple[str, CardMatch]]) -> list[tuple[str, CardMatch]]:
        """For a Northern Ireland employer, the card on Northern Ireland's own rules leads a card written for Great
        Britain ("a boatyard in County Down … can we get Access to Work for an interpreter?")."""
        if any(m.card.applies_to == ("NI",) for _, m in chosen):  # Northern Ireland's rules are answered: they lead
            return sorted(chosen, key=lambda pair: pair[1].card.applies_to != ("NI",))
        ni_cards = [c for c in self.retriever.cards.values() if c.applies_to == ("NI",)]
        for text, match in chosen:
            if "NI" in match.card.applies_to or not match.card.topics:
                continue
            ni_card = next((c for c in ni_cards if match.card.topics[0] in c.topics), None)
            if ni_card is not None:
                ni_match = CardMatch(ni_card, match.score, match.dense, match.lexical)
                return [(text, ni_match), *chosen][:MAX_PARTS]
        return chosen

    def from_cards(
        self,
        question: str,
        parsed: ParsedQuestion,
        chosen: list[tuple[str, CardMatch]],
        notices: tuple[str, ...],
        today: dt.date,
        unanswered: Sequence[str] = (),
        topics: Sequence[str] = (),
        k: int = 5,
        urgent_ids: frozenset[str] = frozenset(),
    ) -> Answer:
        """The answer built from the matched cards: answer, worked figure, caution and next steps, each cited.

        `urgent_ids` are the urgent-help cards the question's words call for (someone may be in danger): they lead.
        """
        citations: dict[str, Citation] = {}
        asks_amount = bool(_ASKS_AMOUNT.search(parsed.text))
        daily = bool(_ASKS_DAILY.search(parsed.text))
        weekly = bool(_ASKS_WEEKLY.search(parsed.asked))
        most = bool(_ASKS_MOST_MONEY.search(parsed.text)) and not (parsed.figures.weeks_off or parsed.figures.days_off)
        worked_figures = {
            m.card.id: self.worked_figure(m.card, parsed.figures, today, asks_amount, daily, weekly, most) for _, m in chosen
        }
        implied, implied_leads = self._implied_figure([m.card for _, m in chosen], parsed, today, worked_figures)
        worked_figures.update(implied)
        if parsed.figures.working_days and _ASKS_MOST_DAYS.search(parsed.text):  # "...per day, and the most days we'd pay?"
            _add_missing_figure(chosen, worked_figures, "statutory-sick-pay", _ssp_most_days_figure(parsed.figures.working_days))
        service_card = self._add_service_figure(chosen, worked_figures, parsed, today)
        straddle = self._straddle_match(chosen, parsed, today, asks_amount)
        if straddle is not None:  # their sickness began under older rules: today's SSP figure would be wrong
            chosen = [(chosen[0][0], straddle), *chosen]
            worked_figures[straddle.card.id] = self.worked_figure(straddle.card, parsed.figures, today)
        if names_northern_ireland(parsed.text):  # the calculators apply GB rules: no GB figure for a Northern Ireland employer
            chosen = self._northern_ireland_first(chosen)
            worked_figures = {m.card.id: worked_figures.get(m.card.id) if "NI" in m.card.applies_to else None for _, m in chosen}
        leading = set(implied) if implied_leads else set()  # a yes/no question keeps its verdict first, the figure after
        # "Do we have to pay for the ramp?" asks about your duty: the card's verdict leads, the Access to Work
        # share follows. "Will we pay anything towards Access to Work?" or "what's our share?": the share leads.
        about_share = _NAMES_ACCESS_TO_WORK.search(parsed.text) or asks_for(parsed.asked) != "yes-no"
        if _ASKS_SHARE.search(parsed.text) and not _ASKS_REFUSAL.search(parsed.text) and about_share:
            # "what's our share?": the cost share worked out answers a card about what you pay
            leading |= {
                m.card.id
                for _, m in chosen
                if m.card.calculator == "access-to-work-cost-share" and _ABOUT_PAYING.search(m.card.question)
            }
        leading |= {  # "have we missed the deadline?": the dates worked out from their accident lead
            m.card.id
            for _, m in chosen
            if m.card.calculator in _ASKS_DATED_RULE and _ASKS_DATED_RULE[m.card.calculator].search(parsed.asked_about)
        }
        if service_card is not None and _ASKS_CLAIM.search(parsed.asked_about):  # "that's fine, he's under 2 years?"
            leading.add(service_card)
        if _AMOUNT_CHOICE.search(parsed.asked):  # "is she on the full £123.25 or less?": their figure is the answer
            leading |= {card_id for card_id, figure in worked_figures.items() if figure}
        if len({part for part, _ in chosen}) == 1:  # readings of one question: the one that applies a rule to its figures first
            chosen = sorted(
                chosen,
                key=lambda pair: (
                    not (
                        (pair[1].card.calculator in VERDICT_CALCULATORS or pair[1].card.id in leading)
                        and worked_figures[pair[1].card.id]
                    )
                ),
            )
        urgent = {m.card.id for _, m in chosen} & urgent_ids
        chosen = sorted(chosen, key=lambda pair: pair[1].card.id not in urgent)  # someone in danger: urgent help first
        used = {m.card.id for _, m in chosen}
        blocks = []
        figures_shown: set[str | None] = set()
        first_figure = next(
            (
                m
                for _, m in chosen[1:]
                if worked_figures[m.card.id] and (m.card.calculator in VERDICT_CALCULATORS or m.card.id in leading)
            ),
            None,
        )
        if first_figure is not None and not urgent and not worked_figures[chosen[0][1].card.id]:
            # The rule applied to their own figures answers the question most directly: it leads the whole answer.
            markers = self._cite(first_figure.card, citations, first_figure.score)
            blocks.append(f"{worked_figures[first_figure.card.id]} {markers}".strip())
            figures_shown.add(worked_figures[first_figure.card.id])
        for position, (part, match) in enumerate(chosen):
            card = match.card
            markers = self._cite(card, citations, match.score)
            second_reading = any(part == earlier for earlier, _ in chosen[:position])  # another card for the same part
            # Several parts, or a match that is not certain: say which question this answers.
            if match.score < self.thresholds.closest_label and card.id not in urgent_ids:
                lines = [f"**The closest question onestop answers: {card.question}**"]
            elif len(chosen) > 1 or unanswered:  # several parts: each answer says which question it answers
                lines = [f"**{card.question}**"]
            else:
                lines = []
            worked = worked_figures[card.id]
            worked = None if worked in figures_shown else worked  # two cards, one calculator: show it once
            figures_shown.add(worked)
            leads = card.calculator in VERDICT_CALCULATORS or card.id in leading
            if worked and leads:  # the rule applied to their figures is the answer
                lines.append(f"{worked} {markers}".strip())
            asked = part if part in parsed.parts or len(parsed.parts) != 1 else parsed.parts[0]
            verdict = fitted_verdict(card.answer, asked, card.question, after_figure=bool(worked and leads))
            if position == 0 and not urgent and not (worked and leads):  # "I told him…, was that wrong?": a verdict on it first
                verdict = verdict_on_plan(card.answer, verdict, parsed, card.question)
                if self._refuses_entitlement(parsed, card):
                    verdict = verdict_on_refusal(verdict, parsed)
                on_its_question = match.score >= self.thresholds.card_sure and match.to_question >= CLAIM_ON_CARD_QUESTION
                verdict = verdict_on_claim(card, verdict, parsed, on_its_question)
            lines.append(f"{verdict} {markers}".strip())
            if worked and not leads:
                lines.append(f"{worked} {markers}".strip())
            if card.caution:
                lines.append(f"**Watch out:** {card.caution} {markers}".strip())
            steps = () if second_reading else card.next_steps  # a second reading adds its answer, not more steps
            if len(steps) == 1:
                lines.append(f"**What to do next:** {steps[0].rstrip('.')}.")
            elif steps:
                lines.append("**What to do next:**\n" + "\n".join(f"- {step}" for step in steps))
            blocks.append("\n\n".join(lines))
        words = question_words(parsed.text)
        cautions = [c for c in self.retriever.cards.values() if c.id not in used and c.triggered_by(words)]
        shown = 0
        for card in sorted(cautions, key=lambda c: c.id):
            warning = card.caution or card.answer
            if shown == MAX_CAUTIONS or _mostly_said(warning, "\n".join(blocks)):
                continue
            markers = self._cite(card, citations, 0.0)
            label = "Also watch out" if any("**Watch out:**" in block for block in blocks) else "Watch out"
            blocks.append(f"**{label}:** {warning} {markers}".strip())
            shown += 1
        from_sections = [self._section_part(parsed, p, topics, k, citations, blocks) for p in unanswered]
        unanswered = [p for p, found in zip(unanswered, from_sections) if found is None]
        if unanswered:  # never drop part of a question silently
            listed = "; ".join(f"“{part.rstrip('?')}?”" for part in unanswered)
            blocks.append(f"**Not answered here:** {listed} onestop's guidance may not cover this. Try asking it on its own.")
        ordered = tuple(sorted(citations.values(), key=lambda c: c.n))
        related = tuple(dict.fromkeys(r for _, m in chosen for r in m.card.related if r not in used))
        suggestions = tuple(self.retriever.cards[r].question for r in related if r in self.retriever.cards)[:MAX_SUGGESTIONS]
        card_notices = tuple(n for _, m in chosen for n in _card_notices(m.card, parsed.text, today))
        return Answer(
            question=question,
            text="\n\n".join(blocks),
            refused=False,
            citations=ordered,
            notices=tuple(dict.fromkeys(notices + card_notices + date_notices(ordered, today))),
            parts=tuple(Part(m.card.question, m.card.id, m.score) for _, m in chosen)
            + tuple(part for part in from_sections if part is not None),
            suggestions=suggestions,
            related=related,
        )

    def _section_part(
        self, parsed: ParsedQuestion, part: str, topics: Sequence[str], k: int, citations: dict[str, Citation], blocks: list[str]
    ) -> Part | None:
        """Answer a part no card answers from the best guidance section, under its own label; None when none is close."""
        text = matching_text(parsed, parsed.parts.index(part)) if part in parsed.parts else part
        hits = self.retriever.hybrid(text, k, topics)
        strength = evidence_strength(hits)
        if strength < self.thresholds.section:
            return None
        answer = self.sections.answer_from(part, text, hits)
        if answer.refused or not answer.citations:
            return None
        numbers = {}
        for citation in answer.citations:
            key = citation.chunk.anchor + "#" + citation.chunk.id
            if key not in citations:
                citations[key] = replace(citation, n=len(citations) + 1)
            numbers[citation.n] = citations[key].n
        body = re.sub(r"\[(\d+)\]", lambda m: f"[{numbers.get(int(m.group(1)), m.group(1))}]", answer.text)
        label = re.sub(r"^(?:and|also|but|plus|so)\s+", "", part.rstrip("?").strip(), flags=re.I)
        label = f"{label[:1].upper()}{label[1:]}?"
        blocks.append(f"**{label}**\n\n{body}")
        return Part(label, None, strength)

    def _implied_figure(
        self, cards: Sequence[Card], parsed: ParsedQuestion, today: dt.date, worked: dict[str, str | None]
    ) -> tuple[dict[str, str], bool]:
        """A figure the question's own dates or pay call for, when no chosen card's calculator gave one; and whether it
        leads. Asked which day SSP starts from, the day is worked out too ("should it be the Friday?")."""
        implied, leads = self._implied_amount_or_date(cards, parsed, today, worked)
        ssp_card = next((c for c in cards if "statutory-sick-pay" in c.topics), None)
        if self.rates is None or ssp_card is None or not _ASKS_SSP_START.search(parsed.text):
            return implied, leads
        start = _ssp_start_figure(parsed.figures, today, ssp_rate_on(self.rates, today).applies_from)
        if start is None:
            return implied, leads
        amount = implied.get(ssp_card.id) or worked.get(ssp_card.id)  # "what do I pay her and from which day?": both
        if amount:
            return {**implied, ssp_card.id: f"{amount} {start.removeprefix('Worked figure: ')}"}, leads
        return {**implied, ssp_card.id: start}, True

    def _implied_amount_or_date(
        self, cards: Sequence[Card], parsed: ParsedQuestion, today: dt.date, worked: dict[str, str | None]
    ) -> tuple[dict[str, str], bool]:
        """The figure the question's own dates or pay call for (an amount, an end date, a fit note date, a share)."""
        figures = parsed.figures
        if self.rates is None or any(worked.values()):
            return {}, False
        since = figures.sick_since.on_or_before(today) if figures.sick_since else None
        month_only = bool(figures.sick_since and figures.sick_since.month_only)
        # "his SSP ran out in the autumn … any problem with ending his contract?": the end date is known, not asked
        already_ended = _SSP_ALREADY_ENDED.search(parsed.text) and not _ASKS_SSP_END.search(parsed.asked)
        if figures.gap is not None and any("statutory-sick-pay" in card.topics for card in cards):
            # two spells and the time between them: whether they link decides everything else about SSP ("a fresh 28 weeks?")
            return _on_first(cards, "statutory-sick-pay", _linking_verdict(figures)), True
        if since and _ASKS_SSP_END.search(parsed.text) and not already_ended:
            form_first = bool(re.search(r"\bssp1\b", parsed.text, re.I))
            return _on_first(cards, "statutory-sick-pay", _ssp_dates_figure(since, today, form_first, month_only)), True
        if since and not month_only and _ASKS_FIT_NOTE.search(parsed.text):
            return _on_first(cards, "fit-notes", _fit_note_date_figure(since)), True
        if figures.days_in_row and _ASKS_FIT_NOTE.search(parsed.text):
            return _on_first(cards, "fit-notes", _fit_note_days_figure(figures.days_in_row)), True
        if (
            figures.staff is not None
            # "Access to Work" named, or a chosen card is about it ("do we pay a cost share for the phone?")
            and (_NAMES_ACCESS_TO_WORK.search(parsed.text) or any("access-to-work" in card.topics for card in cards))
            # a support worker has no cost share: the equipment figure would mislead, unless equipment is asked about too
            and not (_FULLY_FUNDED.search(parsed.text) and not _NAMES_EQUIPMENT.search(parsed.text))
        ):
            figure = self._cost_share_figure(figures, rule_without_cost=True)
            if _FULLY_FUNDED.search(parsed.text):  # support and equipment asked about: the figure goes with an equipment card
                equipment_cards = [c for c in cards if not _FULLY_FUNDED.search(c.question)]
                return _on_first(equipment_cards, "access-to-work", figure), False
            return _on_first(cards, "access-to-work", figure), bool(_ASKS_SHARE.search(parsed.text))
        if figures.hours_worked and figures.hourly_pay and _PHASED.search(parsed.text):  # pay for the hours worked
            figure = _phased_return_pay_figure(figures.hours_worked, figures.hourly_pay)
            return _on_first(cards, "return-to-work", figure), bool(_ASKS_AMOUNT.search(parsed.text))
        if figures.working_days and _ASKS_MOST_DAYS.search(parsed.text):  # "the maximum number of days of SSP"
            most_days = _ssp_most_days_figure(figures.working_days)
            ssp_cards = [c for c in cards if "statutory-sick-pay" in c.topics]
            if len(ssp_cards) > 1 and _ASKS_DAILY.search(parsed.text):  # "her daily SSP, and the most days we could pay?"
                try:
                    daily_figure = self._ssp_figure(figures, today, daily=True)
                except (OneStopError, KeyError, StopIteration):
                    daily_figure = None
                if daily_figure:
                    return {ssp_cards[0].id: daily_figure, ssp_cards[1].id: most_days}, True
            most_money = self._ssp_most_figure(figures, today) if _ASKS_TOTAL.search(parsed.text) else None
            if most_money:  # "the maximum number of days SSP runs for, and the total he could get?": both figures
                most_days = f"{most_days} {most_money.removeprefix('Worked figure: ')}"
            return _on_first(cards, "statutory-sick-pay", most_days), True
        if _ASKS_MOST_MONEY.search(parsed.text) and not (figures.weeks_off or figures.days_off):  # "the most SSP anyone can get"
            return _on_first(cards, "statutory-sick-pay", self._ssp_most_figure(figures, today)), True
        has_pay = figures.earnings is not None
        asks_amount = bool(_ASKS_AMOUNT.search(parsed.text))
        daily = bool(figures.working_days and _ASKS_DAILY.search(parsed.text))  # "ssp daily rate for a 4 day week"
        if not has_pay and not (figures.days_off and asks_amount) and not daily:
            return {}, False
        try:
            figure = self._ssp_figure(figures, today, daily=daily, weekly_first=bool(_ASKS_WEEKLY.search(parsed.asked)))
        except (OneStopError, KeyError, StopIteration):
            return {}, False
        return _on_first(cards, "statutory-sick-pay", figure), asks_amount or daily

    def worked_figure(
        self,
        card: Card,
        figures: Figures,
        today: dt.date,
        asks_amount: bool = False,
        daily: bool = False,
        weekly: bool = False,
        most: bool = False,
    ) -> str | None:
        """A worked figure from the numbers the question gives, for cards with a calculator."""
        if self.rates is None or card.calculator is None:
            return None
        try:
            # "the total SSP over the full 28 weeks" asks for money, not for when SSP ends
            if card.calculator == "ssp" and most:  # "the most we'd pay him in SSP altogether"
                return self._ssp_most_figure(figures, today)
            if card.calculator == "ssp" or (card.calculator == "ssp-end" and asks_amount and figures.weeks_off):
                return self._ssp_figure(figures, today, daily=daily, weekly_first=weekly)
            if card.calculator == "ssp-straddle":
                return self._straddle_figure(figures, today)
            if card.calculator == "access-to-work-cost-share" and figures.staff is not None:
                return self._cost_share_figure(figures)
            if card.calculator == "ssp-end" and figures.weeks_off:
                return _ssp_end_figure(figures.weeks_off, _weeks(figures.weeks_off))
            if card.calculator == "ssp-end" and figures.months_off:
                weeks = (figures.months_off * 52 / 12).quantize(Decimal(1))
                return _ssp_end_figure(weeks, f"about {figures.months_off.normalize():f} months (about {_weeks(weeks)})")
            if card.calculator == "phased-return-pay" and figures.hours_worked and figures.hourly_pay:
                return _phased_return_pay_figure(figures.hours_worked, figures.hourly_pay)
            if card.calculator == "holiday-carry-over" and figures.working_days:
                days = CARRY_OVER_WEEKS * figures.working_days
                return (
                    f"Worked figure: for someone who works {figures.working_days} {_plural(figures.working_days, 'day')} a week, "
                    f"{CARRY_OVER_WEEKS} weeks is {CARRY_OVER_WEEKS} × {figures.working_days} = {days} days."
                )
            if card.calculator == "ssp-linking" and figures.gap is not None:
                return _linking_verdict(figures)
            accident = figures.accident_on.on_or_before(today) if figures.accident_on else None
            if card.calculator == "riddor-over-7-days" and accident:
                return riddor_over_7_days_figure(accident, today)
            if card.calculator == "riddor-specified" and accident:
                return riddor_specified_figure(accident, today, figures.broken_bone)
            if card.calculator == "qualifying-service" and figures.service_months is not None:
                return qualifying_service_figure(self.rates, figures.service_months, today, figures.service_bound)
            if card.calculator == "treatment-tax" and figures.treatment_cost is not None:
                return treatment_tax_figure(self.rates, figures.treatment_cost, today, figures.weeks_off)
            if card.calculator == "bradford-factor" and figures.spells and figures.days_absent:
                score = bradford_factor(figures.spells, figures.days_absent)
                days = f"{figures.days_absent.normalize():f}"
                return (
                    f"For {figures.spells} spells and {days} days absent in total, the Bradford score is "
                    f"{figures.spells} × {figures.spells} × {days} = {score.normalize():f}."
                )
        except (OneStopError, KeyError, StopIteration):
            return None  # no rate for that date or a gap in the rates data: the card's answer still stands
        return None

    def _add_service_figure(
        self, chosen: Sequence[tuple[str, CardMatch]], worked: dict[str, str | None], parsed: ParsedQuestion, today: dt.date
    ) -> str | None:
        """Their service against the unfair dismissal qualifying period, for a dismissal question answered by cards
        without that calculator ("she's been with us 14 months, can I sack her?"); the card given it, if any."""
        months = parsed.figures.service_months
        if self.rates is None or months is None or not _NAMES_DISMISSAL.search(parsed.text):
            return None
        if any(m.card.calculator == "qualifying-service" for _, m in chosen):
            return None
        try:
            figure = qualifying_service_figure(self.rates, months, today, parsed.figures.service_bound)
        except (OneStopError, KeyError):
            return None
        return _add_missing_figure(chosen, worked, "absence-management", figure)

    def _spell_before_rules(self, figures: Figures, today: dt.date) -> dt.date | None:
        """The day a dated spell of sickness began, when that was before today's SSP rules came in (else None)."""
        started = figures.sick_since.on_or_before(today) if figures.sick_since else None
        if started is None or self.rates is None:
            return None
        try:
            rules_from = ssp_rate_on(self.rates, today).applies_from
        except OneStopError:
            return None
        return started if started < rules_from else None

    def _straddle_match(
        self, chosen: Sequence[tuple[str, CardMatch]], parsed: ParsedQuestion, today: dt.date, asks_amount: bool
    ) -> CardMatch | None:
        """The card on sickness that began under older SSP rules, when an SSP amount is asked for such a spell."""
        wants_money = asks_amount or parsed.figures.earnings is not None
        ssp_card = next((m for _, m in chosen if m.card.calculator in ("ssp", "ssp-end")), None)
        if not (wants_money and ssp_card and self._spell_before_rules(parsed.figures, today)):
            return None
        card = next((c for c in self.retriever.cards.values() if c.calculator == "ssp-straddle"), None)
        if card is None or any(m.card.id == card.id for _, m in chosen):
            return None
        return replace(ssp_card, card=card)

    def _straddle_figure(self, figures: Figures, today: dt.date) -> str | None:
        """Why no SSP amount is worked out for a spell that began before today's rules."""
        started = self._spell_before_rules(figures, today)
        if started is None:
            return None
        rules_from = ssp_rate_on(self.rates, today).applies_from
        month_only = bool(figures.sick_since and figures.sick_since.month_only)
        when = f"in {started:%B %Y}" if month_only else f"on {_weekday_date(started)}"
        return (
            f"Worked figure: this sickness started {when}, before the Statutory Sick Pay changes of {long_date(rules_from)}, so onestop does not work out an amount for it: "
            "the rules from that date may not apply to all of it."
        )

    def _ssp_figure(self, figures: Figures, today: dt.date, daily: bool = False, weekly_first: bool = False) -> str | None:
        earnings = figures.earnings
        if not (figures.weeks_off or figures.days_off or earnings is not None or daily):
            return None
        if self._spell_before_rules(figures, today):  # older rules, or both: today's figure would mislead
            return None
        weekly = weekly_ssp(self.rates, today, float(earnings) if earnings is not None else None)
        flat = weekly.rate.weekly_rate
        if daily and figures.working_days and not figures.days_off:  # the day rate is what was asked
            rate = ssp_for_days(weekly.amount, figures.working_days, 1).daily_rate
            sentences = [
                f"Worked figure: for {figures.working_days} qualifying days a week, SSP is "
                f"{pounds(weekly.amount)} ÷ {figures.working_days} = {_daily(rate)}."
            ]
        elif figures.weeks_off:
            paid_weeks = min(figures.weeks_off, Decimal(28))
            total = (weekly.amount * paid_weeks).quantize(Decimal("0.01"))
            weeks_text = f"{paid_weeks.normalize():f}"
            sentences = [
                f"Worked figure: SSP is {pounds(weekly.amount)} a week; for {weeks_text} {_plural(paid_weeks, 'week')} off sick, that is "
                f"{weeks_text} × {pounds(weekly.amount)} = {pounds(total)}."
                if weekly_first
                else f"Worked figure: for {weeks_text} {_plural(paid_weeks, 'week')} off sick, SSP is {weeks_text} × {pounds(weekly.amount)} = {pounds(total)}."
            ]
        elif figures.days_off:
            sentences = [f"Worked figure: {_ssp_days_text(weekly.amount, figures)}."]
        else:
            sentences = [f"Worked figure: SSP is {pounds(weekly.amount)} a week."]
            if figures.working_days:
                daily = ssp_for_days(weekly.amount, figures.working_days, 1).daily_rate
                sentences.append(f"For their {figures.working_days} qualifying days a week, that is {_daily(daily)}.")
        if earnings is None:
            sentences.append(
                f"That is assuming their average weekly earnings are high enough for the full {pounds(flat)}; "
                "if not, SSP is 80% of their average weekly earnings."
            )
        elif weekly.rate.earnings_rule == "lower_of_flat_or_80_percent":
            eighty = (Decimal(earnings) * Decimal("0.8")).quantize(Decimal("0.01"))
            which = "so 80% applies" if weekly.amount < flat else "so the full rate applies"
            sentences.append(
                f"On average weekly earnings of {pounds(Decimal(earnings))}, 80% is {pounds(eighty)}, "
                f"{'lower' if weekly.amount < flat else 'more'} than {pounds(flat)}, {which}."
            )
        sentences.append(f"These are the rules for a sickness that started on or after {long_date(weekly.rate.applies_from)}.")
        if figures.weeks_off and figures.weeks_off > 28:
            sentences.append("SSP stops after 28 weeks.")
        return " ".join(sentences)

    def _ssp_most_figure(self, figures: Figures, today: dt.date) -> str | None:
        """The most SSP for one period of sickness: 28 weeks at their weekly rate (the full rate when pay is not given)."""
        earnings = figures.earnings
        if self._spell_before_rules(figures, today):
            return None
        try:
            weekly = weekly_ssp(self.rates, today, float(earnings) if earnings is not None else None)
        except (OneStopError, KeyError, StopIteration):
            return None
        total = (weekly.amount * SSP_MAX_WEEKS).quantize(Decimal("0.01"))
        text = (
            f"Worked figure: SSP is paid for at most {SSP_MAX_WEEKS} weeks in one period of sickness (linked spells count "
            f"as one), so the most is {SSP_MAX_WEEKS} × {pounds(weekly.amount)} = {pounds(total)}."
        )
        if earnings is None:
            text += (
                f" That is at the full rate; if 80% of their average weekly earnings is lower, it is {SSP_MAX_WEEKS} times that."
            )
        return text

    def _cost_share_figure(self, figures: Figures, rule_without_cost: bool = False) -> str | None:
        """Their Access to Work share for their size and cost; with no cost, the rule for their size (when asked for)."""
        staff = figures.staff or 0
        cost = figures.cost or Decimal(0)
        threshold = cost_share_threshold(self.rates, staff)
        said = str(staff)
        if figures.staff_bound:  # "under 50 staff": a figure only when the whole band pays the same share
            either_end = 0 if figures.staff_bound == "fewer than" else 10**6
            if cost_share_threshold(self.rates, either_end) != threshold:
                return None
            said = f"{figures.staff_bound} {staff + 1 if figures.staff_bound == 'fewer than' else staff - 1}"
        if threshold is None:
            return f"Worked figure: with {said} staff, you pay nothing towards Access to Work special aids and equipment (no cost share under 50 staff)."
        if figures.new_starter:
            return (
                f"Worked figure: employer guides say that for a new starter who applies within 6 weeks of starting, you pay nothing towards Access to Work "
                f"special aids and equipment, even with {said} staff. After 6 weeks, the usual cost share applies."
            )
        if not cost and not rule_without_cost:
            return None
        if not cost:
            return (
                f"Worked figure: with {said} staff, employer guides say you pay the first £{threshold:,.0f} of special aids and "
                "equipment plus 20% of further costs, and Access to Work pays the rest."
            )
        share = access_to_work_cost_share(self.rates, staff, float(cost))
        if share.employer_low == share.employer_high:
            return f"Worked figure: with {said} staff and a cost of {pounds(cost)}, your share is about {pounds(share.employer_low)}."
        return (
            f"Worked figure: with {said} staff and a cost of {pounds(cost)}, your share is between "
            f"{pounds(share.employer_low)} and {pounds(share.employer_high)}, because sources read the 20% rule two ways."
        )

    def _cite(self, card: Card, citations: dict[str, Citation], score: float) -> str:
        markers = []
        for anchor in card.cites:
            if anchor not in citations:
                chunks = self.retriever.section_chunks(anchor)
                if not chunks:
                    continue
                snippet = join_chunks([c.text for c in chunks])  # the section, chunk overlaps removed
                citations[anchor] = Citation(len(citations) + 1, chunks[0], snippet, score, card.id)
            markers.append(f"[{citations[anchor].n}]")
        return "".join(markers)


# A scheme or subject a question names outright, and the card topic that answers it
_NAMED_SUBJECTS = (
    (re.compile(r"\b(?:ssp|statutory sick pay)\b", re.I), "statutory-sick-pay"),
    (re.compile(r"\b(?:fit|sick|doctor'?s?|gp'?s?) ?notes?\b|\bsicknote", re.I), "fit-notes"),
    (re.compile(r"\baccess to work\b", re.I), "access-to-work"),
    (re.compile(r"\bdisability confident\b", re.I), "disability-confident"),
    (re.compile(r"\bincome protection\b|\bgip\b", re.I), "group-income-protection"),
    (re.compile(r"\boccupational health\b", re.I), "occupational-health"),
    (re.compile(r"\bbradford\b", re.I), "absence-management"),
    (re.compile(r"\briddor\b", re.I), "health-and-safety"),
    (
        re.compile(r"\bho(?:li|il|lli)day|\bannual leave\b", re.I),
        "holiday-and-leave",
    ),  # "… as holiday instead of SSP": both named
)
SUBJECT_MARGIN = 0.08  # a card on the subject the question names leads a card this much closer on another subject


def led_by_named_subject(ranked: list[CardMatch], asked: str) -> list[CardMatch]:
    """The ranking led by the closest card on the subject the question itself names ("… Do I pay SSP?" → an SSP card),
    when it is nearly as close as a card on another subject that the story pulled up."""
    named = {topic for pattern, topic in _NAMED_SUBJECTS if pattern.search(asked)}
    if not named or not ranked or named & set(ranked[0].card.topics):
        return ranked
    on_subject = next((m for m in ranked if named & set(m.card.topics)), None)
    if on_subject is None or on_subject.score < ranked[0].score - SUBJECT_MARGIN:
        return ranked
    return [on_subject, *(m for m in ranked if m is not on_subject)]


def matching_text(parsed: ParsedQuestion, n: int) -> str:
    """Part n with the scenario around it, or after the previous part when it leans on that part ("and who pays for it?")."""
    part = parsed.parts[n]
    named = with_subject(part, " ".join(parsed.parts[:n])) if n else part
    if named != part:  # "… SSP start again from scratch, and is it paid straight away?": "is SSP paid straight away?"
        return named  # whole now: the scenario was told for the earlier part and only blurs this one
    if n and is_elliptical(part):  # "… what adjustments would be reasonable, and do I have to pay for them?"
        return " ".join(filter(None, (parsed.context, parsed.parts[n - 1], part)))
    if parsed.context:
        return f"{parsed.context} {part}"
    return part


# The subjects a later part's "it" or "one" usually stands for, most specific first.
_SUBJECTS = re.compile(
    r"statutory sick pay|\bssp1\b|\bssp\b|fit ?notes?|sick ?notes?|doctor'?s notes?|access to work|disability confident"
    r"|group income protection|income protection|occupational health|phased return|reasonable adjustments?"
    r"|flexible working requests?|return[- ]to[- ]work (?:meeting|interview|plan)|risk assessment",
    re.I,
)
_STANDS_IN = re.compile(
    r"\bit\b|(?:(?<=write )|(?<=issue )|(?<=sign )|(?<=get )|(?<=need )|(?<=give ))one\b"
    r"|\btheir(?= (?:phone |telephone |contact |helpline )?(?:number|helpline|website|email|address|details)\b)",
    re.I,
)


# An "it" that stands for nothing: "without it being unfair", "is it fair on the others?"
_DUMMY_IT = re.compile(
    r"\bit(?= (?:being|is|was|would be|will be|seems) (?:unfair|fair|ok|okay|right|legal|worth|possible|reasonable|wrong|"
    r"true|allowed|better|too late)\b)|(?<=\bis )it(?= (?:ok|okay|fair|unfair|right|legal|worth|possible|reasonable|wrong|"
    r"true|allowed|better)\b)",
    re.I,
)


def with_subject(part: str, earlier: str) -> str:
    """The part with its "it", "one" or "their (number)" replaced by the subject the earlier parts named last ("is it paid" -> "is SSP paid")."""
    subjects = _SUBJECTS.findall(earlier)
    if not subjects or _SUBJECTS.search(part) or not _STANDS_IN.search(_DUMMY_IT.sub(" ", part)):
        return part
    return _STANDS_IN.sub(subjects[-1], part, count=1)


def assign_cards(
    parts: Sequence[str], ranked: Sequence[list[CardMatch]], threshold: float, later_threshold: float | None = None
) -> list[tuple[str, CardMatch]]:
    """Give each part, in order, its best card (at or above the threshold) that no earlier part took.

    Once a part has its card, a later part may take a card from the later threshold (never above the first): the question
    is plainly in scope, and a labelled "closest question" beats dropping the part.
    """
    later_threshold = threshold if later_threshold is None else min(threshold, later_threshold)
    chosen: list[tuple[str, CardMatch]] = []
    for part, matches in zip(parts, ranked):
        match = next((m for m in matches if all(m.card.id != c.card.id for _, c in chosen)), None)
        if match is not None and match.score >= (later_threshold if chosen else threshold):
            chosen.append((part, match))
    return chosen


def _ssp_days_text(weekly_amount: Decimal, figures: Figures) -> str:
    """SSP for the days off the question gives, with the qualifying days it read or assumed."""
    working_days = figures.working_days or 5
    days_off = figures.days_off or 0
    days = ssp_for_days(weekly_amount, working_days, days_off)
    pattern = f"{working_days} qualifying {_plural(working_days, 'day')} a week"
    said = f"for {days_off} {_plural(days_off, 'day')} off sick"
    if figures.spell:  # counted from the question's dates
        first, last = figures.spell
        said = (
            f"for the {days_off} working {_plural(days_off, 'day')} off sick from {_weekday_date(first)} to {_weekday_date(last)}"
        )
    said += f" with {pattern}" + ("" if figures.working_days else " (assumed)")
    if days.full_weeks:
        weeks = f"{days.full_weeks} {_plural(days.full_weeks, 'week')} at {pounds(weekly_amount)}"
        odd = f" plus {days.odd_days} {_plural(days.odd_days, 'day')} at {_daily(days.daily_rate)}" if days.odd_days else ""
        return f"{said}, SSP is {weeks}{odd} = {pounds(days.total)}"
    return f"{said}, SSP is {days_off} × {_daily(days.daily_rate)} = {pounds(days.total)}"


def _plural(count: int | Decimal, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _daily(rate: Decimal) -> str:
    """A daily SSP rate: in pence when exact, else HMRC's unrounded rate (totals are rounded up to the penny)."""
    if rate == rate.quantize(Decimal("0.01")):
        return f"{pounds(rate)} a day"
    return f"£{rate.normalize():f} a day (HMRC's unrounded rate; totals are rounded up to the penny)"


def _add_missing_figure(
    chosen: Sequence[tuple[str, CardMatch]], worked: dict[str, str | None], topic: str, figure: str
) -> str | None:
    """Give the figure to the first card on the topic without a figure of its own, unless some card shows it already;
    the id of the card given it (None when none was)."""
    if figure in worked.values():
        return None
    shown: set[str | None] = set()
    for _, match in chosen:
        own = worked.get(match.card.id)
        if topic in match.card.topics and (own is None or own in shown):
            worked[match.card.id] = figure
            return match.card.id
        shown.add(own)
    return None


def _on_first(cards: Sequence[Card], topic: str, figure: str | None) -> dict[str, str]:
    """The figure, shown with the first chosen card on its topic (none when no card is)."""
    card = next((c for c in cards if topic in c.topics), None)
    return {card.id: figure} if card is not None and figure else {}


def _weekday_date(day: dt.date) -> str:
    return f"{day:%A} {long_date(day)}"


def _ssp_dates_figure(since: dt.date, today: dt.date, form_first: bool = False, month_only: bool = False) -> str:
    """When form SSP1 is due and SSP runs out, for a spell that started on a given date (or in a given month)."""
    due = since + dt.timedelta(weeks=SSP1_DUE_AFTER_WEEKS)
    last = since + dt.timedelta(weeks=int(SSP_MAX_WEEKS), days=-1)
    said = f"Worked figure: for sickness that started on {_weekday_date(since)}, with no earlier linked spells"
    if month_only:  # the earliest start gives the earliest dates: safe for a deadline
        said = (
            f"Worked figure: for sickness that started in {since:%B %Y} (counting from {_weekday_date(since)}, "
            "the earliest it could have started), with no earlier linked spells"
        )
    if last < today:
        return f"{said}, SSP ran out after 28 weeks, on {_weekday_date(last)}. Give form SSP1 within 7 days of it ending, if you have not already."
    if due < today:  # week 23 has begun: the form is due now
        return (
            f"{said}, form SSP1 was due by {_weekday_date(due)} (the start of week 23): give it now if you have not. "
            f"SSP runs out after 28 weeks, at the end of {_weekday_date(last)}."
        )
    if form_first:  # "by what date should I send the SSP1?"
        return (
            f"{said}, give form SSP1 by {_weekday_date(due)} (the start of week 23) if they are likely to be off sick until SSP ends. "
            f"SSP runs out after 28 weeks, at the end of {_weekday_date(last)}."
        )
    return (
        f"{said}, SSP runs out after 28 weeks, at the end of {_weekday_date(last)}. "
        f"Give form SSP1 by {_weekday_date(due)} (the start of week 23) if they are likely to be off sick until then."
    )


# "from which day do I pay her?", "start his SSP from the Thursday … or should it be the Friday?"
_ASKS_SSP_START = re.compile(
    r"\bfrom (?:which|what) (?:day|date)\b|\b(?:which|what) day (?:do|does|should|to)\b|\bright day\b"
    r"|\b(?:start|starts|starting|begin|begins)\s+(?:paying\s+)?(?:his |her |their |the )?(?:ssp|sick pay|statutory sick pay)\b"
    r"|\b(?:ssp|sick pay)\s+(?:start|starts|begin|begins)\b",
    re.I,
)


def _ssp_start_figure(figures: Figures, today: dt.date, rules_from: dt.date) -> str | None:
    """The day SSP starts for a dated spell under the rules in force since `rules_from` (no waiting days): the first
    full working day off sick, not a day they went home part-way through."""
    if figures.sick_since is None or figures.sick_since.month_only:
        return None
    first = figures.spell[0] if figures.spell else figures.sick_since.on_or_before(today)
    if first is None or first < rules_from:  # waiting days applied before 6 April 2026
        return None
    if figures.went_home_first_day and not figures.spell:
        first += dt.timedelta(days=1)
    weekdays = figures.work_weekdays or (0, 1, 2, 3, 4)
    while first.weekday() not in weekdays:
        first += dt.timedelta(days=1)
    pattern = "" if figures.work_weekdays else " (Monday to Friday assumed)"
    part_day = " The day they went home ill part-way through does not count." if figures.went_home_first_day else ""
    return f"Worked figure: SSP is due from {_weekday_date(first)}, their first full working day off sick{pattern}.{part_day}"


def _fit_note_date_figure(since: dt.date) -> str:
    """The first day a fit note can be asked for, for a spell that started on a given date."""
    self_certified = since + dt.timedelta(days=6)
    return (
        f"Worked figure: off sick since {_weekday_date(since)}, you can ask for a fit note from "
        f"{_weekday_date(since + dt.timedelta(days=7))}, their 8th day off in a row, if they are still off. "
        f"They self-certify the first 7 days, to {_weekday_date(self_certified)} (weekends and bank holidays count)."
    )


def _fit_note_days_figure(days_in_row: int) -> str:
    """Whether a fit note can be asked for after so many days off sick in a row."""
    if days_in_row <= 7:
        return (
            f"Worked figure: {days_in_row} {_plural(days_in_row, 'day')} in a row is not more than 7, so your employee "
            "self-certifies: you can ask for a fit note only from their 8th day off in a row."
        )
    return (
        f"Worked figure: {days_in_row} days in a row is more than 7, so you can ask for a fit note covering "
        "the time from their 8th day off (weekends and bank holidays count)."
    )


def _ssp_end_figure(weeks: Decimal, said: str) -> str:
    """When SSP runs out and form SSP1 is due, for an absence of so many weeks with no earlier linked spells."""
    assumed = f"For someone off sick for {said}, with no earlier linked spells"
    if weeks >= SSP_MAX_WEEKS:
        return f"{assumed}: SSP has run out after 28 weeks. Give form SSP1 within 7 days of it ending, if you have not already."
    left = _weeks(SSP_MAX_WEEKS - weeks)
    if weeks > SSP1_DUE_AFTER_WEEKS:
        return f"{assumed}: form SSP1 was due by the start of week 23, so give it now; SSP runs out in about {left}."
    if weeks == SSP1_DUE_AFTER_WEEKS:
        return f"{assumed}: form SSP1 is due now (by the start of week 23), and SSP runs out in about {left}."
    return (
        f"{assumed}: form SSP1 is due by the start of week 23, in about {_weeks(SSP1_DUE_AFTER_WEEKS - weeks)}, "
        f"and SSP runs out after 28 weeks, in about {left}."
    )


def _weeks(count: Decimal) -> str:
    return f"{count.normalize():f} week" + ("" if count == 1 else "s")


def _linking_verdict(figures: Figures) -> str:
    gap = figures.gap
    link = spells_link(gap)
    if link is None:
        return (
            f"A gap of {gap.said} is close to 8 weeks, so count the days between the spells: "
            f"they link if they are {LINK_GAP_DAYS} days or fewer apart."
        )
    if link:
        return (
            f"With {gap.said} between the spells, they link: that is 8 weeks or less, so they count as one "
            "period of sickness and share the same 28 weeks of SSP."
        )
    return (
        f"With {gap.said} between the spells, they do not link: that is more than 8 weeks, so the new "
        "absence starts a new period of sickness for SSP."
    )


def _help_body(refusal: Answer) -> str:
    """The signposting part of a refusal (after its opening line), or "" when it has none."""
    return refusal.text.split("\n\n", 1)[1] if "\n\n" in refusal.text else ""


def _mostly_said(warning: str, shown: str, share: float = 0.5) -> bool:
    """Whether at least `share` of a warning's content words are already in the answer (a repeated caution)."""
    words = set(tokens(warning))
    return bool(words) and len(words & set(tokens(shown))) / len(words) >= share


def _distinct(matches: list[CardMatch]) -> list[CardMatch]:
    best: dict[str, CardMatch] = {}
    for match in matches:
        if match.card.id not in best or match.score > best[match.card.id].score:
            best[match.card.id] = match
    return sorted(best.values(), key=lambda m: -m.score)


def _card_notices(card: Card, question: str, today: dt.date) -> tuple[str, ...]:
    notices = []
    if card.applies_until and dt.date.fromisoformat(card.applies_until) < today:
        notices.append(f"This answer describes rules that applied until {long_date(card.applies_until)}.")
    if card.applies_from and dt.date.fromisoformat(card.applies_from) > today:
        notices.append(f"This answer describes rules that apply from {long_date(card.applies_from)}.")
    if "NI" not in card.applies_to and names_northern_ireland(question):
        notices.append("This answer is for Great Britain. Northern Ireland has its own rules: check nidirect.gov.uk.")
    return tuple(notices)


def _ssp_most_days_figure(working_days: int) -> str:
    """The most days of SSP for a working pattern: 28 weeks of qualifying days."""
    days = SSP_MAX_WEEKS * working_days
    return (
        f"Worked figure: SSP is paid for up to {SSP_MAX_WEEKS} weeks, so for {working_days} qualifying "
        f"{_plural(working_days, 'day')} a week that is at most {SSP_MAX_WEEKS} × {working_days} = {days} days."
    )


def _phased_return_pay_figure(hours: Decimal, hourly_pay: Decimal) -> str:
    """The pay for the hours worked on a phased return, at the usual rate."""
    total = (hours * hourly_pay).quantize(Decimal("0.01"))
    return (
        f"Worked figure: for the {hours.normalize():f} hours they work, pay their usual rate: "
        f"{hours.normalize():f} × {pounds(hourly_pay)} = {pounds(total)}. "
        "Pay for the hours they do not work depends on your sick pay policy or their contract."
    )


def readings_in_order(asked: str, readings: list[CardMatch], about_plan: bool = False) -> list[CardMatch]:
    """Two readings of one question, the one asking for the same kind of answer first ("when…?", "can I refuse…?");
    for a stated plan asked "OK?" or "was that wrong?", the reading that gives a verdict ("No, SSP no longer has…")."""
    kind = asks_for(asked)
    if kind not in (None, "yes-no"):  # nearly every card asks a yes/no question: no signal
        return sorted(readings, key=lambda m: asks_for(m.card.question) != kind)
    if _ASKS_REFUSAL.search(asked):  # "can I say no…?": the card about refusing leads
        return sorted(readings, key=lambda m: not _ASKS_REFUSAL.search(m.card.question))
    if about_plan:
        return sorted(readings, key=lambda m: not (_FIRM_NO.match(m.card.answer) or _FIRM_YES.match(m.card.answer)))
    return readings


def is_second_reading(best: CardMatch, runner: CardMatch, thresholds: Thresholds) -> bool:
    """Whether the runner-up card is another reading of the question: nearly as close, and on the same subject."""
    return (
        runner.score >= thresholds.card
        and best.score - runner.score <= thresholds.runner_up
        and bool(set(runner.card.topics) & set(best.card.topics))  # a neighbour on another subject is noise
    )


def fitted_verdict(answer: str, asked: str, card_question: str, after_figure: bool = False) -> str:
    """The card's answer, without its opening "Yes"/"No" when that would answer a different question from the one asked.

    After a worked figure that gives the verdict for their own facts, a general "Yes"/"No" would only blur it. "Not
    until after a job offer" answers "can I ask?"; to "is it illegal to ask?" it is "Yes, until after a job offer".
    """
    if answer.startswith("Not until ") and _OPPOSITE_SENSE.search(asked) and not _OPPOSITE_SENSE.search(card_question):
        return f"Yes, until {answer.removeprefix('Not until ')}"
    opener = _YES_NO_OPENER.match(answer)
    if opener is None:
        return answer
    other_question = (
        after_figure
        or asks_for(asked) not in (None, "yes-no")  # "how much…?", "when…?", "who…?"
        or _CHOICE.search(asked)  # "mine or the agency's?" is not answered by "Yes"
        or _CHECKS_A_CLAIM.search(asked)  # "Is that right?" about someone's claim: "Yes" would seem to agree with it
        or bool(_NEGATIVE.search(asked)) != bool(_NEGATIVE.search(card_question))  # "does he lose it?" vs "does it carry over?"
        or bool(_ASKS_IF_A_BAR_EXISTS.search(asked)) > bool(_ASKS_IF_A_BAR_EXISTS.search(card_question))
        or bool(_OPPOSITE_SENSE.search(asked)) != bool(_OPPOSITE_SENSE.search(card_question))
        or _TWO_QUESTIONS.search(card_question)  # "Is a nurse's note valid, or can I insist on a GP's?": "Yes" to which?
    )
    if not other_question:
        return answer
    rest = re.sub(r"^but ", "", answer[opener.end() :])  # "Yes, but only after…" → "Only after…"
    if re.match(r"(?:if|as long as|provided)\b", rest):  # "Yes, if they told you in time" → "Only if they told you in time"
        rest = f"only {rest}"
    return rest[:1].upper() + rest[1:]


# A card answering "can I …?" with a firm no, or a firm yes (not "Yes, if …" or "Yes, but …")
_FIRM_NO = re.compile(
    r"^(?:No\b|You (?:cannot|can't|must not)\b|Never\b|Not (?:as a rule|until|on|without|straight away|as a first step|"
    r"in general|normally|usually|on your own)\b)"
)
_FIRM_YES = re.compile(r"^Yes\b(?![,:.]?\s*(?:if|as long as|provided|but|only|usually|in some)\b)")


# The card's own short opener ("No,", "Yes:", "Not as a rule:"), which a verdict on a plan or a claim replaces
_CARD_OPENER = re.compile(r"^(?:(?:No|Yes)\b[,:.]?|Not(?: \w+){0,4}:)\s*")


def refuses_what_card_allows(plan: str, card_question: str) -> bool:
    """Whether the plan refuses or withholds what the card's question asks about ("turn it down" against "Can working
    from home be a reasonable adjustment?"), so the card's "Yes" means the plan is not right."""
    return bool(_REFUSES.search(plan)) and not _NEGATIVE.search(card_question)


def verdict_on_plan(card_answer: str, shown: str, parsed: ParsedQuestion, card_question: str = "") -> str:
    """The answer led by a verdict on the plan (or what was already done) when the question asks "was that wrong?":
    a card's "No" to "can I …?" means "Yes, it was"; its firm "Yes" means "No, it was allowed" (the other way round
    when the plan refuses what the card's question asks about)."""
    if not parsed.asks_if_wrong:
        return shown
    card_no, card_yes = bool(_FIRM_NO.match(card_answer)), bool(_FIRM_YES.match(card_answer))
    if parsed.plan and refuses_what_card_allows(parsed.plan, card_question):
        card_no, card_yes = card_yes, card_no
    if card_no:
        verdict = f"Yes, as you describe it, that {'was' if parsed.done_already else 'would be'} not right"
    elif card_yes:
        verdict = f"No, as you describe it, that {'was' if parsed.done_already else 'would be'} allowed"
    else:
        return shown
    return _led_by(verdict, shown)


def _led_by(verdict: str, shown: str) -> str:
    """The answer with a verdict first: the card's own short opener ("No,", "Not as a rule:") gives way to it, and its
    reason follows in the same sentence."""
    rest = _CARD_OPENER.sub("", shown)
    first_sentence = re.split(r"(?<=[.!?])\s", rest, maxsplit=1)[0]
    if ":" in first_sentence:  # "SSP no longer has waiting days: for sickness…" keeps its own colon, as a new sentence
        return f"{verdict}. {rest[:1].upper()}{rest[1:]}"
    return f"{verdict}: {_run_on(rest)}"


def _run_on(rest: str) -> str:
    """The card's answer continuing a verdict's sentence: "A 'may be fit' note…" runs on lower-cased; "SSP…" keeps its
    capitals."""
    return rest[:1].lower() + rest[1:] if rest[1:2].islower() else rest


def verdict_on_refusal(shown: str, parsed: ParsedQuestion) -> str:
    """The answer led by "that would not be right" when a plan asked "OK?" refuses what the card says they are
    entitled to ("I'm planning not to pay her, she's zero hours" against "Yes, low earners can get SSP")."""
    rest = _run_on(_CARD_OPENER.sub("", shown))
    # one sentence, so the reason the plan fails stays beside the verdict
    return f"As you describe it, that {'was not' if parsed.done_already else 'would not be'} right, because {rest}"


# A plan that refuses or withholds: "turn it down", "pay her nothing", "tell him zero-hours staff don't get sick pay"
_REFUSES = re.compile(
    r"\bturn\w* (?:\w+ )?down\b|\brefus\w*|\breject\w*|\bsay no\b|\bnot (?:to )?pay\b|\bpay (?:\w+ )?nothing\b"
    r"|\bstop\w* (?:\w+ )?pay|\bwithh[oe]ld\w*|\bdock\w*|\b(?:don'?t|doesn'?t|do not|does not) get\b|\bnot entitled\b"
    r"|\bnot (?:give|giving)\b",
    re.I,
)
# A card question that is two questions joined by "or": its "Yes" answers only the first
_TWO_QUESTIONS = re.compile(
    r"\bor (?:can|could|do|does|did|is|are|should|must|will|would|have|has) (?:i|we|you|they|he|she|it)\b", re.I
)
# A claim that limits ("SSP is only for…") says the opposite of a card asking whether the wider thing holds
_LIMITING = re.compile(
    r"\bonly\b|\bno (?:one|longer)\b|\bnobody\b|\bnone\b|\btoo (?:young|old|little|low|few|new|short)\b"
    r"|\bineligible\b|\bexcluded\b|\bdoes(?:n't| not) qualify\b",
    re.I,
)


def verdict_on_claim(card: Card, shown: str, parsed: ParsedQuestion, sure: bool) -> str:
    """The answer led by a verdict on the claim the manager asks to have checked ("My partner says we needn't pay
    SSP. Who's right?" → "No, your partner is not right: …"), when the card answers the claim's own yes/no question
    firmly and the match is sure; otherwise the answer as shown, which states the rule without a verdict."""
    claim = parsed.claim
    if claim is None or not sure or asks_for(card.question) != "yes-no" or _TWO_QUESTIONS.search(card.question):
        return shown  # "Is a nurse's fit note valid, or can I insist on a GP's?": a "Yes" says nothing about the claim
    card_yes = bool(_FIRM_YES.match(card.answer))
    if not card_yes and not _FIRM_NO.match(card.answer):
        return shown
    claim_negative = bool(_NEGATIVE.search(claim.text) or _LIMITING.search(claim.text))
    holds = card_yes != (claim_negative != bool(_NEGATIVE.search(card.question)))
    who = claim.claimant or "that"
    verb = "are" if who in ("you", "they") else "is"
    verdict = f"Yes, {who} {verb} right" if holds else f"No, {who} {verb} not right"
    rest = _CARD_OPENER.sub("", shown)
    first_word = re.match(r"[\w'-]+", rest)
    if first_word and first_word.group(0).lower() in STOPWORDS:  # "you cannot…", "there is…" run on after the colon
        return f"{verdict}: {rest[:1].lower()}{rest[1:]}"
    return f"{verdict}. {rest[:1].upper()}{rest[1:]}"  # "Disability Confident…" keeps its capital


def _with(answer: Answer, **changes: object) -> Answer:
    return replace(answer, **changes)
