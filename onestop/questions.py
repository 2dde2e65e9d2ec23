"""Understanding a typed question: clean it, resolve an explicit follow-up, split it into parts, read its figures."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from onestop.calculators import Gap
from onestop.text import STOPWORDS, stem

MAX_PARTS = 3
ELLIPTICAL_WORDS = 2  # a part with a pronoun and at most this many content words borrows the previous part's subject
_QUESTION_START = re.compile(
    r"^(what|whats|what's|how|when|can|could|do|does|did|is|are|am|should|shall|who|whose|will|would|must|where|which|why|have|has|if)\b",
    re.I,
)
# "..., and when can I ask for a note?", "and from which day…?", "and do I pay her?" — a conjunction that starts a
# second question. An auxiliary followed by a participle or adverb is a statement: "and has been off 3 weeks".
_SECOND_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|but)\s+(?:(?:roughly|approximately|realistically|typically|generally|usually|exactly|then|also|just)\s+)?"
    r"(?=(?:(?:from|by|on|in|at|to|for|under) )?(?:what|whats|how|when|who|where|which|why|if)\b"
    r"|(?:can|could|do|does|is|are|am|should|will|would|must|have|has)\s+"
    r"(?!(?:been|had|got|gone|done|taken|just|already|now|off|also|still|recently|not|never|always|only)\b)\w)",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[?!.])\s+|\s*\n+\s*")
_FOLLOW_UP_START = re.compile(r"^(and|but|also|so|then|what about|how about|what if|and if)\b", re.I)
_PRONOUNS = frozenset("it its they them their this that these those he she him her his".split())
_NUMBER = r"(\d+(?:\.\d+)?)"
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2,
}  # fmt: skip
_COUNT = r"(\d+|a couple of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_ABOUT = r"(?:about |around |roughly |nearly |almost |over |just over |just under |only |a good )?"
_GAP = (  # the time back at work between two spells: "back at work for 10 weeks", "6 weeks later", "a gap of a month"
    rf"(?:back|returned|came back|worked|working|at work|in work)(?: at work| to work| in work)?(?: for)? {_ABOUT}{_COUNT} (weeks?|months?)\b",
    rf"\b{_COUNT} (weeks?|months?) (?:later|apart|in between|between (?:them|the spells|spells|the two)|after (?:coming|going|getting) back|after (?:she|he|they) (?:came|went|got) back|back at work)",
    rf"gap of {_ABOUT}{_COUNT} (weeks?|months?)\b",
)
_PAY_WEEKS = (  # weeks of company sick pay a contract gives: "4 weeks' full pay", "12 weeks of company sick pay"
    r"\b\d+\s*weeks?'?\s*(?:of\s+)?(?:full|half|company|contractual|enhanced|normal|occupational)\s+(?:company\s+)?(?:sick\s+)?pay\b",
    # the period their average pay is worked over: "her average over the last 8 weeks comes to £140"
    r"\b(?:averag\w*|earn\w*|pay|wages?)\b[^.?!]{0,30}?\b(?:over|in|across|for) the (?:(?:last|past|previous) )?\d+\s*weeks?\b",
    r"\b(?:over|in|across) the (?:last|past|previous) \d+\s*weeks?\b(?=[^.?!]{0,30}?\b(?:averag|earn|pay\b|wages?\b))",
    # SSP's own limit, not their time off: "his 28 weeks run out in December"
    r"\b\d+\s*weeks?\s+(?:of\s+ssp\s+)?(?:runs?|ran|running|will run|is|are|were|was|will be)\s+(?:out|up)\b",
    # SSP's limit named as such: "does it come off her 28-week maximum?", "the maximum of 28 weeks"
    r"\b28[- ]weeks?'?\s+(?:maximum|max|limit|entitlement|allowance|cap)\b|\b(?:maximum|max|limit|cap) of 28 weeks\b",
    # how far into a pregnancy, or how long until a date: "14 weeks pregnant", "due in 6 weeks" are not time off
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*weeks?'?\s+(?:pregnant|gone|into (?:her|the) pregnancy)\b",
    r"\b(?:due|baby is due|leave starts|starts maternity leave)\s+in\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s*weeks?\b",
    # SSP's 28 weeks as an allowance: "he's got 28 weeks of SSP to use up" is not how long he has been off
    r"\b(?:got|has|have|gets?|entitled to|allowed|use up|uses up|using up)\s+(?:all\s+)?(?:the\s+|his\s+|her\s+|their\s+)?"
    r"28\s*weeks?'?\s+(?:of\s+)?(?:ssp|statutory sick pay|sick pay)\b",
)
_UNITS = r"(?:spells?|absences?|occasions?|periods?|instances?|times|lots|bouts?|episodes?)"
_SPELLS_EACH = rf"\b{_COUNT} (?:separate |short |different |sickness |one-off )?{_UNITS}(?: off| of absence| of sickness| off sick)?(?: of| lasting| each lasting| for| at)? {_COUNT} days?"
_SPELLS_TOTAL = (
    rf"\b{_COUNT} (?:separate |short |different |sickness )?{_UNITS}\b[^.?!]{{0,60}}?(?:totalling|totaling|adding up to|making|a total of|in total|total of) {_COUNT} days?",
    rf"\b{_COUNT} (?:separate |short |different |sickness )?{_UNITS}\b[^.?!]{{0,60}}?\b{_COUNT} days? (?:in total|altogether|in all)",
)


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = r"(mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
_DATE_AFTER_DAY = r"(?:\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?)?"  # "Monday 16 to Wednesday 18 November"
_DAY_RANGE = re.compile(
    rf"\b{_DAY}s?{_DATE_AFTER_DAY}\s*(?:to|-|–|till|until|thru|through)\s*(?:the following |next )?{_DAY}s?\b"
)
_PATTERN_WORDS = r"(?:days?|mornings?|afternoons?|evenings?|shifts?|nights?)"
_WEEKS_A_YEAR = Decimal(52)
_HOURS_WORKED = (  # hours worked on reduced hours; the days-of-hours forms give both numbers
    rf"\b{_COUNT}\s*(?:days?|shifts?|mornings?|afternoons?)\s*of\s*{_NUMBER}\s*(?:hours?|hrs?)\b",
    rf"\b{_COUNT}\s*(?:x|×)\s*{_NUMBER}[- ]?(?:hours?|hrs?)\s*(?:days?|shifts?)\b",
    rf"\b(?:doing|does|(?:now|only|just) (?:working|works))\s+(?:only\s+|just\s+)?{_NUMBER}\s*(?:hours?|hrs?)\b",
)
_WORDED = r"(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of)"
# "earns £140 a week", "on £300 a week", "averages about £90 a week": pay, not an SSP rate quoted back
_EARNS = r"(?:earn\w*|on|paid|gets?|getting|averag\w*|makes?|takes? home|comes? to|works? out (?:at|to|as)|(?:pay|wages?|earnings|salary)(?:\s+(?:is|are|was|of))?)\s+(?:about |around |roughly |approx\.? |approximately |only |just |under |over |a flat |flat |a basic |basic )?"


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+)?(?:the\s+)?"
_SSP_SPAN_DAYS = 28 * 7  # a dated spell longer than SSP's 28 weeks is a misreading of the dates
# The first day back ("came back on Monday 30 November", "his fit note says he's back Monday 7 December")
_BACK_ON = (
    rf"\b(?:back|returned|returns|returning|return)\b(?:\s+(?:to|at)\s+work)?\s+(?:on\s+)?{_WEEKDAY}"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
)
# The last day off, when a spell is given as a range of dates ("off from 3 November to 14 November")
_OFF_UNTIL = (
    rf"(?:off|sick|ill|absent)\b[^.?!]{{0,30}}?\b(?:since|from)\s+{_WEEKDAY}\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?{_MONTH})?"
    rf"\s*(?:to|until|till|through|-|–)\s*{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
)
# "how much do I owe up to and including yesterday (Monday 30 November)?": the spell counted to a dated day
_COUNTED_UNTIL = (
    rf"\b(?:up ?to|until|till|through)\s+(?:and including\s+)?(?:(?:yesterday|today)\s*,?\(?\s*)?{_WEEKDAY}"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
)
# "off sick all of this week, Monday 30 November to Friday 4 December": a spell dated at both ends, no "since"
_SICK_SPAN_DATES = (
    rf"(?:off|sick|ill|absent)\b[^.?!]{{0,40}}?\b{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
    rf"\s*(?:to|until|till|through|-|–)\s*{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
)
# "off sick from Monday 30 November up to and including today": the spell counted to today or yesterday
_OFF_UNTIL_NOW = r"\b(?:up ?to|until|till|through)\s+(?:and including\s+)?(today|yesterday)\b(?!\s*,?\s*\(?\s*(?:\w+day\s+)?\d)"
# "went home ill at 11am on Thursday 26 November": the spell's first date is a day they worked part of
_WENT_HOME_ON_A_DATE = (
    rf"\b(?:went|sent|gone)\s+home\b[^.?!,]{{0,30}}?\bon\s+{_WEEKDAY}\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
)
# "how much SSP do I owe her so far?", "still off today": a dated spell counted to today
_OFF_SO_FAR = r"\b(?:so far|to date|up ?to now|until now|till now)\b(?!\s+this\s+(?:year|month))|\bstill\s+(?:off|sick|ill|absent)\s+(?:sick\s+)?today\b"
# "off sick since 1 June 2026", "went off on Monday 2 November", "off from Friday 6 November", "off since June 1st"
_SICK_SINCE = (
    rf"(?:off|sick(?:ness)?|ill(?:ness)?|absent)\b[^.?!]{{0,30}}?\b(?:since|from|on|starting|started)\s+{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:\s+(\d{{4}}))?",
    rf"(?:off|sick(?:ness)?|ill(?:ness)?|absent)\b[^.?!]{{0,30}}?\b(?:since|from|on|starting|started)\s+{_WEEKDAY}{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
    rf"(?:off|sick(?:ness)?|ill(?:ness)?|absent)\b[^.?!]{{0,30}}?\bsince\s+(?:early\s+|the (?:start|beginning) of\s+)?{_MONTH}\b(?!\s*\d{{1,2}}\b)(?:\s+(\d{{4}}))?",
)

# Two dated spells: "off 7 to 18 September …, then went off again on 2 November"
_FIRST_SPELL_END = (
    rf"\b(?:off|sick|ill|absent)\b[^.?!]{{0,40}}?\b(?:from\s+)?{_WEEKDAY}\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?{_MONTH})?"
    rf"\s*(?:to|until|till|-|–)\s*{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
)
_SECOND_SPELL_START = (
    rf"\b(?:again|another spell|went off|back off|off sick|signed off)\b[^.?!]{{0,40}}?\b(?:on|from|since)\s+{_WEEKDAY}"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
)
# The day of an accident at work: "fell off a tower on Thursday 12 November", "injured himself on the 3rd of November"
_HURT = (
    r"\b(?:accident|injur\w*|hurt|fell|fall|broke|cut|crushed|burn(?:t|ed)|trapped|slipped|tripped|incident|twist(?:ed)?"
    r"|sprain(?:ed)?|strain(?:ed)?|wrench(?:ed)?|struck|banged|knocked)\b"
)
_ACCIDENT_ON = rf"{_HURT}[^.?!]{{0,50}}?\bon\s+{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
_ACCIDENT_AGO = rf"{_HURT}[^.?!]{{0,50}}?\b{_COUNT}\s+(days?|weeks?)\s+ago\b"  # "the accident was 15 days ago"
# Length of service: "been with us 18 months", "worked here for 3 years", "14 months' service", "employed for 2 years"
_SERVICE = (
    rf"(?<!off )(?<!sick )\b(?:with (?:us|me|the (?:company|firm|business))|here|for (?:us|me)|employed|in the job|in post|on the books)\s+(?:for\s+)?"
    rf"{_ABOUT}{_COUNT}\s*(?:and a half\s+)?(years?|yrs?|months?)\b",
    rf"\b{_COUNT}\s*(?:and a half\s+)?(years?|yrs?|months?)'?\s*(?:of\s+)?(?:continuous\s+)?service\b",
)
# The month they started: "started with us in March 2025", "joined in June 2024", "been here since September 2023"
_SERVICE_SINCE = (
    rf"\b(?:started|joined|began|taken on|been (?:here|with us) since|with us since|employed since|working (?:here|for us) since)"
    rf"\s+(?:with us\s+|here\s+|working here\s+)?(?:in\s+|back in\s+|on\s+)?(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?{_MONTH}\s+(\d{{4}})\b"
)


@dataclass(frozen=True)
class CalendarDay:
    """A date as a question gives it; the year may be left out ("since 6 November")."""

    day: int
    month: int
    year: int | None
    month_only: bool = False  # "off since June": the day is taken as the 1st, the earliest it could be

    def on_or_before(self, today: dt.date) -> dt.date | None:
        """The date itself, or, with no year given, its latest occurrence on or before today; None if impossible."""
        try:
            if self.year is not None:
                return dt.date(self.year, self.month, self.day)
            candidate = dt.date(today.year, self.month, self.day)
            return candidate if candidate <= today else dt.date(today.year - 1, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class Figures:
    """Numbers a question gives, read for the calculators (None when not given)."""

    weeks_off: Decimal | None = None
    staff: int | None = None  # a number inside the band asked about: "under 50 staff" is 49
    staff_bound: str | None = None  # "fewer than" or "more than" when the question gives a bound, not a count
    weekly_earnings: Decimal | None = None
    hours_a_week: Decimal | None = None
    hourly_pay: Decimal | None = None
    cost: Decimal | None = None
    months_off: Decimal | None = None  # "off for 5 months": too vague for money, enough for when SSP ends
    gap: Gap | None = None  # time back at work between two spells of sickness
    spells: int | None = None  # separate spells of absence, for the Bradford factor
    days_absent: Decimal | None = None  # total days absent over those spells
    days_off: int | None = None  # working days off sick in this spell ("off Tuesday to Thursday", "missed 3 Saturdays")
    working_days: int | None = None  # days they normally work each week: their qualifying days for SSP
    sick_since: CalendarDay | None = None  # the first day of this spell of sickness, when the question dates it
    went_home_first_day: bool = False  # they went home ill part-way through the spell's first day, which is not a day off
    new_starter: bool = False  # starting soon or started at most 6 weeks ago (no Access to Work cost share)
    hours_worked: Decimal | None = None  # hours worked this week on reduced hours ("doing 3 days of 8 hours")
    days_in_row: int | None = None  # calendar days off in a row, weekends included ("Thursday to the following Wednesday")
    work_weekdays: tuple[int, ...] | None = None  # the days of the week they work, Monday 0 ("Mon, Tue and Wed")
    sick_since_weekday: tuple[int, bool] | None = None  # "off since last Wednesday": the weekday (Monday 0), and "last"
    back_on: CalendarDay | None = None  # the first day back, when the question dates it ("came back on Monday 30 November")
    last_day_off: CalendarDay | None = None  # the last day off, when the question dates it ("off 3 to 14 November")
    off_until_days_ago: int | None = None  # a spell counted "up to and including today" (0) or "until yesterday" (1)
    spell: tuple[dt.date, dt.date] | None = None  # first and last day off, once both dates are placed in the calendar
    accident_on: CalendarDay | None = None  # the day of an accident at work, when the question dates it
    accident_days_ago: int | None = None  # "the accident was 15 days ago": placed in the calendar as accident_on
    spells_dated: tuple[CalendarDay, CalendarDay] | None = None  # the last day of one spell and the first of the next
    service_months: Decimal | None = None  # length of service: "been with us 18 months", "3 years' service"
    service_bound: str | None = None  # "less than" or "more than" when the question gives a bound ("under 2 years")
    treatment_cost: Decimal | None = None  # treatment paid for: "8 physio sessions at £75 each", "£600 of physio"
    broken_bone: str | None = None  # the bone an injury broke: "fractured his ankle" → "ankle"
    service_since: CalendarDay | None = None  # the day or month they started, placed in the calendar as service_months

    @property
    def earnings(self) -> Decimal | None:
        """Weekly earnings as given, or worked out from hours and hourly pay ("25 hours at £12.71")."""
        if self.weekly_earnings is None and self.hours_a_week and self.hourly_pay:
            return (self.hours_a_week * self.hourly_pay).quantize(Decimal("0.01"))
        return self.weekly_earnings


@dataclass(frozen=True)
class ParsedQuestion:
    """A question split into its parts (each a question), the scenario around them, and its figures."""

    text: str
    parts: tuple[str, ...]
    context: str
    figures: Figures
    plan: str | None = None  # the plan the scenario states, asked as "can I …?", when the question only asks "OK?"
    claim: Claim | None = None  # what someone told them, when the question asks "is that true?" or "who's right?"

    @property
    def asks_if_wrong(self) -> bool:
        """Whether the message asks if its stated plan (or what was already done) is wrong, not whether it is all right."""
        return self.plan is not None and any(_ASKS_IF_WRONG.search(part) for part in self.parts)

    @property
    def done_already(self) -> bool:
        """Whether the plan asked about was already carried out ("Was I allowed to?", "Did we get that wrong?")."""
        return self.plan is not None and any(re.match(r"(?:was|were|did|have|has)\b", p.strip(), re.I) for p in self.parts)

    @property
    def asked(self) -> str:
        """The question sentences alone, without the scenario ("on £520 a week" is not "what do I pay each week?")."""
        return " ".join(self.parts)

    @property
    def asked_about(self) -> str:
        """What the message asks about: its questions, with the sentence before them when they only ask "was that
        wrong?", or the last sentence of a message that asks no question ("…so I'm planning not to pay him")."""
        if not self.context:
            sentences = [p.strip() for p in _SENTENCE.split(self.text) if p and p.strip()]
            return sentences[-1] if sentences else self.text
        story = [p.strip() for p in _SENTENCE.split(self.context) if p and p.strip()]
        if not story:
            return self.asked
        if _content_words(self.asked) <= 1 or (_content_words(self.asked) <= 2 and _POINTS_BACK.search(self.asked)):
            return f"{story[-1]} {self.asked}"  # "Was that wrong?", "Do we have to pay it properly?": the sentence before
        return self.asked


