"""The evidence and fields stored with the claims read from settlements and the FBA
customer returns report: refund lines, returns, reimbursements, dates and the rule."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aftersales.amazon import claim_rules
from aftersales.claims import calc
from aftersales.claims.calc import Assessment


def refund_out(line: calc.RefundLine) -> dict[str, Any]:
    return {
        "refund_row_id": line.id,
        "adjustment_id": line.adjustment_id,
        "posted": line.posted.isoformat() if line.posted else None,
        "quantity": line.quantity,
        "amount_type": line.amount_type,
        "amount_description": line.amount_description,
        "amount": str(line.amount),
        "currency": line.currency,
    }


def reimbursement_out(line: calc.ReimbursementLine) -> dict[str, Any]:
    return {
        "reimbursement_row_id": line.id,
        "reimbursement_id": line.reimbursement_id,
        "approval_date": line.approval_date.isoformat(),
        "reason": line.reason,
        "original_type": line.original_type,
        "quantity": line.quantity,
        "amount": str(line.amount) if line.amount is not None else None,
        "currency": line.currency,
    }


def rule_out(rule: claim_rules.ClaimRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "effective_from": rule.version,
        "wait_days": rule.wait_days,
        "window_days": rule.window_days,
        "valuation": str(rule.valuation),
        "source": rule.source,
    }


def evidence(
    *,
    order_id: str,
    channel: str | None,
    refunds: list[calc.RefundLine],
    returns: list[calc.ReturnLine],
    reimbursements: list[calc.ReimbursementLine],
    assessment: Assessment,
    rule: claim_rules.ClaimRule,
    as_of: date,
) -> dict[str, Any]:
    return {
        "order": {"amazon_order_id": order_id, "fulfillment_channel": channel},
        "refunds": [refund_out(line) for line in refunds],
        "returns": [
            {
                "return_row_id": line.id,
                "return_date": line.return_date.isoformat(),
                "quantity": line.quantity,
                "disposition": line.disposition,
                "license_plate_number": line.license_plate_number,
            }
            for line in returns
        ],
        "reimbursements": [reimbursement_out(line) for line in reimbursements],
        "units": {
            "refunded": assessment.units_refunded,
            "returned": assessment.units_returned,
            "reimbursed": assessment.units_reimbursed,
        },
        "dates": {
            "refunded_on": assessment.refunded_on.isoformat(),
            "opens_on": assessment.opens_on.isoformat(),
            "closes_on": assessment.closes_on.isoformat(),
            "detected_as_of": as_of.isoformat(),
        },
        "rule": rule_out(rule),
    }


def returned_evidence(
    *,
    order_id: str,
    refunds: list[calc.RefundLine],
    returns: list[calc.ReturnLine],
    reimbursements: list[calc.ReimbursementLine],
    assessment: calc.ReturnedAssessment,
    rule: claim_rules.ClaimRule,
    as_of: date,
) -> dict[str, Any]:
    return {
        "order": {"amazon_order_id": order_id},
        "refunds": [refund_out(line) for line in refunds],
        "returns": [
            {
                "return_row_id": line.id,
                "return_date": line.return_date.isoformat(),
                "quantity": line.quantity,
                "disposition": line.disposition,
                "reason": line.reason,
                "license_plate_number": line.license_plate_number,
            }
            for line in returns
        ],
        "reimbursements": [reimbursement_out(line) for line in reimbursements],
        "units": {
            "claimed": assessment.units_claimed,
            "reimbursed": assessment.units_reimbursed,
            "refunded": calc.units_refunded(refunds),
        },
        "dates": {
            "event_day": assessment.event_day.isoformat(),
            "returned_on": returns[0].return_date.date().isoformat() if returns else None,
            "refunded_on": (day.isoformat() if (day := calc.refund_day(refunds)) else None),
            "opens_on": assessment.opens_on.isoformat(),
            "closes_on": assessment.closes_on.isoformat(),
            "detected_as_of": as_of.isoformat(),
        },
        "rule": rule_out(rule),
    }


def returned_fields(
    assessment: calc.ReturnedAssessment,
    rule: claim_rules.ClaimRule,
    evidence: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    return {
        "units": assessment.units_claimed,
        "estimated_value": assessment.estimated_value,
        "currency": assessment.currency,
        "refunded_on": assessment.event_day,
        "opens_on": assessment.opens_on,
        "closes_on": assessment.closes_on,
        "evidence": evidence,
        "rule_id": rule.id,
        "rule_version": rule.version,
        "updated_at": now,
    }


def assessed(
    assessment: Assessment, rule: claim_rules.ClaimRule, evidence: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "units": assessment.units_refunded - assessment.units_returned,
        "estimated_value": assessment.estimated_value,
        "currency": assessment.currency,
        "refunded_on": assessment.refunded_on,
        "opens_on": assessment.opens_on,
        "closes_on": assessment.closes_on,
        "evidence": evidence,
        "rule_id": rule.id,
        "rule_version": rule.version,
        "updated_at": now,
    }
