"""caseqa command line: one command per user job.

    caseqa check FILE            check one record (a draft) and show what to fix
    caseqa score PATH...         score files, folders and exports into the store; write JSONL/CSV/HTML
    caseqa report --run ID       re-emit a stored run: summary, HTML audit report, JSONL/CSV
    caseqa runs                  list the runs in the store
    caseqa users add|list|remove service users and their API keys
    caseqa serve                 the web service: draft checker, team dashboard and JSON API
    caseqa db upgrade            create or migrate the results store
    caseqa corpus generate       write synthetic records with gold labels
    caseqa evaluate --gold DIR   measure accuracy against gold labels
    caseqa train                 train the models from the synthetic train split

Exit codes: 0 success; 1 some records failed (the rest were scored); 2 bad usage or input.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

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
    typer.Option("--doc-type", help="care_plan, review_minutes, pathway_plan or other (default: read from the text)."),
]
ChildNameOpt = Annotated[str | None, typer.Option("--child-name", help="The child's first name (default: read from the text).")]
ChildAgeOpt = Annotated[int | None, typer.Option("--child-age", min=0, max=25, help="The child's age in years; sets the target reading age.")]
DateOpt = Annotated[str | None, typer.Option("--date", help="The record's date, YYYY-MM-DD or DD/MM/YYYY (default: read from the text).")]
RubricOpt = Annotated[
    Path | None,
    typer.Option("--rubric", envvar="CASEQA_RUBRIC", help="A rubric TOML file to use instead of the shipped one."),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output: 'text' for people, 'json' for machines.")]

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_DIMENSION_STYLE = {
    "timebound_actions": "on dark_red",
    "child_directed_language": "on dark_blue",
    "readability": "on dark_green",
    "plan_detail": "on purple4",
}
GRADE_ORDER = ("outstanding", "good", "requires_improvement", "inadequate")
_GRADE_STYLE = {"outstanding": "bold green", "good": "green", "requires_improvement": "yellow", "inadequate": "bold red"}


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
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


def render_report(report: object, text: str, console: Console) -> None:
    """Readable terminal report: scores, the text with offending words highlighted, then findings."""
    from analyser.report import DIMENSIONS, Report

    assert isinstance(report, Report)
    grade = report.overall.grade
    console.print(
        Text.assemble(
            (f"{report.id}", "bold"),
            f"  {report.doc_type.replace('_', ' ')}",
            f"  child: {report.meta.child_name or '?'}",
            f"  date: {report.meta.date or '?'}",
            "  overall ",
            (f"{report.overall.score:.0f} {grade.replace('_', ' ')}", _GRADE_STYLE[grade]),
        )
    )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("dimension")
    table.add_column("score", justify="right")
    table.add_column("summary")
    for d in DIMENSIONS:
        r = report.dimensions[d]
        table.add_row(Text(d.replace("_", " "), style=_DIMENSION_STYLE[d].replace("on ", "")), f"{r.score:.0f}", r.summary)
    console.print(table)
    spans = [f for f in report.findings if f.end > f.start]
    if spans and text:
        body = Text(text)
        for f in spans:
            body.stylize(_DIMENSION_STYLE.get(f.dimension, "reverse"), f.start, f.end)
        console.rule("record (highlighted: findings)")
        console.print(body)
    if report.actions:
        console.rule(f"actions ({len(report.actions)})")
        at = Table(box=None, show_header=True, header_style="bold")
        at.add_column("#", justify="right")
        at.add_column("who")
        at.add_column("when")
        at.add_column("what is missing")
        at.add_column("action", overflow="fold", max_width=70)
        for i, a in enumerate(report.actions, 1):
            at.add_row(str(i), a.owner or "[red]nobody[/]", a.deadline or a.deadline_text or "[red]no date[/]",
                       ", ".join(p.replace("_", " ") for p in a.problems) or "[green]SMART[/]", a.text)
        console.print(at)
    if report.findings:
        console.rule(f"findings ({len(report.findings)})")
        for f in report.findings:
            line = Text.assemble(
                (f"{f.severity:<7}", _SEVERITY_STYLE[f.severity]),
                " ",
                (f"{f.dimension}/{f.code}", "dim"),
                " ",
                f.message,
            )
            if f.excerpt and f.excerpt not in f.message:
                line.append(f'  "{f.excerpt[:80]}"', style="italic")
            console.print(line)
            if f.suggestion:
                console.print(Text(f"        fix: {f.suggestion}", style="green"))
    console.print(Text(f"rubric {report.versions.rubric}, model {report.versions.model}", style="dim"))


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="A record: .docx, .pdf, .txt or .md ('-' reads text from standard input).")],
    format: FormatOpt = "text",
    doc_type: DocTypeOpt = None,
    child_name: ChildNameOpt = None,
    child_age: ChildAgeOpt = None,
    date: DateOpt = None,
    rubric: RubricOpt = None,
    accurate: Annotated[bool, typer.Option("--accurate", help="Run the full spaCy pipeline everywhere (slower).")] = False,
) -> None:
    """Check one record and show what to fix, pointing at the words."""
    from analyser import analyse_document
    from analyser.ingest import IngestError, from_text, load_file
    from analyser.rubric import RubricError

    if format not in ("text", "json"):
        raise _fail(f"--format must be 'text' or 'json', not '{format}'")
    try:
        if str(file) == "-":
            document = from_text(sys.stdin.read(), source=None)
        else:
            document = load_file(file)
        report = analyse_document(document, accurate=accurate, **_meta(doc_type, child_name, child_age, date, rubric))
    except (IngestError, RubricError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if format == "json":
        sys.stdout.write(report.to_json(indent=2) + "\n")
    else:
        render_report(report, document.text, out)


SCORE_HELP = """Score many records into the results store; write JSONL/CSV and an HTML audit report.

