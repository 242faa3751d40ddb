"""Leerkring live: participants score the seven blocks on their own phones; the trainer reveals.

The core only (no UI): sessions and submissions in a SQLite file in ``COACH_DATA_DIR``
(``leerkring.sqlite``), the credentials, validation, the rate limit, the group result with an
optional comparison and the retention. The scores themselves are handled by ``assistant.leerkring.scan``
(validation, summary, CSV), so a live session and the one-laptop scan agree.

Credentials:

- the **join code** (``secrets.token_urlsafe``, 128 bits) is what a participant needs; it is in
  the join link. The ``short_code`` is for people to recognise the session on the projector and
  is *not* accepted anywhere.
- the **trainer token** (256 bits) is what a *script* needs to see the count and reveal (the
  named API). Only its SHA-256 is stored; the database cannot hand it out again.
- the **owner**: the login (``COACH_AUTH`` user name; "" without a login) that started the
  session. The app's page never holds the token: it acts as ``Trainer(owner, session_id)``, and
  the store only accepts that for the owner's own sessions. Each owner has one *current* session
  (the one their page shows after a reload or restart), kept here, server-side.
- the **participant id** is a random id the participant's device keeps; it is the only way to
  read an answer back (``own_answer``). Only its SHA-256 is stored. The server issues it, signed
  (``issue_participant``, an HMAC with a key kept in the data folder); a value the server did not
  sign is never adopted (``participant`` gives None, the caller issues a fresh one), so a client
  cannot pick an id, e.g. one it planted in someone else's browser. The participant's page also
  gives the device a new id with every answer it saves (``submit(renew_to=...)``), so an id that
  was planted or seen before stops working once its owner sends an answer.

Rate limits (in memory, per process): per device, per client address and per circle (see the
constants below); the trainer can ``drop`` a single answer.

Every write is one transaction (``BEGIN IMMEDIATE``); a failure rolls everything back. The file
is in WAL mode; each call opens its own connection, so the store can be shared between threads.
"""
from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import hmac
import json
import logging
import math
import os
import random
import re
import secrets
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..util import sqlite as sqlite_util
from ..errors import CoachError, InputError
from ..knowledge.mozaiek import BLOCK_KEYS, BLOCK_NAMES
from .scan import (MAX_PARTICIPANTS, NAME_MAX, REMARK_MAX, SCORE_MAX, SCORE_MIN, TITLE_MAX,
                   Participant, Scan, ScanSummary, clean_text, dutch_number, from_csv, summary, to_csv,
                   validate_participant)

log = logging.getLogger(__name__)

DB_NAME = "leerkring.sqlite"
SCHEMA_VERSION = 2  # 2: sessions.owner and the trainers table (owner → current session)

RETENTION_SETTING = "COACH_LEERKRING_DAYS"  # suggested name of the setting (not read here)
DEFAULT_RETENTION_DAYS = 30  # submissions may hold remarks about colleagues: keep them briefly

MIN_REVEAL = 3  # below this the group result stays hidden: a single person's scores would show
RATE_LIMIT_COUNT = 10  # submissions (attempts) per participant …
RATE_LIMIT_WINDOW = 60.0  # … per this many seconds
# Ballot stuffing: every POST without a (valid) cookie is a new participant, so the per-device
# limit above does not stop one machine from filling a circle (the probe: 205 cookie-less POSTs in
# 3.6 s filled a circle to its 200). What one client address may do in one circle:
# - a room usually reaches the app through ONE public address (the venue's Wi-Fi/NAT), and 30-60
#   phones then join within a minute or two. So one address may add 60 new participants per
#   10 minutes: a whole room of 60 gets in at once; a single machine gets 60 of the 200 places in
#   the ten minutes a circle is typically open, and more only slowly (the trainer can ``drop`` what
#   does not belong). Replacing one's own answer is not a new participant and does not count here.
# - 120 attempts per minute (also refused and changed ones): two tries for each of 60 phones in
#   one minute, while one address cannot use up the circle's own budget below.
ADDRESS_NEW_COUNT, ADDRESS_NEW_WINDOW = 60, 600.0
ADDRESS_ATTEMPT_COUNT, ADDRESS_ATTEMPT_WINDOW = 120, 60.0
# Per circle, from all addresses together: 300 attempts per minute, more than the 200 places of a
# circle (MAX_PARTICIPANTS), so a full room never meets it, yet a flood from many addresses is
# capped at 5 writes a second. Attempts refused by the limits above do not count here, so one
# address alone cannot lock a circle for everyone.
CIRCLE_ATTEMPT_COUNT, CIRCLE_ATTEMPT_WINDOW = 300, 60.0
RENEW_GRACE = 20.0  # seconds an id replaced by renew_to still reaches its answer (a double tap on Send)
PARTICIPANT_KEY_FILE = "leerkring-deelnemer.key"  # signs participant ids; 0600, in the data folder
MEAN_MOVE = 1.0  # a block "moved" when its mean changed by at least this much
SPREAD_CHANGE_CLEAR = 0.5  # the spread (population std) changed "clearly" by at least this much
_EPS = 1e-9

CODE_BYTES = 16  # join code: 16 random bytes → 22 URL-safe characters
TRAINER_TOKEN_BYTES = 32
SESSION_ID_BYTES = 12
PARTICIPANT_ID_MIN, PARTICIPANT_ID_MAX = 16, 128
SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)
_MAX_KEYS = 20  # a scores or remarks mapping larger than this is refused outright

STATE_OPEN, STATE_CLOSED = "open", "closed"
NARROWED, WIDENED = "narrowed", "widened"


# --------------------------------------------------------------------------- errors

class SessionNotFound(InputError):
    """No session with this code or trainer token (or it has been deleted)."""


class SessionClosed(InputError):
    """The trainer has closed the session: answers can no longer change."""


class NotTrainer(InputError):
    """The trainer token is missing or wrong."""


