"""``python -m evals.session_bench``: memory per chat session, measured (issue 20, item 21).

Starts the app (``python app.py``, loopback only, the current ``COACH_*`` settings and index),
then opens ``--sessions`` chat sessions one after another from ``--workers`` threads, each as a
browser does it: a new session id, one question through the chat's send button (join Gradio's
queue, read the answer stream). Prints the app's RSS (with its child processes) after a warm-up
and after every quarter of the sessions, and the growth per session over the second half: with
the session cap (``assistant.ui.server.SESSION_CAPACITY``) that growth is close to zero once the
cap is reached; without it, it was 300-450 kB per session. All traffic stays on 127.0.0.1; the
app is stopped at the end. Nothing is asserted: these are figures for the report.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
import threading
import time
import uuid
from pathlib import Path

from .load import free_port, index_problem, load_questions, rss_bytes, start_app, stop_app

WARM_UP = 20


def chat_fn(config: dict) -> tuple[int, int]:
    """(the send button's id, the fn_index of its click) from the page's ``/config``."""
    send = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "send")
    dep = next(d for d in config["dependencies"] if [send, "click"] in d["targets"])
    return send, dep["id"]


def one_session(http, send: int, fn: int, question: str) -> bool:
    """One new session asks one question; True when the answer came back."""
    session = uuid.uuid4().hex[:11]
    body = {"data": [question, [], None, None, "nl", True], "fn_index": fn, "session_hash": session,
            "event_data": None, "trigger_id": send}
    r = http.post("/gradio_api/queue/join", json=body)
    if r.status_code != 200:
        return False
    with http.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:") and json.loads(line[5:]).get("msg") == "process_completed":
                return True
    return False


def run(url: str, count: int, workers: int, questions: list[str], send: int, fn: int) -> int:
    """``count`` sessions from ``workers`` threads; the number that failed."""
    import httpx
    counter = itertools.count()
    failed: list[int] = []

    def worker(n: int):
        rnd = random.Random(n)
        with httpx.Client(base_url=url, timeout=120) as http:
            while next(counter) < count:
                if not one_session(http, send, fn, rnd.choice(questions)):
                    failed.append(1)
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(failed)


def main(argv: list[str] | None = None) -> int:
    import httpx
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the app to start")
    args = parser.parse_args(argv)
    problem = index_problem()
    if problem:
        print(f"Geen bruikbare index: {problem}. Bouw hem eerst met `python ingest.py`.")
        return 2
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp(prefix="session-bench-")) / "app.log"
    proc = start_app(port, log, args.timeout)
    try:
        config = httpx.get(url + "/config", timeout=30).json()
        send, fn = chat_fn(config)
        questions = load_questions()
        failed = run(url, WARM_UP, 1, questions, send, fn)
        time.sleep(1)
        rows = [(0, rss_bytes(proc.pid))]
        print(f"sessions {0:>6}  RSS {rows[-1][1] / 2**20:7.1f} MB  (after {WARM_UP} warm-up sessions)", flush=True)
        step = max(1, args.sessions // 4)
        done = 0
        t0 = time.perf_counter()
        while done < args.sessions:
            n = min(step, args.sessions - done)
            failed += run(url, n, args.workers, questions, send, fn)
            done += n
            time.sleep(1)
            rows.append((done, rss_bytes(proc.pid)))
            print(f"sessions {done:>6}  RSS {rows[-1][1] / 2**20:7.1f} MB", flush=True)
        seconds = time.perf_counter() - t0
        half = min(rows, key=lambda r: abs(r[0] - args.sessions / 2))
        growth = (rows[-1][1] - half[1]) / max(1, rows[-1][0] - half[0]) / 1024
        print(f"RSS before {rows[0][1] / 2**20:.1f} MB, after {args.sessions} sessions {rows[-1][1] / 2**20:.1f} MB "
              f"(+{(rows[-1][1] - rows[0][1]) / 2**20:.1f} MB); growth over the last "
              f"{rows[-1][0] - half[0]} sessions: {growth:.1f} kB per session; "
              f"{failed} failed; {seconds:.0f} s")
    finally:
        stop_app(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
