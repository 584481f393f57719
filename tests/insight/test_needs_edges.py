"""Unmet needs at the edges: ties in the lazy top-k, languages, time zones, short windows, wording."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, update

from nichely.accounts.models import User
from nichely.activity import searchlog
from nichely.activity.models import SearchLog
from nichely.errors import InvalidInput
from nichely.insight.needs import unmet_needs
from nichely.storage.base import utcnow
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


def test_searchers_are_counted_in_the_language_asked_for(
    db: Database, make_user: Callable[..., User]
) -> None:
    # given a Spanish need in two wordings and the same wording logged as English by others
    for query in ("sofa ancho", "ancho sofa", "sofa ancho"):
        _search(db, make_user(), query, "es")
    for _ in range(3):
        _search(db, make_user(), "sofa ancho", "en")
    with db.read() as session:
        spanish = unmet_needs(session, language="es", supply=False).needs
    assert len(spanish) == 1
    assert spanish[0].searches == 3
    assert spanish[0].searchers == 3


def test_one_person_searching_one_wording_in_two_languages_is_one_searcher(
    db: Database, make_user: Callable[..., User]
) -> None:
    person = make_user()
    _search(db, person, "sofa ancho", "es")
    _search(db, person, "sofa ancho", "en")
    _search(db, make_user(), "sofa ancho", "es")
    with db.read() as session:
        (need,) = unmet_needs(session, supply=False).needs
    assert need.wordings == ["sofa ancho"]
    assert need.searchers == 2


def test_a_now_with_a_time_zone_reads_the_same_window(db: Database, make_user: Callable[..., User]) -> None:
    for _ in range(3):
        _search(db, make_user(), "linen apron")
    moment = utcnow() + timedelta(minutes=1)
    with db.read() as session:
        naive = unmet_needs(session, supply=False, now=moment)
        eastern = unmet_needs(
            session, supply=False, now=moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai"))
        )
    assert [n.query for n in naive.needs] == ["linen apron"]
    assert [n.query for n in eastern.needs] == ["linen apron"]
    assert eastern.since == naive.since
    assert eastern.since.tzinfo is None


def test_a_week_long_window_still_compares_with_the_week_before(
    db: Database, make_user: Callable[..., User]
) -> None:
    # given a need searched ten times ten days ago and three times this week
    for _ in range(10):
        _search(db, make_user(), "cork yoga block")
    with db.write() as session:
        session.execute(update(SearchLog).values(created_at=utcnow() - timedelta(days=10)))
    for _ in range(3):
        _search(db, make_user(), "cork yoga block")
    with db.read() as session:
        (need,) = unmet_needs(session, days=7, supply=False).needs
    # then only this week's searches are counted, but the week before is known: it is not rising
    assert need.searches == 3
    assert need.searchers == 3
    assert (need.recent, need.previous) == (3, 10)
    assert not need.rising


def test_reasons_count_in_the_singular_and_plural(db: Database, make_user: Callable[..., User]) -> None:
    _search(db, make_user(), "teak soap dish")
    for _ in range(3):
        _search(db, None, "felt cat cave")
    with db.read() as session:
        needs = {n.query: n for n in unmet_needs(session, days=1, min_searches=1).needs}
    assert needs["teak soap dish"].reasons[0] == "1 search by 1 person in 1 day"
    assert needs["felt cat cave"].reasons[0] == "3 anonymous searches in 1 day"


def test_supply_reasons_agree_with_their_numbers() -> None:
    from nichely.insight.needs import Need, Supply, _reasons

    need = Need(
        "oak stool",
        ("oak", "stool"),
        ["oak stool"],
        "en",
        False,
        200,
        150,
        50,
        0.0,
        0.995,
        0,
        0,
        Supply(products=1, proven_products=1, notes=1, buyer_shows=1),
        1.0,
        [],
    )
    reasons = _reasons(need, 30)
    assert "1 of the top product has a verified buyer show" in reasons
    assert "1 of the top note is a buyer show" in reasons
    assert "99% led to a click on a result" in reasons  # not 100% while some were not clicked


@pytest.mark.parametrize("language", ["fr", "english", "x" * 100])
def test_an_unknown_language_is_refused(db: Database, language: str) -> None:
    with db.read() as session, pytest.raises(InvalidInput) as raised:
        unmet_needs(session, language=language)
    assert raised.value.extra["field"] == "language"


def test_a_known_language_in_capitals_is_read(db: Database, make_user: Callable[..., User]) -> None:
    for _ in range(3):
        _search(db, make_user(), "zapatillas anchas", "es")
    with db.read() as session:
        assert [n.query for n in unmet_needs(session, language=" ES ", supply=False).needs] == [
            "zapatillas anchas"
        ]


def test_queries_of_emoji_or_punctuation_make_no_need(db: Database, make_user: Callable[..., User]) -> None:
    for query in ("😀😀", "?!", "…", "🔥 🔥"):
        for _ in range(3):
            _search(db, make_user(), query)
    with db.read() as session:
        report = unmet_needs(session, supply=False)
    assert report.needs == []
    assert report.searches == 12


def test_an_empty_log_gives_an_empty_report(db: Database) -> None:
    with db.read() as session:
        report = unmet_needs(session)
    assert (report.needs, report.searches, report.wordings) == ([], 0, 0)


def test_a_need_with_more_wordings_than_a_statement_may_bind(
    db: Database, make_user: Callable[..., User]
) -> None:
    # given a common need and 70,000 rare wordings that each join it (three of its four terms)
    person = make_user()
    for _ in range(3):
        _search(db, person, "wide trail shoe")
    now = utcnow()
    rows = [
        {
            "user_id": person.id,
            "query": f"wide trail shoe q{i}",
            "language": "en",
            "is_long_tail": True,
            "result_count": 0,
            "click_count": 0,
            "created_at": now,
        }
        for i in range(70_000)
    ]
    with db.write() as session:
        for start in range(0, len(rows), 5_000):
            session.execute(insert(SearchLog), rows[start : start + 5_000])
    with db.read() as session:
        (need,) = unmet_needs(session, supply=False, limit=5).needs
    assert len(need.wordings) == 70_001
    assert need.searchers == 1


def test_needs_tied_on_the_ceiling_are_not_all_measured(
    db: Database, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given thirty needs of three anonymous, unclicked searches each: every ceiling is the same
    from nichely.insight import needs as module

    for i in range(30):
        for _ in range(3):
            _search(db, None, f"hemp rope toy {i:02d}")
    measured: list[str] = []
    original = module.measure_supply

    def counting(session, query, **options):  # type: ignore[no-untyped-def]
        measured.append(query)
        return original(session, query, **options)

    monkeypatch.setattr(module, "measure_supply", counting)
    with db.read() as session:
        head = [n.query for n in module.unmet_needs(session, limit=5).needs]
    # then the tie-break (searches, then wording) is known before measuring: five searches suffice
    assert head == [f"hemp rope toy {i:02d}" for i in range(5)]
    assert len(measured) == 5


def test_every_short_list_is_the_head_of_the_long_one_on_a_random_log(
    db: Database, make_user: Callable[..., User]
) -> None:
    import random

    rng = random.Random(7)
    people = [make_user() for _ in range(6)]
    for i in range(18):
        wordings = [f"cedar plant stand {i}", f"plant stand cedar {i}"]
        for _ in range(rng.randint(3, 6)):
            person = rng.choice([None, None, *people])
            with db.write() as session:
                entry = searchlog.log_search(session, person, rng.choice(wordings), "en", rng.choice([0, 2]))
                if rng.random() < 0.3:
                    entry.click_count = 1
    with db.read() as session:
        full = [(n.query, n.gap) for n in unmet_needs(session, limit=50, supply=False).needs]
        assert len(full) == 18
        for k in range(1, 18):
            assert [(n.query, n.gap) for n in unmet_needs(session, limit=k, supply=False).needs] == full[:k]
