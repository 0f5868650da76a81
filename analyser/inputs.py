"""Batch inputs: files, folders (recursive), globs, and CSV/JSONL exports, as a stream of records.

Each item is either a :class:`RecordInput` ready to analyse or a :class:`InputFailure` that names the
file (and row) and why it could not be read. One broken input never stops the rest.
"""

from __future__ import annotations

import csv
import glob
import json
import math
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from analyser.ingest import SUPPORTED_SUFFIXES

EXPORT_SUFFIXES = (".csv", ".jsonl")
# Fields a record may carry besides its text, and their default column names.
RECORD_FIELDS = ("id", "text", "child_id", "doc_type", "date", "worker", "team", "supervisor", "child_name", "child_age", "next_review")
# Large enough that a field over the batch's size limit (25 MB by default) is read whole and then failed
# as too large, so the rows after it are read as they are; a bigger one is an unreadable stretch of lines.
CSV_FIELD_LIMIT = 200 * 1024 * 1024
csv.field_size_limit(CSV_FIELD_LIMIT)


@dataclass
class RecordInput:
    """One record to score: a file on disk, or a row of an export carrying its text."""

    id: str
    source: str
    path: Path | None = None
    text: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class InputFailure:
    source: str
    reason: str
    id: str | None = None


def parse_mapping(spec: str | None) -> dict[str, str]:
    """'text=Body,id=RecordID' -> {'text': 'Body', 'id': 'RecordID'}; unknown fields are an error."""
    mapping = {f: f for f in RECORD_FIELDS}
    if not spec:
        return mapping
    for part in spec.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"--map entry '{part}' should look like field=Column")
        key, column = (p.strip() for p in part.split("=", 1))
        if key not in RECORD_FIELDS:
            raise ValueError(f"--map field '{key}' is not one of {', '.join(RECORD_FIELDS)}")
        mapping[key] = column
    return mapping