def clean_question(question: str, max_chars: int) -> tuple[str, tuple[str, ...]]:
    """Normalise a typed question: drop control characters, collapse spaces, truncate very long text."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in question or "")
    text = " ".join(text.split())
    notices: tuple[str, ...] = ()
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0]
        notices = (f"Your question was very long, so only its first {max_chars:,} characters were used.",)
    return text, notices


# Places that tell us the employer is in Northern Ireland, whose rules differ (the model knows "Belfast", not "Omagh").
_NI_PLACES = re.compile(
    r"\b(?:derry|londonderry|newry|lisburn|armagh|enniskillen|omagh|coleraine|ballymena|antrim|tyrone|fermanagh|"
    r"craigavon|portadown|dungannon|strabane|newtownabbey|carrickfergus|larne|magherafelt|cookstown|county down|co\.? down)\b",
    re.I,
)


def names_northern_ireland(text: str) -> bool:
    """Whether the question says the employer or employee is in Northern Ireland."""
    lowered = f" {text.lower()} "
    ni = re.search(r"\bni\b", lowered) and not _NATIONAL_INSURANCE.search(lowered)
    return bool(_NI_PLACES.search(text) or ni) or any(p in lowered for p in ("northern ireland", "belfast", "nidirect"))


# "do I take tax and NI off SSP?": NI as National Insurance, not Northern Ireland
_NATIONAL_INSURANCE = re.compile(
    r"\b(?:tax|paye|deduct\w*|pension|employer'?s?|employee'?s?|class \d\w?)\W+(?:and\W+|or\W+|&\W+)?ni\b"
    r"|\bni\W+(?:and\W+|or\W+|&\W+)?(?:tax|contributions?|numbers?|deductions?|class|rates?|threshold|comes? off|taken off|deducted)\b"
)


def with_northern_ireland(text: str) -> str:
    """The question, saying "Northern Ireland" when it names only a place there ("a café in Derry")."""
    if "northern ireland" in text.lower():
        return text
    return _NI_PLACES.sub(lambda place: f"{place.group(0)}, Northern Ireland,", text, count=1)


def resolve_follow_up(question: str, history: Sequence[str]) -> str:
    """Join a follow-up to the previous question, only on an explicit cue ('and…', 'what about…', a bare pronoun)."""
    if not history:
        return question
    words = re.findall(r"[a-z']+", question.lower())
    content = [w for w in words if w not in STOPWORDS and w not in _PRONOUNS]
    bare_pronoun = any(w in _PRONOUNS for w in words) and len(content) <= 2
    if _FOLLOW_UP_START.match(question.strip()) or bare_pronoun:
        return f"{history[-1]} {question}"
    return question


def parse_question(text: str) -> ParsedQuestion:
    """Split a question into up to three questions plus the scenario sentences around them."""
    pieces = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    questions: list[str] = []
    context: list[str] = []
    bare_can = False  # "We plan to dismiss her. Can we, and who can we ring first?": "Can we" asks about the plan
    for piece in pieces:
        if piece.endswith("?") or _QUESTION_START.match(piece):
            chunks = [q.strip(" ,?") for q in _SECOND_QUESTION.split(piece)]
            bare_can = bare_can or (len(chunks) > 1 and any(_BARE_CAN.match(q) for q in chunks))
            questions.extend(q.strip(" ,") for q in _SECOND_QUESTION.split(piece) if _content_words(q) >= 1)
        else:
            context.append(piece)
    if not questions:  # a statement of the situation is the question ("need help with ssp for part timer")
        questions, context = [text], []
    # "I plan to take the cost out of her wages. OK?": what is asked about is the plan
    confirms = bare_can or any(_CONFIRMATION.match(q.strip()) for q in questions)
    plan = _stated_plan(" ".join(context)) if confirms else None
    if bare_can and plan:
        questions.insert(0, plan)
    claim = _checked_claim(questions, context)
    if claim is not None:  # "My partner says we needn't pay SSP. Who's right?": the claim itself is what is asked
        questions = [claim.asked if claim.check_in(q) else q for q in questions]
        context = [c.replace(claim.text, "").strip() for c in context]  # the claim is now the question: not told twice
        context = [c for c in context if _content_words(c) >= 1]
        plan = None
    unique = list(dict.fromkeys(questions))[:MAX_PARTS]
    # A claim's figures are what someone said, not the facts ("SSP only starts after 4 days", "only over £125 a week")
    told = text.replace(claim.text, " ") if claim is not None else text
    return ParsedQuestion(text, tuple(unique), " ".join(context), read_figures(told), plan, claim)


@dataclass(frozen=True)
class Claim:
    """Something the manager was told (or believes) and asks to have checked: "my partner says we needn't pay SSP"."""

    text: str  # the claim itself: "we don't have to pay SSP to someone on a zero hours contract"
    claimant: str | None  # who made it, as the answer names them: "your partner", "he", "you"; None when not clear

    @property
    def asked(self) -> str:
        """The claim asked as a question, for matching it with the cards."""
        return f"{self.text}?"

    def check_in(self, question: str) -> bool:
        """Whether this question sentence asks for the claim to be checked ("Who's right?", "… is that true?")."""
        return bool(_CLAIM_CHECK.search(question))


# "Who's right?", "Is that true?", "Is my partner right?", "True?": asks whether a claim told before it holds
_CLAIM_CHECK = re.compile(
    r"(?:^|,\s*|\s)(?:so\s+|but\s+)?(?:who'?s|who is|which (?:of us )?is) (?:right|correct)\b"
    r"|(?:^|,\s*|\s)(?:is|are) (?:that|this|he|she|they|(?:my|our|the|his|her) \w+(?: \w+)?) (?:actually |really |still )?"
    r"(?:right|correct|true|the case|the law|legit)\b[^?]{0,20}\?*$"
    r"|(?:^|,\s*|\s)(?:is|was) (?:that|this|it) (?:actually |really |still )?(?:true|so|the law)\b[^?]{0,20}\?*$"
    r"|^(?:true|really|is it)\??$|\bdoes (?:he|she|they) have a point\b|^(?:am i|are we) right\b|\bis (?:he|she|they) wrong\b",
    re.I,
)
# "My partner says…", "the owner reckons…", "I was told…", "someone told me that…": a claim and who made it
_CLAIM = re.compile(
    r"(?:\b(?P<who>i|we|he|she|they|someone|somebody|(?:my|our|the|his|her|a|an) (?:[\w'-]+ ){0,2}?[\w'-]+)\s+)?"
    r"(?:has |have |had |always |keeps |kept |is |was )?"
    r"\b(?:says?|said|saying|reckons?|reckoned|thinks?|thought|claims?|claimed|insists?|insisted|swears?|believes?|"
    r"told (?:me|us|him|her)|tells (?:me|us)|(?:was|were|have been|'ve been) told|heard|adamant)\s+(?:that\s+)?",
    re.I,
)
_YOU = {"i": "you", "we": "you", "my": "your", "our": "your"}


def _checked_claim(questions: Sequence[str], context: Sequence[str]) -> Claim | None:
    """The claim a message asks to have checked, when one of its questions asks "is that true?" or "who's right?":
    told in the same sentence or the one before it ("I'm planning to … — is that right?" checks the plan instead)."""
    check = next((q for q in questions if _CLAIM_CHECK.search(q)), None)
    if check is None or _PLAN.search(check):
        return None
    told = check if _CLAIM.search(check) else (context[-1] if context else "")  # "My partner says X, is that right?"
    found = list(_CLAIM.finditer(told))
    if not found:
        return None
    last = found[-1]
    clause = re.split(
        r"[.!?;]|\s[-–—]\s|,\s*(?:so|because|as|but|and (?:is|who)|is (?:that|this|he|she|it)|who'?s)\b"
        r"|\s+(?:so|because)\s+(?=(?:we|i|you|he|she|they|it)\b)",  # "menopause isn't a disability so we don't have to…"
        told[last.end() :],
    )
    text = clause[0].strip(" ,")
    if _content_words(text) < 2:
        return None
    passive = re.search(r"\btold\s+(?:that\s+)?$", last.group(0), re.I) and not re.search(
        r"told (?:me|us|him|her)", last.group(0), re.I
    )
    who = "" if passive else (last.group("who") or "").lower()  # "I was told…": not the manager's own claim
    first, _, rest = who.partition(" ")
    claimant = " ".join(filter(None, (_YOU.get(first, first), rest))) if who and who not in ("someone", "somebody") else None
    if claimant is not None and (claimant.split()[0] in ("a", "an") or told[: last.start()].rstrip().endswith(" of")):
        claimant = None  # "a mate told me", "one of the girls says": the answer does not name them
    return Claim(text, claimant)


# A question that only asks whether the plan told before it is all right: "OK?", "Any problem with that?"
_CONFIRMATION = re.compile(
    r"^(?:(?:so|and|but|is that|is this|was that|was this|would that be|will that be|am i|are we|was i|were we)\s+)?(?:ok|okay|"
    r"alright|all right|allowed|legal|fine|right|fair|correct|acceptable|lawful|wrong)\??$"
    r"|^(?:(?:is there )?any|is there an?) (?:problem|issue|comeback|risk)s?(?: with (?:that|this|doing that))?\??$"
    r"|^(?:anything wrong with (?:that|this)|can (?:i|we) do (?:that|this)|is that the right thing to do)\??$"
    # "Was I allowed to?", "Did we get that wrong?", "Were we right to?", "Have I done anything wrong?"
    r"|^(?:was i|were we|am i|are we|is it|was it) (?:allowed|right|ok|okay|wrong)(?: to(?: do (?:that|this|it))?)?\??$"
    r"|^did (?:i|we) (?:get (?:that|this|it) wrong|do (?:the )?(?:right|wrong) thing|do anything wrong|mess (?:that |this |it )?up)\??$"
    r"|^(?:have|has) (?:i|we) (?:done|got) (?:anything|something|it|that) wrong\??$|^(?:was|is) (?:that|this|it) a mistake\??$",
    re.I,
)
# A short question that points back at the story: "Do we have to pay it properly?", "Is she right about that?"
_POINTS_BACK = re.compile(r"\b(?:it|that|this|she|he|they)\b", re.I)
# A confirmation asked the other way round: "was that wrong?" is answered "Yes" when the plan breaks the rule
_ASKS_IF_WRONG = re.compile(r"\bwrong\b|\bmistake\b|\bmess(?:ed)? (?:that |this |it )?up\b", re.I)
_BARE_CAN = re.compile(r"^(?:can|could|may|should|do) (?:i|we)$|^(?:are we|am i) allowed(?: to)?$", re.I)
# "I'm going to …", "we're planning to …", "my plan is to …": the plan a manager states before asking if it is all right
_PLAN = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are)\s+(?:going|planning|thinking of|about)\s+(?:to\s+)?"
    r"|\b(?:i|we)\s+(?:plan|intend|want)\s+to\s+|\b(?:my|our|the)\s+plan\s+is\s+(?:to\s+)?",
    re.I,
)


# "I already told him the first three days are unpaid … Was that wrong?": what was done, asked as a plan
_PRESENT = {
    "told": "tell", "informed": "inform", "stopped": "stop", "docked": "dock", "refused": "refuse", "sent": "send",
    "asked": "ask", "gave": "give", "made": "make", "put": "put", "cut": "cut", "paid": "pay", "withheld": "withhold",
    "kept": "keep", "moved": "move", "deducted": "deduct", "issued": "issue", "dismissed": "dismiss", "sacked": "sack",
    "reduced": "reduce", "changed": "change", "took": "take", "wrote": "write", "emailed": "email", "rejected": "reject",
}  # fmt: skip
_DONE = re.compile(rf"\b(?:i|we)(?:'ve| have)?\s+(?:already\s+|just\s+)?({'|'.join(_PRESENT)})\s+", re.I)


def _stated_plan(context: str) -> str | None:
    """The last plan the scenario states, asked as "can I …?" ("I plan to dock her wages" → "can I dock her wages?";
    "I've already told him he can't come back" → "can I tell him he can't come back?")."""
    found = [(m.start(), m.end(), "") for m in _PLAN.finditer(context)]
    found += [(m.start(), m.end(), _PRESENT[m.group(1).lower()] + " ") for m in _DONE.finditer(context)]
    if not found:
        return None
    _, end, verb = max(found)
    clause = verb + re.split(r"[.!?;]|,\s*(?:so|because|as|but)\b", context[end:])[0].strip(" ,")
    return f"can I {clause}?" if _content_words(clause) >= 2 else None


# "does her 28-week count start again?", "has he used up his 28 weeks?": SSP's limit named, not weeks off sick
_SSP_LIMIT_NAMED = (
    r"\b28[- ]weeks?'?\s*(?:count|limit|period|maximum|max|clock|cap|allowance|entitlement|rule)\b",
    r"\b(?:the|her|his|their|a fresh|a new|another)\s+28\s*weeks\b",
)


def read_figures(text: str) -> Figures:
    """Read weeks off, staff numbers, pay and costs from a question ('off 3 weeks', '8 staff', '£12.71 an hour')."""
    lowered = text.lower().replace(",", "")
    gap = _read_gap(lowered)
    off_text = lowered
    for pattern in _GAP + _PAY_WEEKS + _SSP_LIMIT_NAMED:  # "back at work for 10 weeks", "4 weeks' full pay": not time off
        off_text = re.sub(pattern, " ", off_text)
    weeks = _find(rf"\b(?:off|sick|ill|absent)\s+(?:sick\s+)?(?:for\s+)?{_ABOUT}{_NUMBER}\s*(?:weeks?|wks?)\b", off_text)
    weeks = (
        weeks
        # "off five weeks with a slipped disc": the worded time off before any other number of weeks
        or _worded(rf"\b(?:off|sick|ill|absent)\s+(?:sick\s+)?(?:for\s+)?{_ABOUT}{_WORDED}\s+(?:full\s+)?weeks?\b", off_text)
        # "off 3 weeks", "a 2-week stay", "2 full weeks"
        or _find(rf"{_NUMBER}\s*-?\s*(?:full\s+|whole\s+)?(?:weeks?|wks?)\b", off_text)
        or _worded(rf"\b{_WORDED}\s+(?:full\s+)?weeks?\b", off_text)
    )
    if weeks is None and re.search(  # "off for a week", "off sick from tomorrow for a week"
        r"\b(?:off|sick|ill)\s+(?:sick\s+)?(?:for\s+|(?:from|since) \w+ for\s+)?a\s+(?:full\s+|whole\s+)?week\b", off_text
    ):
        weeks = Decimal(1)
    if weeks is None and re.search(r"\b(?:off|sick|ill)\s+(?:sick\s+)?(?:for\s+)?a\s+fortnight\b", off_text):
        weeks = Decimal(2)
    upcoming = _find(  # "hits 28 weeks of SSP next week": a milestone ahead, so a week short of it today
        rf"\b(?:hits?|hitting|reach(?:es|ing)?|coming up to|approaching|nearly|almost|about to (?:hit|reach))\s+{_NUMBER}\s*(?:weeks?|wks?)\b",
        off_text,
    )
    if weeks is not None and upcoming == weeks and weeks > 1:
        weeks -= 1
    work_weekdays = _read_work_weekdays(lowered)
    if weeks is None and work_weekdays == (5, 6):  # a weekend worker "off sick the last two weekends"
        weekends = re.search(rf"\b(?:off|sick|ill|absent|missed)\b[^.?!]{{0,25}}?\b{_COUNT}\s+weekends\b", off_text)
        weeks = Decimal(_count(weekends.group(1))) if weekends else None
    months = _find(rf"{_NUMBER}\s*months?\b", off_text) or _worded(rf"\b{_WORDED}\s+months?\b", off_text)
    staff, staff_bound = _read_staff(lowered)
    service_months, service_bound = _read_service(lowered)
    weekly = _find(
        rf"{_EARNS}£\s?{_NUMBER}\s*(?:a|per|each)\s*week|{_EARNS}£\s?{_NUMBER}\s*(?:pw|p/w)\b"
        rf"|{_EARNS}£\s?{_NUMBER}\s*(?:for|on)\s*an?\s*(?:\w+[- ])?(?:days?[- ])?week\b"  # "earns £450 for a 5 day week"
        rf"|\b(?:about|around|roughly|approx\.?|approximately)\s*£\s?{_NUMBER}\s*(?:a|per|each)\s*week"  # "Mon-Fri, about £420 a week"
        rf"|\b(?:on|earns?|earning)\s+{_NUMBER}\s*(?:a|per|each)\s*week",  # "someone on 140 a week" (no £ sign)
        lowered,
    )
    if weekly is None:
        weekly = _weekly_from_salary(lowered)
    if weekly is None:  # "her gross pay over the last 8 weeks adds up to £1,040": the average week
        weekly = _weekly_from_total(lowered)
    if weekly is None:  # "she's paid a steady £150 a week", "does weekends for £96 a week"
        weekly = _weekly_pay_mentioned(lowered)
    hourly = _find(rf"£\s?{_NUMBER}\s*(?:an|per|a)\s*(?:hour|hr)|£\s?{_NUMBER}\s*(?:ph|p/h)\b", lowered)
    hours = _find(rf"{_NUMBER}\s*(?:hours?|hrs?)\s*(?:a|per|each)?\s*week", lowered)
    if hours is None and not re.search(r"\b(?:a|per|each)\s*(?:day|shift)\b", lowered):
        # "37.5 hours on £12.90 an hour", "8 hours in total at £13 an hour": hours beside an hourly rate are a week's
        hours = _find(
            rf"{_NUMBER}\s*(?:hours?|hrs?)(?:\s+in total)?\s+(?:on|at)\s+£\s?\d+(?:\.\d+)?\s*(?:an|per|a)\s*(?:hour|hr)\b",
            lowered,
        )
    if hourly is None:  # "8 hrs a week at £12.71": a pay rate given right after the hours is per hour
        hourly = _find(rf"\d\s*(?:hours?|hrs?)\s*(?:a|per|each)?\s*(?:week|day|shift)\s*(?:at|on)\s*£\s?{_NUMBER}(?!\d)", lowered)
    hours_a_day = _find(
        rf"{_NUMBER}\s*(?:hours?|hrs?)\s*(?:a|per|each)\s*(?:day|shift)|{_NUMBER}[- ]?(?:hours?|hr) (?:days|shifts)\b", lowered
    )
    if hours is None and hours_a_day is not None and _read_working_days(lowered):  # "3 days a week, 8 hours a day"
        hours = hours_a_day * _read_working_days(lowered)
    if weekly is None and hourly is None:  # "one shift a week for £60", "works Saturdays, £60 a shift"
        weekly = _find(rf"\b(?:a|per|each)\s*week\s*(?:for|at|on)\s*£\s?{_NUMBER}", lowered)
        per_shift = _find(rf"£\s?{_NUMBER}\s*(?:a|per|each)\s*(?:shift|day)\b", lowered)
        working_days = _read_working_days(lowered)
        if weekly is None and per_shift is not None and working_days:
            weekly = per_shift * working_days
        if weekly is None and working_days:  # "4 days a week on about £380": pay beside a weekly pattern is weekly pay
            weekly = _find(
                rf"{_EARNS}£\s?{_NUMBER}(?!\d|\.\d|\s*k\b)(?!\s*(?:a|an|per|each)\s*(?:hour|hr|year|annum|month))", lowered
            )
    amounts = [
        Decimal(m)
        for m in re.findall(
            rf"£\s?{_NUMBER}(?!\d|\.\d)(?!\s*k?\s*(?:a|an|per|each)\s*(?:week|hour|hr|year|annum|month|shift|day))", lowered
        )
    ]
    cost = max(amounts) if amounts and weekly is None and hourly is None else None
    spells, days_absent = _read_spells(lowered)
    span_start, span_end = _read_sick_span(lowered)
    return Figures(
        months_off=months if weeks is None else None,
        gap=gap,
        spells=spells,
        days_absent=days_absent,
        weeks_off=weeks,
        staff=int(staff) if staff is not None else None,
        staff_bound=staff_bound,
        weekly_earnings=weekly,
        hours_a_week=hours,
        hourly_pay=hourly,
        cost=cost,
        days_off=_read_days_off(off_text, work_weekdays) if weeks is None and spells is None else None,
        working_days=_read_working_days(lowered),
        sick_since=_read_sick_since(lowered) or span_start,
        went_home_first_day=bool(re.search(_WENT_HOME_ON_A_DATE, lowered)),
        new_starter=_is_new_starter(lowered),
        hours_worked=_read_hours_worked(lowered),
        days_in_row=_read_days_in_row(lowered),
        work_weekdays=work_weekdays,
        sick_since_weekday=_read_sick_since_weekday(lowered),
        back_on=_read_dated(_BACK_ON, lowered),
        last_day_off=_read_dated(_OFF_UNTIL, lowered) or _read_dated(_COUNTED_UNTIL, lowered) or span_end,
        off_until_days_ago=_read_off_until_days_ago(lowered),
        spells_dated=_read_spells_dated(lowered),
        accident_on=_read_dated(_ACCIDENT_ON, lowered),
        accident_days_ago=_read_days_ago(_ACCIDENT_AGO, lowered),
        service_months=service_months,
        service_bound=service_bound,
        service_since=_read_service_since(lowered),
        treatment_cost=_read_treatment_cost(lowered),
        broken_bone=_read_broken_bone(lowered),
    )


_NOT_PAY_CONTEXT = re.compile(
    r"\b(?:ssp|sick pay|statutory|rate|costs?|costing|spend|premiums?|policy|insurance|rent|charges?|fee|benefits?)\b"
)
_SSP_WEEKLY_RATES = {Decimal("123.25"), Decimal("118.75"), Decimal("116.75"), Decimal("109.40")}


def _weekly_pay_mentioned(text: str) -> Decimal | None:
    """A weekly amount that can only be the employee's pay: not an SSP rate, a cost or a premium."""
    for found in re.finditer(rf"£\s?{_NUMBER}\s*(?:a|per|each)\s*week\b", text):
        amount = Decimal(found.group(1))
        if amount not in _SSP_WEEKLY_RATES and not _NOT_PAY_CONTEXT.search(text[max(0, found.start() - 30) : found.start()]):
            return amount
    return None


