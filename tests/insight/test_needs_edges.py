"""Unmet needs at the edges: ties in the lazy top-k, languages, time zones, short windows, wording."""

from __future__ import annotations

from collections.abc import Callable

from nichely.accounts.models import User
from nichely.activity import searchlog
from nichely.insight.needs import unmet_needs
from nichely.storage.engine import Database


def _search(db: Database, user: User | None, query: str, language: str = "en", results: int = 0) -> None:
    with db.write() as session:
        searchlog.log_search(session, user, query, language, results)


def test_a_tie_on_the_ceiling_does_not_cut_the_list_short(
    db: Database, make_user: Callable[..., User]
) -> None:
    # given two needs of the same demand and gap: one by two signed-in people (one searched twice),
    # the other by four anonymous searches, which has more searches and so ranks first on the tie
    first, second = make_user(), make_user()
    for person in (first, first, second):
        _search(db, person, "alpha boots")
    for _ in range(4):
        _search(db, None, "beta gloves")
    with db.read() as session:
        full = [(n.query, n.gap) for n in unmet_needs(session, limit=10).needs]
        head = [(n.query, n.gap) for n in unmet_needs(session, limit=1).needs]
    assert full[0][1] == full[1][1]
    assert full[0][0] == "beta gloves"
    assert head == full[:1]
