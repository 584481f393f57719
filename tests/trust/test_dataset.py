"""Reading labelled CSVs: one labelled file, or one file per class, with row filters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nichely.errors import InvalidInput
from nichely.trust.dataset import RowFilter, Source, load_labelled, read_texts


def test_filter_parse() -> None:
    assert RowFilter.parse("deceptive=truthful") == RowFilter("deceptive", "truthful")
    with pytest.raises(InvalidInput, match="column=value"):
        RowFilter.parse("=x")


def test_one_file_labels_and_groups(labelled_csv: Callable[..., Path]) -> None:
    data = load_labelled(
        [Source(labelled_csv(10))], text_column="text", label_column="deceptive", positive="deceptive",
        group_column="hotel",
    )  # fmt: skip
    assert len(data) == 10
    assert data.negative == "truthful"
    assert data.labels.count("deceptive") == 5
    assert data.groups is not None
    assert "\n" in data.texts[1]  # quoted line breaks survive the CSV round trip


def test_two_files_with_fixed_labels_and_a_filter(
    labelled_csv: Callable[..., Path], write_csv: Callable[..., Path]
) -> None:
    human = labelled_csv(10)
    machine = write_csv("m.csv", [{"text": "generated one"}, {"text": "generated two"}])
    data = load_labelled(
        [Source(human, (RowFilter("deceptive", "truthful"),), label="human"), Source(machine, label="machine")],
        text_column="text", positive="machine",
    )  # fmt: skip
    assert data.labels == ["human"] * 5 + ["machine"] * 2
    assert data.negative == "human"


def test_a_filter_that_keeps_nothing_is_an_error(labelled_csv: Callable[..., Path]) -> None:
    with pytest.raises(InvalidInput, match="no rows matching deceptive=maybe"):
        load_labelled(
            [Source(labelled_csv(10), (RowFilter("deceptive", "maybe"),))], text_column="text",
            label_column="deceptive", positive="deceptive",
        )  # fmt: skip


def test_empty_texts_are_skipped_and_reported_by_row(write_csv: Callable[..., Path]) -> None:
    # given a labelled file where one text is empty
    path = write_csv("p.csv", [{"y": "a", "text": "fine"}, {"y": "b", "text": " "}, {"y": "b", "text": "ok"}])
    # when it is read for training
    data = load_labelled([Source(path)], text_column="text", label_column="y", positive="a")
    # then the empty row is left out, and said so with its row number
    assert data.texts == ["fine", "ok"]
    assert data.labels == ["a", "b"]
    assert data.skipped == ["skipped 1 rows of p.csv with an empty 'text' (row 2)"]
    # and for scoring, empty texts keep their place
    assert read_texts(path, "text") == ["fine", "", "ok"]


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        read_texts(tmp_path / "nope.csv", "text")
