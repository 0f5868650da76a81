"""A child's timeline in the terminal: one row a record, then the drift found in each record."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from console import styles


def render_timeline(data: dict, console: Console) -> None:
    """The timeline for people: one row a record, then the drift findings under the record they were found in."""
    per_record: dict[str, int] = {}
    for f in data["findings"]:
        per_record[f["record_id"]] = per_record.get(f["record_id"], 0) + 1
    title = f"child {data['child_id']}" if data["child_id"] else "child linked by name and date of birth"
    t = Table(title=f"{title}: {len(data['records'])} records", show_header=True, header_style="bold", box=None)
    for c in ("date", "document", "record", "grade", "score", "drift"):
        t.add_column(c, justify="right" if c in ("score", "drift") else "left")
    for r in data["records"]:
        n = per_record.get(r["id"], 0)
        t.add_row(r["date"] or "-", r["doc_type"].replace("_", " "), r["id"],
                  Text(f" {r['grade'].replace('_', ' ')} ", style=styles.GRADE.get(r["grade"], "")), f"{r['overall_score']:.0f}",
                  Text(str(n), style="bold" if n else ""))
    console.print(t)
    if not data["findings"]:
        console.print("No drift found: every decision was followed up, nothing was carried over, and reviews were on time.")
        return
    current = None
    grid: Table | None = None
    for f in data["findings"]:
        if f["record_id"] != current:
            if grid is not None:
                console.print(grid)
            current = f["record_id"]
            console.print(Text(f"\n{current}", style="bold"))
            # Each finding wraps inside its own column, indented under the record's id.
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=1, no_wrap=True)
            grid.add_column(ratio=1)
        lines = [Text.assemble((f" {f['code'].replace('_', ' ')} ", styles.SEVERITY.get(f["severity"], "bold")), " ", f["message"])]
        if f.get("suggestion"):
            lines.append(Text.assemble(("fix: ", styles.FIX), f["suggestion"]))
        assert grid is not None
        grid.add_row("", Group(*lines, Text("")))
    if grid is not None:
        console.print(grid)
