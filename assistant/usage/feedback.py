"""Feedback on answers: off by default; with ``COACH_FEEDBACK=on`` a 👍 or 👎 (with a reason) is kept
in SQLite in the data folder, for a gaps report and for new eval questions.

Privacy (the README says the same):

- Nothing is kept while feedback is off: no file is made, the API refuses.
- An answer is remembered *in memory only* (its id, question and labels) so a rating can refer
  to it; nothing of it reaches the disk unless the user gives feedback on it. The memory holds at
  most ``MAX_PENDING`` answers for at most ``PENDING_HOURS``.
- A feedback row holds: the time, the random browser-session id, the language, the question (at
  most 2,000 characters), the answer's kind, its block and top blocks, its practice case, the
  cited chunk ids and the mode, the rating, the reason and the correction (a block key or at
  most ``MAX_TEXT`` characters of text). No IP address, no user agent, no answer text.
- Rows older than ``COACH_FEEDBACK_DAYS`` (default 90) are deleted when the app or the
  ``gaps`` command starts; ``python -m assistant gaps --delete-all`` deletes every row.

One answer has one feedback row: a 👎 followed by its reason replaces the first row (upsert).
Writers in one process queue on a lock; several processes share the file through SQLite's WAL
mode and ``BEGIN IMMEDIATE`` with a busy timeout, as the learning circle's store does.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import math
import os
import secrets
import sqlite3
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from ..util import sqlite as sqlite_util
from ..errors import CoachError, InputError
from ..knowledge.mozaiek import BLOCK_KEYS, BLOCK_NAMES, block_key
from ..strings import ui_text

log = logging.getLogger(__name__)

DB_NAME = "feedback.sqlite"
SCHEMA_VERSION = 1
MAX_QUESTION = 2000
MAX_TEXT = 500  # the "andere reden" line
MAX_PENDING = 5000  # answers remembered in memory so a rating can refer to them
PENDING_HOURS = 24.0
DEFAULT_DAYS = 90.0

RATINGS = ("up", "down")
# the reasons a 👎 can give; "in_scope": a turned-away question that is about networks after all
REASONS = ("no_answer", "wrong_block", "wrong_case", "unclear", "other", "in_scope")
TURNED_AWAY = ("out_of_scope", "vague")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE feedback (
    answer_id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    session TEXT NOT NULL,
    lang TEXT NOT NULL,
    question TEXT NOT NULL,
    kind TEXT NOT NULL,
    in_scope INTEGER NOT NULL,
    block TEXT,
    blocks TEXT NOT NULL,
    case_key TEXT,
    chunks TEXT NOT NULL,
    mode TEXT NOT NULL,
    rating TEXT NOT NULL,
    reason TEXT NOT NULL,
    correction TEXT NOT NULL
);
CREATE INDEX feedback_updated ON feedback (updated_at)
"""


class FeedbackError(InputError):
    """Feedback that cannot be used (or feedback while it is off): nothing was stored."""


def default_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / DB_NAME


def answer_facts(answer, session: str = "") -> dict:
    """What a feedback row keeps of an ``Answer`` (never its text)."""
    top = [k for k, _ in answer.blocks[:2]]
    block = answer.block.key if answer.block else (top[0] if top and answer.in_scope else None)
    return {"session": str(session or "")[:64], "lang": answer.lang if answer.lang in ("nl", "en") else "nl",
            "question": str(answer.question or "")[:MAX_QUESTION], "kind": answer.kind,
            "in_scope": bool(answer.in_scope), "block": block, "blocks": top,
            "case_key": answer.case.key if answer.case else None,
            "chunks": list(dict.fromkeys(c.chunk_id for c in answer.citations)),
            "mode": answer.mode or "offline"}


