"""Search: query understanding, lexical and vector retrieval, learned ranking, evidence from notes."""
