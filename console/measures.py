"""Measures in the terminal: the accuracy evaluation and the speed benchmark, as tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from console import styles


def fmt_num(x: object) -> str:
    return "-" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def render_evaluation(summaries: list[dict], console: Console) -> None:
    """One table a gold set: actions, owners, deadlines, document facts, score ordering and drift."""
    for s in summaries:
        a = s["actions"]
        t = Table(title=f"{s['set']}: {s['records']} records" + (f", {s['failed']} failed" if s["failed"] else ""), show_header=True)
        t.add_column("measure")
        t.add_column("value", justify="right")
        for label, key in (("action precision", "precision"), ("action recall", "recall"), ("action F1", "f1"),
                           ("owner accuracy", "owner_accuracy"), ("owner as written accuracy", "owner_text_accuracy"),
                           ("timebound accuracy", "timebound_accuracy"),
                           ("deadline date accuracy", "deadline_accuracy")):
            t.add_row(label, fmt_num(a[key]))
        t.add_row("gold / predicted actions", f"{a['gold']} / {a['predicted']}")
        t.add_row("document type accuracy", fmt_num(s["doc_type_accuracy"]))
        t.add_row("record date accuracy", fmt_num(s["date_accuracy"]))
        t.add_row("addressee accuracy", fmt_num(s["addressee_accuracy"]))
        t.add_row("author accuracy", fmt_num(s["author_accuracy"]))
        for fact, value in s["fact_accuracy"].items():
            t.add_row(f"{fact.replace('_', ' ')} accuracy", fmt_num(value))
        for d, m in s["dimensions"].items():
            t.add_row(f"{d}: pairwise ordering", fmt_num(m["pairwise_accuracy"]))
            t.add_row(f"{d}: Spearman", fmt_num(m["spearman"]))
            if m["paired_versions"]:
                t.add_row(f"{d}: better version scores higher", f"{fmt_num(m['paired_versions_accuracy'])} of {m['paired_versions']}")
        if "drift" in s:
            dr = s["drift"]
            for code, m in [*dr["types"].items(), ("any type", dr["any_type"])]:
                t.add_row(f"drift {code.replace('_', ' ')}: precision / recall ({m['gold']} gold)",
                          f"{fmt_num(m['precision'])} / {fmt_num(m['recall'])}")
            t.add_row("drift: clean children with findings", f"{dr['clean_children_with_findings']} of {dr['clean_children']}")
        console.print(t)


def render_bench(results: dict, console: Console) -> None:
    """The benchmark as a table: rates, ratios, latency, memory and scaling, with the targets."""
    from measure.bench import TARGETS, meets

    m = results["machine"]
    t = Table(title=f"caseqa bench: {results['documents']} records, {results['words']} words ({results['corpus']}); "
              f"{m['cpu']}, {m['cores']} cores", show_header=True)
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_column("target")
    rows = [
        (f"(a) naive: en_core_web_sm full + textstat, words/s (batch {results.get('naive_batch_size', 256)}, "
         "its fastest)", "words_per_s_naive"),
        ("(a) naive at spaCy's default batch of 256, words/s", "words_per_s_naive_default_batch"),
        ("(b) caseqa default analysis, words/s", "words_per_s_caseqa"),
        ("(c) spaCy tokenizer alone, words/s", "words_per_s_tokenizer"),
        ("(b)/(a) speed-up vs naive", "speedup_vs_naive"),
        ("(b)/(a) speed-up vs naive, CPU time", "speedup_vs_naive_cpu"),
        ("(b)/(a) speed-up vs naive at its default batch", "speedup_vs_naive_default_batch"),
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
        (f"  the machine's own: busy loop, {results['workers']} processes vs 1", "scaling_2_vs_1_control"),
        ("pipeline load, s", "pipeline_load_s"),
    ]
    for label, key in rows:
        if key not in results:
            continue
        target: Text | str = ""
        if key in TARGETS:
            op, bound = TARGETS[key]
            ok = meets(results, key)
            target = Text(f" {op} {bound:g} {'met' if ok else 'missed'} ", style=styles.OK if ok else styles.MISSING)
        t.add_row(label, fmt_num(results[key]), target)
    console.print(t)
    console.print(f"load average at start: {m['load_avg_1m_at_start']} (other work on the machine slows the wall-clock rates; "
                  "the CPU-time rows are steadier)", style=styles.NOTE)


def render_calibration(folder: object, res: dict, console: Console) -> None:
    """Agreement of caseqa's grades with two readers' on one calibration set."""
    t = Table(title=f"{folder}: {res['records']} records graded by two readers", show_header=True)
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_row("grade exact (a reader's grade)", fmt_num(res["grade_exact"]))
    t.add_row("grade within one of the readers' mean", fmt_num(res["grade_within_one"]))
    t.add_row("readers agree with each other", fmt_num(res["readers_agree_exact"]))
    for d, m in res["dimensions"].items():
        t.add_row(f"{d}: Spearman with readers' bands", fmt_num(m["spearman"]))
        t.add_row(f"{d}: band exact", fmt_num(m["band_exact"]))
    console.print(t)
