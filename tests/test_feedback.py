"""Feedback on answers (issue 21): off by default, private, kept for a while, reported as gaps and
exported as eval questions. Real SQLite, the real app over real HTTP (uvicorn + gradio_client),
the real CLI; the coach is the fixture coach (fake embedder), no language model."""
from __future__ import annotations

import dataclasses
import json
import multiprocessing
import sqlite3
import threading
import time

import pytest

from assistant.usage import feedback as fb
from assistant.coach.answer import Answer, BlockRef, CaseRef, Citation
from assistant.strings import ui_text

from .conftest import ROOT, run_cli

QUESTION = "Twee partners komen niet meer naar ons overleg. Wat kan ik doen?"


def an_answer(question=QUESTION, kind="answer", block="deelname", lang="nl", case="zaanstad",
              chunks=("c1", "c2")) -> Answer:
    """An answer as the coach gives it (only the parts feedback keeps are filled in)."""
    ref = BlockRef(block, block.title(), "") if block else None
    return Answer(question=question, lang=lang, in_scope=kind == "answer", kind=kind,
                  blocks=((block, 0.6), ("binding", 0.4)) if block else (), block=ref,
                  case=CaseRef(case, "s", "n", "Nederland", (), "quote", chunks[0], 1) if case else None,
                  citations=tuple(Citation(i, c, "s", None, None, "quote") for i, c in enumerate(chunks, 1)),
                  claims=(), notes=("Dit is antwoordtekst die nooit bewaard mag worden.",))


@pytest.fixture
def store(tmp_path):
    return fb.FeedbackStore(fb.default_path(tmp_path))


def raw_rows(path) -> list[dict]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM feedback")]
    finally:
        con.close()


# ----------------------------------------------------------------------------------- the store

def test_feedback_off_keeps_nothing_and_says_so(tmp_path):
    """COACH_FEEDBACK off (the default): an id is still handed out, but a rating is refused with
    a clear message and no database file is made."""
    from assistant.config import load_settings
    settings = load_settings({"COACH_DATA_DIR": str(tmp_path)})
    assert settings.feedback is False and settings.feedback_days == 90
    store = fb.open_feedback(settings)
    answer_id = store.remember(an_answer(), "sessie")
    assert answer_id
    with pytest.raises(fb.FeedbackError, match="Feedback staat uit"):
        store.record(answer_id, "down", "wrong_block", "binding")
    with pytest.raises(fb.FeedbackError, match="Feedback is switched off"):
        store.record(answer_id, "up", lang="en")
    assert not fb.default_path(tmp_path).exists()
    assert store.rows() == []