def _read_days_in_row(text: str) -> int | None:
    """Calendar days off sick in a row: '7 days in a row', '9 consecutive days', 'off Thursday to the following Wednesday'."""
    counted = re.search(
        rf"\b{_COUNT}\s*(?:calendar\s*)?days?\s*(?:in a row|running|consecutive)|\b{_COUNT}\s*consecutive\s*days?\b", text
    )
    if counted:
        return _count(next(g for g in counted.groups() if g))
    following = re.search(
        rf"\b(?:off|sick|ill|absent)\b[^.?!]*?\b{_DAY}s?\s*(?:to|till|until|through)\s*(?:the following|next)\s*{_DAY}\b", text
    )
    if following:  # "to the following Wednesday": into the next week
        same_day = _day_index(following.group(1)) == _day_index(following.group(2))  # "Monday to the following Monday"
        return _days_in_range(following) + (7 if same_day else 0)
    return None


def _read_hours_worked(text: str) -> Decimal | None:
    """Hours worked on reduced hours, such as a phased return: 'doing 20 hours', '3 days of 8 hours', '3 x 8-hour days'."""
    found = []
    for pattern in _HOURS_WORKED:
        for match in re.finditer(pattern, text):
            before = text[max(0, match.start() - 25) : match.start()]
            if re.search(r"\b(?:normally|usually|contracted|full[- ]time|would)\b", before):
                continue  # their usual hours, not the reduced ones
            groups = [g for g in match.groups() if g is not None]
            hours = Decimal(groups[-1]) * (_count(groups[0]) if len(groups) == 2 else 1)
            found.append((match.start(), hours))
    return max(found)[1] if found else None  # the last mentioned: "normally 40 hours… now doing 20"


