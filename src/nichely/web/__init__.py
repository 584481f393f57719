"""The web face: JSON API under /api/v1 and server-rendered pages. Thin: parse, call a domain, render."""
