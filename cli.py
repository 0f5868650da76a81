"""caseqa command line: one command per user job.

    caseqa check FILE            check one record (a draft) and show what to fix
    caseqa score PATH...         score files, folders and exports into the store; write JSONL/CSV/HTML
    caseqa report --run ID       re-emit a stored run: summary, HTML audit report, JSONL/CSV
    caseqa runs                  list the runs in the store
    caseqa drift --child ID      a child's timeline: drift and delay across their records
    caseqa supervision WORKER    write the audit part of a worker's supervision record; track its actions
    caseqa users add|list|remove|rotate-key service users and their API keys
    caseqa serve                 the web service: draft checker, team dashboard and JSON API
    caseqa db upgrade            create or migrate the results store
    caseqa spark-score INPUT     score a Parquet/CSV/JSONL table on Apache Spark (local or a cluster)
    caseqa corpus generate       write synthetic records with gold labels
    caseqa evaluate --gold DIR   measure accuracy against gold labels
    caseqa train                 train the models from the synthetic train split
    caseqa bench                 measure speed against the naive spaCy build (--scale, --soak, --identity: other measures)

Exit codes: 0 success; 1 some records failed (the rest were scored); 2 bad usage or input.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the CLI imports the analyser lazily, so `caseqa --help` stays fast
    from analyser.store import Store

from console import render_bench, render_calibration, render_evaluation, render_report, render_timeline, styles

def _value_label(self: typer.core.TyperOption, ctx: object) -> str | None:
    """The help's label for an option's value: its metavar, else the value's shape (TEXT, PATH, N).

    Typer labels every parameter with its Python type ("<bool>", "<list[Path]>", "<int range>"): people
    need to know what to type, and a flag takes nothing at all.
    """
    if self.is_flag:
        return None
    if self.metavar is not None:
        return self.metavar
    bare = self.bare_type().removeprefix("list[").removesuffix("]")  # a repeatable option: one value a time
    return {"int": "N", "float": "X", "Path": "PATH"}.get(bare, "TEXT")


typer.core.TyperOption.display_type_rich = _value_label  # type: ignore[method-assign]
# An argument's name column already shows its metavar (FILE, PATH...): no second, Python-typed label;
# and the usage line writes a required argument as FILE (the convention), not {FILE}.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


def _usage_name(self: typer.core.TyperArgument) -> str:
    name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
    return name + ("..." if self.nargs != 1 and not name.endswith("...") else "")


typer.core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]

app = typer.Typer(
    name="caseqa",
    help="Check the quality of children's social-care records: timebound actions, child-directed "
    "language, readability and plan detail.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
corpus_app = typer.Typer(help="Synthetic records with gold labels.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
db_app = typer.Typer(help="The results store's database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
users_app = typer.Typer(help="Users of the web service and their API keys.", no_args_is_help=True)
app.add_typer(users_app, name="users")

out = Console()
err = Console(stderr=True)

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2

DocTypeOpt = Annotated[
    str | None,
    typer.Option("--doc-type", metavar="TYPE", help="care_plan, review_minutes, pathway_plan or other (default: read from the text)."),
]
ChildNameOpt = Annotated[str | None, typer.Option("--child-name", help="The child's first name (default: read from the text).")]
ChildAgeOpt = Annotated[int | None, typer.Option("--child-age", min=0, max=25, help="The child's age in years; sets the target reading age.")]
DateOpt = Annotated[str | None, typer.Option("--date", metavar="DATE", help="The record's date, YYYY-MM-DD or DD/MM/YYYY (default: read from the text).")]
RubricOpt = Annotated[
    Path | None,
    typer.Option("--rubric", envvar="CASEQA_RUBRIC", help="A rubric TOML file to use instead of the shipped one."),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", metavar="text|json", help="Output: 'text' for people, 'json' for machines.")]

GRADE_ORDER = ("outstanding", "good", "requires_improvement", "inadequate")
# Badges that read in light and dark terminals alike (console/styles.py).
_ERROR = f"[{styles.SEVERITY['error']}] error [/]"
_WARN = styles.SEVERITY["warning"]


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"{_ERROR} {message}", highlight=False)
    return typer.Exit(code)


def _meta(doc_type: str | None, child_name: str | None, child_age: int | None, date: str | None, rubric: Path | None) -> dict:
    meta: dict[str, object] = {}
    if doc_type:
        meta["doc_type"] = doc_type
    if child_name:
        meta["child_name"] = child_name
    if child_age is not None:
        meta["child_age"] = child_age
    if date:
        meta["date"] = date
    if rubric:
        meta["rubric"] = rubric
    return meta


@app.command()
def check(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A record: .docx, .pdf, .txt or .md ('-' reads text from standard input).")],
    format: FormatOpt = "text",
    doc_type: DocTypeOpt = None,
    child_name: ChildNameOpt = None,
    child_age: ChildAgeOpt = None,
    date: DateOpt = None,
    rubric: RubricOpt = None,
    accurate: Annotated[bool, typer.Option("--accurate", help="Run the full spaCy pipeline everywhere (slower).")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="List every finding (default: the 10 most important groups).")] = False,
    annotate: Annotated[Path | None, typer.Option("--annotate", help="Write a copy of the Word file with each finding as a comment on its words (the record must be a .docx).")] = None,
    suggest: Annotated[bool, typer.Option("--suggest", help="With --annotate: also write preferred words as tracked changes to accept or reject.")] = False,
    max_words: Annotated[int, typer.Option("--max-words", min=1, help="Refuse a record with more words than this (the service's limit).")] = 200_000,
) -> None:
    """Check one record and show what to fix, pointing at the words: most important findings first, repeats grouped."""
    from analyser import analyse_document
    from analyser.ingest import IngestError, check_words, from_text, load_file
    from analyser.rubric import RubricError
    from analyser.word_comments import is_docx_name, not_docx_message

    if format not in ("text", "json"):
        raise _fail(f"--format must be 'text' or 'json', not '{format}'")
    if suggest and annotate is None:
        raise _fail("--suggest needs --annotate OUT.docx")
    if annotate is not None:
        if not is_docx_name(file.name):
            raise _fail(not_docx_message(file.name if str(file) != "-" else None))
        if not is_docx_name(annotate.name):
            raise _fail(f"--annotate {annotate}: the copy with comments must be a .docx file name")
        if annotate.resolve() == file.resolve():
            raise _fail("--annotate must name a new file: the original is never overwritten")
    try:
        if str(file) == "-":
            document = from_text(sys.stdin.read(), source=None)
        else:
            document = load_file(file)
        check_words(document, max_words)
        report = analyse_document(document, accurate=accurate, **_meta(doc_type, child_name, child_age, date, rubric))
    except (IngestError, RubricError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if annotate is not None:
        _write_annotated(file, report, annotate, suggest)
    if format == "json":
        sys.stdout.write(report.to_json(indent=2) + "\n")
    else:
        render_report(report, document.text, out, show_all=show_all)


def _write_annotated(source: Path, report: object, target: Path, suggest: bool) -> int:
    """Write the Word copy with comments; say where on stderr (stdout stays the report). Returns the comments."""
    from analyser.ingest import IngestError
    from analyser.word_comments import AnnotateError, annotate_docx

    try:
        result = annotate_docx(source.read_bytes(), report, source=source.name, suggest=suggest)  # type: ignore[arg-type]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(result.data)
    except (AnnotateError, IngestError, OSError) as exc:
        raise _fail(f"--annotate: {exc}") from None
    extra = f", {result.suggestions} suggested changes" if suggest else ""
    err.print(f"wrote {target} ({result.comments} comments{extra})", highlight=False)
    return result.comments


SCORE_HELP = """Score many records into the results store; write JSONL/CSV and an HTML audit report.

