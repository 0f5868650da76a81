"""One bad input never stops a batch, and nothing is lost silently (issue 13, items 11-13).

Each hostile row or file becomes that record's failure with a clear reason (no traceback, no record text),
on SQLite and PostgreSQL alike; every CSV row is scored or reported.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_batch import record_text, run_cli

from analyser.store import Store


def score(tmp_path: Path, db: str, *paths: Path, extra: tuple[str, ...] = ()):
    out = tmp_path / "out.jsonl"
    r = run_cli("score", *map(str, paths), "--db", db, "--out", str(out), "--workers", "1", *extra)
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    with Store(db) as s:
        failures = {(f.record_id, f.source): f.reason for f in s.run_failures(s.list_runs()[0].id)}
    return r, ids, failures


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_jsonl_line_nested_200k_deep_is_that_lines_failure(tmp_path):
    export = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": record_text(1)},
        '{"id": "b", "text": ' + "[" * 200_000 + "]" * 200_000 + "}",
        {"id": "c", "text": record_text(2)},
    ])
    r, ids, failures = score(tmp_path, str(tmp_path / "c.db"), export)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output and "RecursionError" not in r.output
    assert sorted(ids) == ["a", "c"]
    [(where, reason)] = [(src, why) for (_, src), why in failures.items()]
    assert where.endswith("in.jsonl:2") and "nested too deeply" in reason


def test_a_child_age_of_5000_digits_is_that_records_failure(tmp_path):
    export = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": record_text(1)},
        {"id": "b", "text": record_text(2), "child_age": "9" * 5000},
        {"id": "c", "text": record_text(3), "child_age": "9" * 4000},
        {"id": "d", "text": record_text(4), "child_age": "12"},
    ])
    r, ids, failures = score(tmp_path, str(tmp_path / "c.db"), export)
    assert r.exit_code == 1, r.output
    assert sorted(ids) == ["a", "d"]
    reasons = {rid: why for (rid, _), why in failures.items()}
    assert set(reasons) == {"b", "c"}
    assert "not an age" in reasons["b"] and "999" not in reasons["b"] and "999" not in r.output


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    return str(tmp_path / "c.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_nul_in_a_field_the_text_or_the_id_is_that_records_failure(tmp_path, db_url):
    secret = "Amira Khan lives with her nan"
    export = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": record_text(1)},
        {"id": "b", "text": record_text(2), "worker": "Jo\x00 Smith"},
        {"id": "c", "text": record_text(3) + secret + "\x00"},
        {"id": "d\x00", "text": record_text(4)},
        {"id": "e", "text": record_text(5), "child_name": "Amira\x00"},
        {"id": "f", "text": record_text(6)},
    ])
    r, ids, failures = score(tmp_path, db_url, export)
    assert r.exit_code == 1, r.output
    assert sorted(ids) == ["a", "f"]
    reasons = {rid: why for (rid, _), why in failures.items()}
    assert set(reasons) == {"b", "c", "d", "e"}
    assert all("NUL" in why for why in reasons.values())
    assert "'worker' field" in reasons["b"] and "text" in reasons["c"]
    assert "Traceback" not in r.output and secret not in r.output and "INSERT" not in r.output


def test_a_record_the_store_refuses_fails_alone_without_sql_or_text(tmp_path, monkeypatch):
    """Whatever the database refuses (here a simulated DataError on one record), the rest are stored and
    the reason names neither the statement nor its parameters."""
    from sqlalchemy.exc import DataError

    from analyser.store import bulk

    real = bulk.save_chunk

    def refusing(s, run_id, items):
        if any(it.rid == "b" for it in items):
            raise DataError("INSERT INTO records ... Amira Khan", {"text": "Amira Khan"}, Exception("bad"))
        return real(s, run_id, items)

    monkeypatch.setattr("analyser.store.save_chunk", refusing)
    export = write_jsonl(tmp_path / "in.jsonl", [{"id": k, "text": record_text(i)} for i, k in enumerate("abc")])
    r, ids, failures = score(tmp_path, str(tmp_path / "c.db"), export)
    assert r.exit_code == 1, r.output
    assert sorted(ids) == ["a", "c"]
    [(rid, reason)] = [(rid, why) for (rid, _), why in failures.items()]
    assert rid == "b" and reason.startswith("could not be stored")
    assert "Amira Khan" not in r.output and "INSERT" not in r.output
    with Store(str(tmp_path / "c.db")) as s:
        run = s.list_runs()[0]
        assert (run.scored, run.failed) == (2, 1)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["id", "text"], *rows])
    return path


def test_a_csv_field_of_51_mb_fails_that_row_and_the_next_row_is_scored(tmp_path):
    export = write_csv(tmp_path / "in.csv", [["a", record_text(1)], ["big", "word " * (51 * 1024 * 1024 // 5)],
                                             ["c", record_text(3)], ["d", record_text(4)]])
    r, ids, failures = score(tmp_path, str(tmp_path / "c.db"), export)
    assert sorted(ids) == ["a", "c", "d"]
    assert [rid for rid, _ in failures] == ["big"] and "too large" in next(iter(failures.values()))


def test_an_unterminated_quote_never_merges_rows_silently(tmp_path):
    export = tmp_path / "in.csv"
    export.write_text("id,text\n" f'a,"{record_text(1)}"\n' 'b,"Amira said hello\n' f'c,"{record_text(3)}"\n'
                      f'd,"{record_text(4)}"\n', encoding="utf-8")
    r, ids, failures = score(tmp_path, str(tmp_path / "c.db"), export)
    assert r.exit_code == 1
    # Never one merged record, never pieces of a record scored as records.
    assert ids == ["a"]
    # Every row is scored or reported: the rest of the file, from the broken row, is one failure naming its lines.
    first = 2 + record_text(1).count("\n") + 1
    last = len(export.read_text(encoding="utf-8").splitlines())
    [(src, why)] = [(src, why) for (_, src), why in failures.items()]
    assert src.endswith(f"in.csv:{first}") and f"lines {first}-{last}" in why and "quote" in why
    assert "Amira said" not in r.output


def test_an_unclosed_quote_at_the_end_of_a_csv_is_reported_with_its_lines(tmp_path):
    export = tmp_path / "in.csv"
    export.write_text("id,text\n" f'a,"{record_text(1)}"\n' 'b,"Amira said hello\nand more\n', encoding="utf-8")
    r, ids, failures = score(tmp_path, str(tmp_path / "c.db"), export)
    assert ids == ["a"] and r.exit_code == 1
    [(src, why)] = [(src, why) for (_, src), why in failures.items()]
    first = 2 + record_text(1).count("\n") + 1
    assert src.endswith(f"in.csv:{first}") and "never closed" in why and f"lines {first}-{first + 1}" in why


def test_files_sharing_a_name_get_ids_from_their_paths_and_the_collision_is_reported(tmp_path):
    from test_ingest import make_pdf

    folder = tmp_path / "in"
    for rel, i in (("a/review.txt", 1), ("b/review.txt", 2), ("good.txt", 3), ("only.txt", 5)):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(record_text(i), encoding="utf-8")
    (folder / "good.pdf").write_bytes(make_pdf(record_text(4).splitlines()))
    r, ids, failures = score(tmp_path, str(tmp_path / "c.db"), folder)
    assert r.exit_code == 0, r.output
    assert sorted(ids) == ["a/review", "b/review", "good.pdf", "good.txt", "only"]
    with Store(str(tmp_path / "c.db")) as s:
        assert all(len(s.record_versions(rid)) == 1 for rid in ids)  # none became another's version
    assert "named 'review'" in r.output and "a/review, b/review" in r.output
    assert "named 'good'" in r.output