def test_a_stored_row_holds_no_ip_no_user_agent_no_answer_text(store):
    """Exactly the listed facts are kept: the question (cut at 2,000), kind, blocks, case, chunks,
    mode, rating, reason, correction, language, time and session; nothing of the answer's text."""
    long_question = "Partners haken af. " * 200
    answer_id = store.remember(an_answer(question=long_question), "sess-1")
    store.record(answer_id, "down", "wrong_block", "Binding")
    (row,) = raw_rows(store.path)
    assert set(row) == {"answer_id", "created_at", "updated_at", "session", "lang", "question", "kind", "in_scope",
                        "block", "blocks", "case_key", "chunks", "mode", "rating", "reason", "correction"}
    assert row["question"] == long_question[:2000]
    assert (row["kind"], row["block"], row["case_key"], row["rating"], row["reason"], row["correction"]) == \
        ("answer", "deelname", "zaanstad", "down", "wrong_block", "binding")
    assert json.loads(row["chunks"]) == ["c1", "c2"] and json.loads(row["blocks"]) == ["deelname", "binding"]
    stored = " ".join(str(v) for v in row.values())
    assert "antwoordtekst" not in stored and "quote" not in stored
    assert "127.0.0.1" not in stored and "Mozilla" not in stored
    assert (store.path.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("answer_id, rating, reason, correction, message", [
    ("onbekend-id", "down", "", "", "Dit antwoord ken ik niet"),
    (None, "sideways", "", "", "Kies 'up'"),
    (None, "down", "weet-niet", "", "Deze reden ken ik niet"),
    (None, "down", "wrong_block", "Vertrouwen", "Deze bouwsteen ken ik niet"),
    (None, "down", "wrong_block", "", "Deze bouwsteen ken ik niet"),
    (None, "down", "other", "x" * (fb.MAX_TEXT + 1), "te lang"),
    (None, "up", "no_answer", "", "Een reden hoort bij"),
    (None, "down", "no_answer", "bovendien", "Een toelichting hoort alleen"),
    (None, "down", "other", 42, "te lang"),
])
def test_bad_feedback_gets_a_dutch_message_and_changes_nothing(store, answer_id, rating, reason, correction, message):
    """Unknown answer, rating not up/down, unknown reason or block, text over the limit: a clear
    Dutch message, and the 👍 given before stays as it was."""
    good = store.remember(an_answer(), "s")
    store.record(good, "up")
    before = raw_rows(store.path)
    with pytest.raises(fb.FeedbackError, match=message):
        store.record(answer_id or good, rating, reason, correction)
    assert raw_rows(store.path) == before


def test_the_reason_replaces_the_first_thumbs_down(store):
    """👎 is kept at once; the reason picked after it updates that row (one row per answer)."""
    answer_id = store.remember(an_answer(), "s")
    assert store.record(answer_id, "down") == ui_text("fb_thanks_reason", "nl")
    assert store.record(answer_id, "down", "other", "  Ik zocht iets over subsidie.  ") == ui_text("fb_thanks", "nl")
    (row,) = store.rows()
    assert (row["reason"], row["correction"]) == ("other", "Ik zocht iets over subsidie.")


def test_rows_older_than_the_retention_are_purged(tmp_path):
    """COACH_FEEDBACK_DAYS: older rows go when the store is opened (and on purge); newer stay."""
    from assistant.config import load_settings
    now = [time.time() - 35 * 86400]
    path = fb.default_path(tmp_path)
    store = fb.FeedbackStore(path, days=30, clock=lambda: now[0])
    old = store.remember(an_answer(question="oude vraag"), "s")
    store.record(old, "down", "no_answer")
    now[0] += 20 * 86400
    new = store.remember(an_answer(question="nieuwe vraag"), "s")
    store.record(new, "up")
    now[0] += 15 * 86400  # the old one is 35 days old, the new one 15
    assert store.purge() == 1
    assert [r["question"] for r in store.rows()] == ["nieuwe vraag"]
    with pytest.raises(fb.InputError):
        store.purge(-1)
    # the app's start purges with the setting: 10 days leaves nothing of a row 15+ days old
    opened = fb.open_feedback(load_settings({"COACH_DATA_DIR": str(tmp_path), "COACH_FEEDBACK": "on",
                                             "COACH_FEEDBACK_DAYS": "10"}))
    assert opened.rows() == []


def test_settings_refuse_bad_feedback_values():
    from assistant.config import load_settings
    from assistant.errors import ConfigError
    with pytest.raises(ConfigError, match="COACH_FEEDBACK='ja'.*COACH_FEEDBACK_DAYS='nooit'"):
        load_settings({"COACH_FEEDBACK": "ja", "COACH_FEEDBACK_DAYS": "nooit"})


def test_delete_all_command_deletes_every_row(tmp_path):
    """`python -m assistant gaps --delete-all`: nothing is left, not even in the file's free pages."""
    store = fb.FeedbackStore(fb.default_path(tmp_path))
    for q in ("eerste geheime vraag", "tweede geheime vraag"):
        store.record(store.remember(an_answer(question=q), "s"), "up")
    done = run_cli(["-m", "assistant", "gaps", "--delete-all"], {"COACH_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "2 reacties" in done.stdout.decode()
    assert store.rows() == []
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(fb.DB_NAME))
    assert b"geheime vraag" not in data


def _give_in_process(path: str, n: int, queue) -> None:
    store = fb.FeedbackStore(path)
    answer_id = store.remember(an_answer(question=f"proces {n}"), f"p{n}")
    store.record(answer_id, "down", "wrong_block", "binding")
    queue.put(answer_id)


def test_twenty_sessions_at_once_lose_nothing(tmp_path):
    """20 threads sharing the app's store and 20 processes with their own: 40 rows, none lost."""
    path = fb.default_path(tmp_path)
    store = fb.FeedbackStore(path)
    barrier = threading.Barrier(20)
    errors = []

    def one(n):
        try:
            answer_id = store.remember(an_answer(question=f"draad {n}"), f"t{n}")
            barrier.wait()
            store.record(answer_id, "up" if n % 2 else "down")
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(20)]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_give_in_process, args=(str(path), n, queue)) for n in range(20)]
    for p in procs:  # forked first: no thread of this test holds a connection while forking
        p.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for p in procs:
        p.join(60)
    assert not errors and all(p.exitcode == 0 for p in procs)
    rows = store.rows()
    assert len(rows) == 40
    assert {r["question"] for r in rows} == {f"draad {n}" for n in range(20)} | {f"proces {n}" for n in range(20)}


# ----------------------------------------------------------------------------------- gaps report, export