class TooFewSubmissions(InputError):
    """Fewer than ``MIN_REVEAL`` submissions: the group result stays hidden."""


class RateLimited(InputError):
    """Too many submissions from one participant in a short time."""


class Busy(RateLimited):
    """Too many submissions from one address or to one circle in a short time."""


class SubmissionNotFound(InputError):
    """The trainer picked an answer that is not (or no longer) in the circle."""


class StorageError(CoachError):
    """The leerkring database cannot be opened or written."""


MSG_NOT_FOUND = ("Deze leerkring bestaat niet (meer). Controleer de link of vraag de trainer "
                 "om een nieuwe.")
MSG_CLOSED = ("Deze leerkring is gesloten door de trainer. Je antwoord kan niet meer worden "
              "ingestuurd of veranderd.")
MSG_NOT_TRAINER = "Dit kan alleen de trainer die deze leerkring heeft gestart."
MSG_RATE = ("Je hebt in korte tijd te vaak verstuurd. Wacht een minuut en probeer het dan "
            "opnieuw; je laatste antwoord is bewaard.")
MSG_BUSY = ("Er komen nu heel veel antwoorden tegelijk binnen. Wacht een minuut en verstuur dan "
            "opnieuw; dit antwoord is nog niet bewaard.")
MSG_BAD_DEVICE = ("Je apparaat kon niet worden herkend. Laad de pagina opnieuw via de link "
                  "van de trainer.")
MSG_STORAGE = "Opslaan lukte niet door een probleem met de database. Probeer het zo opnieuw."


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class Session:
    """What ``start`` returns: everything the trainer's page needs. Keep ``trainer_token`` safe."""

    id: str
    title: str
    code: str = field(repr=False)  # the participants' credential: goes into the join link
    short_code: str  # for recognising the session on the projector; not a credential
    trainer_token: str = field(repr=False)
    created_at: float
    comparison: str | None  # a label for the comparison scan, or None


@dataclass(frozen=True)
class Trainer:
    """A logged-in trainer acting on one of their own sessions from the app's page: accepted
    wherever a trainer token is, but only when ``owner`` started the session."""

    owner: str
    session_id: str


@dataclass(frozen=True)
class SessionInfo:
    """A session as listed for the trainer (no credentials)."""

    id: str
    title: str
    short_code: str
    state: str
    count: int
    created_at: float
    revealed: bool


@dataclass(frozen=True)
class PublicInfo:
    """What a participant's page may show about the session."""

    title: str
    short_code: str
    state: str


@dataclass(frozen=True)
class Status:
    """How many have submitted and the state; never scores."""

    count: int
    state: str

    def to_dict(self) -> dict:
        return {"count": self.count, "state": self.state}


@dataclass(frozen=True)
class Answer:
    """One participant's own answer."""

    name: str
    scores: dict[str, int]
    remarks: dict[str, str]
    updated_at: float


@dataclass(frozen=True)
class SubmitResult:
    created: bool  # False when an earlier answer was replaced
    count: int  # submissions in the session now


@dataclass(frozen=True)
class SubmissionRow:
    """One answer as the trainer's list shows it (no scores): pick one to ``drop``."""

    number: int  # 1, 2, … in the order the answers first came in
    ref: str  # a stable short reference to the same answer (numbers shift after a drop)
    name: str  # as the participant gave it ('' when left empty)
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class RevealRemark:
    block: str
    block_name: str
    text: str


@dataclass(frozen=True)
class BlockChange:
    """One block: the earlier and the current mean and spread."""

    key: str
    name: str
    before_mean: float
    now_mean: float
    before_std: float
    now_std: float
    moved: bool  # |now − before| ≥ MEAN_MOVE
    spread_change: str | None  # NARROWED, WIDENED or None (change below SPREAD_CHANGE_CLEAR)

    @property
    def delta(self) -> float:
        return self.now_mean - self.before_mean

    @property
    def notable(self) -> bool:
        return self.moved or self.spread_change is not None

    def describe(self) -> str:
        """One Dutch sentence about what changed ('' when nothing changed clearly)."""
        parts = []
        if self.moved:
            way = "gestegen" if self.delta > 0 else "gedaald"
            parts.append(f"gemiddeld {way} van {dutch_number(self.before_mean)} naar {dutch_number(self.now_mean)}")
        if self.spread_change == NARROWED:
            parts.append("de scores liggen dichter bij elkaar dan vorige keer")
        elif self.spread_change == WIDENED:
            parts.append("de scores lopen verder uiteen dan vorige keer")
        return f"{self.name}: {'; '.join(parts)}." if parts else ""

    def to_dict(self) -> dict:
        return {"before_mean": round(self.before_mean, 3), "now_mean": round(self.now_mean, 3),
                "before_std": round(self.before_std, 3), "now_std": round(self.now_std, 3),
                "moved": self.moved, "spread_change": self.spread_change}


@dataclass(frozen=True)
class Comparison:
    label: str
    participants: int
    summary: ScanSummary
    blocks: tuple[BlockChange, ...]  # in BLOCK_KEYS order

    @property
    def moved(self) -> tuple[str, ...]:
        return tuple(b.key for b in self.blocks if b.moved)

    @property
    def narrowed(self) -> tuple[str, ...]:
        return tuple(b.key for b in self.blocks if b.spread_change == NARROWED)

    @property
    def widened(self) -> tuple[str, ...]:
        return tuple(b.key for b in self.blocks if b.spread_change == WIDENED)

    def sentences(self) -> list[str]:
        return [b.describe() for b in self.blocks if b.notable]


