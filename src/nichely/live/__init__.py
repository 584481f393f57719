"""Live rooms: a host sells live with a line-up, a pinned product, chat and room metrics."""