def cell_text(value: object) -> str | None:
    """An export cell as record text: None for empty or missing; dates as ISO; whole floats as integers.

    Typed sources (Parquet, Spark, pandas) give ints as floats when a column has gaps (12 -> 12.0) and
    dates as date objects; written as text they must read the same as in a CSV, or the meta is lost.
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        if value != value:  # pandas' NaT, which is a datetime that equals nothing
            return None
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if text != "" else None


def record_from_row(row: Mapping[str, object], mapping: dict[str, str], source: str) -> RecordInput | InputFailure:
    """One export row (CSV, JSONL, a Spark or pandas row) as a record, or the reason it cannot be one."""
    text = cell_text(row.get(mapping["text"]))
    rid = cell_text(row.get(mapping["id"]))
    if text is None or not text.strip():
        return InputFailure(source, f"no text in column '{mapping['text']}'", rid)
    if rid is None or not rid.strip():
        return InputFailure(source, f"no id in column '{mapping['id']}'")
    fields = {k: v for k, c in mapping.items() if k not in ("id", "text") and (v := cell_text(row.get(c))) is not None}
    return RecordInput(id=rid, source=source, text=text, fields=fields)


def expand_paths(paths: list[str]) -> tuple[list[Path], list[InputFailure]]:
    """Files from paths, folders (recursive) and globs, in a stable order."""
    files, _, failures = _expand(paths)
    return files, failures


def _expand(paths: list[str]) -> tuple[list[Path], dict[Path, Path], list[InputFailure]]:
    """Files, the input root each was found under (the folder given, a glob's fixed part, or a file's
    own folder), and the paths that gave nothing."""
    files: list[Path] = []
    roots: dict[Path, Path] = {}
    failures: list[InputFailure] = []
    for raw in paths:
        magic = glob.has_magic(raw)
        matches = sorted(glob.glob(raw, recursive=True)) if magic else [raw]
        if not matches:
            failures.append(InputFailure(raw, "no file matches this pattern"))
        glob_root = Path(*[part for part in Path(raw).parts[: next(
            (i for i, part in enumerate(Path(raw).parts) if glob.has_magic(part)), len(Path(raw).parts))]] or ["."])
        for m in matches:
            p = Path(m)
            if p.is_dir():
                for root, dirs, names in os.walk(p):
                    dirs.sort()
                    for name in sorted(names):
                        child = Path(root) / name
                        if child.suffix.lower() in SUPPORTED_SUFFIXES + EXPORT_SUFFIXES and not name.startswith((".", "~$")):
                            files.append(child)
                            roots.setdefault(child, glob_root if magic else p)
            elif p.exists():
                files.append(p)
                roots.setdefault(p, glob_root if magic else p.parent)
            else:
                failures.append(InputFailure(str(p), "file not found"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, roots, failures


def path_ids(files: list[Path], roots: Mapping[Path, Path]) -> tuple[dict[Path, str], dict[str, list[str]]]:
    """A unique record id for each file, and the names that collided -> the ids their files got.

    A file's id is its name without the suffix (``review`` for ``in/a/review.txt``), as a record's id
    in the case system usually is. Files sharing that name (``a/review.txt`` and ``b/review.txt``, or
    ``good.txt`` and ``good.pdf``) would become versions of one record, so each gets its path from the
    input root instead: ``a/review``, ``b/review``; with the suffix when that is still shared (``good.pdf``).
    """
    def relative(f: Path, suffix: bool) -> str:
        root = roots.get(f, f.parent)
        try:
            rel = f.relative_to(root)
        except ValueError:
            rel = f
        return (rel if suffix else rel.with_suffix("")).as_posix()

    by_stem: dict[str, list[Path]] = {}
    for f in files:
        by_stem.setdefault(f.stem, []).append(f)
    ids: dict[Path, str] = {}
    collisions: dict[str, list[str]] = {}
    for stem, group in by_stem.items():
        if len(group) == 1:
            ids[group[0]] = stem
            continue
        names = [relative(f, False) for f in group]
        if len(set(names)) < len(names):
            names = [relative(f, True) for f in group]
        if len(set(names)) < len(names):  # the same relative path under different roots
            names = [f.as_posix() for f in group]
        ids.update(zip(group, names, strict=True))
        collisions[stem] = names
    return ids, collisions


class MissingColumns(ValueError):
    """An export lacks a column the mapping names: said once for the file, not once a row."""


def missing_columns(columns: list[str], mapping: Mapping[str, str], *, required_only: bool = False) -> str | None:
    """Why these columns cannot be read with this mapping, or None when they can.

    The text and id columns must exist; so must any column named in --map (a renamed field), since a
    misspelt one would otherwise silently drop that field from every record.
    """
    wanted = [mapping["text"], mapping["id"]]
    if not required_only:
        wanted += [c for k, c in mapping.items() if k not in ("text", "id") and c != k]
    absent = [c for c in dict.fromkeys(wanted) if c not in columns]
    if not absent:
        return None
    names = ", ".join(f"'{c}'" for c in absent)
    return (f"no column {names}; the columns are: {', '.join(columns) or '(none)'}"
            " (--map names them, e.g. --map text=Body,id=RecordID)")


def _rows(path: Path, mapping: Mapping[str, str]) -> Iterator[tuple[int, dict | None, str | None]]:
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl_rows(path, mapping)
    else:
        yield from _csv_rows(path, mapping)


def _jsonl_rows(path: Path, mapping: Mapping[str, str]) -> Iterator[tuple[int, dict | None, str | None]]:
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        first = True
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, None, f"line {n} is not valid JSON ({exc.msg})"
                continue
            except RecursionError:  # arrays or objects nested thousands deep: not a record
                yield n, None, f"line {n} is nested too deeply to be a record"
                continue
            if not isinstance(row, dict):
                yield n, None, f"line {n} is not a JSON object"
                continue
            # JSON lines may leave optional keys out: only the text and id keys are checked, on the first line.
            if first and (problem := missing_columns(list(row), mapping, required_only=True)):
                raise MissingColumns(problem)
            first = False
            yield n, row, None


def _csv_rows(path: Path, mapping: Mapping[str, str]) -> Iterator[tuple[int, dict | None, str | None]]:
    """(first line of the row, row, None) for each row; (first line, None, why) for the lines not read.

    The reader is strict: a quote that is never closed, or text after a closing quote, is an error
    instead of silently merging the rows that follow into one field. Where such a quote ends is
    guesswork (record text has newlines and quotes of its own), and reading on from a guess would
    score pieces of a record as records; so the rest of the file, from the row where the problem
    starts, is one failure naming its lines. Fixing the file and scoring it again scores only those.
    """
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        header: list[str] | None = None
        done = 0  # lines read up to the end of the last whole row
        try:
            for row in reader:
                start, done = done + 1, reader.line_num
                if header is None:
                    header = row
                    if problem := missing_columns(header, mapping):
                        raise MissingColumns(problem)
                    continue
                if not row:  # a blank line, as csv.DictReader skips it
                    continue
                yield start, dict(zip(header, row, strict=False)), None
        except csv.Error as exc:
            start = done + 1
            end = reader.line_num + sum(1 for _ in fh)
            if "field limit" in str(exc):
                why = f"a field is larger than {CSV_FIELD_LIMIT // (1024 * 1024)} MB"
            elif "end of data" in str(exc):
                why = f"a quote opened in the row on line {start} is never closed"
            else:
                why = f"not valid CSV from the row on line {start} ({exc}; a quote not closed?)"
            what = f"line {start}" if start == end else f"lines {start}-{end}"
            yield start, None, f"{why}: {what} (the rest of the file) were not read"


def iter_records(
    paths: list[str], mapping: dict[str, str] | None = None,
    on_collision: Callable[[str, list[str]], None] | None = None,
) -> Iterator[RecordInput | InputFailure]:
    """Every record under the given paths, in order; failures are yielded, not raised.

    Files get unique ids (:func:`path_ids`); ``on_collision(name, ids)`` hears of each file name shared
    by several files, and the ids they were given instead.
    """
    mapping = mapping or parse_mapping(None)
    files, roots, failures = _expand(paths)
    yield from failures
    ids, collisions = path_ids([f for f in files if f.suffix.lower() not in EXPORT_SUFFIXES], roots)
    if on_collision is not None:
        for stem, given in collisions.items():
            on_collision(stem, given)
    for path in files:
        if path.suffix.lower() not in EXPORT_SUFFIXES:
            yield RecordInput(id=ids[path], source=str(path), path=path)
            continue
        try:
            for n, row, problem in _rows(path, mapping):
                where = f"{path}:{n}"
                if row is None:
                    yield InputFailure(where, problem or "unreadable row")
                    continue
                yield record_from_row(row, mapping, where)
        except MissingColumns as exc:
            yield InputFailure(str(path), str(exc))
        except (OSError, UnicodeError, csv.Error) as exc:
            yield InputFailure(str(path), f"could not read the export: {exc}")
