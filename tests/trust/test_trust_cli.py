"""`nichely trust fit/predict` and `nichely bench trust` through the CLI, with clear errors."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from nichely.cli import app
from nichely.trust.detectors import TextDetector
from tests.trust.conftest import make_corpus

runner = CliRunner()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _fit_args(data: Path, model: Path) -> list[str]:
    return ["trust", "fit", "--data", str(data), "--text-column", "text", "--label-column", "deceptive",
            "--positive", "deceptive", "--model", str(model)]  # fmt: skip


def test_fit_then_predict_writes_rows_probabilities_and_labels(
    labelled_csv: Callable[..., Path], write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    # given a labelled training file and unseen notes, one in Chinese
    train = labelled_csv(80, seed=0)
    texts, labels, _ = make_corpus(10, seed=7)
    notes = write_csv("new.csv", [{"id": str(i), "text": t} for i, t in enumerate(texts)] + [
        {"id": "zh", "text": "房间很干净，早餐很好吃。"}
    ])  # fmt: skip
    model = tmp_path / "deceptive.model"
    # when fitting then predicting through the CLI
    fit = runner.invoke(app, _fit_args(train, model))
    out = tmp_path / "preds.csv"
    predict = runner.invoke(
        app,
        [
            "trust",
            "predict",
            "--model",
            str(model),
            "--data",
            str(notes),
            "--text-column",
            "text",
            "--out",
            str(out),
        ],
    )
    # then the model records its labels and every row is scored, the Chinese one flagged
    assert fit.exit_code == 0, fit.output
    assert "fitted a 'deceptive' detector on 80 texts" in fit.output
    assert TextDetector.load(model).labels == ("truthful", "deceptive")
    assert predict.exit_code == 0, predict.output
    rows = _read(out)
    assert [r["row"] for r in rows] == [str(i) for i in range(1, 12)]
    assert [r["label"] for r in rows[:10]] == labels
    assert all(0.0 <= float(r["probability"]) <= 1.0 for r in rows)
    assert rows[-1]["language_supported"] == "False"
    assert "this note is zh" in rows[-1]["reasons"]
    assert "1 in a language the model was not trained on" in predict.output


def test_missing_column_is_a_clear_error(labelled_csv: Callable[..., Path], tmp_path: Path) -> None:
    train = labelled_csv(20)
    result = runner.invoke(app, [*_fit_args(train, tmp_path / "m.model"), "--text-column", "body"])
    assert result.exit_code == 1
    assert "error: notes.csv has no column 'body'" in result.output
    assert not (tmp_path / "m.model").exists()


def test_empty_text_column_is_a_clear_error(write_csv: Callable[..., Path], tmp_path: Path) -> None:
    data = write_csv(
        "empty.csv", [{"deceptive": "deceptive", "text": ""}, {"deceptive": "truthful", "text": " "}]
    )
    result = runner.invoke(app, _fit_args(data, tmp_path / "m.model"))
    assert result.exit_code == 1
    assert "error: column 'text' of empty.csv is empty" in result.output


def test_empty_rows_are_skipped_with_a_warning_and_not_scored(
    labelled_csv: Callable[..., Path], write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    # given training data with an empty text, and notes to score with an empty one
    texts, labels, _ = make_corpus(40, seed=8)
    rows = [{"deceptive": y, "text": t} for t, y in zip(texts, labels, strict=True)]
    train = write_csv("gaps.csv", [*rows, {"deceptive": "truthful", "text": ""}])
    notes = write_csv("score.csv", [{"text": texts[0]}, {"text": ""}])
    model, out = tmp_path / "m.model", tmp_path / "o.csv"
    # when fitting and predicting
    fit = runner.invoke(app, _fit_args(train, model))
    predict = runner.invoke(
        app, ["trust", "predict", "--model", str(model), "--data", str(notes), "--out", str(out)]
    )
    # then the empty training row is reported, and the empty note is kept but not scored
    assert fit.exit_code == 0, fit.output
    assert "warning: skipped 1 rows of gaps.csv with an empty 'text' (row 41)" in fit.output
    assert "on 40 texts" in fit.output
    assert predict.exit_code == 0, predict.output
    scored, empty = _read(out)
    assert scored["label"] == labels[0]
    assert (empty["row"], empty["probability"], empty["reasons"]) == ("2", "", "empty text: not scored")


def test_predict_refuses_a_model_file_that_is_not_ours(
    labelled_csv: Callable[..., Path], tmp_path: Path
) -> None:
    bogus = tmp_path / "bogus.model"
    bogus.write_bytes(b"\x80\x04not a model")
    result = runner.invoke(
        app,
        [
            "trust",
            "predict",
            "--model",
            str(bogus),
            "--data",
            str(labelled_csv(10)),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "bogus.model is not a Nichely trust detector file" in result.output


def test_unknown_positive_label_and_bad_filter_are_errors(
    labelled_csv: Callable[..., Path], tmp_path: Path
) -> None:
    train = labelled_csv(20)
    wrong = runner.invoke(app, [*_fit_args(train, tmp_path / "m.model"), "--positive", "fake"])
    assert wrong.exit_code == 1
    assert "no row is labelled 'fake'; labels seen: deceptive, truthful" in wrong.output
    bad = runner.invoke(app, [*_fit_args(train, tmp_path / "m.model"), "--filter", "hotel"])
    assert bad.exit_code == 1
    assert "not of the form column=value" in bad.output


def test_two_file_fit_with_a_filter_records_the_fixed_labels(
    labelled_csv: Callable[..., Path], write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    # given human notes (the truthful rows of a labelled file) and a file of machine notes
    human = labelled_csv(80, seed=3)
    machine_texts, _, _ = make_corpus(80, seed=4)
    machine = write_csv("machine.csv", [{"generator": "g", "text": t} for t in machine_texts[::2]])
    model = tmp_path / "machine.model"
    # when fitting a machine-written detector from the two files
    result = runner.invoke(
        app,
        ["trust", "fit", "--negative-data", str(human), "--negative-filter", "deceptive=truthful",
         "--positive-data", str(machine), "--positive", "machine", "--negative", "human", "--model", str(model)],
    )  # fmt: skip
    # then only the filtered rows are the human class and the file says what it detects
    assert result.exit_code == 0, result.output
    detector = TextDetector.load(model)
    assert detector.labels == ("human", "machine")
    assert detector.trained_on["label_counts"] == {"human": 40, "machine": 40}


def test_two_file_options_must_come_together(labelled_csv: Callable[..., Path], tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "trust",
            "fit",
            "--positive-data",
            str(labelled_csv(10)),
            "--positive",
            "x",
            "--model",
            str(tmp_path / "m"),
        ],
    )
    assert result.exit_code == 1
    assert "--positive-data and --negative-data go together" in result.output


def test_bench_trust_prints_ours_beside_the_baseline(labelled_csv: Callable[..., Path]) -> None:
    data = labelled_csv(96, seed=2)
    result = runner.invoke(
        app,
        ["bench", "trust", "--data", str(data), "--text-column", "text", "--label-column", "deceptive",
         "--positive", "deceptive", "--group-column", "hotel", "--folds", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "96 texts (48 deceptive, 48 truthful); group 3-fold (6 groups)" in result.output
    assert "nichely TextDetector" in result.output
    assert "baseline" in result.output


def test_bench_trust_missing_group_column_is_an_error(labelled_csv: Callable[..., Path]) -> None:
    result = runner.invoke(
        app,
        ["bench", "trust", "--data", str(labelled_csv(20)), "--label-column", "deceptive", "--positive", "deceptive",
         "--group-column", "city"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "has no column 'city'" in result.output
