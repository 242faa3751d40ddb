"""``python -m evals.leerkring_bench``: a live learning circle under load, measured.

Starts the app (``python app.py``, loopback only, the current ``COACH_*`` settings and index) and
runs two phases of ``--seconds`` each:

1. **chat alone**: ``--chat-users`` people ask the coach (``/ask``, questions from
   ``evals/questions.jsonl``) one after another;
2. **chat + learning circle**: the same chat load, while a trainer starts a session and polls its
   count every 2 s (``/leerkring_status``, as the trainer's page does), and ``--participants``
   phones each open the join page and submit the form at a random moment within the phase (a
   third of them change their answer once more).

Prints submit and page latencies (p50/p95), errors (a submit that was not stored counts as an
error: the final count must equal the number of participants), and the chat p95 of phase 2 as a
ratio of phase 1 (same machine, same run). ``--report`` writes it as the ``## Leerkring load``
section of ``evals/report.md``. All traffic stays on 127.0.0.1; the app is stopped at the end.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .load import (
    REPORT,
    REQUEST_TIMEOUT,
    Result,
    free_port,
    index_label,
    index_problem,
    load_questions,
    cpu_model,
    percentile,
    replace_section,
    start_app,
    stop_app,
)

SECTION = "## Leerkring load"
KEYS = ("opgave", "waarde", "samen-doen", "verankering", "deelname", "binding", "organisatie")


def chat_user(n: int, url: str, questions: list[str], until: float, out: list[Result], start: threading.Barrier):
    from gradio_client import Client
    client = Client(url, verbose=False, analytics_enabled=False)
    rnd = random.Random(n)
    start.wait()
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        error = None
        try:
            value = client.submit(rnd.choice(questions), "", "", api_name="/ask").result(timeout=REQUEST_TIMEOUT)
            if not (isinstance(value, dict) and value.get("answer")):
                error = f"unexpected /ask result: {str(value)[:120]}"
        except Exception as err:  # a failure is a measurement
            error = f"{type(err).__name__}: {str(err)[:200]}"
        out.append(Result("ask", t0, time.perf_counter() - t0, error))
    client.close()


def phone(n: int, join_url: str, delay: float, change: bool, out: list[Result], start: threading.Barrier):
    """One participant: open the page, submit (and maybe change) the form, keeping the cookie."""
    parts = urlsplit(join_url)
    rnd = random.Random(1000 + n)
    cookie = ""
    start.wait()
    time.sleep(delay)
    for attempt in range(2 if change else 1):
        if attempt:
            time.sleep(rnd.uniform(2, 6))
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
        headers = {"Cookie": cookie} if cookie else {}
        t0 = time.perf_counter()
        try:
            conn.request("GET", parts.path, headers=headers)
            page = conn.getresponse()
            page.read()
            out.append(Result("page", t0, time.perf_counter() - t0,
                              None if page.status == 200 else f"page HTTP {page.status}"))
        except OSError as err:
            out.append(Result("page", t0, time.perf_counter() - t0, f"{type(err).__name__}: {err}"))
            conn.close()
            continue
        form = {f"score-{k}": str(rnd.randint(1, 5)) for k in KEYS}
        form["name"] = "" if rnd.random() < 0.6 else f"Deelnemer {n}"
        if rnd.random() < 0.4:
            form[f"remark-{rnd.choice(KEYS)}"] = "We merken dat partners elkaar nog te weinig opzoeken."
        body = urlencode(form)
        t0 = time.perf_counter()
        try:
            conn.request("POST", parts.path, body=body, headers={
                **headers, "Content-Type": "application/x-www-form-urlencoded"})
            reply = conn.getresponse()
            reply.read()
            set_cookie = reply.getheader("set-cookie") or ""
            if set_cookie:
                cookie = set_cookie.split(";", 1)[0]
            error = None if reply.status == 303 else f"submit HTTP {reply.status}"
        except OSError as err:
            error = f"{type(err).__name__}: {err}"
        out.append(Result("submit", t0, time.perf_counter() - t0, error))
        conn.close()


def trainer(url: str, code: str, token: str, until: float, polls: list[Result], start: threading.Barrier):
    from gradio_client import Client
    client = Client(url, verbose=False, analytics_enabled=False)
    start.wait()
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        try:
            client.predict(code, token, api_name="/leerkring_status")
            polls.append(Result("status", t0, time.perf_counter() - t0))
        except Exception as err:
            polls.append(Result("status", t0, time.perf_counter() - t0, f"{type(err).__name__}: {err}"))
        time.sleep(2.0)
    client.close()


def run_phase(url: str, seconds: float, chat_users: int, participants: int, questions: list[str]) -> dict:
    chat: list[Result] = []
    phones: list[Result] = []
    polls: list[Result] = []
    session = None
    if participants:
        from gradio_client import Client
        session = Client(url, verbose=False, analytics_enabled=False).predict(
            "Bench-leerkring", "", api_name="/leerkring_start")
    barrier = threading.Barrier(chat_users + participants + (1 if session else 0) + 1)
    until = time.perf_counter() + seconds + 5  # chat goes on a little past the last submissions
    threads = [threading.Thread(target=chat_user, args=(i, url, questions, until, chat, barrier), daemon=True)
               for i in range(chat_users)]
    rnd = random.Random(7)
    if session:
        threads.append(threading.Thread(target=trainer, daemon=True, args=(
            url, session["code"], session["trainer_token"], until, polls, barrier)))
        threads += [threading.Thread(target=phone, daemon=True, args=(
            i, session["join_url"], rnd.uniform(0, seconds * 0.9), i % 3 == 0, phones, barrier))
            for i in range(participants)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(seconds + REQUEST_TIMEOUT + 60)
    out = {"chat": chat, "phones": phones, "polls": polls, "elapsed": time.perf_counter() - started}
    if session:
        from gradio_client import Client
        status = Client(url, verbose=False, analytics_enabled=False).predict(
            session["code"], session["trainer_token"], api_name="/leerkring_status")
        out["stored"] = status["count"]
    return out


def row(name: str, results: list[Result]) -> str:
    ms = [r.seconds * 1000 for r in results if r.error is None]
    errors = sum(r.error is not None for r in results)
    cells = [name, str(len(results)), str(errors)] + \
        [f"{percentile(ms, q):.0f}" if ms else "–" for q in (50, 95)] + [f"{max(ms):.0f}" if ms else "–"]
    return "| " + " | ".join(cells) + " |"


def render(alone: dict, busy: dict, args, participants: int) -> str:
    ask_alone = [r.seconds for r in alone["chat"] if r.error is None]
    ask_busy = [r.seconds for r in busy["chat"] if r.error is None]
    p95_alone, p95_busy = percentile(ask_alone, 95), percentile(ask_busy, 95)
    ratio = p95_busy / p95_alone if p95_alone else float("nan")
    lost = participants - busy.get("stored", 0)
    lines = [f"`python -m evals.leerkring_bench {args}` — {os.cpu_count()} cores ({cpu_model()}), "
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; index: {index_label()}.", "",
             "| requests | n | errors | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|---:|",
             row("/ask, chat alone (baseline)", alone["chat"]),
             row("/ask, chat + learning circle", busy["chat"]),
             row("participant page (GET)", [r for r in busy["phones"] if r.kind == "page"]),
             row("participant submit (POST)", [r for r in busy["phones"] if r.kind == "submit"]),
             row("trainer count (/leerkring_status)", busy["polls"]), "",
             f"- Chat p95 with the learning circle / without: **{ratio:.2f}×** (goal: within 1.5×).",
             f"- Submissions stored: {busy.get('stored', 0)} of {participants} participants "
             f"({lost} lost; goal 0).",
             ]
    errors = [r.error for r in busy["phones"] + busy["chat"] + busy["polls"] + alone["chat"] if r.error]
    if errors:
        lines += ["", "First errors:", *[f"- {e}" for e in list(dict.fromkeys(errors))[:5]]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.leerkring_bench",
                                     description="Belastingtest: een live leerkring naast de coach.")
    parser.add_argument("--participants", type=int, default=30, help="telefoons die insturen (30)")
    parser.add_argument("--chat-users", type=int, default=5, help="mensen die tegelijk de coach vragen (5)")
    parser.add_argument("--seconds", type=float, default=60.0, help="duur van elke fase (60)")
    parser.add_argument("--report", action="store_true", help="schrijf de uitkomst in evals/report.md")
    args = parser.parse_args(argv)
    if not 1 <= args.participants <= 200 or not 1 <= args.chat_users <= 20 or not 5 <= args.seconds <= 600:
        parser.error("kies 1–200 deelnemers, 1–20 chatgebruikers en 5–600 seconden")
    problem = index_problem()
    if problem:
        print(f"Geen bruikbare index: {problem}. Draai eerst `python ingest.py`.")
        return 2
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"mozaiekcoach-leerkring-bench-{port}.log"
    try:
        proc = start_app(port, log, timeout=300)
    except (RuntimeError, TimeoutError) as err:
        print(err)
        return 2
    url = f"http://127.0.0.1:{port}/"
    try:
        questions = load_questions()
        alone = run_phase(url, args.seconds, args.chat_users, 0, questions)
        busy = run_phase(url, args.seconds, args.chat_users, args.participants, questions)
    finally:
        stop_app(proc)
    shown = " ".join(a for a in (argv if argv is not None else __import__("sys").argv[1:]) if a != "--report")
    table = render(alone, busy, shown or "(defaults)", args.participants)
    print(table)
    if args.report:
        REPORT.write_text(replace_section(REPORT.read_text(encoding="utf-8") if REPORT.exists() else None,
                                          table, SECTION), encoding="utf-8")
    failed = any(r.error for r in busy["phones"] + busy["chat"]) or busy.get("stored") != args.participants
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
