#!/usr/bin/env bash
# The supervision loop on the bundled examples: score two workers' records, write Jo Smith's supervision
# (Word and Markdown), fix Amira's care plan, re-score, and write the next supervision, where the fixed
# shortfalls show as done. With LibreOffice and pdftoppm installed it also renders the Word output to PNG.
# Usage: bash scripts/supervision-demo.sh [OUT_DIR]   (default out/supervision-demo; needs `make install`)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/supervision-demo}
CASEQA=${CASEQA:-.venv/bin/caseqa}
PY=${PY:-.venv/bin/python}
rm -rf "$OUT" && mkdir -p "$OUT"
# Two exports of the case-management system: before and after Jo rewrote Amira's care plan (same record id).
"$PY" - "$OUT" <<'PYEOF'
import csv, sys
from pathlib import Path
out, ex = Path(sys.argv[1]), Path("examples")
for name, amira in (("export-before.csv", "care_plan_amira_before.txt"), ("export-after.csv", "care_plan_amira.txt")):
    with (out / name).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["RecordID", "Body", "Author", "Team", "Manager"])
        w.writerow(["CP-1041", (ex / amira).read_text(), "Jo Smith", "North Children in Care", "Ann Lee"])
        w.writerow(["RM-2207", (ex / "review_minutes_josh.txt").read_text(), "Jo Smith", "North Children in Care", "Ann Lee"])
        w.writerow(["PP-0310", (ex / "pathway_plan_leah.md").read_text(), "Sam Patel", "Leaving Care", "Raj Kaur"])
PYEOF
MAP="text=Body,id=RecordID,worker=Author,team=Team,supervisor=Manager"
DB="$OUT/caseqa.db"
FIRST=$("$PY" -c 'import datetime as d; print((d.date.today() - d.timedelta(days=28)).isoformat())')
"$CASEQA" score "$OUT/export-before.csv" --map "$MAP" --db "$DB" --out "$OUT/before.jsonl"
"$CASEQA" supervision "Jo Smith" --db "$DB" --date "$FIRST" --out "$OUT/jo-1.docx"
"$CASEQA" supervision "Jo Smith" --db "$DB" --date "$FIRST" --out "$OUT/jo-1.md"
"$CASEQA" score "$OUT/export-after.csv" --map "$MAP" --db "$DB" --out "$OUT/after.jsonl" --html "$OUT/audit"
"$CASEQA" supervision "Jo Smith" --db "$DB" --out "$OUT/jo-2.docx"
"$CASEQA" supervision "Jo Smith" --db "$DB" --out "$OUT/jo-2.md"
if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then
  soffice --headless --convert-to pdf "$OUT/jo-2.docx" --outdir "$OUT" >/dev/null
  pdftoppm -png -r 90 -f 1 -l 1 -singlefile "$OUT/jo-2.pdf" "$OUT/jo-2"
  echo "rendered $OUT/jo-2.png"
fi
