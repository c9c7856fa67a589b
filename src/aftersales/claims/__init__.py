"""Reimbursement claims: detection from imported reports, lifecycle, queue and case text."""
