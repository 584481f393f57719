"""`nichely trust ...`: fit a text detector on a labelled CSV, then score other notes with it.

Which rows are positive is said in one of two ways (the same options as `nichely bench trust`):

* one file with a label column: ``--data FILE --label-column deceptive --positive deceptive``
  (every other label is the negative class), optionally ``--filter column=value`` (repeatable);
* one file per class: ``--positive-data FILE --negative-data FILE --positive machine
  --negative human``, each with its own ``--positive-filter`` / ``--negative-filter``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from nichely.errors import InvalidInput, NichelyError
from nichely.trust.dataset import LabelledTexts, RowFilter, Source, load_labelled, read_texts

if TYPE_CHECKING:
    from nichely.trust.bench import BenchResult

# The trust models (scikit-learn) are imported inside the commands, so `nichely --help` stays fast.

app = typer.Typer(no_args_is_help=True)
console = Console(stderr=True)

DataOpt = typer.Option(None, "--data", help="CSV with texts and a label column")
LabelColumnOpt = typer.Option(None, "--label-column", help="Column holding each row's label (with --data)")
FilterOpt = typer.Option([], "--filter", help="Keep only rows where column=value (with --data; repeatable)")
PositiveOpt = typer.Option(..., "--positive", help="The label to detect, e.g. deceptive or machine")
NegativeOpt = typer.Option(None, "--negative", help="Name of the other class (default: the other label)")
PositiveDataOpt = typer.Option(None, "--positive-data", help="CSV whose rows are all positive")
NegativeDataOpt = typer.Option(None, "--negative-data", help="CSV whose rows are all negative")
PositiveFilterOpt = typer.Option([], "--positive-filter", help="column=value filter on --positive-data rows")
NegativeFilterOpt = typer.Option([], "--negative-filter", help="column=value filter on --negative-data rows")
TextColumnOpt = typer.Option("text", "--text-column", help="Column holding the note text")


def _warn_skipped(labelled: LabelledTexts) -> None:
    for note in labelled.skipped:
        typer.secho(f"warning: {note}", fg="yellow", err=True)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn a domain error into a one-line message and exit status 1."""
    try:
        yield
    except NichelyError as exc:
        typer.secho(f"error: {exc.detail}", fg="red", err=True)
        raise typer.Exit(1) from None


def load_training_data(
    *,
    data: Path | None,
    label_column: str | None,
    filters: list[str],
    positive: str,
    negative: str | None,
    positive_data: Path | None,
    negative_data: Path | None,
    positive_filters: list[str],
    negative_filters: list[str],
    text_column: str,
    group_column: str | None = None,
) -> LabelledTexts:
    """Build the sources from either the one-file or the two-file options and read them."""
    two_files = positive_data is not None or negative_data is not None
    if data is not None and two_files:
        raise InvalidInput("give either --data or --positive-data/--negative-data, not both")
    if two_files:
        if positive_data is None or negative_data is None:
            raise InvalidInput("--positive-data and --negative-data go together")
        if filters or label_column:
            raise InvalidInput(
                "--filter and --label-column apply to --data; use --positive-filter/--negative-filter"
            )
        negative = negative or f"not {positive}"
        if negative == positive:
            raise InvalidInput("--positive and --negative must differ")
        sources = [
            Source(negative_data, tuple(map(RowFilter.parse, negative_filters)), label=negative),
            Source(positive_data, tuple(map(RowFilter.parse, positive_filters)), label=positive),
        ]
    else:
        if data is None:
            raise InvalidInput(
                "give --data FILE (with --label-column) or --positive-data and --negative-data"
            )
        if not label_column:
            raise InvalidInput("--data needs --label-column")
        if positive_filters or negative_filters:
            raise InvalidInput("--positive-filter/--negative-filter apply to --positive-data/--negative-data")
        sources = [Source(data, tuple(map(RowFilter.parse, filters)))]
    return load_labelled(
        sources,
        text_column=text_column,
        positive=positive,
        negative=negative,
        label_column=label_column,
        group_column=group_column,
    )