@dataclass(frozen=True)
class Reveal:
    """The group result of a session: no names, remarks shuffled."""

    session_id: str
    title: str
    state: str
    revision: int  # changes with every submission or state change: a cache key for charts
    summary: ScanSummary
    scan: Scan  # anonymous (names empty), in a random but stable order; for reports and charts
    distribution: dict[str, tuple[int, ...]]  # per block: how many gave 1, 2, 3, 4, 5 (dot plot)
    remarks: tuple[RevealRemark, ...]
    comparison: Comparison | None

    @property
    def count(self) -> int:
        return self.summary.participants

    @property
    def means(self) -> dict[str, float]:
        return {b.key: b.mean for b in self.summary.blocks}

    @property
    def spread(self) -> dict[str, int]:
        """Highest minus lowest score per block."""
        return {b.key: b.spread for b in self.summary.blocks}

    @property
    def std(self) -> dict[str, float]:
        return {b.key: b.std for b in self.summary.blocks}

    @property
    def weakest(self) -> tuple[str, ...]:
        return self.summary.weakest

    @property
    def disputed(self) -> tuple[str, ...]:
        return self.summary.disagreement

    def to_dict(self) -> dict:
        """JSON for the ``leerkring_reveal`` endpoint (the report's path is added by the app)."""
        return {
            "title": self.title, "state": self.state, "count": self.count,
            "means": {k: round(v, 3) for k, v in self.means.items()},
            "spread": dict(self.spread),
            "std": {k: round(v, 3) for k, v in self.std.items()},
            "distribution": {k: list(v) for k, v in self.distribution.items()},
            "weakest": list(self.weakest), "disputed": list(self.disputed),
            "remarks": [{"block": r.block, "text": r.text} for r in self.remarks],
            "changes": None if self.comparison is None else {
                "label": self.comparison.label,
                "participants": self.comparison.participants,
                "blocks": {b.key: b.to_dict() for b in self.comparison.blocks},
                "moved": list(self.comparison.moved),
                "narrowed": list(self.comparison.narrowed),
                "widened": list(self.comparison.widened),
            },
        }


@dataclass(frozen=True)
class PurgeResult:
    submissions: int
    sessions: int


# --------------------------------------------------------------------------- helpers

def new_participant_id() -> str:
    """A random, unsigned participant id (for the store's own use and tests); what a device gets
    is ``LeerkringStore.issue_participant``, signed."""
    return secrets.token_urlsafe(24)


def keep_secret(path: Path | str) -> str:
    """A random key kept in ``path``: made once (mode 0600, never readable by others), then read
    back, so it survives a restart. Two processes starting at once agree on one key."""
    path = Path(path)
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="ascii").strip()
    with open(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def default_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / DB_NAME


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _token(value: object, lo: int, hi: int) -> str | None:
    """A URL-safe token from user input, or None when it cannot be one."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if lo <= len(value) <= hi and _TOKEN_RE.fullmatch(value) else None


def _owner(owner: object) -> str:
    """The login name a session belongs to; "" without a login."""
    return owner if isinstance(owner, str) else ""


def _short_code() -> str:
    chars = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


def _long_text(value: object) -> str:
    """Cleaned text without the cut, to see whether it is too long."""
    return clean_text(value, 100_000)


def _check_title(title: object) -> str:
    if title is not None and not isinstance(title, str):
        raise InputError("De titel moet tekst zijn.")
    text = _long_text(title)
    if not text:
        raise InputError("Geef de leerkring een titel, bijvoorbeeld ‘Leerkring voorjaar’.")
    if len(text) > TITLE_MAX:
        raise InputError(f"De titel is te lang ({len(text)} tekens); hoogstens {TITLE_MAX} tekens.")
    return text


def _validate_submission(name: object, scores: object, remarks: object) -> Participant:
    """A participant from the participant's form; every problem reported at once (Dutch)."""
    if not isinstance(scores, Mapping) or len(scores) > _MAX_KEYS:
        raise InputError("Geef elke bouwsteen een score van 1 tot en met 5.")
    if remarks is None:
        remarks = {}
    if not isinstance(remarks, Mapping) or len(remarks) > _MAX_KEYS:
        raise InputError("De opmerkingen konden niet worden gelezen. Laad de pagina opnieuw.")
    if name is not None and not isinstance(name, str):
        raise InputError("Je naam moet tekst zijn (of laat hem leeg).")
    problems: list[str] = []
    try:
        participant = validate_participant(name, scores, remarks)
    except InputError as err:
        problems.append(str(err))
        participant = None
    name_len = len(_long_text(name))
    if name_len > NAME_MAX:
        problems.append(f"Je naam is te lang ({name_len} tekens); hoogstens {NAME_MAX} tekens.")
    too_long = []
    for key in BLOCK_KEYS:
        value = remarks.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"De opmerking bij {BLOCK_NAMES[key]} moet tekst zijn.")
        elif len(_long_text(value)) > REMARK_MAX:
            too_long.append(f"{BLOCK_NAMES[key]} ({len(_long_text(value))} tekens)")
    if too_long:
        problems.append(f"Een opmerking mag hoogstens {REMARK_MAX} tekens hebben; te lang bij "
                        + (too_long[0] if len(too_long) == 1
                           else ", ".join(too_long[:-1]) + " en " + too_long[-1]) + ".")
    if problems or participant is None:
        raise InputError(" ".join(problems))
    return participant


def _blank_scan(rows: list[list[int]]) -> Scan:
    return Scan(tuple(Participant("", tuple(r)) for r in rows))


def _fraction_stats(rows: list[tuple[int, ...]]) -> tuple[list[Fraction], list[float]]:
    """Exact means and population standard deviations per block."""
    n = len(rows)
    means, stds = [], []
    for i in range(len(BLOCK_KEYS)):
        column = [r[i] for r in rows]
        total, squares = sum(column), sum(s * s for s in column)
        means.append(Fraction(total, n))
        stds.append(math.sqrt(Fraction(n * squares - total * total, n * n)))
    return means, stds


