"""Editable language data: the jieba domain dictionary, synonyms and attribute lexicons."""