class FeedbackStore:
    """Remembers answers (in memory) and keeps the feedback on them (SQLite); thread-safe.

    ``enabled=False`` (``COACH_FEEDBACK`` off): ``remember`` still hands out an id (the API's
    contract) but keeps nothing, ``record`` refuses, and no database file is made.
    ``clock``: seconds since the epoch (tests inject one to test the retention).
    """

    def __init__(self, path: Path | str, *, enabled: bool = True, days: float = DEFAULT_DAYS,
                 clock: Callable[[], float] = time.time, timeout: float = 30.0):
        self.path = Path(path)
        self.enabled = enabled
        self.days = days
        self._clock = clock
        self._timeout = timeout
        self._write_lock = threading.Lock()
        self._pending_lock = threading.Lock()
        self._pending: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._ready = False

    # ---------------------------------------------------------------- connection

    def _open(self) -> None:
        if self._ready:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # questions may be personal: readable by the owner only
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            self._wal()
            with self._write() as con:
                has_meta = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
                                       ).fetchone()
                if not has_meta:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            con.execute(statement)
                    con.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                else:
                    version = int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
                    if version > SCHEMA_VERSION:
                        raise CoachError(f"De feedback-database {self.path} is gemaakt door een nieuwere versie van "
                                         "de app. Werk de app bij.")
        except sqlite3.DatabaseError as err:
            raise CoachError(f"De feedback-database {self.path} kan niet worden geopend ({err}).") from None
        except OSError as err:
            raise CoachError(f"De map voor de feedback-database kan niet worden gemaakt: {err.strerror} "
                             f"({self.path.parent}).") from None
        self._ready = True

    def _wal(self) -> None:
        """Switch the file to WAL mode; several processes opening a new file at once may find it
        locked for a moment (this pragma does not wait on its own): try again until the timeout."""
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                with self._connect() as con:
                    con.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _connect(self):
        return sqlite_util.connect(self.path, self._timeout)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock, self._connect() as con, sqlite_util.transaction(con):
            yield con

    # ---------------------------------------------------------------- answers

    def remember(self, answer, session: str = "") -> str:
        """A new random id for ``answer``; kept in memory (only when feedback is on) so that a
        rating can refer to it."""
        answer_id = secrets.token_urlsafe(12)
        if not self.enabled:
            return answer_id
        now = self._clock()
        with self._pending_lock:
            self._pending[answer_id] = (now, answer_facts(answer, session))
            cutoff = now - PENDING_HOURS * 3600
            while self._pending and (len(self._pending) > MAX_PENDING
                                     or next(iter(self._pending.values()))[0] < cutoff):
                self._pending.popitem(last=False)
        return answer_id

    def _facts(self, answer_id: str) -> dict | None:
        with self._pending_lock:
            item = self._pending.get(answer_id)
        if item is None or item[0] < self._clock() - PENDING_HOURS * 3600:
            return None
        return item[1]

    # ---------------------------------------------------------------- feedback

    def check(self, answer_id, rating, reason="", correction="", lang: str | None = None) -> tuple[dict, str, str, str]:
        """(the answer's facts, rating, reason, correction) checked; ``FeedbackError`` with a
        message in the user's language (``lang``, else the answer's) when something is wrong."""
        if not self.enabled:
            raise FeedbackError(ui_text("fb_off", lang or "nl"))
        facts = self._facts(answer_id) if isinstance(answer_id, str) else None
        lang = lang or (facts["lang"] if facts else "nl")
        if facts is None:
            raise FeedbackError(ui_text("fb_unknown_answer", lang))
        rating = rating.strip().lower() if isinstance(rating, str) else rating
        reason = (reason or "").strip().lower() if isinstance(reason, str) or reason is None else reason
        correction = correction if correction is not None else ""
        if rating not in RATINGS:
            raise FeedbackError(ui_text("fb_bad_rating", lang))
        if not isinstance(reason, str) or (reason and reason not in REASONS):
            raise FeedbackError(ui_text("fb_bad_reason", lang, reasons=", ".join(REASONS)))
        if rating == "up" and reason:
            raise FeedbackError(ui_text("fb_reason_with_up", lang))
        if not isinstance(correction, str):
            raise FeedbackError(ui_text("fb_too_long", lang, n=MAX_TEXT))
        correction = correction.strip()
        if reason == "wrong_block":
            key = block_key(correction) if correction else ""
            if key not in BLOCK_KEYS:
                raise FeedbackError(ui_text("fb_bad_block", lang, blocks=", ".join(BLOCK_NAMES.values())))
            correction = key
        elif reason == "other":
            if len(correction) > MAX_TEXT:
                raise FeedbackError(ui_text("fb_too_long", lang, n=MAX_TEXT))
        elif correction:
            raise FeedbackError(ui_text("fb_no_correction", lang))
        return facts, rating, reason, correction

    def record(self, answer_id, rating, reason="", correction="", lang: str | None = None) -> str:
        """Keep (or replace) the feedback on answer ``answer_id``; the thanks line to show."""
        try:
            facts, rating, reason, correction = self.check(answer_id, rating, reason, correction, lang)
        except FeedbackError as err:  # an expected user error: one line, no traceback
            log.info("Feedback niet bewaard: %s", err)
            raise
        self._open()
        now = self._clock()
        with self._write() as con:
            con.execute(
                "INSERT INTO feedback (answer_id, created_at, updated_at, session, lang, question, kind, in_scope,"
                " block, blocks, case_key, chunks, mode, rating, reason, correction)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(answer_id) DO UPDATE SET updated_at = excluded.updated_at, rating = excluded.rating,"
                " reason = excluded.reason, correction = excluded.correction",
                (answer_id, now, now, facts["session"], facts["lang"], facts["question"], facts["kind"],
                 int(facts["in_scope"]), facts["block"], json.dumps(facts["blocks"]), facts["case_key"],
                 json.dumps(facts["chunks"]), facts["mode"], rating, reason, correction))
        return ui_text("fb_thanks_reason" if rating == "down" and not reason else "fb_thanks", lang or facts["lang"])

    # ---------------------------------------------------------------- reading, retention

    def rows(self, since: float | None = None) -> list[dict]:
        """Every feedback row (oldest first), updated at or after ``since`` when given."""
        if not self.enabled and not self.path.exists():
            return []
        self._open()
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            found = con.execute("SELECT * FROM feedback WHERE updated_at >= ? ORDER BY created_at, answer_id",
                                (since if since is not None else -math.inf,)).fetchall()
        out = []
        for r in found:
            d = dict(r)
            d.update(blocks=json.loads(d["blocks"]), chunks=json.loads(d["chunks"]), in_scope=bool(d["in_scope"]))
            out.append(d)
        return out

    def purge(self, days: float | None = None) -> int:
        """Delete rows last changed more than ``days`` (default: the store's) ago; how many."""
        days = self.days if days is None else days
        if isinstance(days, bool) or not isinstance(days, (int, float)) or not math.isfinite(days) or days < 0:
            raise InputError(f"Het aantal dagen om te bewaren moet 0 of meer zijn, niet {days!r}.")
        if not self.path.exists():
            return 0
        self._open()
        with self._write() as con:
            n = con.execute("DELETE FROM feedback WHERE updated_at < ?", (self._clock() - days * 86400,)).rowcount
        if n:
            log.info("Feedback: %d reacties ouder dan %s dagen verwijderd", n, days)
        return n

    def delete_all(self) -> int:
        """Delete every feedback row (and the answers remembered in memory); how many rows.
        The file is vacuumed so no deleted question stays behind in its free pages."""
        with self._pending_lock:
            self._pending.clear()
        if not self.path.exists():
            return 0
        self._open()
        with self._write() as con:
            n = con.execute("DELETE FROM feedback").rowcount
        with self._write_lock, self._connect() as con:
            con.execute("VACUUM")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("Feedback: alle %d reacties verwijderd", n)
        return n


