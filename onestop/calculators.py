"""Calculators: Statutory Sick Pay, linked spells, the Bradford factor, the phased-return top-up, the Access to Work cost share,
the National Living Wage, RIDDOR reporting dates, the qualifying service for unfair dismissal and the tax-free limit on
recommended medical treatment.

Pure functions over the dated rates in `corpus/rates.yaml`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path

import yaml

from onestop.errors import DataFileError, OneStopError

RATES_FILE = "rates.yaml"


@dataclass(frozen=True)
class SSPRate:
    """The Statutory Sick Pay rules in force from a date."""

    applies_from: dt.date
    applies_until: dt.date | None
    weekly_rate: Decimal
    earnings_rule: str
    lower_earnings_limit: Decimal | None
    waiting_days: int
    source: str
    source_url: str


@dataclass(frozen=True)
class WageRate:
    """The National Living Wage in force from a date."""

    applies_from: dt.date
    hourly_rate: Decimal
    age_band: str
    source: str
    source_url: str


@dataclass(frozen=True)
class QualifyingService:
    """The continuous service needed to claim unfair dismissal, from a date."""

    applies_from: dt.date
    months: int
    source: str
    source_url: str


@dataclass(frozen=True)
class WeeklySSP:
    """SSP due for a week, with the rule that produced it."""

    amount: Decimal
    rate: SSPRate
    explanation: str


@dataclass(frozen=True)
class TopUp:
    """Wages for a phased-return week and the top-up that brings them up to the SSP level."""

    wages: Decimal
    top_up: Decimal
    total: Decimal
    hours_to_reach_ssp: int  # whole hours needed for wages alone to reach the SSP level


@dataclass(frozen=True)
class CostShare:
    """An estimate of who pays what for Access to Work special aids and equipment."""

    employer_low: Decimal
    employer_high: Decimal
    access_to_work_low: Decimal
    access_to_work_high: Decimal
    explanation: str


def load_rates(corpus_dir: Path) -> dict:
    """Read and validate the dated rates file; DataFileError names the table, entry and field."""
    path = corpus_dir / RATES_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        raise DataFileError(f"{RATES_FILE}: cannot be read ({exc})") from exc
    validate_rates(data)
    return data


# field -> (kind, required) for every entry of each dated table
_DATED_TABLES = {
    "statutory_sick_pay": {
        "applies_from": ("date", True),
        "applies_until": ("date", False),
        "weekly_rate": ("money", True),
        "earnings_rule": ("rule", True),
        "lower_earnings_limit": ("money", False),
        "waiting_days": ("count", True),
        "source": ("text", True),
        "source_url": ("url", True),
    },
    "national_living_wage": {
        "applies_from": ("date", True),
        "hourly_rate": ("money", True),
        "source": ("text", True),
        "source_url": ("url", True),
    },
    "medical_treatment_exemption": {
        "applies_from": ("date", True),
        "annual_limit": ("money", True),
        "source": ("text", True),
        "source_url": ("url", True),
    },
    "unfair_dismissal_qualifying_service": {
        "applies_from": ("date", True),
        "months": ("count", True),
        "source": ("text", True),
        "source_url": ("url", True),
    },
}
_EARNINGS_RULES = ("flat", "lower_of_flat_or_80_percent")


def validate_rates(data: object) -> None:
    """Check every table, entry and field of the rates file (real dates, positive amounts, known rules)."""
    if not isinstance(data, dict):
        raise DataFileError(f"{RATES_FILE}: must be a mapping of rate tables")
    for table, fields in _DATED_TABLES.items():
        entries = data.get(table)
        if not isinstance(entries, list) or not entries:
            raise DataFileError(f"{RATES_FILE}: {table}: must be a list of dated entries")
        for number, entry in enumerate(entries, start=1):
            where = f"{RATES_FILE}: {table}, entry {number}"
            if not isinstance(entry, dict):
                raise DataFileError(f"{where}: must be a mapping of fields")
            for name, (kind, required) in fields.items():
                value = entry.get(name)
                if value is None:
                    if required:
                        raise DataFileError(f"{where}: {name} is missing")
                    continue
                if not _valid(kind, value):
                    raise DataFileError(f"{where}: {name} {value!r} is not {_KIND_NAMES[kind]}")
    share = data.get("access_to_work_cost_share")
    where = f"{RATES_FILE}: access_to_work_cost_share"
    if not isinstance(share, dict) or not isinstance(share.get("bands"), list) or not share["bands"]:
        raise DataFileError(f"{where}: must have fully_funded_above, share_rate and a list of bands")
    if not _valid("money", share.get("fully_funded_above")) or not _valid("share", share.get("share_rate")):
        raise DataFileError(f"{where}: fully_funded_above must be an amount and share_rate a fraction between 0 and 1")
    for number, band in enumerate(share["bands"], start=1):
        ok = (
            isinstance(band, dict)
            and _valid("count", band.get("min_staff"))
            and (band.get("max_staff") is None or _valid("count", band.get("max_staff")))
            and _valid("money", band.get("threshold"))
            and isinstance(band.get("share"), bool)
        )
        if not ok:
            raise DataFileError(f"{where}, band {number}: needs min_staff, max_staff (or null), threshold and share (true/false)")


_KIND_NAMES = {
    "date": "a real date like 2026-04-06",
    "money": "an amount of 0 or more",
    "count": "a whole number of 0 or more",
    "rule": f"one of {', '.join(_EARNINGS_RULES)}",
    "text": "text",
    "url": "an https:// link",
    "share": "a fraction between 0 and 1",
}


def _valid(kind: str, value: object) -> bool:
    if kind == "date":
        if isinstance(value, dt.date):
            return True
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return False
        return True
    if kind in ("money", "share"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        return ok and (kind == "money" or value <= 1)
    if kind == "count":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind == "rule":
        return value in _EARNINGS_RULES
    if kind == "url":
        return isinstance(value, str) and value.startswith("https://")
    return isinstance(value, str) and bool(value.strip())


def ssp_rates(rates: dict) -> list[SSPRate]:
    """The SSP rate entries, oldest first."""
    entries = []
    for raw in rates["statutory_sick_pay"]:
        entries.append(
            SSPRate(
                applies_from=_date(raw["applies_from"]),
                applies_until=_date(raw["applies_until"]) if raw.get("applies_until") else None,
                weekly_rate=_money(raw["weekly_rate"]),
                earnings_rule=raw["earnings_rule"],
                lower_earnings_limit=_money(raw["lower_earnings_limit"]) if raw.get("lower_earnings_limit") else None,
                waiting_days=int(raw["waiting_days"]),
                source=raw["source"],
                source_url=raw["source_url"],
            )
        )
    return sorted(entries, key=lambda r: r.applies_from)


def ssp_rate_on(rates: dict, day: dt.date) -> SSPRate:
    """The SSP rules in force on a date, or a clear error when our data has no rate for it."""
    current = None
    for rate in ssp_rates(rates):
        if rate.applies_from <= day:
            current = rate
    if current is None or (current.applies_until and day > current.applies_until):
        raise OneStopError(f"onestop has no Statutory Sick Pay rate for {day:%d %B %Y}; check GOV.UK.")
    return current


def weekly_ssp(rates: dict, day: dt.date, average_weekly_earnings: float | None = None) -> WeeklySSP:
    """SSP for a full week of sickness on a date, for someone with these average weekly earnings."""
    rate = ssp_rate_on(rates, day)
    flat = rate.weekly_rate
    since = f"from {rate.applies_from.day} {rate.applies_from:%B %Y}"
    if average_weekly_earnings is None:
        return WeeklySSP(flat, rate, f"The weekly rate {since} is {pounds(flat)}.")
    earnings = _money(average_weekly_earnings)
    if earnings < 0:
        raise OneStopError("Average weekly earnings cannot be negative.")
    if rate.lower_earnings_limit is not None and earnings < rate.lower_earnings_limit:
        return WeeklySSP(
            Decimal("0.00"),
            rate,
            f"Earnings below the lower earnings limit ({pounds(rate.lower_earnings_limit)}) did not qualify for SSP under the rules {since}.",
        )
    if rate.earnings_rule == "lower_of_flat_or_80_percent":
        eighty = _money(earnings * Decimal("0.8"))
        if eighty < flat:
            return WeeklySSP(
                eighty,
                rate,
                f"80% of average weekly earnings ({pounds(eighty)}) is lower than {pounds(flat)}, so it applies ({since}).",
            )
        return WeeklySSP(
            flat,
            rate,
            f"The flat rate {pounds(flat)} is lower than 80% of average weekly earnings ({pounds(eighty)}), so it applies ({since}).",
        )
    return WeeklySSP(flat, rate, f"The weekly rate {since} is {pounds(flat)}.")


@dataclass(frozen=True)
class DaysSSP:
    """SSP for a number of qualifying days off sick, worked out as HMRC does."""

    daily_rate: Decimal  # unrounded: the weekly amount ÷ qualifying days, cut to 4 decimal places
    total: Decimal
    full_weeks: int
    odd_days: int


def ssp_for_days(weekly_amount: Decimal, qualifying_days_a_week: int, days_off: int) -> DaysSSP:
    """SSP for qualifying days off: whole weeks at the weekly amount, odd days at the daily rate rounded up to the penny."""
    if not 1 <= qualifying_days_a_week <= 7:
        raise OneStopError("An employee has between 1 and 7 qualifying days a week.")
    if days_off < 0:
        raise OneStopError("Days off sick cannot be negative.")
    daily = (weekly_amount / qualifying_days_a_week).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    full_weeks, odd_days = divmod(days_off, qualifying_days_a_week)
    odd = (daily * odd_days).quantize(Decimal("0.01"), rounding=ROUND_UP)
    return DaysSSP(daily, weekly_amount * full_weeks + odd, full_weeks, odd_days)


def national_living_wage_rates(rates: dict) -> list[WageRate]:
    """The National Living Wage entries, oldest first."""
    entries = [
        WageRate(
            applies_from=_date(raw["applies_from"]),
            hourly_rate=_money(raw["hourly_rate"]),
            age_band=str(raw.get("age_band") or ""),
            source=raw["source"],
            source_url=raw["source_url"],
        )
        for raw in rates.get("national_living_wage") or []
    ]
    return sorted(entries, key=lambda r: r.applies_from)


def national_living_wage_on(rates: dict, day: dt.date) -> WageRate:
    """The National Living Wage in force on a date, or a clear error when our data has no rate for it."""
    current = None
    for rate in national_living_wage_rates(rates):
        if rate.applies_from <= day:
            current = rate
    if current is None:
        raise OneStopError(f"onestop has no National Living Wage rate for {day:%d %B %Y}; check GOV.UK.")
    return current


@dataclass(frozen=True)
class TreatmentTax:
    """How much of recommended medical treatment is free of income tax, and how much is a taxable benefit."""

    cost: Decimal
    exempt: Decimal
    taxable: Decimal
    annual_limit: Decimal


def treatment_exemption(rates: dict, cost: Decimal, day: dt.date) -> TreatmentTax:
    """Split the cost of treatment occupational health recommended into the tax-free part and the taxable rest."""
    entries = sorted(rates["medical_treatment_exemption"], key=lambda raw: _date(raw["applies_from"]))
    current = [raw for raw in entries if _date(raw["applies_from"]) <= day]
    if not current:
        raise OneStopError(f"onestop has no medical treatment exemption for {day:%d %B %Y}; check with HMRC.")
    limit = _money(current[-1]["annual_limit"])
    exempt = min(cost, limit)
    return TreatmentTax(cost=cost, exempt=exempt, taxable=cost - exempt, annual_limit=limit)


def qualifying_service_periods(rates: dict) -> list[QualifyingService]:
    """The unfair dismissal qualifying periods, oldest first."""
    entries = [
        QualifyingService(_date(raw["applies_from"]), int(raw["months"]), raw["source"], raw["source_url"])
        for raw in rates["unfair_dismissal_qualifying_service"]
    ]
    return sorted(entries, key=lambda period: period.applies_from)


def qualifying_service_on(rates: dict, day: dt.date) -> QualifyingService:
    """The qualifying period for unfair dismissal in force on a date, or a clear error before our data starts."""
    current = [period for period in qualifying_service_periods(rates) if period.applies_from <= day]
    if not current:
        raise OneStopError(f"onestop has no unfair dismissal qualifying period for {day:%d %B %Y}; check GOV.UK.")
    return current[-1]


def phased_return_top_up(hours_worked: float, hourly_pay: float, ssp_level: float | Decimal) -> TopUp:
    """Wages for the hours worked, plus the top-up to the SSP level when wages fall short.

    This is the 2016 Green Paper's proposal (its worked example: 10 hours at £7.20 = £72
    wages, £16.45 top-up to £88.45); it is not a legal requirement.
    """
    if hours_worked < 0 or hourly_pay < 0:
        raise OneStopError("Hours and hourly pay cannot be negative.")
    level = _money(ssp_level)
    wages = _money(Decimal(str(hours_worked)) * Decimal(str(hourly_pay)))
    top_up = max(Decimal("0.00"), level - wages)
    hours_needed = math.ceil(level / Decimal(str(hourly_pay))) if hourly_pay > 0 else 0
    return TopUp(wages, top_up, wages + top_up, hours_needed)


def cost_share_threshold(rates: dict, staff: int) -> Decimal | None:
    """The equipment cost an employer of this size pays in full before the 20% share; None when it pays no share."""
    table = rates["access_to_work_cost_share"]
    band = next(b for b in table["bands"] if b["min_staff"] <= staff and (b["max_staff"] is None or staff <= b["max_staff"]))
    return _money(band["threshold"]) if band["share"] else None


def access_to_work_cost_share(rates: dict, staff: int, cost: float, new_starter: bool = False) -> CostShare:
    """Estimate the employer's and Access to Work's shares of special aids and equipment costs."""
    if staff < 0 or cost < 0:
        raise OneStopError("Staff numbers and costs cannot be negative.")
    table = rates["access_to_work_cost_share"]
    cost_d = _money(cost)
    band = next(b for b in table["bands"] if b["min_staff"] <= staff and (b["max_staff"] is None or staff <= b["max_staff"]))
    if new_starter or not band["share"]:
        why = (
            "a new starter who applies within 6 weeks of starting" if new_starter else "an organisation with fewer than 50 staff"
        )
        return CostShare(Decimal("0.00"), Decimal("0.00"), cost_d, cost_d, f"No employer share for {why}.")
    threshold = _money(band["threshold"])
    cap = _money(table["fully_funded_above"])
    rate = Decimal(str(table["share_rate"]))
    base = min(cost_d, threshold)
    # Reading A: 20% of the costs between the threshold and £10,000. Reading B: 20% of the next £10,000.
    reading_a = base + _money(rate * max(Decimal(0), min(cost_d, cap) - threshold))
    reading_b = base + _money(rate * min(max(Decimal(0), cost_d - threshold), cap))
    low, high = sorted((reading_a, reading_b))
    return CostShare(
        low,
        high,
        cost_d - high,
        cost_d - low,
        f"Employer pays the first {pounds(threshold)} plus 20% of further costs; sources differ on where the 20% stops. Check with Access to Work.",
    )


LINK_GAP_DAYS = 56  # spells of sickness 8 weeks (56 days) or less apart link for SSP


@dataclass(frozen=True)
class Gap:
    """The time between two spells of sickness, as the shortest and longest number of days it could mean."""

    shortest_days: int
    longest_days: int
    said: str  # as the question put it: "10 weeks", "a month"


def spells_link(gap: Gap) -> bool | None:
    """Whether two spells of sickness link for SSP (one period): True, False, or None when the gap could be either."""
    if gap.longest_days <= LINK_GAP_DAYS:
        return True
    if gap.shortest_days > LINK_GAP_DAYS:
        return False
    return None


RIDDOR_OVER_DAYS = 7  # an injury is reportable once it keeps someone off for more than 7 days, the accident day not counted
RIDDOR_REPORT_DAYS = 15  # over-7-day injuries: report within 15 days of the accident
RIDDOR_FULL_REPORT_DAYS = 10  # deaths and specified injuries: report without delay, the full report within 10 days


@dataclass(frozen=True)
class RiddorDates:
    """The RIDDOR dates that follow from the day of an accident at work."""

    accident: dt.date
    count_from: dt.date  # the first of the days counted (the accident day is not)
    reportable_on: dt.date  # still off, or off normal duties, on this day: more than 7 days, so reportable
    over_7_day_deadline: dt.date  # over-7-day injuries reported by this day
    full_report_due: dt.date  # specified injuries: the full report by this day


def riddor_dates(accident: dt.date) -> RiddorDates:
    """When an injury at work becomes reportable to HSE and when each report is due (weekends count)."""
    return RiddorDates(
        accident=accident,
        count_from=accident + dt.timedelta(days=1),
        reportable_on=accident + dt.timedelta(days=RIDDOR_OVER_DAYS + 1),
        over_7_day_deadline=accident + dt.timedelta(days=RIDDOR_REPORT_DAYS),
        full_report_due=accident + dt.timedelta(days=RIDDOR_FULL_REPORT_DAYS),
    )


def bradford_factor(spells: int, days: Decimal) -> Decimal:
    """The Bradford factor score: spells × spells × total days absent."""
    if spells < 0 or days < 0:
        raise OneStopError("Spells and days of absence cannot be negative.")
    return Decimal(spells) * Decimal(spells) * days


def pounds(amount: Decimal) -> str:
    """Money as shown to users: '£1,000.00'."""
    return f"£{amount:,.2f}"


def _money(value: float | Decimal | str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
