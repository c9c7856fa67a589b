"""Replenishment: sales velocity, recommended quantities and dates, each number explained."""
