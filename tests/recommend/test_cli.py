"""`nichely recommend fit/predict` and `nichely bench recommend` through the real CLI."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from typer.testing import CliRunner

from nichely.cli import app
from nichely.errors import InvalidInput

runner = CliRunner()


def write_interactions(path: Path, communities) -> Path:  # type: ignore[no-untyped-def]
    matrix = communities.matrix.tocoo()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user_id", "product_id", "rating"])
        for user, item in zip(matrix.row, matrix.col, strict=True):
            writer.writerow([f"u{user}", f"p{item}", 5])
    return path


def test_fit_then_predict_writes_ranked_unseen_items(make_communities, tmp_path: Path):
    # given interactions (gzip) and a follow file with a newcomer who owns nothing
    data = make_communities()
    ratings = write_interactions(tmp_path / "ratings.csv.gz", data)
    social = tmp_path / "trust.csv"
    social.write_text("truster_id,trustee_id\nnewcomer,u40\nu0,u1\n")
    users = tmp_path / "users.txt"
    users.write_text("user_id\nu0\nu35\nnewcomer\nstranger\n")
    model, out = tmp_path / "model.npz", tmp_path / "recs.tsv"
    # when
    fitted = runner.invoke(
        app,
        [
            "recommend",
            "fit",
            "--interactions",
            str(ratings),
            "--user-column",
            "user_id",
            "--item-column",
            "product_id",
            "--social",
            str(social),
            "--model",
            str(model),
        ],
    )
    predicted = runner.invoke(
        app,
        ["recommend", "predict", "--model", str(model), "--users", str(users), "--k", "4", "--out", str(out)],
    )
    # then
    assert fitted.exit_code == 0, fitted.output
    assert predicted.exit_code == 0, predicted.output
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    by_user: dict[str, list[str]] = {}
    for user, rank, item in rows:
        assert int(rank) == len(by_user.setdefault(user, [])) + 1
        by_user[user].append(item)
    assert set(by_user) == {"u0", "u35", "newcomer", "stranger"}
    assert all(len(items) == 4 for items in by_user.values())
    owned_by_u0 = {f"p{i}" for i in data.matrix[0].indices}
    assert owned_by_u0.isdisjoint(by_user["u0"])
    assert all(int(item[1:]) in data.a_items for item in by_user["u0"])
    assert all(int(item[1:]) in data.b_items for item in by_user["u35"])
    followee_items = {f"p{i}" for i in data.matrix[40].indices}
    assert set(by_user["newcomer"]) <= followee_items
    assert "1 unknown" in predicted.output


def test_a_missing_column_is_a_clear_error(make_communities, tmp_path: Path):
    # given a file without the named item column
    ratings = write_interactions(tmp_path / "ratings.csv", make_communities())
    # when
    result = runner.invoke(
        app,
        [
            "recommend",
            "fit",
            "--interactions",
            str(ratings),
            "--user-column",
            "user_id",
            "--item-column",
            "item_id",
            "--model",
            str(tmp_path / "m.npz"),
        ],
    )
    # then the command fails, naming the column and the ones the file has
    assert result.exit_code != 0
    assert isinstance(result.exception, InvalidInput)
    assert "no column 'item_id'" in result.exception.detail
    assert "product_id" in result.exception.detail
    assert not (tmp_path / "m.npz").exists()


def test_predict_refuses_a_foreign_model_file(tmp_path: Path):
    # given
    foreign = tmp_path / "model.npz"
    foreign.write_bytes(b"PK not really a model")
    users = tmp_path / "users.txt"
    users.write_text("u0\n")
    # when
    result = runner.invoke(
        app,
        [
            "recommend",
            "predict",
            "--model",
            str(foreign),
            "--users",
            str(users),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    # then
    assert result.exit_code != 0
    assert "not a Nichely recommender model" in str(result.exception)


def test_bench_recommend_prints_ours_beside_the_baselines(make_communities, tmp_path: Path):
    # given planted communities, where every method should find something
    ratings = write_interactions(
        tmp_path / "ratings.csv", make_communities(users_per=40, items_per=20, owned=8)
    )
    # when
    result = runner.invoke(
        app,
        [
            "bench",
            "recommend",
            "--interactions",
            str(ratings),
            "--user-column",
            "user_id",
            "--item-column",
            "product_id",
            "--k",
            "5",
        ],
    )
    # then the table names every method with its scores
    assert result.exit_code == 0, result.output
    for name in ("popularity", "implicit ALS (64 factors)", "nichely recommender"):
        assert name in result.output
    ours_line = next(line for line in result.output.splitlines() if line.startswith("nichely recommender"))
    popularity_line = next(line for line in result.output.splitlines() if line.startswith("popularity"))
    assert float(ours_line.split()[2]) > float(popularity_line.split()[1])
