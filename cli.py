"""caseqa command line: one command per user job.

    caseqa check FILE            check one record (a draft) and show what to fix
    caseqa score PATH...         score files, folders and exports; write JSONL/CSV
    caseqa corpus generate       write synthetic records with gold labels
    caseqa evaluate --gold DIR   measure accuracy against gold labels
    caseqa train                 train the models from the synthetic train split
    caseqa bench                 measure speed against the naive spaCy build

Exit codes: 0 success; 1 some records failed (the rest were scored); 2 bad usage or input.
"""

from __future__ import annotations

import json
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


@app.command()
def bench(
    corpus: Annotated[Optional[Path], typer.Option("--corpus", help="A folder of records (default: corpus/synthetic/test, else the examples repeated).")] = None,
    format: FormatOpt = "text",
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="Also write the JSON results to this file.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes for the scaling measure.")] = 2,
) -> None:
    """Measure speed: naive spaCy+textstat vs caseqa vs the tokenizer alone, scaling, memory, draft latency."""
    from analyser import bench as benchmark

    if format not in ("text", "json"):
        raise _fail(f"--format must be 'text' or 'json', not '{format}'")
    try:
        records = benchmark.load_corpus(corpus)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    with err.status("benchmarking ...") as status:
        results = benchmark.run(records, workers=workers, progress=lambda msg: status.update(f"benchmarking: {msg} ..."))
    text = json.dumps(results, indent=2)
    if out_file:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text + "\n", encoding="utf-8")
    if format == "json":
        sys.stdout.write(text + "\n")
        return
    render_bench(results, out)
    if out_file:
        err.print(f"wrote {out_file}")


def render_bench(results: dict, console: Console) -> None:
    """The benchmark as a table: rates, ratios, latency, memory and scaling, with the targets."""
    from analyser.bench import TARGETS, meets

    m = results["machine"]
    t = Table(title=f"caseqa bench: {results['documents']} records, {results['words']} words ({results['corpus']}); "
              f"{m['cpu']}, {m['cores']} cores", show_header=True)
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_column("target")
    rows = [
        ("(a) naive: en_core_web_sm full + textstat, words/s", "words_per_s_naive"),
        ("(b) caseqa default analysis, words/s", "words_per_s_caseqa"),
        ("(c) spaCy tokenizer alone, words/s", "words_per_s_tokenizer"),
        ("(b)/(a) speed-up vs naive", "speedup_vs_naive"),
        ("(b)/(a) speed-up vs naive, CPU time", "speedup_vs_naive_cpu"),
        ("(b)/(c) share of the tokenizer ceiling", "share_of_tokenizer"),
        ("records/s naive", "docs_per_s_naive"),
        ("records/s caseqa", "docs_per_s_caseqa"),
        ("records/s tokenizer", "docs_per_s_tokenizer"),
        (f"draft ({results['draft_words']} words) p50 ms, in-process", "p50_ms_draft"),
        ("draft p95 ms, in-process", "p95_ms_draft"),
        ("draft p95 ms, in-process, CPU time", "p95_ms_draft_cpu"),
        ("draft p50 ms, web API", "p50_ms_draft_api"),
        ("draft p95 ms, web API", "p95_ms_draft_api"),
        ("peak memory per worker, MB", "peak_rss_mb"),
        ("batch words/s, 1 worker", "words_per_s_1_worker"),
        (f"batch words/s, {results['workers']} workers", f"words_per_s_{results['workers']}_workers"),
        (f"scaling {results['workers']} workers vs 1", "scaling_2_vs_1"),
        ("pipeline load, s", "pipeline_load_s"),
    ]
    for label, key in rows:
        if key not in results:
            continue
        target = ""
        if key in TARGETS:
            op, bound = TARGETS[key]
            ok = meets(results, key)
            target = f"[{'green' if ok else 'red'}]{op} {bound:g} {'met' if ok else 'missed'}[/]"
        t.add_row(label, _fmt_num(results[key]), target)
    console.print(t)
    console.print(f"load average at start: {m['load_avg_1m_at_start']} (other work on the machine slows the wall-clock rates; "
                  "the CPU-time rows are steadier)", style="dim")


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
