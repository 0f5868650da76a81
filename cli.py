"""caseqa command line: one command per user job.

    caseqa check FILE            check one record (a draft) and show what to fix
    caseqa score PATH...         score files, folders and exports; write JSONL/CSV
    caseqa spark-score INPUT     score a Parquet/CSV/JSONL table on Apache Spark (local or a cluster)
    caseqa corpus generate       write synthetic records with gold labels
    caseqa evaluate --gold DIR   measure accuracy against gold labels
    caseqa train                 train the models from the synthetic train split

Exit codes: 0 success; 1 some records failed (the rest were scored); 2 bad usage or input.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
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

out = Console()
err = Console(stderr=True)

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2

DocTypeOpt = Annotated[
    Optional[str],
    typer.Option("--doc-type", help="care_plan, review_minutes, pathway_plan or other (default: read from the text)."),
]
ChildNameOpt = Annotated[Optional[str], typer.Option("--child-name", help="The child's first name (default: read from the text).")]
ChildAgeOpt = Annotated[Optional[int], typer.Option("--child-age", min=0, max=25, help="The child's age in years; sets the target reading age.")]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="The record's date, YYYY-MM-DD or DD/MM/YYYY (default: read from the text).")]
RubricOpt = Annotated[
    Optional[Path],
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
_GRADE_STYLE = {"outstanding": "bold green", "good": "green", "requires_improvement": "yellow", "inadequate": "bold red"}


def _fail(message: str, code: int = EXIT_USAGE) -> "typer.Exit":
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


def render_report(report: "object", text: str, console: Console) -> None:
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


@app.command()
def score(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs, or .csv/.jsonl exports with id and text columns.")],
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write one report per line (.jsonl) or one row per record (.csv).")] = None,
    mapping: Annotated[Optional[str], typer.Option("--map", help="Export columns, e.g. 'text=Body,id=RecordID,worker=Author'.")] = None,
    rubric: RubricOpt = None,
    accurate: Annotated[bool, typer.Option("--accurate", help="Run the full spaCy pipeline everywhere (slower).")] = False,
) -> None:
    """Score many records; a broken file is reported and skipped, the rest are still scored."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from analyser.batch import score_records
    from analyser.inputs import iter_records, parse_mapping
    from analyser.output import ReportWriter
    from analyser.rubric import RubricError, load_rubric

    try:
        column_map = parse_mapping(mapping)
        load_rubric(rubric)
        writer = ReportWriter.open(out_file) if out_file else None
    except (ValueError, RubricError, OSError) as exc:
        raise _fail(str(exc)) from None
    items = list(iter_records(paths, column_map))
    failures = []
    scored = 0
    grades: dict[str, int] = {}
    with Progress(
        TextColumn("[bold]scoring"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(), console=err, transient=False,
    ) as progress:
        task = progress.add_task("score", total=len(items), rate="")
        for outcome in score_records(items, rubric=rubric, accurate=accurate):
            if outcome.report is not None:
                scored += 1
                grades[outcome.report.overall.grade] = grades.get(outcome.report.overall.grade, 0) + 1
                if writer:
                    writer.write(outcome.report, outcome.record.fields if outcome.record else {})
                else:
                    sys.stdout.write(outcome.report.to_json() + "\n")
            elif outcome.failure is not None:
                failures.append(outcome.failure)
            elapsed = progress.tasks[0].elapsed or 0
            done = progress.tasks[0].completed + 1
            progress.update(task, advance=1, rate=f"{done / elapsed:.1f} rec/s" if elapsed else "")
    if writer:
        writer.close()
    err.print(f"scored {scored} records" + (f", wrote {out_file}" if out_file else "") + "; grades: "
              + ", ".join(f"{g.replace('_', ' ')} {n}" for g, n in sorted(grades.items())))
    if failures:
        err.print(f"[bold red]{len(failures)} failed:[/]")
        for f in failures:
            err.print(f"  {f.source}: {f.reason}", highlight=False)
        raise typer.Exit(EXIT_FAILURES)


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
    input: Annotated[str, typer.Argument(help="Parquet, CSV or JSONL: a file or a folder of parts, any path Spark reads (hdfs://, s3a://, abfss://).")],
    out_path: Annotated[str, typer.Option("--out", "-o", help="Output folder (Spark writes one part file per partition).")],
    master: Annotated[str, typer.Option("--master", help="Spark master: local[*], local[2], spark://host:7077, yarn ...")] = "local[*]",
    out_format: Annotated[str, typer.Option("--format", "-f", help="Output: 'parquet' or 'jsonl'.")] = "parquet",
    input_format: Annotated[Optional[str], typer.Option("--input-format", help="parquet, csv or jsonl (default: from the extension).")] = None,
    mapping: Annotated[Optional[str], typer.Option("--map", help="Columns, e.g. 'text=Body,id=RecordID,doc_type=Kind,date=Created'.")] = None,
    partitions: Annotated[Optional[int], typer.Option("--partitions", min=1, help="Spread the records over this many tasks (default: 2 per core).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace the output folder if it exists.")] = False,
    rubric: Annotated[Optional[Path], typer.Option("--rubric", help="A rubric TOML file every executor can read at this path.")] = None,
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
        err.print(f"[bold red]{len(failures)} failed:[/]")
        for row in failures[:20]:
            err.print(f"  {row['id'] or '(no id)'}: {row['error']}", highlight=False)
        if len(failures) > 20:
            err.print(f"  ... and {len(failures) - 20} more (the error column of the output lists them all)")
        raise typer.Exit(EXIT_FAILURES)


@app.command()
def evaluate(
    gold: Annotated[list[Path], typer.Option("--gold", help="A folder with gold.jsonl (or sub-folders with one); repeat for several sets.")],
    format: FormatOpt = "text",
    accurate: Annotated[bool, typer.Option("--accurate", help="Evaluate the full-pipeline mode.")] = False,
    errors_out: Annotated[Optional[Path], typer.Option("--errors", help="Write every missed, spurious or mismatched action to this JSONL file.")] = None,
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