Inputs: files (.docx .pdf .txt .md), folders (recursive), globs, and .csv/.jsonl exports (--map names their columns). Results go to the store (--db, default $CASEQA_DB or ./caseqa.db). Records already stored with the same content and rubric version are skipped, but still written to the outputs, so re-running a batch (or finishing a killed one) is safe and cheap.

\b
Exit codes:
  0  every record was scored (or was already in the store)
  1  some records failed (corrupt, encrypted, empty, too large ...);
     the rest were scored
  2  usage or input error: bad --map, bad --db URL, unreadable rubric,
     no records found
"""


class _RateColumn(ProgressColumn):
    """Records per second, averaged over the last half minute."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} rec/s" if task.speed else "- rec/s")


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _open_store(db: str | None) -> Store:
    from analyser.store import Store, StoreError

    try:
        return Store(db)
    except StoreError as exc:
        raise _fail(str(exc)) from None


def _where(store: object) -> str:
    from sqlalchemy.engine import make_url

    return make_url(store.url).render_as_string(hide_password=True)  # type: ignore[attr-defined]


def _rubric_params(rubric: Path | None) -> dict[str, object]:
    """What reproduces a run's rubric: its path, and its TOML text and hash."""
    import hashlib

    from analyser.rubric import load_rubric

    path = Path(load_rubric(rubric).path)
    data = path.read_bytes()
    return {"rubric": str(rubric) if rubric else None, "rubric_sha256": hashlib.sha256(data).hexdigest(),
            "rubric_toml": data.decode("utf-8")}


