import pytest
from sqlalchemy.dialects import postgresql, sqlite

from nichely.activity.searchlog import is_long_tail
from nichely.errors import InvalidInput
from nichely.search import simple

# -- pure: terms, patterns and the SQL itself ------------------------------------------------


def test_words_are_lowercased_and_trimmed_of_punctuation():
    assert simple.query_terms("  Trail, SHOES!  (wide) ") == ["trail", "shoes", "wide"]


def test_cjk_runs_become_bigrams_next_to_latin_words():
    assert simple.query_terms("宽脚跑鞋 Nike") == ["宽脚", "脚跑", "跑鞋", "nike"]
    assert simple.query_terms("鞋") == ["鞋"]


def test_terms_are_distinct_and_capped():
    assert simple.query_terms("a a a") == ["a"]
    assert len(simple.query_terms(" ".join(f"w{i}" for i in range(50)))) == simple.MAX_TERMS


def test_only_punctuation_has_no_terms():
    assert simple.query_terms("?!... ，。——") == []


def test_emoji_are_kept_as_terms():
    assert simple.query_terms("👟 跑鞋") == ["👟", "跑鞋"]


def test_like_wildcards_and_the_escape_character_are_escaped():
    assert simple.like_pattern("100%_off\\") == "%100\\%\\_off\\\\%"


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])
def test_search_sql_binds_every_term_as_a_parameter(dialect):
    # given a hostile term
    stmt = simple.search_sql("products", ["' or 1=1 --"], limit=10)
    # when the SQL is compiled
    compiled = stmt.compile(dialect=dialect)
    # then the term is a bound value, never part of the SQL text
    assert "1=1" not in str(compiled)
    assert "%' or 1=1 --%" in compiled.params.values()
    assert "ORDER BY score DESC" in str(compiled)


def test_search_sql_refuses_unknown_kinds_naming_the_choices():
    with pytest.raises(InvalidInput, match=r"type must be one of \['all', 'products', 'notes', 'people'\]"):
        simple.search_sql("shops", ["x"], limit=10)


@pytest.mark.parametrize(
    ("query", "long_tail"),
    [
        ("跑鞋", False),
        ("适合宽脚的轻量跑鞋推荐", True),
        ("running shoes", False),
        ("running shoes for wide feet", True),
        ("zapatos cómodos para oficina", True),
    ],
)
def test_long_tail_is_eight_cjk_characters_or_four_words(query, long_tail):
    assert is_long_tail(query) is long_tail


# -- against both stores ---------------------------------------------------------------------


def test_products_rank_by_matched_terms_then_buyer_shows_then_notes(
    db, make_product, make_note, make_user, deliver
):
    # given three products: one matching both terms, two matching one term with different evidence
    both = make_product(title="Wide trail shoe", description="")
    shown = make_product(title="Trail runner", description="")
    plain = make_product(title="Trail sandal", description="")
    buyer = make_user()
    deliver(buyer, shown)
    make_note(author=buyer, products=[shown])
    make_note(products=[plain])
    make_note(products=[plain])
    # when searching for both terms
    with db.read() as session:
        result = simple.search(session, "wide trail", type="products")
    # then the two-term match leads, then the buyer show beats plain note count
    assert [p.id for p in result.products] == [both.id, shown.id, plain.id]


def test_hidden_and_deleted_notes_never_match(db, make_note):
    visible = make_note(title="Ultralight tent review")
    make_note(title="Ultralight tent hidden", status="hidden")
    make_note(title="Ultralight tent deleted", status="deleted")
    with db.read() as session:
        result = simple.search(session, "ultralight tent", type="notes")
    assert [n.id for n in result.notes] == [visible.id]


def test_notes_match_on_tags_and_cjk_bigrams(db, make_note):
    tagged = make_note(title="Morning run", body="ok", tags=["#WideFeet"])
    chinese = make_note(title="宽脚跑鞋推荐", body="很舒服", language="zh")
    with db.read() as session:
        assert [n.id for n in simple.search(session, "widefeet", type="notes").notes] == [tagged.id]
        assert [n.id for n in simple.search(session, "跑鞋", type="notes").notes] == [chinese.id]


@pytest.mark.parametrize(
    "query", ["%", "_", "%' OR 1=1 --", "'; DROP TABLE notes; --", "👟🔥", "?!", "qz\x00zq"]
)
def test_hostile_queries_are_data(db, make_note, make_product, query):
    # given content that a wildcard or injection would match
    make_note(title="Anything at all")
    make_product(title="Any product")
    # when searching with LIKE syntax, SQL, emoji, punctuation or NUL
    with db.read() as session:
        result = simple.search(session, query)
    # then nothing matches by accident
    assert result.products == []
    assert result.notes == []


def test_percent_and_underscore_inside_a_term_match_literally(db, make_product):
    # given titles that an unescaped % or _ would also match
    percent = make_product(title="Deal 50%off today")
    make_product(title="Deal 50 and off today")
    underscore = make_product(title="Model a_b")
    make_product(title="Model axb")
    # when searching for the literal characters, then only the literal titles match
    with db.read() as session:
        assert [p.id for p in simple.search(session, "50%off", type="products").products] == [percent.id]
        assert [p.id for p in simple.search(session, "a_b", type="products").products] == [underscore.id]


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "q must not be empty"), ("   ", "q must not be empty"), ("x" * 10_000, "at most 200 characters")],
)
def test_empty_and_huge_queries_are_refused_clearly(db, query, message):
    with pytest.raises(InvalidInput, match=message), db.read() as session:
        simple.search(session, query)


def test_single_type_pages_with_a_cursor(db, make_product):
    made = [make_product(title=f"Trail shoe {i}").id for i in range(5)]
    with db.read() as session:
        first = simple.search(session, "trail", type="products", limit=3)
        second = simple.search(session, "trail", type="products", limit=3, cursor=first.next_cursor)
    assert second.next_cursor is None
    assert sorted(p.id for p in first.products + second.products) == sorted(made)
    assert first.total == 5
