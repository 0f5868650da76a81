"""The soak test: a real service under many clients for minutes, its memory sampled throughout.

spaCy's vocabulary (its ``StringStore`` and lexemes) grows with every word it has not seen before, and
drafts bring new names, places and misspellings with every request. The service bounds that growth by
running analyses in worker processes that are replaced after ``CASEQA_ANALYSIS_RECYCLE_AFTER`` analyses
(``service/worker.py``, docs/SERVICE.md). This module shows whether the bound holds:

* it starts the real service as the docs say (``caseqa users add ... --db`` for an API key, then
  ``caseqa serve --port ... --db ...``) in a child process, on a free loopback port, with a throwaway
  SQLite store and process-mode analysis workers, and waits for ``/readyz``;
* ``clients`` threads, each with its own ``httpx`` client, post synthetic care-plan paragraphs to the
  draft check (``POST /v1/analyse``, one in four asking for the highlighted HTML the draft checker page
  shows) for ``seconds``; every draft carries about ten made-up words (names, places, a school, a club)
  never sent before, so the vocabulary would grow without the recycling;
* a sampler adds up the resident memory (RSS) of the server process and all its children (the analysis
  workers) every ``sample_every`` seconds (psutil when it is installed, else ``/proc``);
* at the end it reads the service's own counters (``GET /metrics``: analyses by outcome, workers replaced
  by reason) and stops the service.

The verdict compares the memory at the end with the memory at the end of the warm-up (the first 20% of
the run, at least 30 s when the run is 150 s or more), each the median of the samples in the last 10% of
the run's length up to that moment: "bounded" when it grew less than 10%.

Record text is never logged or printed, drafts included: errors are counted by status only and the
server's log (which never holds record text either) goes to a temporary file, quoted only when the
service fails to start.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CLIENTS = 50
DEFAULT_SECONDS = 300.0
SAMPLE_EVERY = 2.0  # seconds between memory samples
BOUNDED_GROWTH_PCT = 10.0  # memory after the warm-up may grow less than this for "bounded"
READY_TIMEOUT = 180.0  # seconds the service may take to start and load the pipeline
HTML_EVERY = 4  # one request in this many asks for the draft checker's HTML fragment

# ---------------------------------------------------------------------------------------------------------
# Drafts: realistic care-plan paragraphs, each with new made-up words
# ---------------------------------------------------------------------------------------------------------

# Consonant + vowel syllables, all two letters: a word made of them parses one way only, so distinct
# numbers give distinct words (see :func:`made_up_word`).
_SYLLABLES = tuple(c + v for c in "bdfgklmnprstvz" for v in "aeiou")
_STARTS = ("Bra", "Cor", "Dru", "Fen", "Gal", "Hol", "Jas", "Kel", "Lor", "Mar", "Nor", "Pel", "Quin", "Ros",
           "Sel", "Tam", "Ul", "Vor", "Wen", "Yar", "Zel")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WORKER_FIRST = ("Jo", "Sam", "Priya", "Tom", "Aisha", "Mark", "Helen", "Ravi", "Claire", "Dev")
_CONDITIONS = ("asthma", "eczema", "a hearing test", "a dental check", "an eye test", "speech therapy")
_LIKES = ("drawing", "football", "swimming", "dancing", "cooking with mum", "gaming", "reading comics")


def made_up_word(n: int, start: str) -> str:
    """A word nobody has sent before: ``start`` then the number ``n`` in bijective base-70 syllables.

    ``start`` is one of a fixed set of capitalised openings (3 or 4 letters); the syllables that follow are
    all two letters, so two different ``n`` never give the same word for the same opening, and different
    openings differ in their first letters."""
    digits = []
    n += 1
    while n:
        n, r = divmod(n - 1, len(_SYLLABLES))
        digits.append(_SYLLABLES[r])
    return start + "".join(reversed(digits))


class Drafts:
    """Thread-safe maker of synthetic drafts; every call uses fresh made-up words (``words_per_draft`` of them)."""

    words_per_draft = 10

    def __init__(self, seed: int = 13) -> None:
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self._rng = random.Random(f"caseqa-soak:{seed}")

    def _word(self, rng: random.Random) -> str:
        with self._lock:
            n = next(self._numbers)
        return made_up_word(n, rng.choice(_STARTS))

    def make(self) -> tuple[str, int]:
        """A care plan's opening paragraph and actions about a made-up child, and the child's age."""
        with self._lock:
            rng = random.Random(self._rng.getrandbits(64))
        w = [self._word(rng) for _ in range(self.words_per_draft)]
        first, surname, mum, brother, street, town, school, club, clinic, worker = w
        age = rng.randint(4, 16)
        day, month, year = rng.randint(1, 28), rng.randrange(12), rng.choice((2024, 2025))
        due = _MONTHS[(month + 1) % 12]
        review = _MONTHS[(month + 3) % 12]
        who = f"{rng.choice(_WORKER_FIRST)} {worker}"
        text = (
            "CARE PLAN\n"
            f"Child's name: {first} {surname}\n"
            f"Date of plan: {day:02d}/{month + 1:02d}/{year}\n\n"
            f"{first} is {age} and lives with her mum, {mum} {surname}, and her younger brother {brother} "
            f"on {street} Road in {town}. {first} goes to {school} Primary School and told me she likes "
            f"{rng.choice(_LIKES)} and going to the {club} youth club on Saturdays. She said home feels calmer "
            f"since the last review but she still worries when mum is unwell. Mum said the family sometimes "
            f"runs out of money before the end of the month.\n\n"
            "What we will do:\n"
            f"- {who} (your social worker) will visit you at home every two weeks, starting by {day} {due} "
            f"{year}, to talk with you about how things are at home.\n"
            f"- {mum} will take {first} to the {clinic} clinic for {rng.choice(_CONDITIONS)} by the end of "
            f"{due}.\n"
            f"- {school} Primary School will tell {who} by email if {first} misses more than two days of "
            "school in a month.\n"
            f"- {who} will refer the family to the {town} food bank and help mum apply for the school "
            f"uniform grant by {day} {due} {year}.\n"
            "- Mum to engage with services.\n\n"
            f"Next review: {day} {review} {year}\n"
        )
        return text, age


# ---------------------------------------------------------------------------------------------------------
# Memory: the server process and all its children
# ---------------------------------------------------------------------------------------------------------


def _proc_tree_rss(pid: int) -> dict[int, int]:
    """Resident bytes of ``pid`` and every descendant, by pid, from ``/proc`` (no psutil)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after the command name, which may hold spaces
        parents[int(entry)] = int(fields[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        for child, parent in parents.items():
            if parent == p and child not in tree:
                tree.add(child)
                frontier.append(child)
    out = {}
    for p in tree:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        m = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if m:
            out[p] = int(m.group(1)) * 1024
    return out


def tree_rss(pid: int) -> dict[int, int]:
    """Resident bytes of process ``pid`` and all its descendants, by pid (psutil if installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        return _proc_tree_rss(pid)
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return {}
    out = {}
    for p in procs:
        try:
            out[p.pid] = int(p.memory_info().rss)
        except psutil.Error:  # exited between the listing and the read (a worker being replaced)
            continue
    return out


@dataclass
class Sampler:
    """Samples the RSS of a process tree every ``every`` seconds in a thread until stopped."""

    pid: int
    every: float = SAMPLE_EVERY
    t0: float = field(default_factory=time.monotonic)
    samples: list[dict[str, float]] = field(default_factory=list)
    pids_seen: set[int] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        rss = tree_rss(self.pid)
        if not rss:
            return
        self.pids_seen |= set(rss) - {self.pid}
        server = rss.get(self.pid, 0)
        total = sum(rss.values())
        self.samples.append({"t_s": round(time.monotonic() - self.t0, 2), "rss_mb": round(total / 1e6, 1),
                             "server_mb": round(server / 1e6, 1), "children_mb": round((total - server) / 1e6, 1),
                             "processes": len(rss)})

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.sample()
        self._thread = threading.Thread(target=self._loop, name="caseqa-soak-rss", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.sample()  # the last one: after the load, before the service stops


# ---------------------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _caseqa_command() -> list[str]:
    """The ``caseqa`` console script next to this interpreter, else ``python -m cli`` (the same entry point)."""
    script = Path(sys.executable).with_name("caseqa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def service_settings(recycle_after: int | None) -> dict[str, Any]:
    """The analysis settings the service will run with: this environment's, in process mode, ``recycle_after`` if given."""
    from service.config import Settings

    given: dict[str, Any] = {"analysis_mode": "process"}
    if recycle_after is not None:
        given["analysis_recycle_after"] = recycle_after
    s = Settings(**given)
    return {"analysis_mode": s.analysis_mode, "analysis_workers": s.analysis_workers,
            "analysis_recycle_after": s.analysis_recycle_after}


class Service:
    """``caseqa serve`` in a child process on a free port with a throwaway store and one API key."""

    def __init__(self, folder: Path, *, recycle_after: int | None = None) -> None:
        self.folder = folder
        self.db = folder / "soak.db"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "service.log"
        env = {**os.environ, "CASEQA_DB": str(self.db), "CASEQA_ANALYSIS_MODE": "process",
               "CASEQA_SESSION_SECRET": secrets.token_urlsafe(32)}
        if recycle_after is not None:
            env["CASEQA_ANALYSIS_RECYCLE_AFTER"] = str(recycle_after)
        self.env = env
        self.settings = service_settings(recycle_after)
        self.key = ""
        self.process: subprocess.Popen[bytes] | None = None

    def add_user(self) -> str:
        """An API key from ``caseqa users add`` (a social worker: draft checks need no more)."""
        proc = subprocess.run([*_caseqa_command(), "users", "add", "soak-client", "--role", "social_worker",
                               "--team", "Soak", "--db", str(self.db)],
                              capture_output=True, text=True, env=self.env, timeout=120)
        key = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        if proc.returncode != 0 or not key.startswith("cqa_"):
            raise RuntimeError(f"`caseqa users add` failed (exit {proc.returncode}): {proc.stderr[-1000:]}")
        self.key = key
        return key

    def start(self) -> None:
        import httpx

        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [*_caseqa_command(), "serve", "--port", str(self.port), "--db", str(self.db)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env)
        deadline = time.monotonic() + READY_TIMEOUT
        with httpx.Client(base_url=self.url, timeout=5) as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the service exited (code {self.process.returncode}) before it was ready:\n"
                                       f"{self.log_tail()}")
                try:
                    if client.get("/readyz").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the service was not ready within {READY_TIMEOUT:g} s:\n{self.log_tail()}")
                time.sleep(0.25)

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the service's log (the service never logs record text)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def metrics(self) -> dict[str, dict[str, float]]:
        """The service's counters: ``analyses`` by outcome, ``workers_replaced`` by reason (from ``/metrics``)."""
        import httpx

        r = httpx.get(f"{self.url}/metrics", headers={"Authorization": f"Bearer {self.key}"}, timeout=30)
        r.raise_for_status()
        return parse_metrics(r.text)

    def stop(self) -> None:
        """Ctrl-C (the service stops its workers), then, after 30 s, SIGKILL to whatever of its tree is left."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            for pid in tree_rss(self.process.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.process.wait(10)


_METRIC = re.compile(r'^(caseqa_analyses_total|caseqa_analysis_workers_replaced_total)\{(\w+)="([^"]*)"\}\s+(\S+)$', re.M)


def parse_metrics(text: str) -> dict[str, dict[str, float]]:
    """``{"analyses": {outcome: n}, "workers_replaced": {reason: n}}`` from Prometheus text."""
    out: dict[str, dict[str, float]] = {"analyses": {}, "workers_replaced": {}}
    for name, _label, value, number in _METRIC.findall(text):
        out["analyses" if name == "caseqa_analyses_total" else "workers_replaced"][value] = float(number)
    return out


# ---------------------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------------------


def warmup_seconds(seconds: float) -> float:
    """The warm-up: the first 20% of the run, and at least 30 s when the run is 150 s or more."""
    return max(0.2 * seconds, 30.0) if seconds >= 150 else 0.2 * seconds


def _client(url: str, key: str, drafts: Drafts, deadline: float, index: int, out: list[tuple[float, str]]) -> None:
    """One client: post drafts back to back until the deadline; (seconds, status) per request. Never the text."""
    import httpx

    headers = {"Authorization": f"Bearer {key}"}
    html = {**headers, "Accept": "text/html"}
    with httpx.Client(base_url=url, timeout=120) as client:
        for n in itertools.count(index):
            if time.monotonic() >= deadline:
                return
            text, age = drafts.make()
            t0 = time.perf_counter()
            try:
                r = client.post("/v1/analyse", json={"text": text, "doc_type": "care_plan", "child_age": age},
                                headers=html if n % HTML_EVERY == 0 else headers)
                status = str(r.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__  # the exception's type only: its message may quote the request
            out.append((time.perf_counter() - t0, status))


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def summarise(samples: list[dict[str, float]], warmup_s: float, window_s: float) -> dict[str, Any]:
    """Memory at the end of the warm-up and at the end, the peak, and the growth after the warm-up.

    "At the end of the warm-up" and "at the end" are each the median of the samples in the ``window_s``
    seconds up to that moment, so one sample taken while a worker is being replaced (its memory briefly
    gone, or the new one half loaded) does not decide the verdict; the peak is the largest single sample."""
    if not samples:
        return {"rss_samples": 0}
    before = [s for s in samples if s["t_s"] <= warmup_s] or samples[:1]
    after = [s for s in samples if s["t_s"] > warmup_s]
    warm = [s for s in before if s["t_s"] >= before[-1]["t_s"] - window_s]
    last = samples[-1]["t_s"]
    end = [s for s in (after or samples) if s["t_s"] >= last - window_s]

    def mid(rows: list[dict[str, float]], key: str) -> float:
        return round(_median([r[key] for r in rows]), 1)

    warm_mb, end_mb = mid(warm, "rss_mb"), mid(end, "rss_mb")
    peak_after = max((s["rss_mb"] for s in after), default=end_mb)

    def pct(x: float) -> float:
        return round(100 * (x - warm_mb) / warm_mb, 1) if warm_mb else 0.0

    return {
        "rss_samples": len(samples), "rss_window_s": round(window_s, 1),
        "rss_mb_start": samples[0]["rss_mb"],
        "rss_mb_warmup": warm_mb, "rss_warmup_t_s": before[-1]["t_s"],
        "rss_mb_end": end_mb, "rss_end_t_s": last,
        "rss_mb_max": max(s["rss_mb"] for s in samples),
        "rss_mb_max_after_warmup": peak_after,
        "server_mb_warmup": mid(warm, "server_mb"), "server_mb_end": mid(end, "server_mb"),
        "children_mb_warmup": mid(warm, "children_mb"), "children_mb_end": mid(end, "children_mb"),
        "growth_pct_after_warmup": pct(end_mb),
        "peak_growth_pct_after_warmup": pct(peak_after),
    }


def run(*, clients: int = DEFAULT_CLIENTS, seconds: float = DEFAULT_SECONDS, recycle_after: int | None = None,
        sample_every: float = SAMPLE_EVERY, seed: int = 13, work_dir: Path | None = None,
        progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Start the service, load it with ``clients`` threads for ``seconds``, sample its memory; the results."""
    try:
        import httpx  # noqa: F401 - the clients need it: fail before starting anything
    except ImportError as exc:
        raise RuntimeError("the soak test needs httpx: pip install -e '.[test]'") from exc
    say = progress or (lambda _msg: None)
    folder = Path(tempfile.mkdtemp(prefix="caseqa-soak-", dir=work_dir))
    service = Service(folder, recycle_after=recycle_after)
    try:
        say("adding a user")
        service.add_user()
        say("starting the service")
        t_start = time.monotonic()
        service.start()
        assert service.process is not None
        ready_s = time.monotonic() - t_start
        warmup_s = warmup_seconds(seconds)
        drafts = Drafts(seed)
        sampler = Sampler(service.process.pid, every=sample_every)
        results: list[list[tuple[float, str]]] = [[] for _ in range(clients)]
        say(f"{clients} clients for {seconds:g} s")
        sampler.start()
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=_client, args=(service.url, service.key, drafts, deadline, i, results[i]),
                                    name=f"caseqa-soak-client-{i}", daemon=True) for i in range(clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        sampler.stop()
        say("reading the service's metrics")
        metrics = service.metrics()
    finally:
        service.stop()
        shutil.rmtree(folder, ignore_errors=True)
    done = [r for rs in results for r in rs]
    statuses = Counter(status for _, status in done)
    ok = [s for s, status in done if status.startswith("2")]
    errors = {status: n for status, n in sorted(statuses.items()) if not status.startswith("2")}
    memory = summarise(sampler.samples, warmup_s, max(0.1 * seconds, 2 * sample_every))
    growth = memory.get("growth_pct_after_warmup")
    out: dict[str, Any] = {
        "clients": clients, "seconds": seconds, "elapsed_s": round(elapsed, 1), "warmup_s": round(warmup_s, 1),
        "service_ready_s": round(ready_s, 1), **service.settings,
        "new_words_per_request": Drafts.words_per_draft,
        "requests": len(done), "requests_ok": len(ok), "errors": sum(errors.values()), "errors_by_status": errors,
        "requests_per_s": round(len(done) / elapsed, 2) if elapsed else 0.0,
        "p50_ms": round(1000 * _percentile(ok, 0.50), 1), "p95_ms": round(1000 * _percentile(ok, 0.95), 1),
        **memory,
        "child_processes_seen": len(sampler.pids_seen),
        "analyses": metrics["analyses"], "workers_replaced": metrics["workers_replaced"],
        "worker_recycles": int(metrics["workers_replaced"].get("recycled", 0)),
        "verdict": "bounded" if growth is not None and growth < BOUNDED_GROWTH_PCT else "grew",
        "bounded_below_pct": BOUNDED_GROWTH_PCT,
        "rss_timeline": sampler.samples,
    }
    return out
