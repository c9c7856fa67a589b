"""The default rules (data in amazon/data/alert_defaults.json) and checks on edited thresholds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.models import AlertRuleKind

# Thresholds that are whole numbers; the others are decimals ("multiple") or text ("reason").
_WHOLE = {"recent_days", "baseline_days", "min_units", "max_units", "lookback_days", "days"}
_LIMITS = {"recent_days": 90, "baseline_days": 365, "lookback_days": 31, "days": 90}


@dataclass(frozen=True)
class DefaultRule:
    kind: AlertRuleKind
    enabled: bool
    params: dict[str, Any]


@dataclass(frozen=True)
class RetryPolicy:
    """When a failed delivery is tried again: after each wait in turn, then never."""

    retry_after: tuple[timedelta, ...]
    give_up_after: timedelta

    @property
    def max_attempts(self) -> int:
        return len(self.retry_after) + 1

    def next_attempt(self, *, attempts: int, last: datetime) -> datetime | None:
        """When the next attempt is due after ``attempts`` failed ones, or None: no more."""
        if attempts < 1 or attempts > len(self.retry_after):
            return None
        return last + self.retry_after[attempts - 1]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(
        resources.files("aftersales.amazon").joinpath("data/alert_defaults.json").read_text("utf-8")
    )
    return raw


@lru_cache(maxsize=1)
def retry_policy() -> RetryPolicy:
    delivery = _data()["delivery"]
    return RetryPolicy(
        retry_after=tuple(timedelta(minutes=int(m)) for m in delivery["retry_after_minutes"]),
        give_up_after=timedelta(days=int(delivery["give_up_after_days"])),
    )


@lru_cache(maxsize=1)
def defaults() -> dict[AlertRuleKind, DefaultRule]:
    raw = _data()
    return {
        AlertRuleKind(kind): DefaultRule(AlertRuleKind(kind), bool(rule["enabled"]), rule["params"])
        for kind, rule in raw["rules"].items()
    }


def clean_params(kind: AlertRuleKind, values: dict[str, Any]) -> dict[str, Any]:
    """The rule's thresholds from ``values`` (missing ones keep their default); 422 on a bad
    value or an unknown name."""
    default = defaults()[kind].params
    unknown = sorted(set(values) - set(default))
    if unknown:
        raise InvalidInput(N_("unknown threshold %(name)s"), name=unknown[0], field=unknown[0])
    cleaned: dict[str, Any] = {}
    for name, fallback in default.items():
        value = values.get(name, fallback)
        try:
            if name in _WHOLE:
                number = int(value)
                if number < 1 or number > _LIMITS.get(name, 1_000_000):
                    raise ValueError(name)
                cleaned[name] = number
            elif name == "multiple":
                multiple = float(value)
                if not 1.0 <= multiple <= 100.0:
                    raise ValueError(name)
                cleaned[name] = multiple
            else:
                text = str(value).strip().upper()
                if not text or len(text) > 60:
                    raise ValueError(name)
                cleaned[name] = text
        except (TypeError, ValueError) as error:
            raise InvalidInput(
                N_("%(name)s: not an allowed value"), name=name, field=name
            ) from error
    return cleaned


RULE_LABELS: dict[AlertRuleKind, str] = {
    AlertRuleKind.SKU_RETURN_RATE: N_("A SKU's return rate above its baseline"),
    AlertRuleKind.UNSELLABLE_PER_DAY: N_("Unsellable returns in one day"),
    AlertRuleKind.REASON_CLUSTER: N_("Several returns of one SKU for one reason"),
    AlertRuleKind.CLAIMS_EXPIRING: N_("Claims expiring soon"),
    AlertRuleKind.REPLENISH_ORDER_NOW: N_("Listings entering “order now”"),
    AlertRuleKind.STOCKOUT_SOON: N_("Listings projected to run out soon"),
}

PARAM_LABELS: dict[str, str] = {
    "multiple": N_("Times the baseline rate"),
    "recent_days": N_("Recent window (days)"),
    "baseline_days": N_("Baseline window (days)"),
    "min_units": N_("At least this many units"),
    "max_units": N_("Alert above this many units a day"),
    "lookback_days": N_("Days looked back"),
    "days": N_("Days"),
    "reason": N_("Return reason code"),
}
