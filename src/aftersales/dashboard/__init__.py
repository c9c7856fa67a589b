"""The dashboard: shipped and returned units over 7/30/90 days, a daily trend, the most
returned SKUs and inventory health, for the stores and marketplaces of a scope."""
