"""The batch workflow (analyser/workflow.py): a run's counts agree with its stored run items."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from analyser import __version__
from analyser.batch import BatchOptions
from analyser.inputs import RecordInput
from analyser.store import Store
from analyser.workflow import score_batch

BODY = ("Care plan for Amira, age 9. Date: 01/03/2025.\n\nYour social worker Jo will visit you every "
        "four weeks. Jo will book your dentist appointment by 30 April 2025. Your carer Sam will take you.\n")


def _records(n: int) -> list[RecordInput]:
    return [RecordInput(id=f"r{i}", text=BODY.replace("Amira", f"Amira{chr(65 + i)}"), fields={}, source=f"r{i}.txt")
            for i in range(n)]


def _run(store: Store, records: list[RecordInput]):  # type: ignore[no-untyped-def]
    # known=frozenset(): what a run sees when it read the store before a concurrent run wrote the same records.
    options = BatchOptions(known=frozenset())
    rubric = "test-rubric"
    return score_batch(store, records, options, rubric_version=rubric, model_version="m",
                       caseqa_version=__version__, params={})


def _items(store: Store, run_id: int) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT outcome, COUNT(*) FROM run_items WHERE run_id = :r GROUP BY outcome"),
                            {"r": run_id}).all()
    return {outcome: n for outcome, n in rows}


def test_a_run_that_finds_its_records_stored_by_another_run_counts_them_as_already_stored(tmp_path: Path) -> None:
    records = _records(5)
    with Store(str(tmp_path / "s.db")) as store:
        first = _run(store, records[:2])  # the other run got to two of the five first
        assert (first.scored, first.skipped) == (2, 0)
        second = _run(store, records)  # analysed all five, but two were stored meanwhile
        assert (second.scored, second.skipped, second.failed) == (3, 2, 0)
        assert _items(store, second.run_id) == {"scored": 3, "skipped": 2}
        run = store.get_run(second.run_id)
        assert run is not None and (run.scored, run.skipped) == (3, 2)