def fill(store) -> None:
    store.record(store.remember(an_answer(), "a"), "down", "wrong_block", "binding")
    store.record(store.remember(an_answer(question="Another one", lang="en"), "b"), "down", "wrong_block", "binding")
    store.record(store.remember(an_answer(question="Goed antwoord", block="waarde"), "c"), "up")
    store.record(store.remember(an_answer(question="hoi", kind="out_of_scope", block=None, case=None, chunks=()), "d"),
                 "down", "in_scope")
    store.record(store.remember(an_answer(question="te lang", chunks=("c2",)), "e"), "down", "unclear")


def test_a_corrected_block_shows_in_gaps_json_with_the_right_counts(tmp_path):
    """On: 👎 'verkeerde bouwsteen' → Binding appears in `gaps --json`: counts per rating, reason,
    block, language; the confusion table; the turned-away question; the passages of 👎 answers."""
    fill(fb.FeedbackStore(fb.default_path(tmp_path)))
    done = run_cli(["-m", "assistant", "gaps", "--json"], {"COACH_DATA_DIR": str(tmp_path), "COACH_FEEDBACK": "on"})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["total"] == 5 and report["ratings"] == {"up": 1, "down": 4}
    assert report["reasons"] == {"wrong_block": 2, "unclear": 1, "in_scope": 1}
    assert report["confusion"] == [{"from": "deelname", "to": "binding", "n": 2}]
    assert report["blocks"]["deelname"] == {"up": 0, "down": 3} and report["blocks"]["waarde"] == {"up": 1, "down": 0}
    assert report["languages"] == {"nl": {"up": 1, "down": 3}, "en": {"up": 0, "down": 1}}
    assert [q["question"] for q in report["turned_away_in_scope"]] == ["hoi"]
    assert report["passages_in_down"][0] == {"chunk_id": "c2", "n": 3}
    # --since after today: nothing
    later = run_cli(["-m", "assistant", "gaps", "--json", "--since", "2999-01-01"], {"COACH_DATA_DIR": str(tmp_path)})
    assert json.loads(later.stdout)["total"] == 0
    bad = run_cli(["-m", "assistant", "gaps", "--since", "gisteren"], {"COACH_DATA_DIR": str(tmp_path)})
    assert bad.returncode == 2 and "JJJJ-MM-DD" in bad.stderr.decode()


def test_gaps_markdown_and_csv(store, tmp_path):
    fill(store)
    md = fb.report_markdown(fb.gaps_report(store.rows()))
    assert "| Deelname | Binding | 2 |" in md and "- hoi (nl," in md and "Verkeerde bouwsteen | 2" in md
    import csv
    import io
    lines = list(csv.DictReader(io.StringIO(fb.rows_csv(store.rows()))))
    assert len(lines) == 5 and "session" not in lines[0] and lines[0]["correction"] == "binding"