def _is_new_starter(text: str) -> bool:
    """Whether the person is about to start, or started at most 6 weeks ago."""
    started = re.search(
        rf"\b(?:started|joined|began|start(?:ed)? with us)\s+(?:with us\s+|here\s+)?(?:only\s+)?{_COUNT}\s+weeks?\s+ago", text
    )
    if started:
        return _count(started.group(1)) <= 6
    return bool(
        re.search(
            r"\b(?:starts|starting|start date is|due to start|about to start|will start)\b|\bnew (?:starter|hire|recruit)\b"
            r"|\bjob offer\b|\boffered (?:her|him|them) (?:the|a) job\b|\bhas(?:n't| not) started\b",
            text,
        )
    )


def _read_sick_since(text: str) -> CalendarDay | None:
    """The date a spell of sickness started, when the question gives one."""
    day_first = re.search(_SICK_SINCE[0], text)
    if day_first:
        day, month, year = day_first.groups()
    else:
        month_first = re.search(_SICK_SINCE[1], text)
        if not month_first:
            month_alone = re.search(_SICK_SINCE[2], text)  # "off since June"
            if not month_alone:
                return None
            month, year = month_alone.groups()
            return CalendarDay(1, _MONTHS.index(month[:3]) + 1, int(year) if year else None, month_only=True)
        month, day, year = month_first.groups()
    return CalendarDay(int(day), _MONTHS.index(month[:3]) + 1, int(year) if year else None)


