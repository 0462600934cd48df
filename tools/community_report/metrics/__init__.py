"""Metrics: pure functions of records, the policy and the window. Each one's definition is on
the docs site (Community health → Metric definitions); the docstrings say the same."""