@app.command("fit")
def fit_command(
    model: Path = typer.Option(..., "--model", help="Where to write the fitted detector"),
    data: Path | None = DataOpt,
    label_column: str | None = LabelColumnOpt,
    filters: list[str] = FilterOpt,
    positive: str = PositiveOpt,
    negative: str | None = NegativeOpt,
    positive_data: Path | None = PositiveDataOpt,
    negative_data: Path | None = NegativeDataOpt,
    positive_filters: list[str] = PositiveFilterOpt,
    negative_filters: list[str] = NegativeFilterOpt,
    text_column: str = TextColumnOpt,
) -> None:
    """Fit a detector of the --positive label and save it to --model."""
    from nichely.trust.detectors import TextDetector

    with reported_errors():
        labelled = load_training_data(
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
        )
        _warn_skipped(labelled)
        detector = TextDetector(positive)
        with console.status("fitting") as status:
            detector.fit(labelled.texts, labelled.labels, progress=lambda msg: status.update(msg))
        detector.trained_on["sources"] = labelled.sources
        detector.save(model)
    counts = ", ".join(f"{n} {label}" for label, n in detector.trained_on["label_counts"].items())
    languages = ", ".join(detector.languages) or "none"
    typer.echo(
        f"fitted a {positive!r} detector on {len(labelled)} texts ({counts}; languages: {languages}) "
        f"in {detector.trained_on['fit_seconds']:.1f}s -> {model}"
    )


@app.command("predict")
def predict_command(
    model: Path = typer.Option(..., "--model", help="A detector written by `nichely trust fit`"),
    data: Path = typer.Option(..., "--data", help="CSV with the notes to score"),
    out: Path = typer.Option(..., "--out", help="CSV to write: row, probability, label, language, ..."),
    text_column: str = TextColumnOpt,
    reasons: int = typer.Option(3, "--reasons", min=0, help="How many reasons to give per row"),
) -> None:
    """Score every row of --data; row numbers count data rows from 1 (the header is not a row).

    Empty texts are written with a blank probability and the reason "empty text: not scored".
    """
    from nichely.trust.detectors import TextDetector

    with reported_errors():
        detector = TextDetector.load(model)
        texts = read_texts(data, text_column)
        scored = [i for i, text in enumerate(texts) if text]
        with console.status(f"scoring {len(scored)} notes"):
            verdicts = detector.assess([texts[i] for i in scored], reasons=reasons)
        by_row = dict(zip(scored, verdicts, strict=True))
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "probability", "label", "language", "language_supported", "reasons"])
            for i in range(len(texts)):
                v = by_row.get(i)
                if v is None:
                    writer.writerow([i + 1, "", "", "", "", "empty text: not scored"])
                    continue
                writer.writerow(
                    [
                        i + 1,
                        f"{v.probability:.6f}",
                        v.label,
                        v.language,
                        v.language_supported,
                        "; ".join(v.reasons),
                    ]
                )
    flagged = sum(v.label == detector.positive for v in verdicts)
    unsupported = sum(not v.language_supported for v in verdicts)
    note = f"; {unsupported} in a language the model was not trained on" if unsupported else ""
    if len(verdicts) < len(texts):
        note += f"; {len(texts) - len(verdicts)} empty rows not scored"
    typer.echo(f"{flagged} of {len(verdicts)} notes look {detector.positive}{note} -> {out}")


def trust_bench(*, folds: int, **data_options: Any) -> tuple[LabelledTexts, BenchResult]:
    """Read the data as `trust fit` does and cross-validate with a progress bar (`nichely bench trust`)."""
    from nichely.trust.bench import run_bench

    with reported_errors():
        labelled = load_training_data(**data_options)
        _warn_skipped(labelled)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("cross-validating", total=None)
            result = run_bench(
                labelled,
                folds=folds,
                on_fold=lambda done, total: progress.update(task, completed=done, total=total),
            )
    return labelled, result


def show_bench(outcome: tuple[LabelledTexts, BenchResult]) -> None:
    """Print the bench figures of ours and the baseline as a table."""
    labelled, result = outcome
    n_pos = sum(label == labelled.positive for label in labelled.labels)
    out = Console()
    out.print(
        f"{result.rows} texts ({n_pos} {labelled.positive}, {result.rows - n_pos} {labelled.negative}); "
        f"{result.splitter}"
    )
    table = Table("model", "accuracy", "F1", "ROC AUC", "fit s/fold")
    rows = [
        ("nichely TextDetector", result.ours),
        ("baseline: word 1-2 TF-IDF + linear SVM", result.baseline),
    ]
    for name, s in rows:
        table.add_row(name, f"{s.accuracy:.4f}", f"{s.f1:.4f}", f"{s.roc_auc:.4f}", f"{s.fit_seconds:.1f}")
    out.print(table)