def _weekly_from_salary(text: str) -> Decimal | None:
    """Weekly earnings from a yearly or monthly salary ('£26,000 a year', '£24k pa', '£2,000 a month')."""
    yearly = re.search(
        rf"£\s?{_NUMBER}\s*(k)?\s*(?:gross\s*|before tax\s*)?(?:a year|per year|per annum|pa\b|p\.a\.|a yr|annually)", text
    )
    if yearly:
        amount = Decimal(yearly.group(1)) * (1000 if yearly.group(2) else 1)
        return (amount / _WEEKS_A_YEAR).quantize(Decimal("0.01"))
    monthly = re.search(
        rf"£\s?{_NUMBER}\s*(?:gross\s*|before tax\s*)?(?:a month|per month|pcm|monthly|every month|each month)", text
    )
    if monthly:
        return (Decimal(monthly.group(1)) * 12 / _WEEKS_A_YEAR).quantize(Decimal("0.01"))
    return None


def _weekly_from_total(text: str) -> Decimal | None:
    """Average weekly pay from pay totalled over a number of weeks ("paid £1,040 over the last 8 weeks")."""
    weeks_first = re.search(
        rf"\b(?:pay|earnings|earned|wages?|paid)\b[^.?!]{{0,30}}?\b(?:over|in|for)\s+the\s+(?:(?:last|past|previous)\s+)?{_COUNT}\s+weeks?\b"
        rf"[^.?!£]{{0,30}}£\s?{_NUMBER}(?!\s*(?:a|an|per|each)\s)",
        text,
    )
    if weeks_first:
        weeks, total = _count(weeks_first.group(1)), Decimal(weeks_first.group(2))
    else:
        total_first = re.search(
            rf"\b(?:pay|earnings|earned|wages?|paid)\b[^.?!£]{{0,30}}£\s?{_NUMBER}(?!\s*(?:a|an|per|each)\s)"
            rf"\s*(?:in total\s*)?(?:over|in|for)\s+the\s+(?:(?:last|past|previous)\s+)?{_COUNT}\s+weeks?\b",
            text,
        )
        if not total_first:
            return None
        total, weeks = Decimal(total_first.group(1)), _count(total_first.group(2))
    return (total / weeks).quantize(Decimal("0.01")) if weeks else None


