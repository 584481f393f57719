"""Notes (real experiences linked to products), comments, reactions, collections and reports."""
