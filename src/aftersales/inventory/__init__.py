"""Inventory: stock per SKU from the imported inventory reports."""
