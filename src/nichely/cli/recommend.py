"""`nichely recommend ...`: fit the people-centric recommender on outside data, then predict."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import typer
from rich.console import Console

from nichely.errors import InvalidInput
from nichely.recommend.data import read_id_list, read_interactions, read_social
from nichely.recommend.model import Recommender
from nichely.recommend.signals import Step

app = typer.Typer(no_args_is_help=True)


@contextmanager
def steps(console: Console) -> Iterator[Step]:
    """A spinner on stderr naming the current step; each finished step leaves a timed line."""
    started = time.perf_counter()
    with console.status("starting") as status:

        def step(name: str) -> None:
            console.log(f"{name} ({time.perf_counter() - started:.0f} s)")
            status.update(name)

        yield step


@app.command("fit")
def fit_command(
    interactions: Path = typer.Option(..., help="CSV or CSV.gz with one row per (person, item)"),
    user_column: str = typer.Option("user_id", help="Column naming the person"),
    item_column: str = typer.Option("item_id", help="Column naming the item"),
    social: Path | None = typer.Option(
        None, help="CSV(.gz) with truster_id,trustee_id (truster follows trustee)"
    ),
    model: Path = typer.Option(..., help="Where to write the fitted model"),
    seed: int = typer.Option(0, help="Seed of the internal validation split and the factor model"),
) -> None:
    """Fit the recommender (blend chosen on an internal validation split) and save it."""
    console = Console(stderr=True)
    started = time.perf_counter()
    data = read_interactions(interactions, user_column, item_column)
    graph, users = read_social(social, data.users) if social is not None else (None, data.users)
    from nichely.recommend.model import RecommenderSettings, with_signal_settings

    settings = with_signal_settings(RecommenderSettings(), seed=seed)
    with steps(console) as step:
        recommender = Recommender(settings).fit(
            data.matrix, graph, users=users, items=data.items, on_step=step
        )
    recommender.meta = {"user_column": user_column, "item_column": item_column}
    recommender.save(model)
    chosen = ", ".join(f"{name} {weight:g}" for name, weight in recommender.weights.items())
    typer.echo(
        f"fitted on {data.matrix.nnz} interactions of {len(data.users)} people and {len(data.items)} items"
        + (f", {graph.nnz} trust links" if graph is not None else "")
    )
    typer.echo(f"blend: {chosen}; trust share {recommender.trust_share:g}")
    typer.echo(f"model written to {model} in {time.perf_counter() - started:.1f} s")


@app.command("predict")
def predict_command(
    model: Path = typer.Option(..., help="A model written by `recommend fit`"),
    users: Path = typer.Option(
        ..., help="Person ids, one per line (a header line naming the user column is skipped)"
    ),
    k: int = typer.Option(20, min=1, help="Items per person"),
    out: Path = typer.Option(..., help="TSV written as user<TAB>rank<TAB>item"),
) -> None:
    """Recommend k items per person, leaving out items they already have; strangers get the fallback."""
    recommender = Recommender.load(model)
    if recommender.users is None or recommender.items is None:
        raise InvalidInput(f"{model.name} carries no id maps; fit it with `nichely recommend fit`")
    wanted = read_id_list(users, header=recommender.meta.get("user_column"))
    lookup = recommender.users.index
    indices = np.asarray([lookup.get(user, -1) for user in wanted], dtype=np.int64)
    result = recommender.recommend(indices, k)
    item_ids = recommender.items.ids
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        for user, items, scores in zip(wanted, result.items, result.scores, strict=True):
            ranked = items[np.isfinite(scores)]
            for rank, item in enumerate(ranked, start=1):
                writer.writerow([user, rank, item_ids[item]])
    unknown = int((indices < 0).sum())
    typer.echo(
        f"{len(wanted)} people ({unknown} unknown to the model, given the fallback); recommendations in {out}"
    )