def _worded(pattern: str, text: str) -> Decimal | None:
    match = re.search(pattern, text)
    return Decimal(_count(match.group(1))) if match else None


def _days_in_range(span: re.Match) -> int:
    """Days from the first named day to the second, both included ("Tuesday to Thursday" is 3)."""
    return (_day_index(span.group(2)) - _day_index(span.group(1))) % 7 + 1


def _day_index(word: str) -> int:
    return next(i for i, day in enumerate(_DAYS) if day.startswith(word[:3]))


def _read_working_days(text: str) -> int | None:
    """Days a week they normally work: '4 days a week', 'Monday to Friday', 'two mornings a week', 'Saturdays only'."""
    counted = re.search(rf"\b{_COUNT}\s*{_PATTERN_WORDS}\s*(?:a|per|each|every)\s*week", text)
    if counted:
        return min(_count(counted.group(1)), 7)
    week = re.search(rf"\b{_COUNT}[- ]day (?:a )?(?:working )?week\b", text)  # "a 4-day week", "on a three day week"
    if week and not re.match(r"an?\b", week.group(1)):
        return min(_count(week.group(1)), 7)
    weekdays = _read_work_weekdays(text)
    return len(weekdays) if weekdays else None


# Words just before a range of days that make it a spell off sick, not a working week: "off with flu Tuesday to Thursday"
_SPELL_BEFORE = re.compile(r"\b(?:off|sick|ill|absent|poorly|flu|bug|home)\b[^.;!?]{0,25}$")


def _read_work_weekdays(text: str) -> tuple[int, ...] | None:
    """The days of the week they work (Monday 0): 'Monday to Friday', 'works Mon, Tue and Wed', 'weekends only'."""
    # a range that is not the sick spell itself ("off with flu Tuesday to Thursday; works Monday to Friday"), else the first
    ranges = list(_DAY_RANGE.finditer(text))
    not_spells = [m for m in ranges if not _SPELL_BEFORE.search(text[max(0, m.start() - 40) : m.start()])]
    span = (not_spells or ranges or [None])[0]
    if span and re.search(r"\b(works?|working|hours|shifts?|contract|job|rota|pattern|week)\b", text):
        first = _day_index(span.group(1))
        days = {(first + n) % 7 for n in range(_days_in_range(span))}
        return tuple(sorted(days | _days_at_another_site(text[span.end() :])))
    named = re.search(
        rf"\b(?:works?|working|does|in on|comes in)\s+(?:on\s+|only\s+)?({_DAY}s?(?:(?:\s*(?:,|and|&)\s*|\s+){_DAY}s?)+)\b", text
    )
    if named:
        days = {_day_index(d) for d in re.findall(rf"\b{_DAY}", named.group(1))}
        return tuple(sorted(days | _days_at_another_site(text[named.end() :])))
    if re.search(r"\bweekends? only\b|\bonly works? (?:at |on )?weekends\b|\bweekend (?:worker|staff|job)\b", text):
        return (5, 6)
    alone = re.search(rf"\b{_DAY}s?[- ]only\b|\bonly works? (?:on )?{_DAY}s?\b|\bjust (?:on )?{_DAY}s\b", text)
    if alone:
        return (_day_index(next(g for g in alone.groups() if g)),)
    return None


def _days_at_another_site(rest: str) -> set[int]:
    """Days worked at a second site of the same employer ("… at one branch and Thursday and Friday at the other")."""
    more = re.match(
        rf"\s+(?:at|in|for)\b[^.?!]{{0,60}}?\band\s+(?:on\s+)?({_DAY}s?(?:\s*(?:,|and|&)\s*{_DAY}s?)*)\s+(?:at|in|for)\b",
        rest,
    )
    return {_day_index(d) for d in re.findall(rf"\b{_DAY}", more.group(1))} if more else set()


def _read_sick_since_weekday(text: str) -> tuple[int, bool] | None:
    """The weekday a spell of sickness started, when the question names only that ("off since last Wednesday")."""
    found = re.search(
        rf"\b(?:off|sick|ill|absent)\b[^.?!]{{0,30}}?\b(?:since|from)\s+(last\s+)?{_DAY}\b(?!{_DATE_AFTER_DAY}\s*(?:to|-|–|till|until|through)\b)"
        rf"(?!\s+(?:the\s+)?\d)",
        text,
    )
    return (_day_index(found.group(2)), bool(found.group(1))) if found else None


def _read_dated(pattern: str, text: str) -> CalendarDay | None:
    """The day and month a pattern's date gives (day first: "Monday 30 November", "the 30th of November")."""
    found = re.search(pattern, text)
    if not found:
        return None
    day, month = found.groups()[-2:]
    return CalendarDay(int(day), _MONTHS.index(month[:3]) + 1, None)


def _read_sick_span(text: str) -> tuple[CalendarDay | None, CalendarDay | None]:
    """The first and last days of a spell dated at both ends without "since" ("off all week, Monday 30 November to
    Friday 4 December")."""
    found = re.search(_SICK_SPAN_DATES, text)
    if not found:
        return None, None
    first_day, first_month, last_day, last_month = found.groups()
    return (
        CalendarDay(int(first_day), _MONTHS.index(first_month[:3]) + 1, None),
        CalendarDay(int(last_day), _MONTHS.index(last_month[:3]) + 1, None),
    )


def _read_off_until_days_ago(text: str) -> int | None:
    """How many days before today a spell is counted to ("up to and including today" or "so far" 0, "until yesterday" 1)."""
    found = re.search(_OFF_UNTIL_NOW, text)
    if found:
        return 0 if found.group(1) == "today" else 1
    return 0 if re.search(_OFF_SO_FAR, text) else None


def _read_spells_dated(text: str) -> tuple[CalendarDay, CalendarDay] | None:
    """The last day of a dated spell of sickness and the first day of a later one, when the question dates both."""
    first = re.search(_FIRST_SPELL_END, text)
    if not first:
        return None
    second = re.search(_SECOND_SPELL_START, text[first.end() :])
    if not second:
        return None
    (end_day, end_month), (start_day, start_month) = first.groups()[-2:], second.groups()[-2:]
    return (
        CalendarDay(int(end_day), _MONTHS.index(end_month[:3]) + 1, None),
        CalendarDay(int(start_day), _MONTHS.index(start_month[:3]) + 1, None),
    )


