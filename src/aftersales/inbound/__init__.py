"""FBA inbound plans: draft shipments built from the replenishment recommendations."""
