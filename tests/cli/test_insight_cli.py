"""`nichely insight needs` and `nichely insight skus` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nichely.activity import searchlog
from nichely.cli import app
from tests.commerce.fixtures import place  # noqa: F401
from tests.insight.plants import plant_wide_feet

runner = CliRunner()


def run(db, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    env = {"NICHELY_DATABASE_URL": db.url, "NICHELY_SECRET_KEY": "test", "NICHELY_MEDIA_DIR": str(tmp_path)}
    return runner.invoke(app, list(args), env=env)


def test_needs_as_a_table_and_as_json(db, tmp_path, make_user):
    for _ in range(3):
        with db.write() as session:
            searchlog.log_search(session, make_user(), "zapatos de mujer de horma ancha", "es", 0)
    table = run(db, tmp_path, "insight", "needs")
    assert table.exit_code == 0, table.output
    assert "Unmet needs, last 30 days (3 searches read)" in table.output
    # every column shown has a value in every row (the reasons are in --json)
    assert "why" not in table.output.split("--json")[0]
    as_json = run(db, tmp_path, "insight", "needs", "--json", "--language", "es")
    body = json.loads(as_json.output)
    assert body["searches"] == 3
    assert body["needs"][0]["query"] == "zapatos de mujer de horma ancha"
    assert body["needs"][0]["no_result_rate"] == 1.0


def test_bad_options_exit_non_zero_with_a_message(db, tmp_path):
    result = run(db, tmp_path, "insight", "needs", "--days", "0")
    assert result.exit_code != 0
    assert "days must be between 1 and 3650" in result.output
    missing = run(db, tmp_path, "insight", "skus", "--shop", "999999")
    assert missing.exit_code != 0
    assert "shop 999999" in missing.output


def test_skus_finds_the_planted_preference(db, tmp_path, make_user, make_shop, make_product, place):  # noqa: F811
    shop, _ = plant_wide_feet(make_user, make_shop, make_product, place, make_user(roles=["manager"]))
    result = run(db, tmp_path, "insight", "skus", "--shop", str(shop.id), "--json")
    assert result.exit_code == 0, result.output
    fits = json.loads(result.output)["fits"]
    assert (fits[0]["segment"], fits[0]["attribute"], fits[0]["value"]) == ("wide-feet", "width", "wide")
    table = run(db, tmp_path, "insight", "skus", "--shop", str(shop.id))
    assert "width=wide" in table.output


def test_an_unknown_language_exits_1_with_a_message(db, tmp_path):
    result = run(db, tmp_path, "insight", "needs", "--language", "fr")
    assert result.exit_code == 1
    assert "language must be one of en, es, zh" in result.output