def _read_service_since(text: str) -> CalendarDay | None:
    """The day or month they started work, when the question gives it with a year ("joined in March 2025")."""
    found = re.search(_SERVICE_SINCE, text)
    if not found or re.search(r"\b(?:sick\w*|ill\w*|absence|symptoms?|off|pain|it|this|that)\s*$", text[: found.start()]):
        return None  # "her sickness started in March 2025" dates the sickness, not the job
    day, month, year = found.groups()
    return CalendarDay(int(day) if day else 1, _MONTHS.index(month[:3]) + 1, int(year), month_only=not day)


def _gap_between(first_end: CalendarDay, second_start: CalendarDay, today: dt.date) -> Gap | None:
    """The days back at work between two dated spells ("off to 18 September, again on 2 November": 44 days)."""
    starts = second_start.on_or_before(today)
    if starts is None:
        return None
    try:
        ended = dt.date(starts.year, first_end.month, first_end.day)
    except ValueError:
        return None
    if ended >= starts:
        ended = dt.date(starts.year - 1, first_end.month, first_end.day)
    days = (starts - ended).days - 1
    if days < 0 or days > 366:
        return None
    back, off_again = ended + dt.timedelta(days=1), starts - dt.timedelta(days=1)
    said = f"{days} days" if days < 1 else f"{days} days ({back.day} {back:%B} to {off_again.day} {off_again:%B})"
    return Gap(days, days, said)


_TREATMENT = r"(?:physio\w*|counsell?ing|therapy|cbt|massage|osteopath\w*|chiropract\w*|treatment|sessions?|appointments?)"
_TREATMENT_EACH = rf"\b{_COUNT}\s+(?:\w+\s+)?{_TREATMENT}\b[^.?!]{{0,20}}?(?:at|of|costing|for)\s+£\s?{_NUMBER}\s*(?:each|a session|per session|apiece|a time)\b"
_TREATMENT_TOTAL = (
    rf"£\s?{_NUMBER}\s+(?:of|on|for|worth of)\s+(?:\w+\s+)?{_TREATMENT}\b",
    rf"\b{_TREATMENT}\b[^.?!]{{0,20}}?(?:costing|costs?|at a cost of|for)\s+£\s?{_NUMBER}(?!\s*(?:each|a session|per session))",
)


_BONES = (
    "arm|leg|ankle|wrist|hip|pelvis|collarbone|collar bone|shoulder|elbow|knee|foot|hand|jaw|nose|rib|ribs|back|neck|"
    "skull|cheekbone|kneecap|shin|tibia|fibula|femur|finger|fingers|thumb|toe|toes"
)
_BROKEN = rf"\b(?:broken|broke|fractured|fractures?|snapped|cracked)\s+(?:(?:his|her|their|a|an|the|both|two|several)\s+)?(?:left\s+|right\s+)?({_BONES})\b"


def _read_broken_bone(text: str) -> str | None:
    """The bone an injury broke ("fractured his ankle" → "ankle"), for telling a specified injury from a minor one."""
    found = re.search(_BROKEN, text)
    return found.group(1) if found else None


def _read_treatment_cost(text: str) -> Decimal | None:
    """The cost of treatment the question gives: "8 physio sessions at £75 each" is £600; "£600 of physio"."""
    each = re.search(_TREATMENT_EACH, text)
    if each:
        count, price = each.groups()
        return _count(count) * Decimal(price)
    for pattern in _TREATMENT_TOTAL:
        total = re.search(pattern, text)
        if total:
            return Decimal(total.group(1))
    return None


def _read_days_ago(pattern: str, text: str) -> int | None:
    """Days before today a pattern's "N days/weeks ago" gives."""
    found = re.search(pattern, text)
    if not found:
        return None
    count, unit = found.groups()[-2:]
    return _count(count) * (7 if unit.startswith("week") else 1)


def _read_service(text: str) -> tuple[Decimal | None, str | None]:
    """Months of service a question gives ("been with us 18 months", "2 and a half years' service"), as a number on the
    right side of the line a bound draws ("under 2 years" is 23 months), and the bound ("less than", "more than")."""
    for pattern in _SERVICE:
        found = re.search(pattern, text)
        if found:
            count, unit = found.groups()[-2:]
            number = Decimal(_count(count)) + (Decimal("0.5") if "and a half" in found.group(0) else 0)
            months = number * 12 if unit.startswith(("year", "yr")) else number
            # "under 2 years' service" is short of 2 years, "over 2 years" past it: the side of the line is what matters
            before = text[max(0, found.start() - 30) : found.start() + found.group(0).find(count)]
            if re.search(r"\b(?:fewer than|less than|under|below|not quite|nearly|almost|short of)\s*$", before):
                return max(months - 1, Decimal(0)), "less than"
            if re.search(r"\b(?:more than|over|above)\s*$", before):
                return months + 1, "more than"
            return months, None
    return None, None


def placed_in_calendar(parsed: ParsedQuestion, today: dt.date) -> ParsedQuestion:
    """The question with its dates placed in the calendar: the day a named weekday was ("off since last Wednesday"),
    and the working days off between the two ends of a dated spell.

    "Works Monday to Friday … off sick from Wednesday 18 November and came back on Monday 30 November" is 8 working
    days off; with no working pattern given, Monday to Friday is assumed (and said to be).
    """
    figures = parsed.figures
    if figures.accident_on is None and figures.accident_days_ago is not None:
        happened = today - dt.timedelta(days=figures.accident_days_ago)
        figures = replace(figures, accident_on=CalendarDay(happened.day, happened.month, happened.year))
        parsed = replace(parsed, figures=figures)
    if figures.gap is None and figures.spells_dated is not None:  # "off 7 to 18 September, … again on 2 November"
        gap = _gap_between(*figures.spells_dated, today)
        if gap is not None:
            figures = replace(figures, gap=gap)
            parsed = replace(parsed, figures=figures)
    started = figures.service_since.on_or_before(today) if figures.service_since else None
    if figures.service_months is None and started is not None and started <= today:
        whole_months = (today.year - started.year) * 12 + today.month - started.month - (today.day < started.day)
        figures = replace(figures, service_months=Decimal(max(whole_months, 0)))
        parsed = replace(parsed, figures=figures)
    if figures.sick_since is None and figures.sick_since_weekday is not None:
        weekday, last = figures.sick_since_weekday
        days_back = (today.weekday() - weekday) % 7 or (7 if last else 0)
        started = today - dt.timedelta(days=days_back)
        figures = replace(figures, sick_since=CalendarDay(started.day, started.month, started.year))
        parsed = replace(parsed, figures=figures)
    end = figures.back_on or figures.last_day_off
    if end is None and figures.off_until_days_ago is not None:  # "from Monday 30 November up to and including today"
        counted_to = today - dt.timedelta(days=figures.off_until_days_ago)
        end = CalendarDay(counted_to.day, counted_to.month, counted_to.year)
    if figures.sick_since is None or figures.sick_since.month_only or end is None:
        return parsed
    first = figures.sick_since.on_or_before(today)
    if first is None:
        return parsed
    try:
        last = dt.date(first.year, end.month, end.day)
        if figures.went_home_first_day:  # "went home ill at 11am on Thursday 26 November": off from the next day
            first += dt.timedelta(days=1)
        if last < first:
            last = dt.date(first.year + 1, end.month, end.day)
    except ValueError:
        return parsed
    if figures.back_on is not None:
        last -= dt.timedelta(days=1)
    weekdays = figures.work_weekdays or ((0, 1, 2, 3, 4) if figures.working_days in (None, 5) else None)
    if weekdays is None or last < first or (last - first).days > _SSP_SPAN_DAYS:  # "came back on 5 October" from an earlier spell
        return parsed
    days_off = sum((first + dt.timedelta(days=n)).weekday() in weekdays for n in range((last - first).days + 1))
    if not days_off:
        return parsed
    dated = replace(figures, days_off=days_off, weeks_off=None, spell=(first, last))
    return replace(parsed, figures=dated)