def compare(before: Scan, now: Scan, label: str = "vorige scan") -> Comparison:
    """Per block the earlier and current mean and spread; which moved or changed spread clearly."""
    b_means, b_stds = _fraction_stats([p.scores for p in before.participants])
    n_means, n_stds = _fraction_stats([p.scores for p in now.participants])
    blocks = []
    for i, key in enumerate(BLOCK_KEYS):
        moved = abs(n_means[i] - b_means[i]) >= Fraction(MEAN_MOVE).limit_denominator()
        d_std = n_stds[i] - b_stds[i]
        change = (NARROWED if d_std <= -SPREAD_CHANGE_CLEAR + _EPS
                  else WIDENED if d_std >= SPREAD_CHANGE_CLEAR - _EPS else None)
        blocks.append(BlockChange(key, BLOCK_NAMES[key], float(b_means[i]), float(n_means[i]),
                                  b_stds[i], n_stds[i], moved, change))
    return Comparison(label=label, participants=len(before), summary=summary(before),
                      blocks=tuple(blocks))


# --------------------------------------------------------------------------- store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    short_code TEXT NOT NULL,
    trainer_hash TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    closed_at REAL,
    revealed_at REAL,
    revision INTEGER NOT NULL DEFAULT 0,
    compare_label TEXT,
    compare_scores TEXT,
    owner TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    participant_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    scores TEXT NOT NULL,
    remarks TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (session_id, participant_hash)
);
CREATE INDEX IF NOT EXISTS submissions_updated ON submissions (updated_at);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions (updated_at);
"""


# Schema 1 → 2: who started each session (unknown, NULL, for the sessions made before: see
# ``adopt``) and each trainer's current session. Existing sessions and answers stay as they were.
_MIGRATE_2 = """
ALTER TABLE sessions ADD COLUMN owner TEXT;
"""
_SCHEMA_2 = """
CREATE TABLE IF NOT EXISTS trainers (
    owner TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS sessions_owner ON sessions (owner, created_at);
"""


class LeerkringStore:
    """Sessions and submissions in one SQLite file; safe to share between threads."""

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time,
                 rng: random.Random | None = None, timeout: float = 30.0,
                 participant_key: str | None = None):
        """``participant_key`` signs participant ids; by default it is kept in
        ``PARTICIPANT_KEY_FILE`` beside the database (made on first use)."""
        self.path = Path(path)
        self._clock = clock
        self._rng = rng or random.SystemRandom()
        self._timeout = timeout
        self._write_lock = threading.Lock()  # writers in this process queue here, not in SQLite
        self._rate_lock = threading.Lock()
        self._attempts: dict[tuple, deque[float]] = {}
        self._renamed: dict[tuple[str, str], tuple[str, float]] = {}  # (sid, old hash) → (new hash, when)
        self._participant_key = participant_key
        self._open()

    # ---------------------------------------------------------------- connection

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # remarks may be personal: readable by the owner only
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            with self._connect() as con:
                mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.warning("Leerkring-database niet in WAL-modus (%s): %s", mode, self.path)
            with self._write() as con:
                version = self._schema_version(con)
                if version is None:
                    self._run(con, _SCHEMA + _SCHEMA_2)
                    con.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                                (str(SCHEMA_VERSION),))
                    log.info("Leerkring-database aangemaakt: %s", self.path)
                elif version == 1:  # keeps every session and answer; their owner is unknown (NULL)
                    self._run(con, _MIGRATE_2 + _SCHEMA_2)
                    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
                    log.info("Leerkring-database bijgewerkt naar schema %d: %s", SCHEMA_VERSION, self.path)
                elif version > SCHEMA_VERSION:
                    raise StorageError(
                        f"De leerkring-database {self.path} is gemaakt door een nieuwere versie "
                        f"van de app (schema {version}, deze versie kent {SCHEMA_VERSION}). "
                        "Werk de app bij.")
        except sqlite3.DatabaseError as err:
            log.error("Leerkring-database %s niet te openen: %s", self.path, err)
            raise StorageError(f"De leerkring-database {self.path} kan niet worden geopend "
                               f"({err}). Is het wel een leerkring-database?") from None
        except OSError as err:
            raise StorageError(f"De map voor de leerkring-database kan niet worden gemaakt: "
                               f"{err.strerror} ({self.path.parent}).") from None

    @staticmethod
    def _run(con: sqlite3.Connection, script: str) -> None:
        for statement in script.split(";"):
            if statement.strip():
                con.execute(statement)

    @staticmethod
    def _schema_version(con: sqlite3.Connection) -> int | None:
        has_meta = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta:
            return None
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _connect(self):
        return sqlite_util.connect(self.path, self._timeout, foreign_keys=True)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self._write_lock, self._connect() as con, sqlite_util.transaction(con):
            yield con

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for reading (one read transaction)."""
        with self._connect() as con:
            con.execute("BEGIN")
            try:
                yield con
            finally:
                con.execute("COMMIT")

    @contextlib.contextmanager
    def _storage_errors(self) -> Iterator[None]:
        """Database failures become a Dutch ``StorageError``; input errors pass through."""
        try:
            yield
        except sqlite3.Error as err:
            log.exception("Leerkring-database %s", self.path)
            raise StorageError(MSG_STORAGE) from err

    # ---------------------------------------------------------------- lookups

    def _by_code(self, con: sqlite3.Connection, code: object) -> tuple:
        token = _token(code, 16, 64)
        row = token and con.execute(
            "SELECT id, state, title, short_code FROM sessions WHERE code = ?", (token,)).fetchone()
        if not row:
            raise SessionNotFound(MSG_NOT_FOUND)
        return row

    def _by_trainer(self, con: sqlite3.Connection, trainer_token: object) -> tuple:
        """The session of a trainer token, or of a ``Trainer`` who owns it (else ``NotTrainer``)."""
        if isinstance(trainer_token, Trainer):
            sid = _token(trainer_token.session_id, 8, 64)
            row = sid and con.execute(
                "SELECT id, state, title, short_code FROM sessions WHERE id = ? AND owner = ?",
                (sid, _owner(trainer_token.owner))).fetchone()
            if not row:
                raise NotTrainer(MSG_NOT_TRAINER)
            return row
        token = _token(trainer_token, 16, 128)
        row = token and con.execute(
            "SELECT id, state, title, short_code FROM sessions WHERE trainer_hash = ?",
            (_hash(token),)).fetchone()
        if not row:
            raise NotTrainer(MSG_NOT_TRAINER)
        return row

    @staticmethod
    def _count(con: sqlite3.Connection, session_id: str) -> int:
        return con.execute("SELECT COUNT(*) FROM submissions WHERE session_id = ?",
                           (session_id,)).fetchone()[0]

    # ---------------------------------------------------------------- sessions

    def start(self, title: str, compare_csv: bytes | str | None = None,
              compare_session: str | None = None, owner: str | None = None,
              current: bool = False) -> Session:
        """A new open session of ``owner`` (the login name; None or "" without a login);
        optionally with a comparison scan (a CSV from the app, or the id of an earlier session of
        the same owner with at least ``MIN_REVEAL`` submissions). Only the scores of the
        comparison are kept (no names, no remarks). ``current``: it becomes the session the
        owner's page shows (``current``)."""
        title = _check_title(title)
        owner = _owner(owner)
        if compare_csv is not None and compare_session is not None:
            raise InputError("Kies één scan om mee te vergelijken: een CSV-bestand of een eerdere "
                             "leerkring, niet allebei.")
        compare_label, compare_rows = None, None
        if compare_csv is not None:
            if isinstance(compare_csv, str):
                compare_csv = compare_csv.encode("utf-8")
            earlier = from_csv(compare_csv)  # InputError in Dutch when unusable
            compare_label, compare_rows = "ingelezen scan", [list(p.scores) for p in earlier.participants]
        now = self._clock()
        session = Session(id=secrets.token_urlsafe(SESSION_ID_BYTES), title=title,
                          code=secrets.token_urlsafe(CODE_BYTES), short_code=_short_code(),
                          trainer_token=secrets.token_urlsafe(TRAINER_TOKEN_BYTES),
                          created_at=now, comparison=compare_label)
        with self._storage_errors(), self._write() as con:
            if compare_session is not None:
                compare_label, compare_rows = self._earlier_session(con, compare_session, owner)
                session = dataclasses.replace(session, comparison=compare_label)
            con.execute(
                "INSERT INTO sessions (id, code, short_code, trainer_hash, title, state, created_at, "
                "updated_at, compare_label, compare_scores, owner) "
                "VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
                (session.id, session.code, session.short_code, _hash(session.trainer_token), title,
                 now, now, compare_label,
                 None if compare_rows is None else json.dumps(compare_rows), owner))
            if current:
                con.execute("INSERT INTO trainers (owner, session_id) VALUES (?, ?) "
                            "ON CONFLICT (owner) DO UPDATE SET session_id = excluded.session_id",
                            (owner, session.id))
        log.info("Leerkring %s gestart%s", session.id,
                 f" (vergelijking: {compare_label})" if compare_label else "")
        return session

    def _earlier_session(self, con: sqlite3.Connection, session_id: object, owner: str) -> tuple[str, list]:
        token = _token(session_id, 8, 64)
        # another trainer's session is refused exactly like one that does not exist
        row = token and con.execute("SELECT title, created_at FROM sessions WHERE id = ? AND owner = ?",
                                    (token, owner)).fetchone()
        if not row:
            raise InputError("De leerkring om mee te vergelijken bestaat niet (meer).")
        rows = [[json.loads(s)[k] for k in BLOCK_KEYS] for (s,) in con.execute(
            "SELECT scores FROM submissions WHERE session_id = ? ORDER BY participant_hash",
            (token,))]
        if len(rows) < MIN_REVEAL:
            raise InputError(f"De leerkring ‘{row[0]}’ heeft {len(rows)} inzendingen; om mee te "
                             f"vergelijken zijn er minstens {MIN_REVEAL} nodig.")
        day = time.strftime("%d-%m-%Y", time.localtime(row[1]))
        return f"{row[0]} ({day})", rows

    _LIST = ("SELECT s.id, s.title, s.short_code, s.state, COUNT(u.session_id), s.created_at, "
             "s.revealed_at FROM sessions s LEFT JOIN submissions u ON u.session_id = s.id ")

    def sessions(self, owner: str | None = None) -> list[SessionInfo]:
        """The sessions of ``owner`` ("" = started without a login), newest first (to pick an
        earlier one to compare with); ``None``: everyone's (maintenance only, never for a page)."""
        where, args = ("WHERE s.owner = ? ", (owner,)) if owner is not None else ("", ())
        with self._storage_errors(), self._read() as con:
            rows = con.execute(self._LIST + where + "GROUP BY s.id ORDER BY s.created_at DESC, s.id",
                               args).fetchall()
        return [SessionInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6] is not None) for r in rows]

    def _info(self, con: sqlite3.Connection, sid: str) -> SessionInfo:
        r = con.execute(self._LIST + "WHERE s.id = ? GROUP BY s.id", (sid,)).fetchone()
        return SessionInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6] is not None)

    def trainer_session(self, trainer_token: str | Trainer) -> SessionInfo:
        """The session this trainer token (or ``Trainer``) belongs to."""
        with self._storage_errors(), self._read() as con:
            return self._info(con, self._by_trainer(con, trainer_token)[0])

    def current(self, owner: str | None) -> SessionInfo | None:
        """The session the owner's page shows (the last one started there), or None."""
        with self._storage_errors(), self._read() as con:
            row = con.execute("SELECT t.session_id FROM trainers t JOIN sessions s ON s.id = t.session_id "
                              "AND s.owner = t.owner WHERE t.owner = ?", (_owner(owner),)).fetchone()
            return self._info(con, row[0]) if row else None

    def forget_current(self, owner: str | None) -> None:
        """The owner's page shows no session any more ("Nieuwe leerkring"); the session stays."""
        with self._storage_errors(), self._write() as con:
            con.execute("DELETE FROM trainers WHERE owner = ?", (_owner(owner),))

    def adopt(self, owner: str | None) -> int:
        """Give the sessions whose owner is unknown (made before schema 2) to ``owner``: the app
        does this when there is one trainer only (no login, or one ``COACH_AUTH`` account).
        Returns how many."""
        with self._storage_errors(), self._write() as con:
            return con.execute("UPDATE sessions SET owner = ? WHERE owner IS NULL", (_owner(owner),)).rowcount

    def join_code(self, trainer_token: str | Trainer) -> str:
        """The join code of the trainer's session (for the join link and QR code)."""
        with self._storage_errors(), self._read() as con:
            sid = self._by_trainer(con, trainer_token)[0]
            return con.execute("SELECT code FROM sessions WHERE id = ?", (sid,)).fetchone()[0]

    def public_info(self, code: str) -> PublicInfo:
        """Title, short code and state for the participant's page."""
        with self._storage_errors(), self._read() as con:
            _, state, title, short = self._by_code(con, code)
        return PublicInfo(title=title, short_code=short, state=state)

    def status(self, credential: str) -> Status:
        """Count and state, by join code or trainer token; never scores."""
        with self._storage_errors(), self._read() as con:
            try:
                row = self._by_code(con, credential)
            except SessionNotFound:
                try:
                    row = self._by_trainer(con, credential)
                except NotTrainer:
                    raise SessionNotFound(MSG_NOT_FOUND) from None
            return Status(count=self._count(con, row[0]), state=row[1])

    def close(self, trainer_token: str) -> Status:
        """Close the session: no more submissions or changes. Closing twice is fine."""
        now = self._clock()
        with self._storage_errors(), self._write() as con:
            sid, state, *_ = self._by_trainer(con, trainer_token)
            if state != STATE_CLOSED:
                con.execute("UPDATE sessions SET state = 'closed', closed_at = ?, updated_at = ?, "
                            "revision = revision + 1 WHERE id = ?", (now, now, sid))
            count = self._count(con, sid)
        return Status(count=count, state=STATE_CLOSED)

    # ---------------------------------------------------------------- participants

    # participant ids: issued and signed by the server

    def _key(self) -> bytes:
        if self._participant_key is None:
            self._participant_key = keep_secret(self.path.parent / PARTICIPANT_KEY_FILE)
        return self._participant_key.encode("ascii")

    def _signature(self, pid: str) -> str:
        digest = hmac.new(self._key(), b"leerkring-participant:" + pid.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).decode("ascii")

    def issue_participant(self) -> str:
        """A fresh participant id for a device, signed: what the cookie (or the API) hands out."""
        pid = new_participant_id()
        return f"{pid}.{self._signature(pid)}"

    def participant(self, value: object) -> str | None:
        """The participant id in a value this server issued, or None for anything else (missing,
        unsigned, forged, malformed): such a value must never be adopted as an id."""
        if not isinstance(value, str) or value.count(".") != 1 or len(value) > 2 * PARTICIPANT_ID_MAX:
            return None
        pid, signature = value.split(".")
        if _token(pid, PARTICIPANT_ID_MIN, PARTICIPANT_ID_MAX) != pid:
            return None
        return pid if hmac.compare_digest(signature.encode("ascii", "replace"),
                                          self._signature(pid).encode("ascii")) else None

    # rate limits (sliding windows in memory)

    def _allow(self, key: tuple, count: int, window: float, now: float, record: bool = True) -> bool:
        """Whether one more event under ``key`` stays within ``count`` per ``window`` seconds
        (recorded when it does and ``record``). Call with ``_rate_lock`` held."""
        if len(self._attempts) > 20_000:  # forget keys that have gone quiet
            for k in [k for k, q in self._attempts.items() if not q or q[-1] <= now - ADDRESS_NEW_WINDOW]:
                del self._attempts[k]
        attempts = self._attempts.setdefault(key, deque())
        while attempts and attempts[0] <= now - window:
            attempts.popleft()
        if len(attempts) >= count:
            return False
        if record:
            attempts.append(now)
        return True

    def _rate_check(self, session_id: str, participant_hash: str, client: str | None = None) -> None:
        """The device, its address and the circle each within their limit; an attempt refused by
        one limit is not counted by the next (so one address cannot use up the circle's budget)."""
        now = self._clock()
        with self._rate_lock:
            if not self._allow(("device", session_id, participant_hash), RATE_LIMIT_COUNT,
                               RATE_LIMIT_WINDOW, now):
                raise RateLimited(MSG_RATE)
            if client is not None and not self._allow(("address", session_id, client),
                                                      ADDRESS_ATTEMPT_COUNT, ADDRESS_ATTEMPT_WINDOW, now):
                raise Busy(MSG_BUSY)
            if not self._allow(("circle", session_id), CIRCLE_ATTEMPT_COUNT, CIRCLE_ATTEMPT_WINDOW, now):
                raise Busy(MSG_BUSY)

    def _new_participant_check(self, session_id: str, client: str | None) -> None:
        if client is None:
            return
        with self._rate_lock:
            if not self._allow(("new", session_id, client), ADDRESS_NEW_COUNT, ADDRESS_NEW_WINDOW,
                               self._clock()):
                raise Busy(MSG_BUSY)

    def _current_hash(self, con: sqlite3.Connection, sid: str, phash: str) -> str:
        """The hash an answer is kept under now: ``phash``, or what it was renewed to a moment ago
        (a second tap on Send carries the id the first one replaced)."""
        now = self._clock()
        with self._rate_lock:
            for k in [k for k, (_, when) in self._renamed.items() if when <= now - RENEW_GRACE]:
                del self._renamed[k]
            chain = dict(self._renamed)
        for _ in range(5):  # a few taps in a row at most
            exists = con.execute("SELECT 1 FROM submissions WHERE session_id = ? AND "
                                 "participant_hash = ?", (sid, phash)).fetchone()
            if exists or (sid, phash) not in chain:
                break
            phash = chain[(sid, phash)][0]
        return phash

    def submit(self, code: str, participant_id: str, name: str | None,
               scores: Mapping[str, object], remarks: Mapping[str, str] | None = None, *,
               client: str | None = None, renew_to: str | None = None) -> SubmitResult:
        """Store or replace this participant's answer while the session is open.

        ``client`` is the sender's network address, for the per-address limits (None: only the
        per-device and per-circle limits apply). With ``renew_to`` (a new id, from
        ``issue_participant``) the answer is kept under that id from now on and ``participant_id``
        no longer reaches it (after a grace of ``RENEW_GRACE`` seconds for a double tap)."""
        pid = _token(participant_id, PARTICIPANT_ID_MIN, PARTICIPANT_ID_MAX)
        new_pid = None if renew_to is None else _token(renew_to, PARTICIPANT_ID_MIN, PARTICIPANT_ID_MAX)
        with self._storage_errors(), self._read() as con:
            sid, state, *_ = self._by_code(con, code)
        if state == STATE_CLOSED:
            raise SessionClosed(MSG_CLOSED)
        if pid is None or (renew_to is not None and new_pid is None):
            raise InputError(MSG_BAD_DEVICE)
        phash = _hash(pid)
        self._rate_check(sid, phash, client)
        participant = _validate_submission(name, scores, remarks)
        scores_json = json.dumps(dict(zip(BLOCK_KEYS, participant.scores)))
        remarks_json = json.dumps({k: r for k, r in zip(BLOCK_KEYS, participant.remarks) if r},
                                  ensure_ascii=False)
        now = self._clock()
        with self._storage_errors(), self._write() as con:
            state = con.execute("SELECT state FROM sessions WHERE id = ?", (sid,)).fetchone()
            if state is None:
                raise SessionNotFound(MSG_NOT_FOUND)
            if state[0] == STATE_CLOSED:  # closed between the check above and now
                raise SessionClosed(MSG_CLOSED)
            if new_pid is not None:
                phash = self._current_hash(con, sid, phash)
            exists = con.execute("SELECT 1 FROM submissions WHERE session_id = ? AND "
                                 "participant_hash = ?", (sid, phash)).fetchone() is not None
            if not exists:
                if self._count(con, sid) >= MAX_PARTICIPANTS:
                    raise InputError(f"Deze leerkring is vol: er kunnen hoogstens {MAX_PARTICIPANTS} "
                                     "mensen meedoen.")
                self._new_participant_check(sid, client)
            con.execute(
                "INSERT INTO submissions (session_id, participant_hash, name, scores, remarks, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (session_id, participant_hash) DO UPDATE SET name = excluded.name, "
                "scores = excluded.scores, remarks = excluded.remarks, updated_at = excluded.updated_at",
                (sid, phash, participant.name, scores_json, remarks_json, now, now))
            if new_pid is not None:
                new_hash = _hash(new_pid)
                con.execute("UPDATE submissions SET participant_hash = ? WHERE session_id = ? AND "
                            "participant_hash = ?", (new_hash, sid, phash))
            con.execute("UPDATE sessions SET updated_at = ?, revision = revision + 1 WHERE id = ?",
                        (now, sid))
            count = self._count(con, sid)
        if new_pid is not None:
            with self._rate_lock:
                self._renamed[(sid, phash)] = (new_hash, now)
                self._renamed[(sid, _hash(pid))] = (new_hash, now)
                device = self._attempts.pop(("device", sid, _hash(pid)), None)
                if device is not None:  # the device keeps its own limit under its new id
                    self._attempts[("device", sid, new_hash)] = device
        return SubmitResult(created=not exists, count=count)

    def own_answer(self, code: str, participant_id: str) -> Answer | None:
        """This participant's answer (None when they have not submitted); nobody else's."""
        pid = _token(participant_id, PARTICIPANT_ID_MIN, PARTICIPANT_ID_MAX)
        with self._storage_errors(), self._read() as con:
            sid = self._by_code(con, code)[0]
            if pid is None:
                return None
            row = con.execute("SELECT name, scores, remarks, updated_at FROM submissions "
                              "WHERE session_id = ? AND participant_hash = ?",
                              (sid, _hash(pid))).fetchone()
        if row is None:
            return None
        return Answer(name=row[0], scores=json.loads(row[1]), remarks=json.loads(row[2]),
                      updated_at=row[3])

    # ---------------------------------------------------------------- trainer: result

    def _rows(self, con: sqlite3.Connection, sid: str) -> list[tuple[str, tuple[int, ...], tuple[str, ...]]]:
        out = []
        for name, scores, remarks in con.execute(
                "SELECT name, scores, remarks FROM submissions WHERE session_id = ? "
                "ORDER BY participant_hash", (sid,)):
            s, r = json.loads(scores), json.loads(remarks)
            out.append((name, tuple(int(s[k]) for k in BLOCK_KEYS),
                        tuple(r.get(k, "") for k in BLOCK_KEYS)))
        return out

    @staticmethod
    def _too_few(count: int) -> TooFewSubmissions:
        said = "Nog niemand heeft" if count == 0 else \
            f"Pas {count} {'deelnemer heeft' if count == 1 else 'deelnemers hebben'}"
        return TooFewSubmissions(
            f"{said} ingevuld. Het resultaat blijft verborgen tot er minstens {MIN_REVEAL} "
            "inzendingen zijn, zodat niemands scores herkenbaar zijn.")

    def reveal(self, trainer_token: str) -> Reveal:
        """The group result (trainer only; at least ``MIN_REVEAL`` submissions)."""
        now = self._clock()
        with self._storage_errors(), self._write() as con:
            sid, state, title, _ = self._by_trainer(con, trainer_token)
            rows = self._rows(con, sid)
            if len(rows) < MIN_REVEAL:
                raise self._too_few(len(rows))
            con.execute("UPDATE sessions SET revealed_at = COALESCE(revealed_at, ?) WHERE id = ?",
                        (now, sid))
            revision, label, earlier = con.execute(
                "SELECT revision, compare_label, compare_scores FROM sessions WHERE id = ?",
                (sid,)).fetchone()
        scan = Scan(tuple(Participant("", scores, remarks) for _, scores, remarks in rows))
        remarks = [RevealRemark(key, BLOCK_NAMES[key], text)
                   for _, _, texts in rows for key, text in zip(BLOCK_KEYS, texts) if text]
        self._rng.shuffle(remarks)
        distribution = {key: tuple(sum(1 for p in scan.participants if p.scores[i] == value)
                                   for value in range(SCORE_MIN, SCORE_MAX + 1))
                        for i, key in enumerate(BLOCK_KEYS)}
        comparison = None
        if earlier:
            comparison = compare(_blank_scan(json.loads(earlier)), scan, label or "vorige scan")
        return Reveal(session_id=sid, title=title, state=state, revision=revision,
                      summary=summary(scan), scan=scan, distribution=distribution,
                      remarks=tuple(remarks), comparison=comparison)

    def export_csv(self, trainer_token: str, include_names: bool = False) -> str:
        """The session as the scan CSV (``scan.from_csv`` reads it back); names only on request."""
        with self._storage_errors(), self._read() as con:
            sid = self._by_trainer(con, trainer_token)[0]
            rows = self._rows(con, sid)
        if len(rows) < MIN_REVEAL:
            raise self._too_few(len(rows))
        return to_csv(Scan(tuple(Participant(name if include_names else "", scores, remarks)
                                 for name, scores, remarks in rows)))

    # ---------------------------------------------------------------- trainer: remove an answer

    @staticmethod
    def _listed(con: sqlite3.Connection, sid: str) -> list[tuple[SubmissionRow, str]]:
        rows = con.execute("SELECT participant_hash, name, created_at, updated_at FROM submissions "
                           "WHERE session_id = ? ORDER BY created_at, participant_hash", (sid,)).fetchall()
        # the reference is a short piece of the stored hash: stable, and no way back to the id
        return [(SubmissionRow(number=i, ref=phash[:12], name=name, created_at=created,
                               updated_at=updated), phash)
                for i, (phash, name, created, updated) in enumerate(rows, 1)]

    def submissions(self, trainer_token: str) -> list[SubmissionRow]:
        """The answers of the trainer's circle in the order they came in (name and times, never
        scores), numbered from 1: the list to pick an answer to ``drop`` from."""
        with self._storage_errors(), self._read() as con:
            sid = self._by_trainer(con, trainer_token)[0]
            return [row for row, _ in self._listed(con, sid)]

    def drop(self, trainer_token: str, which: int | str) -> Status:
        """Remove exactly one answer from the trainer's circle (open or closed), e.g. one that does
        not belong there. ``which`` is its ``number`` in ``submissions`` or, safer while answers
        still come in or after another drop (numbers shift), its ``ref``. The count after it."""
        if isinstance(which, bool) or not isinstance(which, (int, str)):
            raise SubmissionNotFound("Kies het antwoord dat weg moet met zijn nummer in de lijst.")
        with self._storage_errors(), self._write() as con:
            sid = self._by_trainer(con, trainer_token)[0]
            listed = self._listed(con, sid)
            if isinstance(which, int):
                found = [(row, h) for row, h in listed if row.number == which]
                what = f"nummer {which}"
            else:
                ref = which.strip().lower()
                found = [(row, h) for row, h in listed if ref and row.ref == ref]
                what = f"‘{clean_text(which, 20)}’"
            if len(found) != 1:
                raise SubmissionNotFound(
                    f"Er is geen antwoord met {what} in deze leerkring; er zijn er {len(listed)}. "
                    "Vernieuw de lijst en kies opnieuw.")
            row, phash = found[0]
            con.execute("DELETE FROM submissions WHERE session_id = ? AND participant_hash = ?",
                        (sid, phash))
            now = self._clock()
            con.execute("UPDATE sessions SET updated_at = ?, revision = revision + 1 WHERE id = ?",
                        (now, sid))
            count, state = self._count(con, sid), con.execute(
                "SELECT state FROM sessions WHERE id = ?", (sid,)).fetchone()[0]
        log.info("Leerkring %s: antwoord nummer %d door de trainer verwijderd", sid, row.number)
        return Status(count=count, state=state)

    # ---------------------------------------------------------------- retention

    def purge(self, older_than_days: float = DEFAULT_RETENTION_DAYS) -> PurgeResult:
        """Delete submissions last changed more than ``older_than_days`` ago, and sessions with
        no activity since then (with their comparison scores)."""
        if isinstance(older_than_days, bool) or not isinstance(older_than_days, (int, float)) \
                or not math.isfinite(older_than_days) or older_than_days < 0:
            raise InputError(f"Het aantal dagen om te bewaren moet 0 of meer zijn, "
                             f"niet {older_than_days!r}.")
        cutoff = self._clock() - older_than_days * 86400
        with self._storage_errors(), self._write() as con:
            submissions = con.execute("DELETE FROM submissions WHERE updated_at < ?",
                                      (cutoff,)).rowcount
            old = [sid for (sid,) in con.execute(
                "SELECT id FROM sessions WHERE updated_at < ?", (cutoff,))]
            for sid in old:
                submissions += con.execute("DELETE FROM submissions WHERE session_id = ?",
                                           (sid,)).rowcount
                con.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        if submissions or old:
            log.info("Leerkring: %d inzendingen en %d sessies ouder dan %s dagen verwijderd",
                     submissions, len(old), older_than_days)
        return PurgeResult(submissions=submissions, sessions=len(old))
