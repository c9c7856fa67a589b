"""Stores: seller accounts, one per Amazon region."""