def test_the_export_gives_lines_the_evals_loader_reads(store, tmp_path, monkeypatch):
    """`gaps --export-evals FILE`: the format of evals/questions.jsonl, marked "source": "use";
    `python -m evals`' own loader reads the file, and its grouping works on every line."""
    import evals.__main__ as ev
    from evals.terse import load
    fill(store)
    store.record(store.remember(an_answer(), "z"), "up")  # the same question again: one line
    store.record(store.remember(an_answer(question="Hoeveel mag de huur omhoog?", kind="out_of_scope", block=None,
                                          case=None, chunks=()), "y"), "up")  # 👍 on a refusal: out of scope
    out = tmp_path / "use.jsonl"
    done = run_cli(["-m", "assistant", "gaps", "--export-evals", str(out)], {"COACH_DATA_DIR": str(store.path.parent)})
    assert done.returncode == 0, done.stderr
    monkeypatch.setattr(ev, "QUESTIONS", out)
    lines = ev.load_questions(held_out=False)
    assert len(lines) == 6 and load(out) == lines
    reference = json.loads(ev.HERE.joinpath("questions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert all(set(reference) <= set(q) and q["source"] == "use" and q["split"] == "use" for q in lines)
    assert {ev.group_of(q) for q in lines} == {"situation nl", "situation en", "oos nl"}
    by_q = {q["question"]: q for q in lines}
    assert by_q[QUESTION]["blocks"] == ["binding"] and by_q[QUESTION]["labelled"] == "block"
    assert by_q["hoi"]["in_scope"] is True and by_q["hoi"]["labelled"] == "scope"
    assert by_q["Hoeveel mag de huur omhoog?"]["in_scope"] is False
    assert by_q["Goed antwoord"]["blocks"] == ["waarde"] and by_q["te lang"]["labelled"] == "none"


# ----------------------------------------------------------------------------------- the app

def holder_with(feedback: bool):
    from .ui_fakes import FakeHolder
    holder = FakeHolder()
    holder.settings = dataclasses.replace(holder.settings, feedback=feedback)
    return holder


def elem_ids(demo) -> set[str]:
    return {getattr(b, "elem_id", None) for b in demo.blocks.values()} - {None}


@pytest.fixture(scope="module")
def holder_off():
    return holder_with(False)


@pytest.fixture(scope="module")
def holder_on():
    return holder_with(True)


def test_no_buttons_and_no_panel_when_feedback_is_off(holder_off, holder_on):
    from assistant.ui import build_app
    off = elem_ids(build_app(holder_off))
    assert not {"fb-up", "fb-down", "fb-reason", "gaps"} & off
    on = elem_ids(build_app(holder_on))
    assert {"fb-up", "fb-down", "fb-scope", "fb-reason", "fb-block", "fb-text", "gaps"} <= on


def test_a_turned_away_answer_offers_this_is_about_networks(store):
    """After an answer the row shows 👍/👎; after a turned-away one also 'dit gaat wél over netwerken'."""
    from assistant.ui.feedback import new_answer
    answered = new_answer(store, an_answer(), "s")
    turned = new_answer(store, an_answer(kind="out_of_scope", block=None), "s")
    assert answered[1]["visible"] and not answered[2]["visible"] and turned[2]["visible"]
    assert answered[0] != turned[0] and store.record(turned[0], "down", "in_scope")


class Server:
    """The real app (``build_server``) served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, holder):
        import socket

        import uvicorn

        from assistant.ui.server import build_server
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        app, _ = build_server(holder)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    timeout_graceful_shutdown=1))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}/"

    def client(self):
        from gradio_client import Client
        return Client(self.url, verbose=False, analytics_enabled=False)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def app_on(holder_on):
    server = Server(holder_on)
    yield holder_on, server
    server.stop()


def test_api_ask_gives_an_id_and_feedback_on_it_reaches_the_report(app_on):
    """Over HTTP: /ask returns an answer_id; /feedback with it stores the 👎 and its block;
    bad input is refused with the Dutch message and stores nothing."""
    from gradio_client.exceptions import AppError
    holder, server = app_on
    client = server.client()
    answer = client.predict(QUESTION, "", "", api_name="/ask")
    assert len(answer["answer_id"]) >= 16
    with pytest.raises(AppError, match="Deze bouwsteen ken ik niet"):
        client.predict(answer["answer_id"], "down", "wrong_block", "Vertrouwen", api_name="/feedback")
    with pytest.raises(AppError, match="Dit antwoord ken ik niet"):
        client.predict("verzonnen", "down", "", "", api_name="/feedback")
    store = fb.FeedbackStore(fb.default_path(holder.settings.data_dir))
    assert store.rows() == []
    out = client.predict(answer["answer_id"], "down", "wrong_block", "samen doen", api_name="/feedback")
    assert out == {"ok": True, "message": ui_text("fb_thanks", "nl")}
    (row,) = store.rows()
    assert (row["question"], row["correction"], row["session"]) == (QUESTION, "samen-doen", "api")


def test_feedback_endpoint_refuses_while_off(holder_off):
    from gradio_client.exceptions import AppError
    holder = holder_off
    server = Server(holder)
    try:
        client = server.client()
        answer = client.predict(QUESTION, "", "", api_name="/ask")
        assert answer["answer_id"]
        with pytest.raises(AppError, match="Feedback staat uit"):
            client.predict(answer["answer_id"], "up", "", "", api_name="/feedback")
    finally:
        server.stop()
    assert not fb.default_path(holder.settings.data_dir).exists()


def test_cli_ask_json_has_an_answer_id():
    """`ask --json` gives an answer_id too (a new one each time)."""
    from assistant.cli.main import _with_id
    a, b = _with_id(an_answer()), _with_id(an_answer())
    assert a["answer_id"] and a["answer_id"] != b["answer_id"] and a["question"] == QUESTION


def test_readme_privacy_section_names_what_feedback_keeps():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "COACH_FEEDBACK" in text and "COACH_FEEDBACK_DAYS" in text and "--delete-all" in text


def test_refused_feedback_writes_one_log_line(store, caplog):
    import logging
    caplog.set_level(logging.INFO, logger="assistant.usage.feedback")
    with pytest.raises(fb.FeedbackError):
        store.record("bestaat-niet", "up")
    lines = [r for r in caplog.records if r.name == "assistant.usage.feedback"]
    assert len(lines) == 1 and lines[0].exc_info is None and "niet bewaard" in lines[0].getMessage()
