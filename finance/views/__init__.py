"""Pages of the finance app under /finanzen/: one module per feature (see common.py)."""
