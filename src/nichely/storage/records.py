"""Reading and writing flat record files (CSV or JSON Lines), streamed, with line numbers.

Importers read `(line_number, record)` pairs so every error can name the line of the file it
came from; exports write JSON Lines that the importers read back.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from nichely.errors import InvalidInput

Record = dict[str, Any]


def _csv_records(path: Path) -> Iterator[tuple[int, Record]]:
    # Product descriptions can be long; the default 128 KiB field limit is too small for some feeds.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            return
        reader.fieldnames = [name.strip() for name in reader.fieldnames]
        try:
            for row in reader:
                if None in row:
                    raise InvalidInput(f"line {reader.line_num}: more values than columns in the header")
                yield reader.line_num, {k: v for k, v in row.items() if v is not None}
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"line {reader.line_num + 1}: the file is not UTF-8 ({exc.reason})") from None
        except csv.Error as exc:
            raise InvalidInput(f"line {reader.line_num}: {exc}") from None


def _jsonl_records(path: Path) -> Iterator[tuple[int, Record]]:
    with path.open(encoding="utf-8-sig") as handle:
        line_number = 0
        try:
            for line_number, line in enumerate(handle, start=1):  # noqa: B007 - read in the except
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidInput(f"line {line_number}: not valid JSON ({exc.msg})") from None
                if not isinstance(record, dict):
                    raise InvalidInput(f"line {line_number}: each line must be a JSON object")
                yield line_number, record
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"line {line_number + 1}: the file is not UTF-8 ({exc.reason})") from None


READERS: dict[str, Callable[[Path], Iterator[tuple[int, Record]]]] = {
    ".csv": _csv_records,
    ".jsonl": _jsonl_records,
    ".ndjson": _jsonl_records,
}


def read_records(path: Path) -> Iterator[tuple[int, Record]]:
    """(line number, record) pairs from a CSV or JSON Lines file, chosen by its extension."""
    try:
        reader = READERS[path.suffix.lower()]
    except KeyError:
        raise InvalidInput(f"unknown file type {path.suffix!r}; choose from {sorted(READERS)}") from None
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    return reader(path)


def count_lines(path: Path) -> int:
    """Physical lines in a file (a quick upper bound on its records, for progress bars)."""
    lines = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
    return lines


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_jsonl(path: Path, records: Iterable[Record]) -> int:
    """Write records as JSON Lines (UTF-8, one object a line); returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, default=_default))
            handle.write("\n")
            count += 1
    return count


def json_field(value: Any, field: str, line: int) -> Any:
    """A column that holds JSON in a CSV (a string) or is already structured in JSON Lines."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"line {line}: {field} is not valid JSON ({exc.msg})", field=field) from None
