"""A seeded, deterministic demo community: people, shops, notes, orders, live rooms, searches.

`seed_demo(db, seed, scale)` writes it to an empty store and returns a `Manifest` listing what
was made, the demo log-ins and the planted authenticity cases (ring, undisclosed ads, copies).
"""

from __future__ import annotations

from nichely.demo.context import DEMO_NOW
from nichely.demo.people import DEMO_PASSWORD
from nichely.demo.seed import Manifest, generate, is_empty, seed_demo

__all__ = ["DEMO_NOW", "DEMO_PASSWORD", "Manifest", "generate", "is_empty", "seed_demo"]