Inputs: files (.docx .pdf .txt .md), folders (recursive), globs, and .csv/.jsonl exports (--map names their columns). Results go to the store (--db, default $CASEQA_DB or ./caseqa.db). Records already stored with the same content and rubric version are skipped, but still written to the outputs, so re-running a batch (or finishing a killed one) is safe and cheap.

\b
Exit codes:
  0  every record was scored (or was already in the store)
  1  some records failed (corrupt, encrypted, empty, too large...); the rest were scored
  2  usage or input error: bad --map, bad --db URL, unreadable rubric, no records found
"""


class _RateColumn(ProgressColumn):
    """Records per second, averaged over the last half minute."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} rec/s" if task.speed else "- rec/s", style="cyan")


def _open_store(db: str | None) -> object:
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
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs, or .csv/.jsonl exports with id and text columns.")],
    out_files: Annotated[list[Path] | None, typer.Option("--out", "-o", help="Write one report per line (.jsonl) or one row per record (.csv); repeat for both.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML audit report (index.html and one page per record) into this folder.")] = None,
    mapping: Annotated[str | None, typer.Option("--map", help="Export columns, e.g. 'text=Body,id=RecordID,worker=Author,team=Team'.")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store: a SQLite file path, sqlite:///FILE or postgresql://... (default ./caseqa.db).")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes (default: the machine's cores).")] = os.cpu_count() or 1,
    store_text: Annotated[bool, typer.Option("--store-text", help="Keep each record's text in the store (off by default: children's data).")] = False,
    max_mb: Annotated[int, typer.Option("--max-mb", min=1, help="Files larger than this many MB fail as too large.")] = 25,
    rubric: RubricOpt = None,
    accurate: Annotated[bool, typer.Option("--accurate", help="Run the full spaCy pipeline everywhere (slower).")] = False,
) -> None:
    from analyser import __version__
    from analyser.audit_report import AuditReport
    from analyser.batch import BatchOptions, run_batch, save_outcome
    from analyser.inputs import RecordInput, iter_records, parse_mapping
    from analyser.models import models_version
    from analyser.output import ReportWriter
    from analyser.rubric import RubricError, load_rubric

    try:
        column_map = parse_mapping(mapping)
        rubric_version = load_rubric(rubric).version
        rubric_params = _rubric_params(rubric)
        for f in out_files or []:
            if f.suffix.lower() not in (".jsonl", ".csv"):
                raise ValueError(f"--out {f}: use a .jsonl or .csv file name")
    except (ValueError, RubricError, OSError) as exc:
        raise _fail(str(exc)) from None
    items = list(iter_records(paths, column_map))
    n_records = sum(isinstance(i, RecordInput) for i in items)
    if not n_records:
        for item in items:
            err.print(f"  {item.source}: {item.reason}", highlight=False)  # type: ignore[union-attr]
        raise _fail("no records found in " + " ".join(paths))
    store = _open_store(db)
    try:
        writers = [ReportWriter.open(f) for f in out_files or []]
        audit = AuditReport(html) if html else None
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    with err.status("loading the language pipeline ..."):
        model_version = models_version(accurate)
    params = {"paths": paths, "map": mapping, "accurate": accurate, "max_mb": max_mb, "store_text": store_text,
              "workers": workers, "inputs": len(items), **rubric_params}
    run_id = store.start_run(rubric_version=rubric_version, model_version=model_version,  # type: ignore[attr-defined]
                             caseqa_version=__version__, params=params)
    options = BatchOptions(
        rubric=str(rubric) if rubric else None, accurate=accurate, max_bytes=max_mb * 1024 * 1024,
        keep_text=store_text or html is not None,
        known=frozenset(store.scored_keys(rubric_version)),  # type: ignore[attr-defined]
    )
    counts = {"scored": 0, "skipped": 0, "failed": 0}
    failures: list[tuple[str, str]] = []
    grades: dict[str, int] = {}
    with Progress(
        TextColumn("[bold]scoring"), BarColumn(), MofNCompleteColumn(), _RateColumn(), TimeElapsedColumn(),
        TextColumn("left"), TimeRemainingColumn(), console=err,
    ) as progress:
        task = progress.add_task("score", total=len(items))
        for outcome in run_batch(items, options, workers=min(workers, n_records)):
            progress.advance(task)
            report = save_outcome(store, run_id, outcome, rubric_version=rubric_version, keep_text=store_text)  # type: ignore[arg-type]
            if report is None:
                assert outcome.failure is not None
                failures.append((outcome.failure.source, outcome.failure.reason))
                counts["failed"] += 1
                continue
            record = outcome.record
            assert record is not None
            counts["skipped" if outcome.skipped else "scored"] += 1
            grades[report.overall.grade] = grades.get(report.overall.grade, 0) + 1
            for w in writers:
                w.write(report, record.fields)
            if not writers and not html:
                sys.stdout.write(report.to_json() + "\n")
            if audit:
                audit.add(report, record.fields, outcome.text)
    store.finish_run(run_id, **counts)  # type: ignore[attr-defined]
    for w in writers:
        w.close()
    if audit:
        run = store.get_run(run_id)  # type: ignore[attr-defined]
        audit.finish(title="caseqa audit report", run=vars(run), failures=failures)
    _summary(run_id, counts, grades, failures, store, out_files or [], html)
    store.close()  # type: ignore[attr-defined]
    if failures:
        raise typer.Exit(EXIT_FAILURES)


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
        err.print(f"[bold red]{len(failures)} failed:[/]")
        for source, reason in failures[:50]:
            err.print(f"  {source}: {reason}", highlight=False, soft_wrap=True)
        if len(failures) > 50:
            err.print(f"  ... and {len(failures) - 50} more (see `caseqa report --run {run_id}`)")


