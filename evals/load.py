"""``python -m evals.load``: a learning circle asking at the same time, measured.

Starts the app (``python app.py``) on a free loopback port with the current ``COACH_*`` settings
(so it uses the existing index), waits until it answers, and lets ``--users`` simulated
participants (threads, each with its own ``gradio_client.Client``) use it until ``--seconds``
have passed or ``--questions`` requests were sent, whichever comes first: about 80 % ``/ask``
(questions from ``evals/questions.jsonl``), 10 % ``/prep`` and 10 % ``/scan`` (``--ask-only``:
only ``/ask``). Meanwhile it samples the app's memory (VmRSS, children included) every 0.5 s.

Prints a Markdown table: requests, throughput, latency percentiles (ask and overall), errors,
peak RSS and RSS at the start and end of the run. ``--report`` also writes that as the
``## Load`` section of ``evals/report.md`` (the rest of the file is kept). All traffic stays on
127.0.0.1; the app is always stopped at the end.

Exit codes: 0 all requests answered, 1 some failed, 2 setup problem (no index, app did not start).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUESTIONS = HERE / "questions.jsonl"
REPORT = HERE / "report.md"
SECTION = "## Load"
SAMPLE_EVERY = 0.5
REQUEST_TIMEOUT = 120.0
MIX = (("ask", 0.8), ("prep", 0.1), ("scan", 0.1))
SCAN_CSV = ("naam,opgave,waarde,samen-doen,verankering,deelname,binding,organisatie\n"
            "Anna,4,2,3,4,2,5,3\nBram,3,1,3,4,2,4,5\nCees,5,2,4,3,1,4,1\n")
PREP_CASES = (  # (purpose, situation, focus blocks) as /prep takes them
    ("Overleg met de kernpartners",
     "Er is wantrouwen tussen partners en niemand spreekt elkaar aan.", ["Binding"]),
    ("Kwartaaloverleg",
     "Twee partners haken af en zeggen dat het netwerk ze niets oplevert.", ["Deelname", "Waarde"]),
    ("Bestuurlijk overleg",
     "De wethouder vraagt wat het netwerk oplevert en wie de besluiten neemt.", []),
)


# --------------------------------------------------------------------------- measuring (pure)

@dataclass(frozen=True)
class Result:
    kind: str
    started: float
    seconds: float
    error: str | None = None


@dataclass
class Memory:
    """RSS samples of the app (bytes), in time order."""

    samples: list[tuple[float, int]] = field(default_factory=list)

    @property
    def peak(self) -> int:
        return max((r for _, r in self.samples), default=0)

    def at(self, moment: float) -> int:
        """The last sample taken at or before ``moment`` (else the first one)."""
        before = [r for t, r in self.samples if t <= moment]
        return before[-1] if before else (self.samples[0][1] if self.samples else 0)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100), nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(max(1, math.ceil(len(ordered) * q / 100)), len(ordered))
    return ordered[rank - 1]


def latency_row(name: str, results: list[Result]) -> str:
    ms = [r.seconds * 1000 for r in results if r.error is None]
    errors = sum(r.error is not None for r in results)
    cells = [name, str(len(results)), str(errors)]
    cells += [f"{percentile(ms, q):.0f}" if ms else "–" for q in (50, 95, 99)]
    cells.append(f"{max(ms):.0f}" if ms else "–")
    return "| " + " | ".join(cells) + " |"


def render_table(results: list[Result], memory: Memory, run: dict) -> str:
    """The Markdown report of one run."""
    kinds = [k for k, _ in MIX if any(r.kind == k for r in results)]
    elapsed = run["elapsed"]
    lines = [f"`python -m evals.load {run['args']}` — {run['users']} participants, {run['cores']} CPU cores, "
             f"{run['when']}; index: {run['index']}.", "",
             "| requests | n | errors | p50 ms | p95 ms | p99 ms | max ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [latency_row(f"/{k}", [r for r in results if r.kind == k]) for k in kinds]
    lines.append(latency_row("**all**", results))
    mb = 1024 * 1024
    done = sum(r.error is None for r in results)
    lines += ["", "| run | value |", "|---|---|",
              f"| requests | {len(results)} in {elapsed:.1f} s (stopped by {run['stopped_by']}) |",
              f"| throughput | {done / elapsed if elapsed else 0:.1f} answered req/s |",
              f"| errors | {len(results) - done} |",
              f"| peak RSS | {memory.peak / mb:.0f} MB |",
              f"| RSS start → end | {run['rss_start'] / mb:.0f} MB → {run['rss_end'] / mb:.0f} MB "
              f"({(run['rss_end'] - run['rss_start']) / mb:+.0f} MB) |",
              "| RSS at 25 / 50 / 75 % of the run | "
              + " / ".join(f"{memory.at(run['started'] + f * elapsed) / mb:.0f}" for f in (0.25, 0.5, 0.75))
              + " MB |"]
    errors = []
    for r in results:
        if r.error and r.error not in errors:
            errors.append(r.error)
    if errors:
        lines += ["", "First errors:", *[f"- `/{_kind(results, e)}`: {e}" for e in errors[:5]]]
    return "\n".join(lines)


def _kind(results: list[Result], error: str) -> str:
    return next(r.kind for r in results if r.error == error)


def replace_section(document: str | None, body: str, heading: str = SECTION) -> str:
    """``document`` with its ``heading`` section (up to the next ``## ``) replaced by ``body``,
    or with the section appended; just the section when there is no document."""
    section = f"{heading}\n\n{body.strip()}\n"
    if not document or not document.strip():
        return section
    lines = document.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        return document.rstrip("\n") + "\n\n" + section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + section + ("\n" + tail if tail else "")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


# --------------------------------------------------------------------------- the app process

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_bytes(pid: int) -> int:
    """VmRSS of ``pid`` and all its descendants (0 when gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def sample_memory(pid: int, memory: Memory, stop: threading.Event) -> None:
    while not stop.is_set():
        memory.samples.append((time.perf_counter(), rss_bytes(pid)))
        stop.wait(SAMPLE_EVERY)


def index_problem() -> str | None:
    """Why the app would have no usable index (None: it has one)."""
    from assistant.config import load_settings
    from assistant.errors import CoachError
    from assistant.search.index import IndexStore
    from assistant.knowledge.model import load_knowledge
    try:
        settings = load_settings()
        reasons = IndexStore(settings).status(load_knowledge(settings.corpus_path), settings.embed_model)
    except CoachError as err:
        return str(err)
    return "; ".join(reasons) if reasons else None


def index_label() -> str:
    from assistant.config import load_settings
    from assistant.search.index import IndexStore
    settings = load_settings()
    m = IndexStore(settings).read_manifest()
    where = f"Chroma server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else "embedded"
    return f"{m.embedder}, {m.chunk_count} chunks, {where}"


def start_app(port: int, log_path: Path, timeout: float) -> subprocess.Popen:
    """``python app.py`` on 127.0.0.1:``port``, answering, or an exception with its log."""
    env = dict(os.environ)
    env.update({"COACH_HOST": "127.0.0.1", "COACH_PORT": str(port), "HF_HUB_OFFLINE": "1",
                "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False",
                "PYTHONUNBUFFERED": "1"})
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"de app stopte meteen (exit {proc.returncode}):\n"
                               + log_path.read_text(errors="replace")[-3000:])
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return proc
        except OSError:
            if time.monotonic() > deadline:
                stop_app(proc)
                raise TimeoutError(f"de app antwoordde niet binnen {timeout:.0f} s:\n"
                                   + log_path.read_text(errors="replace")[-3000:]) from None
            time.sleep(0.5)


def stop_app(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# --------------------------------------------------------------------------- participants

class Budget:
    """At most ``total`` requests, none started after ``deadline``."""

    def __init__(self, total: int):
        self.total = total
        self.deadline = float("inf")
        self._taken = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._taken >= self.total or time.perf_counter() >= self.deadline:
                return False
            self._taken += 1
            return True

    @property
    def exhausted(self) -> bool:
        return self._taken >= self.total


def participant(n: int, client, questions: list[str], budget: Budget, ask_only: bool, out: list[Result],
                start: threading.Barrier) -> None:
    rnd = random.Random(n)
    kinds, weights = zip(*MIX)
    start.wait()
    while budget.take():
        kind = "ask" if ask_only else rnd.choices(kinds, weights)[0]
        if kind == "ask":
            args = (rnd.choice(questions), "", "")
        elif kind == "prep":
            args = rnd.choice(PREP_CASES)
        else:
            args = (SCAN_CSV,)
        t0 = time.perf_counter()
        error = None
        try:
            value = client.submit(*args, api_name=f"/{kind}").result(timeout=REQUEST_TIMEOUT)
            if kind == "ask" and not (isinstance(value, dict) and value.get("answer")):
                error = f"unexpected /ask result: {str(value)[:120]}"
        except Exception as err:  # every failure is a measurement, not a crash of the run
            error = f"{type(err).__name__}: {str(err)[:200]}"
        out.append(Result(kind, t0, time.perf_counter() - t0, error))


def drive(url: str, users: int, seconds: float, budget: Budget, ask_only: bool, questions: list[str],
          downloads: Path, auth) -> tuple[list[Result], float, float]:
    """Run the participants; their results and the run's start and end (perf_counter)."""
    from gradio_client import Client
    clients = [Client(url, verbose=False, auth=auth, analytics_enabled=False,
                      download_files=str(downloads / str(i))) for i in range(users)]
    results: list[Result] = []
    barrier = threading.Barrier(users + 1)
    threads = [threading.Thread(target=participant, name=f"participant-{i}", daemon=True,
                                args=(i, clients[i], questions, budget, ask_only, results, barrier))
               for i in range(users)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    budget.deadline = started + seconds
    barrier.wait()
    for t in threads:
        t.join(seconds + REQUEST_TIMEOUT + 30)
    ended = time.perf_counter()
    for c in clients:
        try:
            c.close()
        except Exception:  # closing is best effort; the app is stopped anyway
            pass
    return results, started, ended


# --------------------------------------------------------------------------- command

def load_questions() -> list[str]:
    with open(QUESTIONS, encoding="utf-8") as fh:
        return [json.loads(line)["question"] for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.load",
                                     description="Belastingtest: deelnemers die tegelijk de app gebruiken.")
    parser.add_argument("--users", type=int, default=20, help="aantal gelijktijdige deelnemers (20)")
    parser.add_argument("--seconds", type=float, default=60, help="hoe lang de test hooguit duurt (60)")
    parser.add_argument("--questions", type=int, default=500, help="hoeveel verzoeken hooguit (500)")
    parser.add_argument("--ask-only", action="store_true", help="alleen /ask, geen /prep of /scan")
    parser.add_argument("--report", action="store_true", help="schrijf de sectie '## Load' in evals/report.md")
    parser.add_argument("--start-timeout", type=float, default=300, help="hoe lang wachten op de app (300 s)")
    args = parser.parse_args(argv)
    if args.users < 1 or args.seconds <= 0 or args.questions < 1:
        parser.error("--users, --seconds en --questions moeten positief zijn")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assistant.util.logsetup import quiet_third_party
    quiet_third_party()

    problem = index_problem()
    if problem:
        print(f"Fout: er is geen bruikbare index ({problem}). Bouw hem eerst met: python ingest.py",
              file=sys.stderr)
        return 2
    from assistant.config import load_settings
    logins = load_settings().auth
    auth = logins[0] if logins else None  # the app asks for a login when COACH_AUTH is set

    work = Path(tempfile.mkdtemp(prefix="mozaiek-load-"))
    port = free_port()
    memory, stop_sampling = Memory(), threading.Event()
    proc = None
    try:
        print(f"App starten op http://127.0.0.1:{port}/ …", file=sys.stderr, flush=True)
        try:
            proc = start_app(port, work / "app.log", args.start_timeout)
        except (RuntimeError, TimeoutError) as err:
            print(f"Fout: {err}", file=sys.stderr)
            return 2
        sampler = threading.Thread(target=sample_memory, args=(proc.pid, memory, stop_sampling), daemon=True)
        sampler.start()
        url = f"http://127.0.0.1:{port}/"
        from gradio_client import Client
        warm = Client(url, verbose=False, auth=auth, analytics_enabled=False, download_files=str(work / "warm"))
        warm.predict("Wat is het Netwerkmozaïek?", "", "", api_name="/ask")  # loads lazy parts once
        warm.close()
        print(f"{args.users} deelnemers, hooguit {args.seconds:.0f} s en {args.questions} verzoeken …",
              file=sys.stderr, flush=True)
        budget = Budget(args.questions)
        results, started, ended = drive(url, args.users, args.seconds, budget, args.ask_only,
                                        load_questions(), work, auth)
        rss_end = rss_bytes(proc.pid)
    finally:
        stop_sampling.set()
        if proc is not None:
            stop_app(proc)
        shutil.rmtree(work, ignore_errors=True)

    shown = [f"--users {args.users}", f"--seconds {args.seconds:g}", f"--questions {args.questions}"]
    shown += ["--ask-only"] if args.ask_only else []
    run = {"args": " ".join(shown), "users": args.users, "cores": os.cpu_count(),
           "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "index": index_label(),
           "started": started, "elapsed": ended - started,
           "stopped_by": "--questions" if budget.exhausted else "--seconds",
           "rss_start": memory.at(started), "rss_end": rss_end}
    table = render_table(results, memory, run)
    print(table)
    if args.report:
        from assistant.util.atomic import atomic_write_text
        old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else None
        atomic_write_text(REPORT, replace_section(old, table))
        print(f"Sectie '{SECTION}' geschreven in {REPORT}", file=sys.stderr)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
