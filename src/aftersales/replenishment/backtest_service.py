"""Backtests on a store's own history: rule sets read from JSON files (what they change of
the store's settings), every listing's real daily sales and stock-outs, ``backtest`` run
once per rule set so the results can be compared."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.replenishment import backtest, calc, inputs, settings_service
from aftersales.replenishment import repository as run_repository
from aftersales.replenishment.inputs import KEYS
from aftersales.replenishment.schemas import LeadTime, PlanningSettingsValues, VelocityRule


class RuleSetFile(BaseModel):
    """A rule set to try: anything left out is the store's current setting."""

    name: str | None = Field(default=None, max_length=80)
    velocity: dict[str, Any] = Field(default_factory=dict)
    lead_time: dict[str, Any] = Field(default_factory=dict)
    case_pack: int = Field(default=1, ge=1, le=100_000)
    moq: int = Field(default=0, ge=0, le=10_000_000)


def rule_set(text: str, *, source: str, base: PlanningSettingsValues) -> backtest.RuleSet:
    """A rule set from a JSON document; InvalidInput naming the file and the field."""
    try:
        document = RuleSetFile.model_validate(json.loads(text))
        velocity = VelocityRule.model_validate(
            {**base.velocity.model_dump(mode="json"), **document.velocity}
        )
        lead = LeadTime.model_validate(
            {**base.lead_time.model_dump(mode="json"), **document.lead_time}
        )
    except json.JSONDecodeError as error:
        raise InvalidInput(
            N_("%(file)s: not JSON (line %(line)s)"), file=source, line=error.lineno, field="rules"
        ) from error
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise InvalidInput(
            N_("%(file)s: %(field_name)s: %(problem)s"),
            file=source,
            field_name=where or "-",
            problem=first.get("msg", ""),
            field="rules",
        ) from error
    name = document.name or source
    try:
        return backtest.RuleSet(
            name=name,
            rule=inputs.rule_of(velocity, name),
            lead=inputs.lead_of(lead),
            constraints=calc.Constraints(case_pack=document.case_pack, moq=document.moq),
        )
    except calc.InvalidRule as error:
        raise InvalidInput(
            N_("%(file)s: %(problem)s"), file=source, problem=str(error), field="rules"
        ) from error


def series(
    session: Session, *, store_id: int, start: date, end: date, history_days: int
) -> list[backtest.SkuSeries]:
    """Every listing with sales from ``start − history_days`` to ``end``: its daily units
    and out-of-stock days (as a run counts them), and its real FBA stock on ``start``."""
    first = start - timedelta(days=history_days)
    last = end - timedelta(days=1)
    sales = run_repository.daily_sales(session, store_id=store_id, first=first, last=last)
    spans = run_repository.stockout_spans(session, store_id=store_id, first=first, last=last)
    out_days = inputs.out_of_stock_days(sales, spans, first=first, as_of=end)
    stock = run_repository.latest_stock(session, store_id=store_id, as_of=start)
    initial = {
        (market, sku): int(fulfillable + reserved)
        for market, sku, fulfillable, reserved in stock.select(
            [*KEYS, "fulfillable", "reserved"]
        ).iter_rows()
    }
    daily = inputs.daily_frame(sales, out_days, None, first=first)
    found = []
    for (market_id, sku), rows in sorted(daily.partition_by(KEYS, as_dict=True).items()):
        if rows.get_column("units").sum() <= 0:
            continue
        history = inputs.history_of(rows, first_day=first, as_of=end)
        market = marketplaces.by_id(str(market_id))
        found.append(
            backtest.SkuSeries(
                sku=str(sku),
                marketplace=market.code if market else str(market_id),
                first_day=first,
                units=history.units,
                out_of_stock=history.out_of_stock,
                initial_stock=initial.get((str(market_id), str(sku))),
                currency=market.currency if market else None,
            )
        )
    return found


def compare(
    session: Session,
    *,
    store_id: int,
    files: Sequence[tuple[str, str]],
    start: date,
    end: date,
) -> list[backtest.BacktestResult]:
    """Replay the store's listings from ``start`` to ``end`` under each rule set file
    ((name, JSON text) pairs); one result per file, in order."""
    if not files:
        raise InvalidInput(N_("give at least one rule set (--rules FILE)"), field="rules")
    base = settings_service.settings_values(session, store_id=store_id)
    rule_sets = [rule_set(text, source=name, base=base) for name, text in files]
    history_days = max(
        max(rule.rule.longest_window, calc.LAST_IN_STOCK_LOOKBACK_DAYS)
        + (calc.SEASON_DAYS + rule.rule.seasonality_days if rule.rule.seasonality else 0)
        for rule in rule_sets
    )
    listings = series(session, store_id=store_id, start=start, end=end, history_days=history_days)
    return [backtest.backtest(listings, rules, start=start, end=end) for rules in rule_sets]
