"""Calculators: the Green Paper's worked example, rate change dates and edge cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from onestop.calculators import (
    Gap,
    access_to_work_cost_share,
    bradford_factor,
    load_rates,
    national_living_wage_on,
    phased_return_top_up,
    qualifying_service_on,
    riddor_dates,
    spells_link,
    ssp_for_days,
    ssp_rate_on,
    treatment_exemption,
    weekly_ssp,
)
from onestop.errors import OneStopError

ROOT = Path(__file__).parents[1]
RATES = load_rates(ROOT / "corpus")


def test_green_paper_worked_example() -> None:
    ssp_2016 = weekly_ssp(RATES, dt.date(2016, 10, 1)).amount
    assert ssp_2016 == Decimal("88.45")
    result = phased_return_top_up(hours_worked=10, hourly_pay=7.20, ssp_level=ssp_2016)
    assert (result.wages, result.top_up, result.total) == (Decimal("72.00"), Decimal("16.45"), Decimal("88.45"))
    assert result.hours_to_reach_ssp == 13  # 13 x £7.20 = £93.60 beats £88.45


@pytest.mark.parametrize(
    ("hours", "wages", "top_up"),
    [(0, "0.00", "123.25"), (25, "180.00", "0.00"), (17.5, "126.00", "0.00"), (17, "122.40", "0.85")],
)
def test_top_up_edge_cases(hours, wages, top_up) -> None:
    result = phased_return_top_up(hours, 7.20, Decimal("123.25"))
    assert result.wages == Decimal(wages) and result.top_up == Decimal(top_up)


def test_rate_changes_on_6_april_2026() -> None:
    assert weekly_ssp(RATES, dt.date(2026, 4, 5)).amount == Decimal("118.75")
    assert weekly_ssp(RATES, dt.date(2026, 4, 6)).amount == Decimal("123.25")
    assert ssp_rate_on(RATES, dt.date(2026, 4, 6)).waiting_days == 0


def test_eighty_percent_rule_from_april_2026_and_lower_earnings_limit_before() -> None:
    assert weekly_ssp(RATES, dt.date(2026, 6, 1), 100).amount == Decimal("80.00")
    assert weekly_ssp(RATES, dt.date(2026, 6, 1), 1000).amount == Decimal("123.25")
    assert weekly_ssp(RATES, dt.date(2025, 6, 1), 100).amount == Decimal("0.00")  # below the £125 limit then
    assert weekly_ssp(RATES, dt.date(2025, 6, 1), 200).amount == Decimal("118.75")


def test_dates_without_a_known_rate_are_a_clear_error() -> None:
    with pytest.raises(OneStopError, match="no Statutory Sick Pay rate"):
        weekly_ssp(RATES, dt.date(2020, 1, 1))
    with pytest.raises(OneStopError, match="negative"):
        phased_return_top_up(-1, 7.2, 88.45)


@pytest.mark.parametrize(
    ("staff", "cost", "new_starter", "low", "high"),
    [
        (12, 3000, False, "0.00", "0.00"),
        (60, 400, False, "400.00", "400.00"),
        (60, 3000, False, "1000.00", "1000.00"),
        (60, 3000, True, "0.00", "0.00"),
        (60, 20000, False, "2400.00", "2500.00"),
        (300, 20000, False, "2800.00", "3000.00"),
    ],
)
def test_access_to_work_cost_share(staff, cost, new_starter, low, high) -> None:
    share = access_to_work_cost_share(RATES, staff, cost, new_starter)
    assert (share.employer_low, share.employer_high) == (Decimal(low), Decimal(high))
    assert share.access_to_work_low == Decimal(str(cost)).quantize(Decimal("0.01")) - share.employer_high


def test_ssp_2016_row_has_its_lower_earnings_limit() -> None:
    assert ssp_rate_on(RATES, dt.date(2016, 10, 1)).lower_earnings_limit == Decimal("112.00")
    assert weekly_ssp(RATES, dt.date(2016, 10, 1), 100).amount == Decimal("0.00")
    assert weekly_ssp(RATES, dt.date(2016, 10, 1), 112).amount == Decimal("88.45")


def test_national_living_wage_is_dated() -> None:
    assert national_living_wage_on(RATES, dt.date(2025, 4, 1)).hourly_rate == Decimal("12.21")
    assert national_living_wage_on(RATES, dt.date(2026, 3, 31)).hourly_rate == Decimal("12.21")
    current = national_living_wage_on(RATES, dt.date(2026, 4, 1))
    assert (current.hourly_rate, current.age_band) == (Decimal("12.71"), "21 and over")
    with pytest.raises(OneStopError, match="no National Living Wage rate"):
        national_living_wage_on(RATES, dt.date(2024, 1, 1))


def test_calculator_default_hourly_pay_comes_from_rates_yaml(tmp_path: Path, monkeypatch) -> None:
    testing = pytest.importorskip("streamlit.testing.v1")
    rates = yaml.safe_load((ROOT / "corpus" / "rates.yaml").read_text(encoding="utf-8"))
    rates["national_living_wage"] = [
        {
            "applies_from": "2000-01-01",
            "hourly_rate": 13.33,
            "age_band": "21 and over",
            "source": "Test rate",
            "source_url": "https://www.gov.uk/national-minimum-wage-rates",
        }
    ]
    (tmp_path / "rates.yaml").write_text(yaml.safe_dump(rates), encoding="utf-8")
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(tmp_path))
    app = testing.AppTest.from_file(str(ROOT / "views" / "calculators.py"), default_timeout=60)
    app.run()
    assert not app.exception
    hourly = next(n for n in app.number_input if n.label == "Hourly pay (£)")
    assert hourly.value == 13.33
    assert any("£13.33 an hour" in c.value for c in app.caption)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r["statutory_sick_pay"][1].__setitem__("applies_from", "2026-13-45"),
            "statutory_sick_pay, entry 2: applies_from",
        ),
        (lambda r: r["statutory_sick_pay"][2].pop("weekly_rate"), "statutory_sick_pay, entry 3: weekly_rate is missing"),
        (lambda r: r["statutory_sick_pay"][0].__setitem__("earnings_rule", "whatever"), "earnings_rule"),
        (
            lambda r: r["national_living_wage"][0].__setitem__("hourly_rate", "twelve"),
            "national_living_wage, entry 1: hourly_rate",
        ),
        (lambda r: r["access_to_work_cost_share"]["bands"][1].pop("share"), "band 2"),
        (lambda r: r.pop("statutory_sick_pay"), "statutory_sick_pay: must be a list"),
    ],
)
def test_a_bad_rates_file_names_the_table_entry_and_field(tmp_path: Path, change, message: str) -> None:
    from onestop.errors import DataFileError

    rates = yaml.safe_load((ROOT / "corpus" / "rates.yaml").read_text(encoding="utf-8"))
    change(rates)
    (tmp_path / "rates.yaml").write_text(yaml.safe_dump(rates), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_rates(tmp_path)


@pytest.mark.parametrize(
    ("gap", "links"),
    [
        (Gap(56, 56, "8 weeks"), True),  # 8 weeks or less apart: one period
        (Gap(63, 63, "9 weeks"), False),
        (Gap(28, 31, "a month"), True),
        (Gap(56, 62, "2 months"), None),  # could be either side of 8 weeks: count the days
        (Gap(84, 93, "3 months"), False),
    ],
)
def test_spells_link_when_8_weeks_or_less_apart(gap: Gap, links: bool | None) -> None:
    assert spells_link(gap) is links


def test_bradford_factor() -> None:
    assert bradford_factor(4, Decimal(8)) == 128
    assert bradford_factor(1, Decimal(10)) == 10
    assert bradford_factor(10, Decimal(10)) == 1000
    with pytest.raises(OneStopError):
        bradford_factor(-1, Decimal(3))


@pytest.mark.parametrize(
    ("weekly", "pattern", "days", "daily", "total"),
    [
        ("123.25", 5, 3, "24.65", "73.95"),  # the daily rate in the guidance
        ("123.25", 3, 2, "41.0833", "82.17"),  # unrounded daily rate cut to 4 places, total rounded up
        ("123.25", 5, 8, "24.65", "197.20"),  # a whole week at the weekly rate, then 3 days
        ("60.00", 1, 3, "60.00", "180.00"),  # a one-day-a-week worker on 80% of £75
        ("123.25", 7, 1, "17.6071", "17.61"),
    ],
)
def test_ssp_for_days_follows_hmrc_daily_rates(weekly: str, pattern: int, days: int, daily: str, total: str) -> None:
    result = ssp_for_days(Decimal(weekly), pattern, days)
    assert (result.daily_rate, result.total) == (Decimal(daily), Decimal(total))


def test_ssp_for_days_rejects_impossible_patterns() -> None:
    with pytest.raises(OneStopError, match="between 1 and 7"):
        ssp_for_days(Decimal("123.25"), 0, 3)


def test_riddor_dates_count_weekends_and_not_the_accident_day() -> None:
    dates = riddor_dates(dt.date(2026, 11, 12))
    assert dates.count_from == dt.date(2026, 11, 13)
    assert dates.reportable_on == dt.date(2026, 11, 20)  # off on the 8th day counted: more than 7 days
    assert dates.over_7_day_deadline == dt.date(2026, 11, 27)
    assert dates.full_report_due == dt.date(2026, 11, 22)


def test_the_unfair_dismissal_qualifying_period_is_dated() -> None:
    assert qualifying_service_on(RATES, dt.date(2026, 12, 31)).months == 24
    assert qualifying_service_on(RATES, dt.date(2027, 1, 1)).months == 6
    with pytest.raises(OneStopError, match="no unfair dismissal qualifying period"):
        qualifying_service_on(RATES, dt.date(2020, 1, 1))


def test_treatment_exemption_caps_the_tax_free_part() -> None:
    split = treatment_exemption(RATES, Decimal("600"), dt.date(2026, 12, 2))
    assert (split.exempt, split.taxable, split.annual_limit) == (Decimal("500"), Decimal("100"), Decimal("500"))
    assert treatment_exemption(RATES, Decimal("300"), dt.date(2026, 12, 2)).taxable == 0
    with pytest.raises(OneStopError, match="no medical treatment exemption"):
        treatment_exemption(RATES, Decimal("300"), dt.date(2014, 12, 31))
