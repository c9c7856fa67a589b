"""Deterministic demo data set: realistic Amazon Seller Central report files for three stores."""