@app.command(help=SCORE_HELP)
def score(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Files, folders (recursive), globs, or .csv/.jsonl exports with id and text columns.")],
    out_files: Annotated[list[Path] | None, typer.Option("--out", "-o", help="Write one report per line (.jsonl) or one row per record (.csv); repeat for both.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML audit report (index.html and one page per record) into this folder.")] = None,
    mapping: Annotated[str | None, typer.Option("--map", metavar="FIELD=COLUMN,...", help="The export's column for each field, comma-separated: e.g. text=Body,id=RecordID (also worker, team, child_id, date ...; docs/BATCH.md).")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store: a SQLite file path, sqlite:///FILE or postgresql://... (default ./caseqa.db).")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes (default: the machine's cores).")] = os.cpu_count() or 1,
    store_text: Annotated[bool, typer.Option("--store-text", help="Keep each record's text in the store (off by default: children's data).")] = False,
    max_mb: Annotated[int, typer.Option("--max-mb", min=1, help="Files larger than this many MB fail as too large.")] = 25,
    max_words: Annotated[int, typer.Option("--max-words", min=1, help="Records with more words than this fail as too long (the service's limit).")] = 200_000,
    rubric: RubricOpt = None,
    accurate: Annotated[bool, typer.Option("--accurate", help="Run the full spaCy pipeline everywhere (slower).")] = False,
    annotate: Annotated[Path | None, typer.Option("--annotate", help="Write a copy of each Word (.docx) record, with its findings as comments, into this folder.")] = None,
) -> None:
    from analyser import __version__
    from analyser.batch import BatchOptions
    from analyser.inputs import InputFailure, RecordInput, iter_records, parse_mapping
    from analyser.nlp import models_version
    from analyser.output import ReportWriter
    from analyser.rubric import RubricError, load_rubric
    from analyser.workflow import score_batch

    try:
        column_map = parse_mapping(mapping)
        rubric_version = load_rubric(rubric).version
        rubric_params = _rubric_params(rubric)
        for f in out_files or []:
            if f.suffix.lower() not in (".jsonl", ".csv"):
                raise ValueError(f"--out {f}: use a .jsonl or .csv file name")
    except (ValueError, RubricError, OSError) as exc:
        raise _fail(str(exc)) from None
    # Counted first, then read again as the batch goes: 100,000 records' text is never all in memory.
    n_items = n_records = 0
    input_failures: list[InputFailure] = []

    def collided(name: str, ids: list[str]) -> None:
        err.print(f"{len(ids)} files are named '{name}': their record ids are their paths ({', '.join(ids)})",
                  highlight=False, soft_wrap=True)

    for item in iter_records(paths, column_map, on_collision=collided):
        n_items += 1
        if isinstance(item, RecordInput):
            n_records += 1
        elif len(input_failures) < 50:
            input_failures.append(item)
    if not n_records:
        for failure in input_failures:
            err.print(f"  {failure.source}: {failure.reason}", highlight=False, soft_wrap=True)
        raise _fail("no records found in " + " ".join(paths))
    store = _open_store(db)
    try:
        writers = [ReportWriter.open(f) for f in out_files or []]
        audit = None
        if html:
            from analyser.audit_report import AuditReport  # jinja2 and the page templates: only for --html

            audit = AuditReport(html)
        if annotate is not None:
            annotate.mkdir(parents=True, exist_ok=True)
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    annotated = _Annotations(annotate) if annotate is not None else None
    with err.status("loading the language pipeline ..."):
        model_version = models_version(accurate)
    params = {"paths": paths, "map": mapping, "accurate": accurate, "max_mb": max_mb, "max_words": max_words,
              "store_text": store_text,
              "workers": workers, "inputs": n_items, **rubric_params}
    options = BatchOptions(
        rubric=str(rubric) if rubric else None, accurate=accurate, max_bytes=max_mb * 1024 * 1024, max_words=max_words,
        keep_text=store_text or html is not None,
        known=frozenset(store.scored_keys(rubric_version)),  # type: ignore[attr-defined]
    )
    # With no --out or --html the reports go to standard output as JSONL for a pipe or a file, but a
    # terminal would get pages of JSON: there the store keeps them and the summary says how to get them.
    to_terminal = not out_files and html is None and _stdout_is_terminal()
    texts = _TextSpill() if html and not store_text else None
    # --annotate writes each Word record back with comments: where each record came from, by its stored key.
    sources: dict[tuple[str, str], Path] = {}
    with Progress(
        TextColumn("[bold]scoring"), BarColumn(), MofNCompleteColumn(), _RateColumn(), TimeElapsedColumn(),
        TextColumn("left"), TimeRemainingColumn(), console=err,
    ) as progress:
        task = progress.add_task("score", total=n_items)

        def seen(outcome) -> None:  # type: ignore[no-untyped-def]
            progress.advance(task)
            if texts is not None and outcome.text is not None and outcome.content_hash:
                texts.put(outcome.record.id, outcome.content_hash, outcome.text)
            if annotated is not None and outcome.record is not None and outcome.record.path is not None:
                sources[(outcome.record.id, outcome.content_hash)] = outcome.record.path

        summary = score_batch(
            store, iter_records(paths, column_map), options,  # type: ignore[arg-type]
            rubric_version=rubric_version, model_version=model_version, caseqa_version=__version__,
            params=params, workers=min(workers, n_records), store_text=store_text, on_outcome=seen,
        )
    run_id = summary.run_id
    for reason, n in summary.unlinked.items():
        err.print(f"{n} record{'s' if n > 1 else ''} {reason}", highlight=False, soft_wrap=True)
    # Every output is written from the store now that the run's drift is settled: the JSONL, the CSV,
    # the HTML report, the API and `caseqa report` all show the same reports.
    counts = {"scored": summary.scored, "skipped": summary.skipped, "failed": summary.failed}
    grades: dict[str, int] = {}
    failures = [(f.source, f.reason) for f in summary.failures]
    named_ids = 0
    for row, report in store.run_reports(run_id):  # type: ignore[attr-defined]
        grades[report.overall.grade] = grades.get(report.overall.grade, 0) + 1
        if id_names_child(report.id, report.meta.child_name):
            named_ids += 1
        for w in writers:
            w.write(report, row.fields)
        if not writers and not html and not to_terminal:
            sys.stdout.write(report.to_json() + "\n")
        if annotated is not None:
            annotated.add(sources.get((row.record_id, row.content_hash)), report)
        if audit:
            text = store.get_text(row.record_id, row.version) if store_text else (  # type: ignore[attr-defined]
                texts.get(row.record_id, row.content_hash) if texts else None)
            audit.add(report, row.fields, text)
    if texts is not None:
        texts.close()
    for w in writers:
        w.close()
    if audit:
        run = store.get_run(run_id)  # type: ignore[attr-defined]
        audit.finish(title="caseqa audit report", run=vars(run), failures=failures, loop=_loop_tables(store))
    _summary(run_id, counts, grades, failures, store, out_files or [], html)
    if named_ids:
        # Counted, never listed: the ids are what would be printed, and they hold the names.
        err.print(f"{named_ids} record {'ids contain' if named_ids > 1 else 'id contains'} the child's first name (ids come "
                  "from file names or the id column, and appear in URLs, page titles and exports): rename the "
                  "files or give neutral ids (--map id=COLUMN)", highlight=False, soft_wrap=True)
    if to_terminal:
        err.print(f"the reports are in the store: `caseqa report --run {run_id} --out FILE.jsonl` writes them "
                  "(or score with --out, or pipe the output)", highlight=False, soft_wrap=True)
    if annotated is not None:
        annotated.summary()
    if summary.closed_actions:
        err.print(f"supervision actions closed by fixed records: {summary.closed_actions} ({summary.open_actions} still open)")
    store.close()  # type: ignore[attr-defined]
    if failures:
        raise typer.Exit(EXIT_FAILURES)


def id_names_child(record_id: str, child_name: str | None) -> bool:
    """Whether a record id holds the child's first name as a word ("care_plan_amira.txt")."""
    first = (child_name or "").split()[0] if child_name else ""
    if len(first) < 3:
        return False
    return re.search(rf"(?<![a-z]){re.escape(first.lower())}(?![a-z])", record_id.lower()) is not None


class _Annotations:
    """`score --annotate DIR`: a Word copy with comments of each .docx record, named after the original."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written = 0
        self.not_word = 0
        self.failed: list[tuple[str, str]] = []
        self._names: set[str] = set()

    def add(self, path: Path | None, report: object) -> None:
        from analyser.ingest import IngestError
        from analyser.word_comments import AnnotateError, annotate_docx, is_docx_name

        if path is None or not is_docx_name(path.name):
            self.not_word += 1  # export rows, .txt, .md, .pdf: there is no Word file to write into
            return
        name = path.name
        n = 2
        while name.lower() in self._names:  # two folders may hold files of the same name
            name = f"{path.stem}-{n}{path.suffix}"
            n += 1
        self._names.add(name.lower())
        try:
            result = annotate_docx(path.read_bytes(), report, source=path.name)  # type: ignore[arg-type]
            (self.folder / name).write_bytes(result.data)
            self.written += 1
        except (AnnotateError, IngestError, OSError) as exc:
            self.failed.append((str(path), str(exc)))

    def summary(self) -> None:
        err.print(f"Word copies with comments: {self.written} in {self.folder}", highlight=False)
        if self.not_word:
            err.print(f"  {self.not_word} records are not Word files: no copy with comments for them", highlight=False)
        for source, reason in self.failed:
            err.print(f"  {source}: no copy with comments: {reason}", highlight=False)


class _TextSpill:
    """Record texts the HTML report needs after the run, kept in a private temporary SQLite file
    (removed when done) rather than in memory: a run may hold 100,000 records."""

    def __init__(self) -> None:
        import sqlite3
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="caseqa-html-")  # mode 0700
        self._db = sqlite3.connect(Path(self._dir.name) / "texts.db")
        self._db.execute("CREATE TABLE t (id TEXT, hash TEXT, text TEXT, PRIMARY KEY (id, hash))")

    def put(self, record_id: str, content_hash: str, text: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO t VALUES (?, ?, ?)", (record_id, content_hash, text))

    def get(self, record_id: str, content_hash: str) -> str | None:
        row = self._db.execute("SELECT text FROM t WHERE id = ? AND hash = ?", (record_id, content_hash)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


def _summary(run_id: int, counts: dict[str, int], grades: dict[str, int], failures: list[tuple[str, str]],
             store: object, out_files: list[Path], html: Path | None) -> None:
    err.print(
        f"run {run_id}: scored {counts['scored']}, already in the store {counts['skipped']}, failed {counts['failed']}"
        f" ({_where(store)})", highlight=False, soft_wrap=True,
    )
    if grades:
        err.print("grades: " + ", ".join(f"{g.replace('_', ' ')} {grades[g]}" for g in GRADE_ORDER if g in grades))
    for f in out_files:
        err.print(f"wrote {f}", highlight=False)
    if html:
        err.print(f"wrote {html / 'index.html'}", highlight=False)
    if failures:
        err.print(f"{_ERROR} {len(failures)} failed:")
        for source, reason in failures[:50]:
            err.print(f"  {source}: {reason}", highlight=False, soft_wrap=True)
        if len(failures) > 50:
            err.print(f"  ... and {len(failures) - 50} more (see `caseqa report --run {run_id}`)")


@app.command()
def report(
    run_id: Annotated[int | None, typer.Option("--run", help="The run to report on (default: the latest run).")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML audit report into this folder.")] = None,
    out_files: Annotated[list[Path] | None, typer.Option("--out", "-o", help="Re-emit the run's reports as .jsonl or .csv; repeat for both.")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store (default ./caseqa.db).")] = None,
) -> None:
    """Report on a stored run: a summary, and optionally the HTML audit report and JSONL/CSV, from the store."""
    from analyser.audit_report import AuditReport
    from analyser.output import ReportWriter

    store = _open_store(db)
    run = store.get_run(run_id) if run_id is not None else next(iter(store.list_runs(1)), None)  # type: ignore[attr-defined]
    if run is None:
        raise _fail(f"no run {run_id} in {_where(store)}" if run_id is not None else f"no runs in {_where(store)}")
    try:
        writers = [ReportWriter.open(f) for f in out_files or []]
        audit = None
        if html:
            from analyser.audit_report import AuditReport  # jinja2 and the page templates: only for --html

            audit = AuditReport(html)
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    grades: dict[str, int] = {}
    note = ("The full text is not shown: the store keeps record text only when records are scored with "
            "--store-text. The findings and actions below show the words they point at.")
    n = 0
    for row, rep in store.run_reports(run.id):  # type: ignore[attr-defined]
        n += 1
        grades[rep.overall.grade] = grades.get(rep.overall.grade, 0) + 1
        for w in writers:
            w.write(rep, row.fields)
        if audit:
            audit.add(rep, row.fields, store.get_text(row.record_id, row.version), text_note=note)  # type: ignore[attr-defined]
    for w in writers:
        w.close()
    failures = [(f.source, f.reason) for f in store.run_failures(run.id)]  # type: ignore[attr-defined]
    if audit:
        audit.finish(title="caseqa audit report", run=vars(run), failures=failures, loop=_loop_tables(store))
    out.print(f"run {run.id}: started {run.started_at:%Y-%m-%d %H:%M} UTC, "
              + (f"finished {run.finished_at:%H:%M}" if run.finished_at else f"[{_WARN}] not finished [/] (killed? run it again)")
              + f"; rubric {run.rubric_version}; {n} records; {len(failures)} failed", highlight=False)
    if grades:
        out.print("grades: " + ", ".join(f"{g.replace('_', ' ')} {grades[g]}" for g in GRADE_ORDER if g in grades))
    for source, reason in failures:
        out.print(f"  failed: {source}: {reason}", highlight=False, soft_wrap=True)
    for f in out_files or []:
        err.print(f"wrote {f}", highlight=False)
    if html:
        err.print(f"wrote {html / 'index.html'}", highlight=False)
    store.close()  # type: ignore[attr-defined]


def _loop_tables(store: object) -> dict[str, list[dict]] | None:
    """The audit loop per worker and per team for the HTML report; None when no supervision was written."""
    by_worker = store.actions_stats_by("worker")  # type: ignore[attr-defined]
    if not by_worker:
        return None
    by_team = store.actions_stats_by("team")  # type: ignore[attr-defined]
    return {"workers": [{"name": n, **vars(st)} for n, st in by_worker.items()],
            "teams": [{"name": n, **vars(st)} for n, st in by_team.items()]}


SUPERVISION_HELP = """Write the audit part of WORKER's case-supervision record and track its actions.

Covers WORKER's records audited since their last supervision (or --since): each with its grade and one line of strengths; every shortfall as a SMART action for the worker (the child's record, the exact problem, the fix, due --due-days working days after the supervision, bank holidays excluded); the records' own care actions that are overdue or vague; and the previous supervision's actions with their status. The actions are stored: re-scoring a fixed record with `caseqa score` closes them. --out FILE.docx, .md or .html; --template a council's own .docx (or Jinja .md/.html) template, see docs/SUPERVISION.md.