def _read_days_off(text: str, work_weekdays: tuple[int, ...] | None = None) -> int | None:
    """Working days off sick in this spell: 'off 3 days', 'off Tuesday, Wednesday and Thursday', 'missed 3 Saturdays'."""
    counted = re.search(
        rf"(?:off|sick|ill|absent|missed|missing|miss)\s*(?:sick\s*)?(?:for\s*)?(?:the\s*(?:last|past)\s*)?{_COUNT}\s*(?:working\s*|whole\s*|full\s*)?(days?|shifts?|{_DAY}s)\b"
        rf"|\b{_COUNT}\s*(?:working\s*)?days?\s*(?:off|sick|of sickness|absence)"
        rf"|(?:off|sick|ill|absent|missed)\s*(?:sick\s*)?(?:for\s*)?{_COUNT}\s*of\s*(?:her|his|their|the)\s*(?:\w+\s*)?(?:days|shifts)\b",
        text,
    )
    if counted:
        return _count(next(g for g in counted.groups()[:1] + counted.groups()[3:] if g))
    after = re.search(r"\b(?:off|sick|ill|absent)\b([^.?!]*)", text)
    if not after:
        return None
    clause = re.split(r"\b(?:works?|working|normally|usually|contract|earns?|on £)\b", after.group(1))[0]
    part_day = re.search(rf"\b(?:went|sent|go(?:es)?|gone)\s+home\b[^.?!,]{{0,30}}?\b{_DAY}\b", text)
    if part_day:  # "went home ill at 11am on Tuesday": a day they worked part of is not a day off sick
        clause = re.sub(rf"\b{part_day.group(1)}\b", " ", clause, count=1)
    clause = re.sub(
        rf"\b(?:since|from)\s+(?:last\s+)?{_DAY}\b(?!{_DATE_AFTER_DAY}\s*(?:to|-|–|till|until|through)\b)", " ", clause
    )  # "off since Monday": still off, not one day
    back = re.search(
        rf"\b{_DAY}\b[^.?!]*?\b(?:back|returned|returns|came in)\s+(?:in\s+)?(?:to work\s+|at work\s+)?(?:on\s+)?(?:the\s+)?{_DAY}\b",
        after.group(1),
    )
    if back:  # count only the days before they came back: "off Monday and Wednesday, came in on Friday"
        clause = re.split(r"\b(?:back|returned|returns|came in)\b", clause)[0]
        if len(set(re.findall(rf"\b{_DAY}\b", clause))) < 2 and not _DAY_RANGE.search(clause):
            # "sick Monday …, back Thursday": the days before the day they came back
            first, back_day = _day_index(back.group(1)), _day_index(back.group(2))
            went_home_that_day = part_day and _day_index(part_day.group(1)) == first
            off = [(first + n) % 7 for n in range(1 if went_home_that_day else 0, (back_day - first) % 7)]
            if work_weekdays:  # "off the rest of that week, back on the Monday": only the days they work
                off = [day for day in off if day in work_weekdays]
            return len(off) or None
    days = 0
    for span in _DAY_RANGE.finditer(clause):
        days += _days_in_range(span)
    clause = _DAY_RANGE.sub(" ", clause)
    days += len(re.findall(rf"\b{_DAY}\b", clause))
    return days or None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _read_gap(text: str) -> Gap | None:
    for pattern in _GAP:
        match = re.search(pattern, text)
        if match:
            count, unit = _count(match.group(1)), match.group(2)
            said = f"{match.group(1)} {unit}"
            if unit.startswith("week"):
                return Gap(count * 7, count * 7, said)
            return Gap(count * 28, count * 31, said)  # a month is 4 to 4½ weeks
    return None


def _read_spells(text: str) -> tuple[int | None, Decimal | None]:
    for pattern in _SPELLS_TOTAL:
        total = re.search(pattern, text)
        if total:
            return _count(total.group(1)), Decimal(_count(total.group(2)))
    each = re.search(_SPELLS_EACH, text)
    if each:
        spells = _count(each.group(1))
        return spells, Decimal(spells * _count(each.group(2)))
    return None, None


# "… Are there any conditions?", "what are the rules?": the terms of whatever the question before asked about
_ASKS_ITS_TERMS = re.compile(
    r"(?:and\s+)?(?:are there|is there|what are|what's|whats|any)\s+(?:any\s+|the\s+)?"
    r"(conditions?|rules?|limits?|exceptions?|catch(?:es)?|requirements?|restrictions?|criteria)\b"
)


def asks_its_terms(part: str) -> str | None:
    """The word a later part asks about when it asks only for the terms of what came before ("Are there any
    conditions?" → "condition"); None otherwise."""
    found = _ASKS_ITS_TERMS.match(part.lower().strip())
    if not found:
        return None
    word = found.group(1)
    return word[:-2] if word.endswith("ches") else word.removesuffix("s")


def is_elliptical(part: str) -> bool:
    """Whether a question leans on an earlier one for its subject ("and who applies for it?", "for how long?")."""
    words = re.findall(r"[a-z']+", part.lower())
    content = [w for w in words if w not in STOPWORDS and w not in _PRONOUNS]
    leans = any(w in _PRONOUNS for w in words) or bool(
        re.match(r"(?:and\s+)?(?:for how long|how often|how long)\b", part.lower()) or _ASKS_ITS_TERMS.match(part.lower())
    )
    return leans and len(content) <= ELLIPTICAL_WORDS


# What a question asks for, by its first interrogative: the answer that leads should be of that kind.
_ASKS_FOR = (
    ("amount", r"\bhow much\b|\bwhat (?:do|should|would|will|must|does|did) (?:i|we|she|he|they) (?:have to |need to )?(?:pay|get)\b"
     r"|\bwhat (?:pay|rate|amount)\b|\bwhat (?:is|are) (?:she|he|they) (?:due|owed|entitled)|\bhow many pounds\b"),
    ("duration", r"\bhow long\b|\bhow many (?:weeks|days|months|years)\b"),
    ("time", r"\bwhen\b|\bwhat (?:date|day)\b|\bwhich (?:date|day)\b|\bby when\b|\bhow soon\b|\bdeadline\b"),
    ("who", r"\bwho(?:se)?\b"),
    ("yes-no", r"^(?:can|could|do|does|did|is|are|am|should|shall|must|will|would|have|has)\b"
     r"|\b(?:can|could|do|does|should|must|is|are|am|will|have) (?:i|we|they|he|she|you|it|staff|someone|employees?|my|our|an?|the)\b"),
    ("open", r"\b(?:what|whats|how|why|where|which)\b"),  # what to do, how to: no single kind of answer
)  # fmt: skip


def asks_for(question: str) -> str | None:
    """The kind of answer a question asks for ('amount', 'duration', 'time', 'who', 'yes-no'); None for what/how/why."""
    text = question.lower().replace("’", "'")
    found = [(m.start(), rank, kind) for rank, (kind, pattern) in enumerate(_ASKS_FOR) for m in [re.search(pattern, text)] if m]
    kind = min(found)[2] if found else None
    return None if kind == "open" else kind


def question_words(text: str) -> set[str]:
    """The question's words, raw and stemmed, for situation cautions."""
    raw = re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))
    return set(raw) | {stem(w) for w in raw}


def asks_something(part: str) -> bool:
    """Whether a question has a word of its own besides pronouns and function words ("how often do I call her?", not "does he?")."""
    words = re.findall(r"[a-z0-9£']+", part.lower())
    return any(w not in STOPWORDS and w not in _PRONOUNS for w in words)


_GENERIC_ASK = frozenset(
    "need needs do doing done first next now then step steps start should must anything else happens happen "
    "go going about way best realistically".split()
)


def is_generic_follow_up(part: str) -> bool:
    """Whether a question asks only "what do I do (first / next / now)?", so the card for the question before answers it."""
    words = re.findall(r"[a-z0-9£']+", part.lower())
    return all(w in STOPWORDS or w in _PRONOUNS or w in _GENERIC_ASK for w in words)


def _content_words(text: str) -> int:
    return sum(1 for w in re.findall(r"[a-z0-9£']+", text.lower()) if w not in STOPWORDS)


_STAFF = (
    rf"{_NUMBER}\s*(?:paid |full[- ]time |part[- ]time |permanent |salaried )?(?:staff|employees|people|workers|members of staff|"
    rf"person|of us|-person|-strong)\b|(?:team|workforce|firm|business|company) of {_NUMBER}\b"
)
# "fewer than 50 staff" is at most 49, "over 249 employees" at least 250: the size band is what matters
_FEWER_THAN = re.compile(r"\b(?:fewer than|less than|under|below|not quite)\s*$")
_MORE_THAN = re.compile(r"\b(?:more than|over|above)\s*$")


def _read_staff(text: str) -> tuple[Decimal | None, str | None]:
    """How many staff the employer has ('8 staff', 'a team of 12'), as a number inside the band a bound gives
    ('under 50 staff' is 49, 'over 249 employees' is 250), and the bound ('fewer than', 'more than') if there is one."""
    found = re.search(_STAFF, text)
    if not found:
        return None, None
    number = Decimal(next(g for g in found.groups() if g is not None))
    before = re.sub(r"\b(?:just|slightly|a (?:bit|little))\s+", "", text[max(0, found.start() - 30) : found.start()])
    if _FEWER_THAN.search(before):
        return max(number - 1, Decimal(0)), "fewer than"
    if _MORE_THAN.search(before):
        return number + 1, "more than"
    return number, None


def _find(pattern: str, text: str) -> Decimal | None:
    match = re.search(pattern, text)
    if not match:
        return None
    value = next(g for g in match.groups() if g is not None)
    return Decimal(value)
