"""Alerts: rules with thresholds per store, raised alerts and their delivery to channels."""
