"""Take the README/docs screenshots from the real app: the draft checker and the supervisor dashboard.

    PYTHONPATH=. python scripts/screenshots.py [--out docs/img]

Starts the service on a free loopback port with a throwaway store holding two workers' scored records
(synthetic, from corpus/synthetic/dev) and a supervision of each (so the dashboard's supervision columns
have numbers), signs in with Debian's Chromium through Playwright, and saves docs/img/draft-checker.png
and docs/img/dashboard.png; then writes the HTML audit report of the same records (the code `caseqa score
--html` runs) and saves docs/img/audit-report.png and docs/img/audit-record.png. Run it after changing a
page: the README's pictures are then the app as it is.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyser import analyse
from analyser.audit_report import AuditReport
from analyser.batch import content_hash
from analyser.store import Store
from analyser.supervision import build_supervision, save_supervision
from service.background import BackgroundServer
from service.config import Settings

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--hide-scrollbars", "--lang=en-GB"]
WORKERS = ("Jo Smith", "Sam Okafor")


def demo_store(db: str) -> dict[str, str]:
    """Users, and eight records a worker over six months (Jo's plans get better; Sam's stay mixed)."""
    with Store(db) as store:
        keys = {name: store.add_user(name, "social_worker", "North")[1] for name in WORKERS}
        keys["Priya Shah"] = store.add_user("Priya Shah", "supervisor", "North")[1]
        run = store.start_run(rubric_version="demo", model_version="demo", caseqa_version="demo", params={"demo": True})
        files = sorted((ROOT / "corpus" / "synthetic" / "dev").glob("*.txt"))[:16]
        scored = []
        for path in files:
            text = path.read_text(encoding="utf-8")
            scored.append((analyse(text, id=path.stem).overall.score, path.stem, text))
        scored.sort()
        jo, sam = scored[::2], scored[1::2][::-1]
        sam = sam[::2] + sam[1::2]  # mixed
        start = date(2025, 1, 6)
        for worker, items in (("Jo Smith", jo), ("Sam Okafor", sam)):
            for i, (_, stem, text) in enumerate(items):
                day = start + timedelta(days=23 * i + (5 if worker == "Sam Okafor" else 0))
                report = analyse(text, id=f"{stem.upper()}", date=day.isoformat())
                store.save_result(run, report, content_hash=content_hash(text, {"date": day.isoformat()}),
                                  fields={"worker": worker, "team": "North"}, text=text, submitted_by=worker)
        store.finish_run(run, scored=len(scored), skipped=0, failed=0)
        # One supervision a worker in mid-April: the loop columns (raised, closed, overdue) get numbers.
        for worker in WORKERS:
            save_supervision(store, build_supervision(store, worker, on=date(2025, 4, 14)))
    return keys


def audit_report(db: str, out: Path) -> Path:
    """The HTML audit report of the demo store's records, as `caseqa report --html` writes it."""
    with Store(db) as store:
        audit = AuditReport(out)
        run = store.list_runs(1)[0]
        for row, report in store.run_reports(run.id):
            audit.add(report, row.fields, store.get_text(row.record_id, row.version))
        return audit.finish(title="caseqa audit report: North team (synthetic records)", run=vars(run))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        keys = demo_store(db)
        draft = (ROOT / "examples" / "care_plan_amira_before.txt").read_text(encoding="utf-8")
        with BackgroundServer(Settings(db=db, session_secret="demo" * 8)) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for who, path, shot in (("Jo Smith", "/", "draft-checker.png"), ("Priya Shah", "/dashboard", "dashboard.png")):
                context = browser.new_context(viewport={"width": 1440, "height": 1500 if path == "/" else 1100},
                                              device_scale_factor=1, locale="en-GB")
                page = context.new_page()
                page.goto(f"{server.url}{path}")
                page.get_by_label("API key").fill(keys[who])
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{server.url}{path}")
                if path == "/":
                    page.get_by_label("Child's age").fill("9")
                    page.get_by_label("Draft text").fill(draft)
                    page.locator("#feedback mark").first.wait_for()
                    page.wait_for_timeout(300)
                page.screenshot(path=str(args.out / shot), full_page=path != "/")
                print(args.out / shot)
                context.close()
            audit = audit_report(db, Path(tmp) / "audit")
            worst = sorted((Path(tmp) / "audit" / "records").glob("*.html"))[0]
            for url, shot, size in ((audit.as_uri(), "audit-report.png", (1280, 1400)),
                                    (worst.as_uri(), "audit-record.png", (1280, 1400))):
                context = browser.new_context(viewport={"width": size[0], "height": size[1]}, device_scale_factor=1, locale="en-GB")
                page = context.new_page()
                page.goto(url)
                page.screenshot(path=str(args.out / shot))
                print(args.out / shot)
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