def open_feedback(settings) -> FeedbackStore:
    """The feedback store the settings describe, with rows older than the retention deleted."""
    store = FeedbackStore(default_path(settings.data_dir), enabled=settings.feedback, days=settings.feedback_days)
    store.purge()
    return store


# ------------------------------------------------------------------------------ gaps report

def _counts(rows, key) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        k = key(r)
        if k is None:
            continue
        d = out.setdefault(k, {"up": 0, "down": 0})
        d[r["rating"]] += 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1]["down"], -kv[1]["up"], kv[0])))


def gaps_report(rows: list[dict], since: float | None = None) -> dict:
    """Where the coach falls short, from the feedback ``rows``: counts per rating and reason, per
    block and per case, per language; the turned-away questions users said were about networks;
    the blocks users corrected to (a confusion table); the passages most often cited in 👎 answers."""
    down = [r for r in rows if r["rating"] == "down"]
    confusion = Counter((r["block"] or "-", r["correction"]) for r in down if r["reason"] == "wrong_block")
    passages = Counter(c for r in down for c in r["chunks"])
    return {
        "since": datetime.fromtimestamp(since, timezone.utc).date().isoformat() if since is not None else None,
        "total": len(rows),
        "ratings": {k: sum(r["rating"] == k for r in rows) for k in RATINGS},
        "reasons": {k: n for k in REASONS if (n := sum(r["reason"] == k for r in down))},
        "no_reason": sum(not r["reason"] for r in down),
        "blocks": _counts(rows, lambda r: r["block"]),
        "cases": _counts(rows, lambda r: r["case_key"]),
        "kinds": _counts(rows, lambda r: r["kind"]),
        "languages": _counts(rows, lambda r: r["lang"]),
        "confusion": [{"from": a, "to": b, "n": n} for (a, b), n in
                      sorted(confusion.items(), key=lambda kv: (-kv[1], kv[0]))],
        "turned_away_in_scope": [{"question": r["question"], "lang": r["lang"], "kind": r["kind"],
                                  "date": _date(r["updated_at"])} for r in down if r["reason"] == "in_scope"],
        "passages_in_down": [{"chunk_id": c, "n": n} for c, n in
                             sorted(passages.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
        "other_remarks": [r["correction"] for r in down if r["reason"] == "other" and r["correction"]],
    }


def _date(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).date().isoformat()


def _name(key: str | None) -> str:
    return BLOCK_NAMES.get(key or "", key or "–")


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def report_markdown(report: dict, lang: str = "nl") -> str:
    """The gaps report as Markdown (headings in ``lang``)."""
    t = lambda key, **v: ui_text(key, lang, **v)  # noqa: E731
    lines = [f"## {t('gaps_title')}", ""]
    if not report["total"]:
        return "\n".join([*lines, t("gaps_empty")])
    r = report["ratings"]
    lines += [t("gaps_totals", n=report["total"], up=r["up"], down=r["down"]), ""]
    if report["reasons"] or report["no_reason"]:
        lines += [f"### {t('gaps_reasons')}", "", f"| {t('gaps_reason')} | n |", "|---|---:|"]
        lines += [f"| {ui_text('fb_reason_' + k, lang)} | {n} |" for k, n in report["reasons"].items()]
        if report["no_reason"]:
            lines.append(f"| {t('gaps_no_reason')} | {report['no_reason']} |")
        lines.append("")

    def table(title: str, counts: dict, name=lambda k: k) -> None:
        if counts:
            lines.extend([f"### {title}", "", f"| | {t('gaps_up')} | {t('gaps_down')} |", "|---|---:|---:|",
                          *(f"| {_md(name(k))} | {v['up']} | {v['down']} |" for k, v in counts.items()), ""])

    table(t("gaps_blocks"), report["blocks"], _name)
    table(t("gaps_cases"), report["cases"])
    table(t("gaps_languages"), report["languages"])
    table(t("gaps_kinds"), report["kinds"])
    if report["confusion"]:
        lines += [f"### {t('gaps_confusion')}", "", f"| {t('gaps_from')} | {t('gaps_to')} | n |", "|---|---|---:|"]
        lines += [f"| {_name(c['from'])} | {_name(c['to'])} | {c['n']} |" for c in report["confusion"]]
        lines.append("")
    if report["turned_away_in_scope"]:
        lines += [f"### {t('gaps_turned_away')}", ""]
        lines += [f"- {_md(q['question'])} ({q['lang']}, {q['date']})" for q in report["turned_away_in_scope"]]
        lines.append("")
    if report["passages_in_down"]:
        lines += [f"### {t('gaps_passages')}", "", "| chunk | n |", "|---|---:|"]
        lines += [f"| `{p['chunk_id']}` | {p['n']} |" for p in report["passages_in_down"]]
        lines.append("")
    if report["other_remarks"]:
        lines += [f"### {t('gaps_remarks')}", "", *(f"- {_md(x)}" for x in report["other_remarks"]), ""]
    return "\n".join(lines).rstrip() + "\n"


CSV_FIELDS = ("date", "lang", "question", "kind", "in_scope", "block", "blocks", "case", "chunks", "mode",
              "rating", "reason", "correction")


def rows_csv(rows: list[dict]) -> str:
    """Every feedback row as CSV (no session id), one line each."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for r in rows:
        w.writerow([_date(r["updated_at"]), r["lang"], r["question"], r["kind"], int(r["in_scope"]),
                    r["block"] or "", " ".join(r["blocks"]), r["case_key"] or "", " ".join(r["chunks"]),
                    r["mode"], r["rating"], r["reason"], r["correction"]])
    return out.getvalue()


# ------------------------------------------------------------------------------ to evals

def eval_lines(rows: list[dict]) -> list[dict]:
    """The rated questions as lines in the format of ``evals/questions.jsonl``, marked
    ``"source": "use"`` and ``"split": "use"``, for the team to review into a NEW held-out set.

    Labels come only from what a user said: a 👍 confirms the answer's scope and block; "verkeerde
    bouwsteen" gives the expected block; "dit gaat wél over netwerken" says in scope. ``labelled``
    says which; lines without a user label keep the coach's guess of the scope and no blocks, and
    must be labelled by the reviewer. One line per question (the latest feedback on it wins; a
    correction wins over a rating without one). Sections, case and must_mention are left empty
    for the reviewer."""
    best: dict[str, dict] = {}
    for r in rows:
        key = " ".join(r["question"].lower().split())
        if not key:
            continue
        labelled, in_scope, blocks = "none", r["in_scope"], []
        if r["rating"] == "up":
            labelled = "confirmed"
            blocks = [r["block"]] if r["block"] and r["in_scope"] else []
        elif r["reason"] == "wrong_block":
            labelled, in_scope, blocks = "block", True, [r["correction"]]
        elif r["reason"] == "in_scope":
            labelled, in_scope = "scope", True
        rank = {"none": 0, "confirmed": 1, "scope": 2, "block": 3}[labelled]
        old = best.get(key)
        if old is not None and old[0] > rank:
            continue
        best[key] = (rank, {
            "question": r["question"], "type": "situation" if in_scope else "oos", "lang": r["lang"],
            "user": "unknown", "in_scope": bool(in_scope), "blocks": blocks, "sections": [], "case": None,
            "must_mention": [], "split": "use", "source": "use", "labelled": labelled,
            "rating": r["rating"], "reason": r["reason"], "coach_kind": r["kind"], "coach_block": r["block"],
            "date": _date(r["updated_at"])})
    lines = [line for _, line in best.values()]
    return [{"id": f"u{i:03d}", **line} for i, line in enumerate(lines, 1)]


def write_eval_lines(rows: list[dict], path: Path | str) -> int:
    """Write ``eval_lines(rows)`` to ``path`` (JSON Lines, UTF-8); how many lines."""
    from ..util.atomic import atomic_write_text
    lines = eval_lines(rows)
    atomic_write_text(Path(path), "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    return len(lines)