\b
Exit codes:
  0  written
  2  unknown worker, bad date, bad --out suffix, or a template with
     unknown fields or bad tags
"""


@app.command(help=SUPERVISION_HELP)
def supervision(
    worker: Annotated[str, typer.Argument(metavar="WORKER", help="The worker, as the 'worker' field of the scored records names them.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Where to write the record: .docx, .md or .html.")],
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store (default ./caseqa.db).")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Cover records audited on or after this date (default: the last supervision).")] = None,
    on: Annotated[str | None, typer.Option("--date", metavar="DATE", help="The supervision date, YYYY-MM-DD or DD/MM/YYYY (default: today).")] = None,
    template: Annotated[Path | None, typer.Option("--template", help="Your own template: .docx with docxtpl tags for Word output, or a Jinja text file for .md/.html.")] = None,
    due_days: Annotated[int, typer.Option("--due-days", min=0, help="Working days after the supervision that each new action is due.")] = 10,
    max_per_record: Annotated[int, typer.Option("--max-per-record", min=1, help="Raise at most this many actions on one record (the rest fold into its 'also' line).")] = 3,
    max_actions: Annotated[int, typer.Option("--max-actions", min=1, help="Raise at most this many new actions in all, the most important first.")] = 10,
) -> None:
    from analyser.supervision import (
        SupervisionError,
        TemplateError,
        build_supervision,
        render_bytes,
        save_supervision,
    )
    from analyser.supervision.render import check_template, format_for

    try:
        fmt = format_for(out_file)
        if template is not None:
            check_template(template, fmt)
    except TemplateError as exc:
        raise _fail(str(exc)) from None
    store = _open_store(db)
    try:
        record = build_supervision(store, worker, since=since, on=on, due_working_days=due_days,  # type: ignore[arg-type]
                                   max_per_record=max_per_record, max_actions=max_actions)
        data = render_bytes(record, fmt, template)
    except (SupervisionError, TemplateError) as exc:
        known = store.list_workers()  # type: ignore[attr-defined]
        hint = f" (workers in the store: {', '.join(known[:10])}{' ...' if len(known) > 10 else ''})" \
            if isinstance(exc, SupervisionError) and known and worker not in known else ""
        store.close()  # type: ignore[attr-defined]
        raise _fail(f"{exc}{hint}") from None
    try:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_bytes(data)
    except OSError as exc:
        store.close()  # type: ignore[attr-defined]
        raise _fail(f"cannot write {out_file}: {exc}") from None
    record = save_supervision(store, record)  # type: ignore[arg-type]
    store.close()  # type: ignore[attr-defined]
    st = record.stats
    err.print(
        f"supervision for {worker} on {record.date_text}: {len(record.records)} records audited"
        + (f" since {record.since_text}" if record.since else "")
        + f"; actions raised {len(record.actions)}, carried forward {len(record.carried_forward)}, "
        f"closed since last time {st.closed_since_last}, overdue {st.overdue}",
        highlight=False, soft_wrap=True,
    )
    err.print(f"wrote {out_file}", highlight=False)


@app.command()
def drift(
    child: Annotated[str, typer.Option("--child", help="The child's id (as given with the records); with --dob, the child's full name.")],
    dob: Annotated[str | None, typer.Option("--dob", metavar="DATE", help="Date of birth, YYYY-MM-DD or DD/MM/YYYY: link by name plus date of birth (never by name alone).")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store (default ./caseqa.db).")] = None,
    format: FormatOpt = "text",
) -> None:
    """A child's timeline across their stored records: drift and delay (actions carried over, deadlines
    slipped or passed, decisions not followed up, late reviews), with the earlier record's words as evidence."""
    from analyser.drift import timeline_for

    store = _open_store(db)
    try:
        data = timeline_for(store, child, dob=dob)  # type: ignore[arg-type]
    except ValueError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()  # type: ignore[attr-defined]
    if not data["records"]:
        who = f"child '{child}'" if not dob else "a child with this name and date of birth"
        raise _fail(f"no records of {who} in the store (records without a child id link by name plus date of birth only)")
    if format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    render_timeline(data, out)


