"""Insight for brand managers: what the people who buy a shop's products need, and which SKUs fit them."""