@app.command()
def report(
    run_id: Annotated[int | None, typer.Option("--run", help="The run to report on (default: the latest run).")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML audit report into this folder.")] = None,
    out_files: Annotated[list[Path] | None, typer.Option("--out", "-o", help="Re-emit the run's reports as .jsonl or .csv; repeat for both.")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store (default ./caseqa.db).")] = None,
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
        audit = AuditReport(html) if html else None
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
        audit.finish(title="caseqa audit report", run=vars(run), failures=failures)
    out.print(f"run {run.id}: started {run.started_at:%Y-%m-%d %H:%M} UTC, "
              + (f"finished {run.finished_at:%H:%M}" if run.finished_at else "[yellow]not finished[/] (killed? run it again)")
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


@app.command()
def runs(
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store (default ./caseqa.db).")] = None,
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
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store (default ./caseqa.db).")] = None,
) -> None:
    """Create the store or bring its tables to the latest schema (also done on every open)."""
    store = _open_store(db)
    out.print(f"store at {_where(store)} is up to date", highlight=False)
    store.close()  # type: ignore[attr-defined]


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user's name (unique).")],
    role: Annotated[str, typer.Option("--role", help="social_worker, supervisor, auditor or admin.")],
    team: Annotated[str | None, typer.Option("--team", help="The user's team.")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store (default ./caseqa.db).")] = None,
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
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store (default ./caseqa.db).")] = None,
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
    name: Annotated[str, typer.Argument(help="The user's name.")],
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store (default ./caseqa.db).")] = None,
) -> None:
    """Remove a service user; their key stops working at once."""
    store = _open_store(db)
    removed = store.remove_user(name)  # type: ignore[attr-defined]
    store.close()  # type: ignore[attr-defined]
    if not removed:
        raise _fail(f"no user '{name}'")
    err.print(f"removed {name}", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default: only this machine can connect).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[str | None, typer.Option("--db", envvar="CASEQA_DB", help="Results store, shared with `caseqa users` and `caseqa score` (default ./caseqa.db).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=1, help="Server processes (1: batches and sessions live in the process).")] = 1,
    rubric: RubricOpt = None,
) -> None:
    """Run the web service: the draft checker and team dashboard pages, and the JSON API (docs at /docs)."""
    import logging

    import uvicorn

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
        err.print("[yellow]no users yet:[/] create one and sign in with the key it prints, e.g.\n"
                  f"  caseqa users add YOUR_NAME --role admin{' --db ' + db if db else ''}", highlight=False, soft_wrap=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print("[yellow]listening beyond this machine:[/] put it behind HTTPS (session cookies are marked Secure)",
                  highlight=False)
    uvicorn.run(create_app(settings), host=host, port=port, workers=workers, log_level="info",
                server_header=False, proxy_headers=False)


@app.command()
def evaluate(
    gold: Annotated[list[Path], typer.Option("--gold", help="A folder with gold.jsonl (or sub-folders with one); repeat for several sets.")],
    format: FormatOpt = "text",
    accurate: Annotated[bool, typer.Option("--accurate", help="Evaluate the full-pipeline mode.")] = False,
    errors_out: Annotated[Path | None, typer.Option("--errors", help="Write every missed, spurious or mismatched action to this JSONL file.")] = None,
) -> None:
    """Measure accuracy against gold labels: action precision/recall/F1, owner, timebound, deadline, doc type, score ordering."""
    from analyser import analyse_file
    from analyser.evaluate import evaluate as run_evaluation

    summaries = []
    all_errors: list[dict] = []
    for folder in gold:
        if not folder.is_dir():
            raise _fail(f"--gold {folder}: not a folder")
        with err.status(f"evaluating {folder} ..."):
            try:
                ev = run_evaluation(folder, lambda p: analyse_file(p, accurate=accurate), name=str(folder), keep_errors=errors_out is not None)
            except (FileNotFoundError, ValueError) as exc:
                raise _fail(str(exc)) from None
        summaries.append(ev.summary())
        all_errors += ev.errors
    if errors_out:
        errors_out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in all_errors), encoding="utf-8")
    if format == "json":
        sys.stdout.write(json.dumps(summaries if len(summaries) > 1 else summaries[0], indent=2) + "\n")
        return
    for s in summaries:
        a = s["actions"]
        t = Table(title=f"{s['set']}: {s['records']} records" + (f", {s['failed']} failed" if s["failed"] else ""), show_header=True)
        t.add_column("measure")
        t.add_column("value", justify="right")
        for label, key in (("action precision", "precision"), ("action recall", "recall"), ("action F1", "f1"),
                           ("owner accuracy", "owner_accuracy"), ("timebound accuracy", "timebound_accuracy"),
                           ("deadline date accuracy", "deadline_accuracy")):
            t.add_row(label, _fmt_num(a[key]))
        t.add_row("gold / predicted actions", f"{a['gold']} / {a['predicted']}")
        t.add_row("document type accuracy", _fmt_num(s["doc_type_accuracy"]))
        t.add_row("record date accuracy", _fmt_num(s["date_accuracy"]))
        for d, m in s["dimensions"].items():
            t.add_row(f"{d}: pairwise ordering", _fmt_num(m["pairwise_accuracy"]))
            t.add_row(f"{d}: Spearman", _fmt_num(m["spearman"]))
            if m["paired_versions"]:
                t.add_row(f"{d}: better version scores higher", f"{_fmt_num(m['paired_versions_accuracy'])} of {m['paired_versions']}")
        out.print(t)


def _fmt_num(x: object) -> str:
    return "-" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


@app.command()
def train(
    train_dir: Annotated[Path, typer.Option("--train", help="Gold folder to train on (the synthetic train split).")] = Path("corpus/synthetic/train"),
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the model files.")] = Path("models"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed and data give the same models.")] = 13,
    eval_dirs: Annotated[list[Path] | None, typer.Option("--eval", help="Gold folders to measure on (never trained on); repeatable.")] = None,
    format: FormatOpt = "text",
) -> None:
    """Train the action and document-type classifiers (scikit-learn, saved with skops)."""
    from analyser.models import train as run_training

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
    app()


if __name__ == "__main__":
    main()