@app.command()
def runs(
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store (default ./caseqa.db).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs, newest first.")] = 20,
) -> None:
    """List the latest runs in the store."""
    store = _open_store(db)
    t = Table(show_header=True, header_style="bold", box=None)
    for c in ("run", "started (UTC)", "finished", "rubric", "scored", "skipped", "failed"):
        t.add_column(c, justify="right" if c in ("run", "scored", "skipped", "failed") else "left")
    for r in store.list_runs(limit):  # type: ignore[attr-defined]
        t.add_row(str(r.id), f"{r.started_at:%Y-%m-%d %H:%M}", f"{r.finished_at:%H:%M}" if r.finished_at else "-",
                  r.rubric_version, str(r.scored), str(r.skipped), str(r.failed))
    out.print(t)
    store.close()  # type: ignore[attr-defined]


@db_app.command("upgrade")
def db_upgrade(
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store (default ./caseqa.db).")] = None,
) -> None:
    """Create the store or bring its tables to the latest schema (also done on every open)."""
    store = _open_store(db)
    out.print(f"store at {_where(store)} is up to date", highlight=False)
    store.close()  # type: ignore[attr-defined]


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The user's name (unique).")],
    role: Annotated[str, typer.Option("--role", help="social_worker, supervisor, auditor or admin.")],
    team: Annotated[str | None, typer.Option("--team", help="The user's team.")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store (default ./caseqa.db).")] = None,
) -> None:
    """Add a service user and print their API key (shown this once only)."""
    store = _open_store(db)
    try:
        user, key = store.add_user(name, role, team)  # type: ignore[attr-defined]
    except ValueError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()  # type: ignore[attr-defined]
    err.print(f"added {user.name} ({user.role}{', ' + user.team if user.team else ''}); API key (shown once):", highlight=False)
    sys.stdout.write(key + "\n")


@users_app.command("list")
def users_list(
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store (default ./caseqa.db).")] = None,
) -> None:
    """List service users (never their keys)."""
    store = _open_store(db)
    t = Table(show_header=True, header_style="bold", box=None)
    for c in ("id", "name", "role", "team", "created (UTC)"):
        t.add_column(c)
    for u in store.list_users():  # type: ignore[attr-defined]
        t.add_row(str(u.id), u.name, u.role, u.team or "", f"{u.created_at:%Y-%m-%d %H:%M}")
    out.print(t)
    store.close()  # type: ignore[attr-defined]


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The user's name.")],
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store (default ./caseqa.db).")] = None,
) -> None:
    """Remove a service user; their key stops working at once."""
    store = _open_store(db)
    removed = store.remove_user(name)  # type: ignore[attr-defined]
    store.close()  # type: ignore[attr-defined]
    if not removed:
        raise _fail(f"no user '{name}'")
    err.print(f"removed {name}", highlight=False)


@users_app.command("rotate-key")
def users_rotate_key(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store (default ./caseqa.db).")] = None,
) -> None:
    """Give a user a new API key (printed once); the old key and their page sign-ins stop working at once."""
    store = _open_store(db)
    try:
        user, key = store.rotate_key(name)  # type: ignore[attr-defined]
    except KeyError:
        raise _fail(f"no user '{name}'") from None
    finally:
        store.close()  # type: ignore[attr-defined]
    err.print(f"new API key for {user.name} (shown once; the old key and their sign-ins no longer work):", highlight=False)
    sys.stdout.write(key + "\n")


_SPARK_INPUT_FORMATS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl"}


def _spark_input_format(path: str, given: str | None) -> str:
    """parquet, csv or jsonl: as given, else from the extension (of the path or of a Spark folder's parts)."""
    if given:
        if given not in ("parquet", "csv", "jsonl"):
            raise _fail(f"--input-format must be parquet, csv or jsonl, not '{given}'")
        return given
    suffixes = [Path(path).suffix.lower()]
    if Path(path).is_dir():
        suffixes = sorted({p.suffix.lower() for p in Path(path).iterdir() if not p.name.startswith(("_", "."))})
    found = {_SPARK_INPUT_FORMATS[s] for s in suffixes if s in _SPARK_INPUT_FORMATS}
    if len(found) != 1:
        raise _fail(f"{path}: cannot tell parquet, csv or jsonl from the name; use --input-format")
    return found.pop()


