"""Domain-free helpers shared by every domain: scope, pagination, i18n, tabular output."""