@app.command("spark-score")
def spark_score(
    input: Annotated[str, typer.Argument(metavar="INPUT", help="Parquet, CSV or JSONL: a file or a folder of parts, any path Spark reads (hdfs://, s3a://, abfss://).")],
    out_path: Annotated[str, typer.Option("--out", "-o", help="Output folder (Spark writes one part file per partition).")],
    master: Annotated[str, typer.Option("--master", help="Spark master: local[*], local[2], spark://host:7077, yarn ...")] = "local[*]",
    out_format: Annotated[str, typer.Option("--format", "-f", help="Output: 'parquet' or 'jsonl'.")] = "parquet",
    input_format: Annotated[str | None, typer.Option("--input-format", help="parquet, csv or jsonl (default: from the extension).")] = None,
    mapping: Annotated[str | None, typer.Option("--map", metavar="FIELD=COLUMN,...", help="The input's column for each field, comma-separated: e.g. text=Body,id=RecordID (also doc_type, date ...).")] = None,
    partitions: Annotated[int | None, typer.Option("--partitions", min=1, help="Spread the records over this many tasks (default: 2 per core).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace the output folder if it exists.")] = False,
    rubric: Annotated[Path | None, typer.Option("--rubric", help="A rubric TOML file every executor can read at this path.")] = None,
    accurate: Annotated[bool, typer.Option("--accurate", help="Run the full spaCy pipeline everywhere (slower).")] = False,
) -> None:
    """Score a table of records on Apache Spark: the same reports as `caseqa score`, one row per record.

    Output columns: id, doc_type, overall_score, grade, <dimension>_score, action and finding counts,
    rubric_version, report (the full report JSON) and error (set, with null scores, for a record that
    could not be scored).
    """
    from analyser.batch import META_FIELDS
    from analyser.inputs import parse_mapping
    from analyser.rubric import RubricError
    from analyser.spark import OUTPUT_SCHEMA, score_dataframe, spark_session

    if out_format not in ("parquet", "jsonl"):
        raise _fail(f"--format must be 'parquet' or 'jsonl', not '{out_format}'")
    kind = _spark_input_format(input, input_format)
    try:
        column_map = parse_mapping(mapping)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if shutil.which("java") is None and master.startswith("local"):
        raise _fail("Spark needs Java 17 or later on PATH (e.g. apt-get install openjdk-17-jre-headless)")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise _fail("spark-score needs pyspark: pip install 'caseqa[spark]'") from None

    # Stop only a session we started: inside a notebook or a test the caller's session lives on.
    created = SparkSession.getActiveSession() is None
    spark = spark_session(master)
    try:
        if kind == "parquet":
            df = spark.read.parquet(input)
        elif kind == "csv":
            # Every cell as text, like `caseqa score` reads a CSV; quoted cells may span lines.
            df = spark.read.options(header=True, multiLine=True, escape='"', encoding="UTF-8").csv(input)
            df = df.toDF(*[c.lstrip("\ufeff") for c in df.columns])  # Excel's byte-order mark
        else:
            df = spark.read.json(input)
        explicit = {k for k, c in column_map.items() if c != k}  # a mapped column must exist
        meta_cols = {k: c for k, c in column_map.items() if k in META_FIELDS and (c in df.columns or k in explicit)}
        tasks = partitions or 2 * spark.sparkContext.defaultParallelism
        try:
            scored = score_dataframe(df, column_map["text"], column_map["id"], rubric=rubric, accurate=accurate,
                                     partitions=tasks, **meta_cols)
        except (ValueError, RubricError) as exc:
            raise _fail(str(exc)) from None
        writer = scored.write.mode("overwrite" if overwrite else "errorifexists")
        try:
            if out_format == "parquet":
                writer.parquet(out_path)
            else:
                writer.option("ignoreNullFields", False).json(out_path)
        except Exception as exc:  # pyspark's AnalysisException for an existing folder, among others
            if "already exists" in str(exc):
                raise _fail(f"--out {out_path} already exists (use --overwrite to replace it)") from None
            raise
        # Count from what was written: re-running the analysis just to count would double the work.
        written = spark.read.parquet(out_path) if out_format == "parquet" else spark.read.schema(OUTPUT_SCHEMA).json(out_path)
        grades = {r["grade"]: r["count"] for r in written.where("error IS NULL").groupBy("grade").count().collect()}
        failures = written.where("error IS NOT NULL").select("id", "error").orderBy("id").collect()
    finally:
        if created:
            spark.stop()
    err.print(f"scored {sum(grades.values())} records, wrote {out_path}; grades: "
              + ", ".join(f"{g.replace('_', ' ')} {n}" for g, n in sorted(grades.items())))
    if failures:
        err.print(f"{_ERROR} {len(failures)} failed:")
        for row in failures[:20]:
            err.print(f"  {row['id'] or '(no id)'}: {row['error']}", highlight=False)
        if len(failures) > 20:
            err.print(f"  ... and {len(failures) - 20} more (the error column of the output lists them all)")
        raise typer.Exit(EXIT_FAILURES)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default: only this machine can connect).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", metavar="URL", help="Results store, shared with `caseqa users` and `caseqa score` (default ./caseqa.db).")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Server processes: only 1 for now (batches and sessions live in the process).")] = 1,
    rubric: RubricOpt = None,
) -> None:
    """Run the web service: the draft checker and team dashboard pages, and the JSON API (docs at /docs)."""
    import logging

    import uvicorn

    if workers != 1:
        raise _fail("--workers: only 1 server process for now (batches and sessions live in the process)")

    from service.app import create_app
    from service.config import Settings

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")  # looks like uvicorn's lines
    logging.getLogger("alembic").setLevel(logging.WARNING)
    store = _open_store(db)
    where, users = _where(store), store.list_users()  # type: ignore[attr-defined]
    store.close()  # type: ignore[attr-defined]
    overrides: dict[str, object] = {"db": db or None}
    if rubric:
        overrides["rubric"] = str(rubric)
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    shown = f"[{host}]" if ":" in host else host
    err.print(f"caseqa serving on http://{shown}:{port}/  (API docs: /docs; store: {where})", highlight=False, soft_wrap=True)
    if not users:
        err.print(f"[{_WARN}] no users yet [/] create one and sign in with the key it prints, e.g.\n"
                  f"  caseqa users add YOUR_NAME --role admin{' --db ' + db if db else ''}", highlight=False, soft_wrap=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[{_WARN}] listening beyond this machine [/] put it behind HTTPS (session cookies are marked Secure)",
                  highlight=False)
    # access_log off: uvicorn's lines carry the raw path and query (names, dates of birth); the
    # service logs its own access line with the route template instead (service/middleware.py).
    uvicorn.run(create_app(settings), host=host, port=port, workers=workers, log_level="info",
                server_header=False, proxy_headers=False, access_log=False)



def _evaluate_calibration(folders: list[Path], format: str, accurate: bool) -> None:
    """Grade agreement with two readers on each calibration folder (measure/calibration.py)."""
    from analyser import analyse_file
    from analyser.rubric import load_rubric
    from measure.calibration import calibrate

    rubric = load_rubric(None)
    for folder in folders:
        if not folder.is_dir():
            raise _fail(f"--calibration {folder}: not a folder")
        with err.status(f"calibrating on {folder} ..."):
            try:
                res = calibrate(folder, lambda p: analyse_file(p, accurate=accurate), grade_for=rubric.grade_for).summary()
            except (FileNotFoundError, ValueError) as exc:
                raise _fail(str(exc)) from None
        if format == "json":
            sys.stdout.write(json.dumps(res, indent=2) + "\n")
            continue
        render_calibration(folder, res, out)


@app.command()
def evaluate(
    gold: Annotated[list[Path] | None, typer.Option("--gold", help="A folder with gold.jsonl (or sub-folders with one); repeat for several sets.")] = None,
    calibration: Annotated[list[Path] | None, typer.Option("--calibration", help="A folder with readers.jsonl: agreement of caseqa's grades with two readers' (docs/EVALUATION.md).")] = None,
    format: FormatOpt = "text",
    accurate: Annotated[bool, typer.Option("--accurate", help="Evaluate the full-pipeline mode.")] = False,
    errors_out: Annotated[Path | None, typer.Option("--errors", help="Write every missed, spurious or mismatched action to this JSONL file.")] = None,
) -> None:
    """Measure accuracy against gold labels: action precision/recall/F1, owner, timebound, deadline, doc type, score ordering, and drift precision/recall on sequences."""
    from analyser import analyse_file
    from measure.evaluate import evaluate as run_evaluation

    if not gold and not calibration:
        raise _fail("name a gold set (--gold FOLDER) or a calibration set (--calibration FOLDER)")
    if calibration:
        _evaluate_calibration(calibration, format, accurate)
    summaries = []
    all_errors: list[dict] = []
    for folder in gold or []:
        if not folder.is_dir():
            raise _fail(f"--gold {folder}: not a folder")
        with err.status(f"evaluating {folder} ..."):
            try:
                ev = run_evaluation(folder, lambda p: analyse_file(p, accurate=accurate), name=str(folder), keep_errors=errors_out is not None)
            except (FileNotFoundError, ValueError) as exc:
                raise _fail(str(exc)) from None
        summaries.append(ev.summary())
        all_errors += ev.errors
    if not summaries:
        return
    if errors_out:
        errors_out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in all_errors), encoding="utf-8")
    if format == "json":
        sys.stdout.write(json.dumps(summaries if len(summaries) > 1 else summaries[0], indent=2) + "\n")
        return
    render_evaluation(summaries, out)


@app.command()
def bench(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="A folder of records (default: corpus/synthetic/test, else the examples repeated).")] = None,
    format: FormatOpt = "text",
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the JSON results to this file.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes for the scaling measure (and for --scale).")] = 2,
    scale: Annotated[bool, typer.Option("--scale", help="Instead: score generated children's records (3-8 each, half linked by name and date of birth) with `caseqa score` at each of --sizes; seconds per 1,000 records, peak memory, store size.")] = False,
    sizes: Annotated[str, typer.Option("--sizes", help="With --scale: comma-separated record counts, e.g. 1000,10000 for a short run.")] = "1000,10000,100000",
    identity: Annotated[bool, typer.Option("--identity", help="Instead: prove windowed tagging changes nothing: every report of every gold set (never the held-out ones) and of 100k+ generated tokens identical whether units are tagged whole or in windows, and every token's tag from a window of the receptive field equal to its whole unit's.")] = False,
    soak: Annotated[bool, typer.Option("--soak", help="Instead: start `caseqa serve` (throwaway store, process workers), have --clients threads post new-worded care plans to POST /v1/analyse for --seconds, and sample the memory of the service and its workers: requests/s, latency, errors, memory growth after the warm-up.")] = False,
    clients: Annotated[int, typer.Option("--clients", min=1, help="With --soak: concurrent clients.")] = 50,
    seconds: Annotated[float, typer.Option("--seconds", min=1, metavar="SECONDS", help="With --soak: how long the clients post drafts.")] = 300.0,
    recycle_after: Annotated[int | None, typer.Option("--recycle-after", min=0, help="With --soak: the service's CASEQA_ANALYSIS_RECYCLE_AFTER (default: the environment's, else 500; 0: never recycle).")] = None,
) -> None:
    """Measure speed: naive spaCy+textstat vs caseqa vs the tokenizer alone, scaling, memory, draft latency.

    --scale: `caseqa score` on generated records at growing sizes. --soak: a real `caseqa serve` under
    --clients for --seconds; its memory after the warm-up should grow less than 10% ("bounded").
    """
    from measure import bench as benchmark

    if format not in ("text", "json"):
        raise _fail(f"--format must be 'text' or 'json', not '{format}'")
    if identity:
        _bench_identity(format, out_file)
        return
    if soak:
        _bench_soak(clients, seconds, recycle_after, format, out_file)
        return
    if scale:
        _bench_scale(sizes, workers, format, out_file)
        return
    try:
        records = benchmark.load_corpus(corpus)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    with err.status("benchmarking ...") as status:
        results = benchmark.run(records, workers=workers, progress=lambda msg: status.update(f"benchmarking: {msg} ..."))
    if _write_results(results, out_file, format):
        return
    render_bench(results, out)
    if out_file:
        err.print(f"wrote {out_file}")


def _write_results(results: dict, out_file: Path | None, format: str) -> bool:
    """Save the results as JSON when asked; print them as JSON for --format json (True: nothing more to show)."""
    text = json.dumps(results, indent=2)
    if out_file:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text + "\n", encoding="utf-8")
    if format == "json":
        sys.stdout.write(text + "\n")
        return True
    return False


def _bench_identity(format: str, out_file: Path | None) -> None:
    from measure import identity as identity_run

    with err.status("identity check ...") as status:
        results = identity_run.run(progress=lambda msg: status.update(f"identity check: {msg} ..."))
    if not _write_results(results, out_file, format):
        tagged = cast(dict[str, int], results["tagged_tokens"])
        out.print(f"{results['records']:,} records ({results['gold_records']:,} from {', '.join(cast(list[str], results['gold_sets']))}; "
                  f"{results['generated_records']:,} generated, {results['generated_tokens']:,} tokens), {results['tokens']:,} tokens")
        out.print(f"reports differing from tagging every unit: {results['reports_differing_unit']} (whole units on demand, the default), "
                  f"{results['reports_differing_window']} (windows)")
        out.print(f"tokens tagged: {tagged['all']:,} every unit, {tagged['unit']:,} whole units on demand, {tagged['window']:,} windows "
                  f"({results['tagged_in_windows']:,} of them in windows)")
        out.print(f"tags from a window of +-{results['receptive_field']} tokens (no margin) against the whole unit: "
                  f"{results['tag_differences']} of {results['tag_tokens_compared']:,} differ")
        out.print("identical" if results["identical"] else "NOT identical: see the differing records (--format json)")
        if out_file:
            err.print(f"wrote {out_file}")
    if not results["identical"]:
        raise typer.Exit(1)


def _bench_scale(sizes: str, workers: int, format: str, out_file: Path | None) -> None:
    from measure import scale as scale_run

    try:
        counts = tuple(int(x.replace("_", "").strip()) for x in sizes.split(",") if x.strip())
        if not counts or min(counts) < 1:
            raise ValueError
    except ValueError:
        raise _fail(f"--sizes must be comma-separated record counts, e.g. 1000,10000, not '{sizes}'") from None
    with err.status("scale run ...") as status:
        results = scale_run.run(counts, workers=workers, progress=lambda msg: status.update(f"scale run: {msg} ..."))
    if _write_results(results, out_file, format):
        return
    t = Table(title=f"caseqa bench --scale: `caseqa score` on generated children's records, {workers} worker(s)")
    for col in ("records", "s / 1,000 (wall)", "CPU s / 1,000", "peak MB", "store MB", "KB / record"):
        t.add_column(col, justify="right")
    for r in cast(list[dict[str, float]], results["sizes"]):
        t.add_row(f"{r['records']:,}", f"{r['s_per_1000']:.1f}", f"{r['cpu_s_per_1000']:.1f}", f"{r['peak_rss_mb']:.0f}",
                  f"{r['store_mb']:.1f}", f"{r['store_kb_per_record']:.1f}")
    out.print(t)
    if "flatness" in results:
        out.print(f"largest / smallest size, s per 1,000 records: {results['flatness']} wall, {results['cpu_flatness']} CPU "
                  "(target <= 1.3)")
    if "analysis_only" in results:
        a = cast(dict[str, float], results["analysis_only"])
        out.print(f"analysis alone ({a['records']:,} records, one process): {a['cpu_s_per_1000']:.1f} CPU s / 1,000 after a "
                  f"{a['startup_s']:.1f} s start-up; whole process / analysis alone, CPU: {results['whole_vs_analysis_cpu']} "
                  "(target <= 1.25)")
    if out_file:
        err.print(f"wrote {out_file}")


def _bench_soak(clients: int, seconds: float, recycle_after: int | None, format: str, out_file: Path | None) -> None:
    from measure import soak as soak_run

    with err.status("soak test ...") as status:
        try:
            results = soak_run.run(clients=clients, seconds=seconds, recycle_after=recycle_after,
                                   progress=lambda msg: status.update(f"soak test: {msg} ..."))
        except RuntimeError as exc:
            raise _fail(str(exc)) from None
    if _write_results(results, out_file, format):
        return
    r = results
    recycle = f"recycled after {r['analysis_recycle_after']} analyses" if r["analysis_recycle_after"] else "never recycled"
    t = Table(title=f"caseqa bench --soak: {r['clients']} clients, {r['seconds']:g} s, {r['analysis_workers']} analysis "
                    f"workers {recycle}")
    t.add_column("measure")
    t.add_column("value", justify="right")
    errors = ", ".join(f"{n} x {status}" for status, n in r["errors_by_status"].items())
    replaced = ", ".join(f"{n:g} {why}" for why, n in r["workers_replaced"].items()) or "none"
    rows = [
        ("requests (2xx)", f"{r['requests']:,} ({r['requests_ok']:,})"),
        ("errors", f"{r['errors']:,}" + (f" ({errors})" if errors else "")),
        ("requests / s", f"{r['requests_per_s']:.1f}"),
        ("latency p50 / p95", f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} ms"),
        ("new made-up words a request", str(r["new_words_per_request"])),
        ("workers replaced", replaced),
    ]
    if r.get("rss_samples"):
        rows += [
            ("memory samples", str(r["rss_samples"])),
            ("RSS at start", f"{r['rss_mb_start']:.0f} MB"),
            (f"RSS after warm-up ({r['rss_warmup_t_s']:.0f} s)",
             f"{r['rss_mb_warmup']:.0f} MB (service {r['server_mb_warmup']:.0f} + workers {r['children_mb_warmup']:.0f})"),
            (f"RSS at the end ({r['rss_end_t_s']:.0f} s)",
             f"{r['rss_mb_end']:.0f} MB (service {r['server_mb_end']:.0f} + workers {r['children_mb_end']:.0f})"),
            ("RSS max (after warm-up)", f"{r['rss_mb_max']:.0f} MB ({r['rss_mb_max_after_warmup']:.0f} MB)"),
            ("growth after warm-up (peak)", f"{r['growth_pct_after_warmup']:+.1f}% ({r['peak_growth_pct_after_warmup']:+.1f}%)"),
        ]
    for row in rows:
        t.add_row(*row)
    out.print(t)
    out.print(f"memory: {r['verdict']} (growth after the warm-up {'<' if r['verdict'] == 'bounded' else '>='} "
              f"{r['bounded_below_pct']:g}%; RSS of the service process and all its children, the median of the "
              f"samples in the {r.get('rss_window_s', 0):g} s up to each moment)", highlight=False)
    if out_file:
        err.print(f"wrote {out_file}")


@app.command()
def train(
    train_dir: Annotated[Path, typer.Option("--train", help="Gold folder to train on (the synthetic train split).")] = Path("corpus/synthetic/train"),
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the model files.")] = Path("models"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed and data give the same models.")] = 13,
    eval_dirs: Annotated[list[Path] | None, typer.Option("--eval", help="Gold folders to measure on (never trained on); repeatable.")] = None,
    format: FormatOpt = "text",
) -> None:
    """Train the action and document-type classifiers (scikit-learn, saved with skops)."""
    from measure.models import train as run_training

    if not (train_dir / "gold.jsonl").exists():
        raise _fail(f"--train {train_dir}: no gold.jsonl there (generate it with `caseqa corpus generate`)")
    evals = {str(p): p for p in (eval_dirs or [Path("corpus/synthetic/dev"), Path("corpus/handwritten")]) if (p / "gold.jsonl").exists()}
    with err.status("training ..."):
        meta = run_training(train_dir, out_dir, seed=seed, eval_dirs=evals)
    if format == "json":
        sys.stdout.write(json.dumps(meta, indent=2) + "\n")
    else:
        out.print(f"models {meta['version']} written to {out_dir}")
        out.print_json(data=meta["metrics"])


@corpus_app.command("generate")
def corpus_generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write records and gold.jsonl into.")],
    n: Annotated[int, typer.Option("--n", min=1, help="How many records.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed writes the same records.")] = 13,
    docx_share: Annotated[float, typer.Option("--docx-share", min=0.0, max=1.0, help="Share of records written as Word files.")] = 0.25,
) -> None:
    """Write N synthetic records with gold labels (seeded, deterministic)."""
    from corpus.synthetic.generate import generate

    with err.status(f"generating {n} records ..."):
        gold = generate(n, seed, out_dir, docx_share=docx_share)
    err.print(f"wrote {len(gold)} records and {out_dir / 'gold.jsonl'}")


def main() -> None:
    """Console-script entry point."""
    from analyser import quiet

    quiet.install()  # third-party warnings and log lines may quote record text: their text is dropped
    app()


if __name__ == "__main__":
    main()
