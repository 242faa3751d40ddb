"""Leerkring live (core): sessions, submissions, credentials, reveal, comparison, storage."""
from __future__ import annotations

import json
import os
import random
import sqlite3
import stat
import threading

import pytest

from assistant.errors import InputError
from assistant.leerkring.store import (DB_NAME, DEFAULT_RETENTION_DAYS, MEAN_MOVE, MIN_REVEAL,
                                 NARROWED, RATE_LIMIT_COUNT, RATE_LIMIT_WINDOW, SCHEMA_VERSION,
                                 SPREAD_CHANGE_CLEAR, WIDENED, LeerkringStore, NotTrainer,
                                 RateLimited, SessionClosed, SessionNotFound, StorageError,
                                 TooFewSubmissions, compare, default_path, new_participant_id)
from assistant.knowledge.mozaiek import BLOCK_KEYS
from assistant.leerkring.scan import NAME_MAX, REMARK_MAX, TITLE_MAX, Participant, Scan, from_csv, to_csv

DAY = 86400.0


class Clock:
    """An injectable clock: ``clock.now`` seconds since the epoch."""

    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def scores(*values) -> dict[str, object]:
    return dict(zip(BLOCK_KEYS, values))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path):
    return tmp_path / DB_NAME


@pytest.fixture
def store(db, clock) -> LeerkringStore:
    return LeerkringStore(db, clock=clock)


def fill(store, session, rows):
    """Submit ``rows`` (tuples of seven scores) as new participants; returns their ids."""
    ids = []
    for values in rows:
        pid = new_participant_id()
        store.submit(session.code, pid, None, scores(*values))
        ids.append(pid)
    return ids


# --------------------------------------------------------------------------- flow

def test_start_submit_change_close_reveal(store):
    session = store.start("Leerkring voorjaar")
    assert store.status(session.code).to_dict() == {"count": 0, "state": "open"}
    anna, bram, cas = (new_participant_id() for _ in range(3))
    first = store.submit(session.code, anna, "Anna", scores(1, 2, 3, 4, 5, 1, 2),
                         {"binding": "We kennen elkaar nauwelijks."})
    assert first.created and first.count == 1
    store.submit(session.code, bram, "", scores(3, 3, 3, 3, 3, 3, 3))
    # Anna changes her mind: still one answer of hers, the new one.
    changed = store.submit(session.code, anna, "Anna", scores(2, 2, 2, 2, 2, 2, 2), {})
    assert not changed.created and changed.count == 2
    answer = store.own_answer(session.code, anna)
    assert answer.scores == scores(2, 2, 2, 2, 2, 2, 2) and answer.remarks == {}
    assert answer.name == "Anna"
    store.submit(session.code, cas, None, scores(4, 4, 4, 4, 4, 4, 4), {"opgave": "Helder doel."})
    assert store.status(session.trainer_token).to_dict() == {"count": 3, "state": "open"}

    closed = store.close(session.trainer_token)
    assert closed.state == "closed" and closed.count == 3
    assert store.close(session.trainer_token).state == "closed"  # closing twice is fine
    with pytest.raises(SessionClosed, match="gesloten"):
        store.submit(session.code, anna, "Anna", scores(5, 5, 5, 5, 5, 5, 5))
    with pytest.raises(SessionClosed):
        store.submit(session.code, new_participant_id(), None, scores(5, 5, 5, 5, 5, 5, 5))
    assert store.own_answer(session.code, anna).scores == scores(2, 2, 2, 2, 2, 2, 2)

    result = store.reveal(session.trainer_token)
    assert result.count == 3 and result.state == "closed"
    assert result.means["opgave"] == pytest.approx(3.0)
    assert result.spread["opgave"] == 2
    assert result.distribution["opgave"] == (0, 1, 1, 1, 0)
    assert set(result.weakest) <= set(BLOCK_KEYS) and len(result.weakest) == 2
    assert [r.text for r in result.remarks] == ["Helder doel."]
    data = result.to_dict()
    assert set(data["means"]) == set(BLOCK_KEYS) and data["changes"] is None
    json.dumps(data)  # JSON for the endpoint
    assert store.trainer_session(session.trainer_token).revealed


def test_status_never_shows_scores(store):
    session = store.start("Leerkring")
    fill(store, session, [(1, 2, 3, 4, 5, 1, 2)] * 3)
    for credential in (session.code, session.trainer_token):
        status = store.status(credential)
        assert status.to_dict() == {"count": 3, "state": "open"}
    assert store.public_info(session.code).title == "Leerkring"


def test_disputed_and_weakest_from_scan_summary(store):
    session = store.start("Leerkring")
    fill(store, session, [(4, 4, 3, 5, 2, 1, 5), (4, 4, 3, 2, 2, 1, 2), (4, 4, 3, 4, 3, 2, 4)])
    result = store.reveal(session.trainer_token)
    assert result.weakest == ("binding", "deelname")
    assert result.disputed == ("verankering", "organisatie")


def test_remarks_without_names_and_shuffled(db, clock):
    rows = []
    for seed in range(6):
        store = LeerkringStore(db.with_name(f"s{seed}.sqlite"), clock=clock,
                               rng=random.Random(seed))
        session = store.start("Leerkring")
        for i in range(6):
            store.submit(session.code, new_participant_id(), f"Naam{i}",
                         scores(3, 3, 3, 3, 3, 3, 3), {"opgave": f"opmerking {i}"})
        result = store.reveal(session.trainer_token)
        text = json.dumps(result.to_dict(), ensure_ascii=False)
        assert "Naam" not in text
        assert all(p.name == "" for p in result.scan.participants)
        assert sorted(r.text for r in result.remarks) == [f"opmerking {i}" for i in range(6)]
        rows.append(tuple(r.text for r in result.remarks))
    assert len(set(rows)) > 1  # not one fixed order


# --------------------------------------------------------------------------- credentials

def test_wrong_trainer_token_refused(store):
    session = store.start("Leerkring")
    other = store.start("Andere leerkring")
    fill(store, session, [(3, 3, 3, 3, 3, 3, 3)] * 3)
    for wrong in (session.code, session.id, session.short_code,
                  session.trainer_token[:-2] + "xx", "", None, 42):
        with pytest.raises(NotTrainer, match="trainer"):
            store.close(wrong)
        with pytest.raises(NotTrainer):
            store.reveal(wrong)
        with pytest.raises(NotTrainer):
            store.export_csv(wrong)
    # The other trainer's token works on the other session only.
    with pytest.raises(TooFewSubmissions):
        store.reveal(other.trainer_token)
    assert store.close(other.trainer_token).count == 0
    assert store.status(other.code).state == "closed"
    assert store.status(session.code).to_dict() == {"count": 3, "state": "open"}


def test_participant_reads_only_own_answer(store):
    session = store.start("Leerkring")
    anna, bram = new_participant_id(), new_participant_id()
    store.submit(session.code, anna, "Anna", scores(1, 1, 1, 1, 1, 1, 1), {"opgave": "van Anna"})
    store.submit(session.code, bram, "Bram", scores(5, 5, 5, 5, 5, 5, 5), {"opgave": "van Bram"})
    assert store.own_answer(session.code, anna).remarks == {"opgave": "van Anna"}
    assert store.own_answer(session.code, bram).remarks == {"opgave": "van Bram"}
    assert store.own_answer(session.code, new_participant_id()) is None
    assert store.own_answer(session.code, "kort") is None
    # The same device id in another session is another participant.
    other = store.start("Andere")
    assert store.own_answer(other.code, anna) is None
    # A participant's answer cannot be read with the trainer token as code.
    with pytest.raises(SessionNotFound):
        store.own_answer(session.trainer_token, anna)


def test_a_participant_cannot_use_trainer_functions(store):
    session = store.start("Leerkring")
    pid = new_participant_id()
    store.submit(session.code, pid, None, scores(3, 3, 3, 3, 3, 3, 3))
    for credential in (session.code, pid):
        with pytest.raises(NotTrainer):
            store.reveal(credential)
        with pytest.raises(NotTrainer):
            store.close(credential)


def test_codes_are_random_and_long(store):
    sessions = [store.start(f"Leerkring {i}") for i in range(40)]
    codes = [s.code for s in sessions]
    tokens = [s.trainer_token for s in sessions]
    assert len(set(codes)) == len(codes) and len(set(tokens)) == len(tokens)
    assert all(len(c) >= 22 for c in codes)  # 16 random bytes, URL-safe
    assert all(len(t) >= 43 for t in tokens)
    assert not set(codes) & set(tokens)
    assert not any(c.isdigit() for c in codes)
    assert len({c[:4] for c in codes}) > 30  # no common prefix or counter
    assert len(new_participant_id()) >= 22
    # Neither the code nor the token is in the repr (so not in a log line by accident).
    assert sessions[0].code not in repr(sessions[0])
    assert sessions[0].trainer_token not in repr(sessions[0])


def test_short_code_and_session_id_are_not_credentials(store):
    session = store.start("Leerkring")
    for not_a_code in (session.short_code, session.id, session.short_code.replace("-", "")):
        with pytest.raises(SessionNotFound, match="bestaat niet"):
            store.submit(not_a_code, new_participant_id(), None, scores(3, 3, 3, 3, 3, 3, 3))


def test_trainer_token_not_stored_in_plain_text(store, db):
    session = store.start("Leerkring")
    pid = new_participant_id()
    store.submit(session.code, pid, None, scores(3, 3, 3, 3, 3, 3, 3))
    raw = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(DB_NAME))
    assert session.trainer_token.encode() not in raw
    assert pid.encode() not in raw


def test_unknown_session_said_in_dutch(store):
    for code in ("x" * 22, "", None, "../../etc/passwd", "a" * 500):
        with pytest.raises(SessionNotFound, match="Deze leerkring bestaat niet"):
            store.submit(code, new_participant_id(), None, scores(3, 3, 3, 3, 3, 3, 3))
        with pytest.raises(SessionNotFound):
            store.status(code)
        with pytest.raises(SessionNotFound):
            store.own_answer(code, new_participant_id())


@pytest.mark.parametrize("pid", ["", "kort", None, "a" * 200, "spatie en zo dat is lang genoeg", 12345])
def test_bad_participant_id_refused(store, pid):
    session = store.start("Leerkring")
    with pytest.raises(InputError, match="Laad de pagina opnieuw"):
        store.submit(session.code, pid, None, scores(3, 3, 3, 3, 3, 3, 3))
    assert store.status(session.code).count == 0


# --------------------------------------------------------------------------- validation

@pytest.mark.parametrize("bad, words", [
    (scores(0, 3, 3, 3, 3, 3, 3), ["Opgave", "Buiten het bereik"]),
    (scores(3, 6, 3, 3, 3, 3, 3), ["Waarde", "Buiten het bereik"]),
    (scores(3, 3, 2.5, 3, 3, 3, 3), ["Samen doen", "Geen heel getal"]),
    (scores(3, 3, 3, "abc", 3, 3, 3), ["Verankering", "Geen heel getal"]),
    (scores(3, 3, 3, 3, True, 3, 3), ["Deelname"]),
    ({k: 3 for k in BLOCK_KEYS if k != "binding"}, ["Binding", "ontbreekt"]),
    (scores(3, 3, 3, 3, 3, 3, None), ["Organisatie", "ontbreekt"]),
    ({**scores(3, 3, 3, 3, 3, 3, 3), "sfeer": 4}, ["Onbekende bouwsteen", "sfeer"]),
    ([3, 3, 3, 3, 3, 3, 3], ["score"]),
    ("3333333", ["score"]),
    ({f"k{i}": 3 for i in range(100)}, ["score"]),
])
def test_invalid_scores_refused_nothing_stored(store, bad, words):
    session = store.start("Leerkring")
    with pytest.raises(InputError) as err:
        store.submit(session.code, new_participant_id(), None, bad)
    for word in words:
        assert word in str(err.value)
    assert store.status(session.code).count == 0


def test_all_problems_at_once(store):
    session = store.start("Leerkring")
    with pytest.raises(InputError) as err:
        store.submit(session.code, new_participant_id(), "x" * (NAME_MAX + 1),
                     scores(0, 6, 3, 3, 3, 3, 3), {"binding": "y" * (REMARK_MAX + 1)})
    message = str(err.value)
    for word in ("Opgave", "Waarde", "naam is te lang", "Binding", f"hoogstens {REMARK_MAX} tekens"):
        assert word in message


def test_remark_too_long_and_unknown_remark_block(store):
    session = store.start("Leerkring")
    pid = new_participant_id()
    with pytest.raises(InputError, match=f"hoogstens {REMARK_MAX} tekens hebben; te lang bij Opgave"):
        store.submit(session.code, pid, None, scores(3, 3, 3, 3, 3, 3, 3),
                     {"opgave": "a" * (REMARK_MAX + 1)})
    with pytest.raises(InputError, match="onbekende bouwsteen"):
        store.submit(session.code, pid, None, scores(3, 3, 3, 3, 3, 3, 3), {"sfeer": "fijn"})
    with pytest.raises(InputError, match="tekst"):
        store.submit(session.code, pid, None, scores(3, 3, 3, 3, 3, 3, 3), {"opgave": 5})
    # Exactly at the cap is fine; so is a whole number given as text or as 3.0.
    store.submit(session.code, pid, None, scores("3", 3.0, 3, 3, 3, 3, 3),
                 {"opgave": "a" * REMARK_MAX})
    assert store.own_answer(session.code, pid).scores == scores(3, 3, 3, 3, 3, 3, 3)


def test_markup_kept_as_text(store):
    title = "<b>Leerkring</b> [klik](javascript:alert(1))"
    session = store.start(title)
    assert session.title == title
    remark = "<script>alert('x')</script> **vet** ![img](http://x/y.png)"
    fill(store, session, [(3, 3, 3, 3, 3, 3, 3)] * 2)
    pid = new_participant_id()
    store.submit(session.code, pid, "<i>Anna</i>", scores(3, 3, 3, 3, 3, 3, 3), {"waarde": remark})
    answer = store.own_answer(session.code, pid)
    assert answer.name == "<i>Anna</i>" and answer.remarks == {"waarde": remark}
    result = store.reveal(session.trainer_token)
    assert result.title == title
    assert [r.text for r in result.remarks] == [remark]


@pytest.mark.parametrize("title, words", [("", "titel"), ("   ", "titel"),
                                          ("t" * (TITLE_MAX + 1), "te lang"), (None, "titel"),
                                          (5, "tekst")])
def test_bad_title_refused(store, title, words):
    with pytest.raises(InputError, match=words):
        store.start(title)
    assert store.sessions() == []


# --------------------------------------------------------------------------- hidden below 3

def test_fewer_than_three_stays_hidden(store):
    session = store.start("Leerkring")
    with pytest.raises(TooFewSubmissions, match="Nog niemand"):
        store.reveal(session.trainer_token)
    fill(store, session, [(3, 3, 3, 3, 3, 3, 3)])
    with pytest.raises(TooFewSubmissions, match="Pas 1 deelnemer heeft"):
        store.reveal(session.trainer_token)
    fill(store, session, [(4, 4, 4, 4, 4, 4, 4)])
    with pytest.raises(TooFewSubmissions, match=f"minstens {MIN_REVEAL}") as err:
        store.reveal(session.trainer_token)
    assert "Pas 2 deelnemers hebben" in str(err.value) and "herkenbaar" in str(err.value)
    with pytest.raises(TooFewSubmissions):
        store.export_csv(session.trainer_token)
    assert not store.trainer_session(session.trainer_token).revealed
    fill(store, session, [(5, 5, 5, 5, 5, 5, 5)])
    assert store.reveal(session.trainer_token).count == 3


# --------------------------------------------------------------------------- comparison

EARLIER = [(3, 1, 1, 3, 3, 1, 3), (3, 1, 5, 3, 3, 1, 3), (3, 2, 1, 3, 3, 2, 3), (3, 2, 5, 3, 3, 2, 3)]
LATER = [(3, 3, 3, 3, 1, 3, 3), (3, 3, 3, 3, 5, 4, 3), (3, 4, 3, 3, 3, 3, 3)]


def earlier_csv() -> bytes:
    return to_csv(Scan(tuple(Participant(f"P{i}", row) for i, row in enumerate(EARLIER)))).encode()


def check_changes(result):
    changes = result.comparison
    assert changes is not None and changes.participants == len(EARLIER)
    by_key = {b.key: b for b in changes.blocks}
    assert by_key["waarde"].before_mean == pytest.approx(1.5)
    assert by_key["waarde"].now_mean == pytest.approx(10 / 3)
    assert changes.moved == ("waarde", "binding")  # 1.5 → 3.3, spread about the same
    assert changes.narrowed == ("samen-doen",)  # 1,5,1,5 → 3,3,3
    assert changes.widened == ("deelname",)  # 3,3,3,3 → 1,5,3
    assert not by_key["opgave"].notable
    sentences = changes.sentences()
    assert "Waarde: gemiddeld gestegen van 1,5 naar 3,3." in sentences
    assert any(s.startswith("Samen doen:") and "dichter bij elkaar" in s for s in sentences)
    assert any(s.startswith("Deelname:") and "verder uiteen" in s for s in sentences)
    data = result.to_dict()["changes"]
    assert data["moved"] == ["waarde", "binding"] and data["narrowed"] == ["samen-doen"]
    assert data["blocks"]["waarde"]["before_mean"] == 1.5


def test_comparison_with_csv_names_moved_and_spread(store):
    session = store.start("Leerkring najaar", compare_csv=earlier_csv())
    assert session.comparison
    fill(store, session, LATER)
    check_changes(store.reveal(session.trainer_token))


def test_comparison_with_earlier_session(store, clock):
    before = store.start("Leerkring voorjaar")
    fill(store, before, EARLIER)
    store.close(before.trainer_token)
    clock.now += 90 * 60
    session = store.start("Leerkring najaar", compare_session=before.id)
    assert "Leerkring voorjaar" in session.comparison
    fill(store, session, LATER)
    check_changes(store.reveal(session.trainer_token))


def test_comparison_with_small_earlier_session_refused(store):
    before = store.start("Klein")
    fill(store, before, EARLIER[:2])
    with pytest.raises(InputError, match="minstens 3"):
        store.start("Nieuw", compare_session=before.id)
    with pytest.raises(InputError, match="bestaat niet"):
        store.start("Nieuw", compare_session="onbekend-id-0000")
    with pytest.raises(InputError, match="niet allebei"):
        store.start("Nieuw", compare_csv=earlier_csv(), compare_session=before.id)
    assert [s.title for s in store.sessions()] == ["Klein"]


def test_comparison_keeps_no_names_or_remarks(store, db):
    csv = to_csv(Scan((Participant("Geheimnaam", (3,) * 7, ("Geheime opmerking",) + ("",) * 6),)))
    store.start("Leerkring", compare_csv=csv.encode())
    raw = db.read_bytes() + (db.with_name(DB_NAME + "-wal").read_bytes()
                             if db.with_name(DB_NAME + "-wal").exists() else b"")
    assert b"Geheimnaam" not in raw and b"Geheime opmerking" not in raw


@pytest.mark.parametrize("data, words", [
    (b"", "leeg"),
    (b"naam,opgave\nAnna,3\n", "ontbreken"),
    (b"naam,opgave,waarde,samen-doen,verankering,deelname,binding,organisatie\nAnna,3,3,3,3,3,3,9\n",
     "Buiten het bereik"),
    (b"\xff\xfe\x00", "UTF-8"),
])
def test_bad_comparison_csv_stores_nothing(store, data, words):
    with pytest.raises(InputError, match=words):
        store.start("Leerkring", compare_csv=data)
    assert store.sessions() == []


def test_compare_thresholds_are_named_constants():
    base = Scan(tuple(Participant("", (3,) * 7) for _ in range(3)))
    up = Scan(tuple(Participant("", (4,) + (3,) * 6) for _ in range(3)))
    almost = Scan((Participant("", (4,) + (3,) * 6), Participant("", (4,) + (3,) * 6),
                   Participant("", (3,) * 7)))
    assert MEAN_MOVE == 1.0 and SPREAD_CHANGE_CLEAR == 0.5
    assert compare(base, up).moved == ("opgave",)  # exactly MEAN_MOVE counts
    assert compare(base, almost).moved == ()  # 2/3 does not
    assert compare(base, almost).widened == ()  # std 0 → 0.47: not clearly
    assert compare(up, base).blocks[0].describe() == "Opgave: gemiddeld gedaald van 4,0 naar 3,0."
    assert NARROWED != WIDENED


# --------------------------------------------------------------------------- storage

def test_restart_keeps_everything(db, clock):
    store = LeerkringStore(db, clock=clock)
    session = store.start("Leerkring", compare_csv=earlier_csv())
    pids = fill(store, session, LATER)
    del store
    again = LeerkringStore(db, clock=clock)
    assert again.status(session.code).to_dict() == {"count": 3, "state": "open"}
    assert again.own_answer(session.code, pids[0]).scores == scores(*LATER[0])
    again.close(session.trainer_token)
    third = LeerkringStore(db, clock=clock)
    assert third.status(session.trainer_token).state == "closed"
    assert third.join_code(session.trainer_token) == session.code
    check_changes(third.reveal(session.trainer_token))


def test_schema_wal_and_file_mode(store, db):
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == \
            (str(SCHEMA_VERSION),)
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    assert default_path(db.parent) == db


def test_newer_schema_refused(db, clock):
    LeerkringStore(db, clock=clock)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StorageError, match="nieuwere versie"):
        LeerkringStore(db, clock=clock)


def test_not_a_database_refused(tmp_path):
    path = tmp_path / "kapot.sqlite"
    path.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(StorageError, match="kan niet worden geopend"):
        LeerkringStore(path)


def test_failing_write_leaves_database_as_it_was(store, db):
    session = store.start("Leerkring")
    anna = new_participant_id()
    store.submit(session.code, anna, "Anna", scores(2, 2, 2, 2, 2, 2, 2), {"opgave": "eerst"})
    # Fault injection: the second statement of the submit transaction (touching the session) fails
    # after the answer has been written.
    with sqlite3.connect(db) as con:
        con.execute("CREATE TRIGGER boom BEFORE UPDATE ON sessions "
                    "BEGIN SELECT RAISE(ABORT, 'kapot'); END")
    with pytest.raises(StorageError, match="Opslaan lukte niet"):
        store.submit(session.code, anna, "Anna", scores(5, 5, 5, 5, 5, 5, 5), {"opgave": "later"})
    with pytest.raises(StorageError):
        store.submit(session.code, new_participant_id(), None, scores(5, 5, 5, 5, 5, 5, 5))
    with pytest.raises(StorageError):
        store.close(session.trainer_token)
    answer = store.own_answer(session.code, anna)
    assert answer.scores == scores(2, 2, 2, 2, 2, 2, 2) and answer.remarks == {"opgave": "eerst"}
    assert store.status(session.code).to_dict() == {"count": 1, "state": "open"}
    with sqlite3.connect(db) as con:
        con.execute("DROP TRIGGER boom")
    store.submit(session.code, anna, "Anna", scores(5, 5, 5, 5, 5, 5, 5), {"opgave": "later"})
    assert store.own_answer(session.code, anna).remarks == {"opgave": "later"}


def test_concurrent_submissions_all_stored(db, clock):
    stores = [LeerkringStore(db, clock=clock), LeerkringStore(db, clock=clock)]
    session = stores[0].start("Leerkring")
    pids = [new_participant_id() for _ in range(20)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(pids))

    def work(i: int) -> None:
        try:
            barrier.wait()
            store = stores[i % 2]
            store.submit(session.code, pids[i], f"P{i}", scores(*([i % 5 + 1] * 7)))
            store.submit(session.code, pids[i], f"P{i}", scores(*([(i + 1) % 5 + 1] * 7)))
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(pids))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert stores[1].status(session.code).count == 20
    for i, pid in enumerate(pids):
        assert stores[0].own_answer(session.code, pid).scores == scores(*([(i + 1) % 5 + 1] * 7))


# --------------------------------------------------------------------------- rate limit

def test_rate_limit_per_participant(store, clock):
    session = store.start("Leerkring")
    pid, other = new_participant_id(), new_participant_id()
    for i in range(RATE_LIMIT_COUNT):
        store.submit(session.code, pid, None, scores(*([i % 5 + 1] * 7)))
        clock.now += 1
    with pytest.raises(RateLimited, match="te vaak"):
        store.submit(session.code, pid, None, scores(1, 1, 1, 1, 1, 1, 1))
    # Another participant is not held back; the limited one's last answer is kept.
    store.submit(session.code, other, None, scores(3, 3, 3, 3, 3, 3, 3))
    assert store.own_answer(session.code, pid).scores == scores(*([(RATE_LIMIT_COUNT - 1) % 5 + 1] * 7))
    clock.now += RATE_LIMIT_WINDOW
    store.submit(session.code, pid, None, scores(1, 1, 1, 1, 1, 1, 1))
    assert store.own_answer(session.code, pid).scores == scores(1, 1, 1, 1, 1, 1, 1)


def test_rate_limit_counts_invalid_attempts(store):
    session = store.start("Leerkring")
    pid = new_participant_id()
    for _ in range(RATE_LIMIT_COUNT):
        with pytest.raises(InputError):
            store.submit(session.code, pid, None, scores(9, 9, 9, 9, 9, 9, 9))
    with pytest.raises(RateLimited):
        store.submit(session.code, pid, None, scores(3, 3, 3, 3, 3, 3, 3))


# --------------------------------------------------------------------------- retention

def test_purge_deletes_old_data(db, clock):
    store = LeerkringStore(db, clock=clock)
    old = store.start("Oud")
    old_pids = fill(store, old, [(2, 2, 2, 2, 2, 2, 2)] * 3)
    store.close(old.trainer_token)
    mixed = store.start("Loopt nog")
    mixed_old = fill(store, mixed, [(3, 3, 3, 3, 3, 3, 3)])
    clock.now += (DEFAULT_RETENTION_DAYS + 1) * DAY
    mixed_new = fill(store, mixed, [(4, 4, 4, 4, 4, 4, 4)])
    assert store.purge(DEFAULT_RETENTION_DAYS + 5).submissions == 0  # nothing that old yet

    result = store.purge()
    assert result.submissions == 4 and result.sessions == 1
    with pytest.raises(SessionNotFound):
        store.status(old.code)
    with pytest.raises(SessionNotFound):
        store.own_answer(old.code, old_pids[0])
    assert store.own_answer(mixed.code, mixed_old[0]) is None
    assert store.own_answer(mixed.code, mixed_new[0]).scores == scores(4, 4, 4, 4, 4, 4, 4)
    assert [s.title for s in LeerkringStore(db, clock=clock).sessions()] == ["Loopt nog"]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1
    assert store.purge(0).sessions == 0  # the latest activity is 'now', not older


@pytest.mark.parametrize("days", [-1, float("nan"), "30", None, True])
def test_purge_refuses_bad_days(store, days):
    with pytest.raises(InputError, match="dagen"):
        store.purge(days)


# --------------------------------------------------------------------------- CSV

def test_export_csv_round_trip(store):
    session = store.start("Leerkring")
    rows = [((1, 2, 3, 4, 5, 1, 2), "Anna", {"opgave": "=SOM(A1)", "binding": "Wij, samen; \"echt\""}),
            ((5, 4, 3, 2, 1, 5, 4), "", {}),
            ((3, 3, 3, 3, 3, 3, 3), "Bram", {"organisatie": "<b>wie beslist?</b>"})]
    for values, name, remarks in rows:
        store.submit(session.code, new_participant_id(), name, scores(*values), remarks)
    anonymous = from_csv(store.export_csv(session.trainer_token).encode())
    named = from_csv(store.export_csv(session.trainer_token, include_names=True).encode())
    assert all(p.name == "" for p in anonymous.participants)
    assert sorted(p.name for p in named.participants) == ["", "Anna", "Bram"]
    expected = sorted((values, tuple(remarks.get(k, "") for k in BLOCK_KEYS))
                      for values, _, remarks in rows)
    for scan in (anonymous, named):
        assert sorted((p.scores, p.remarks) for p in scan.participants) == expected
    # The export can be the comparison of the next session.
    nxt = store.start("Volgende", compare_csv=store.export_csv(session.trainer_token).encode())
    fill(store, nxt, [(1, 2, 3, 4, 5, 1, 2)] * 3)
    assert store.reveal(nxt.trainer_token).comparison.participants == 3


# --------------------------------------------------------------------------- issue 20: items 10 and 12

def test_participant_ids_are_issued_and_signed_by_the_server(db, clock):
    """Only a value this server signed is an id: unsigned, forged, cut or another server's values
    are refused (the caller then issues a fresh id), and the key survives a restart (0600)."""
    from assistant.leerkring.store import PARTICIPANT_KEY_FILE
    store = LeerkringStore(db, clock=clock)
    token = store.issue_participant()
    pid = store.participant(token)
    assert pid and token.startswith(pid + ".")
    assert LeerkringStore(db, clock=clock).participant(token) == pid  # after a restart
    assert stat.S_IMODE(os.stat(db.parent / PARTICIPANT_KEY_FILE).st_mode) == 0o600
    other_server = LeerkringStore(db.with_name("ander.sqlite"), participant_key="een-andere-sleutel")
    raw = new_participant_id()
    for bad in (None, "", raw, f"{raw}.", f"{raw}.{token.split('.')[1]}", token[:-2], token + "x",
                f"{pid}.{token.split('.')[1]}.x", other_server.issue_participant(), 12345):
        assert store.participant(bad) is None, bad
    assert other_server.participant(token) is None


def test_a_renewed_id_takes_the_answer_along_and_the_old_one_stops_reaching_it(store, clock):
    """The participant's page gives a device a new id with each saved answer: whoever knew the old
    id (e.g. planted it) cannot read the answer, and after a short grace cannot change it either."""
    from assistant.leerkring.store import RENEW_GRACE
    session = store.start("Leerkring")
    old, new = new_participant_id(), new_participant_id()
    store.submit(session.code, old, "Anna", scores(1, 1, 1, 1, 1, 1, 1))
    store.submit(session.code, old, "Anna", scores(2, 2, 2, 2, 2, 2, 2), {"opgave": "Geheim"}, renew_to=new)
    assert store.own_answer(session.code, old) is None
    assert store.own_answer(session.code, new).remarks == {"opgave": "Geheim"}
    # a double tap on Send: the second post still carries the old id and changes the same answer
    newer = new_participant_id()
    second = store.submit(session.code, old, "Anna", scores(3, 3, 3, 3, 3, 3, 3), renew_to=newer)
    assert not second.created and store.status(session.code).count == 1
    assert store.own_answer(session.code, newer).scores == scores(3, 3, 3, 3, 3, 3, 3)
    clock.now += RENEW_GRACE + 1
    late = store.submit(session.code, old, "X", scores(5, 5, 5, 5, 5, 5, 5), renew_to=new_participant_id())
    assert late.created and store.status(session.code).count == 2
    assert store.own_answer(session.code, newer).scores == scores(3, 3, 3, 3, 3, 3, 3)  # untouched


def test_one_address_cannot_fill_a_circle_but_a_room_behind_it_gets_in(store, clock):
    """Ballot stuffing: every new id is a new participant, so one address may add only
    ADDRESS_NEW_COUNT in ADDRESS_NEW_WINDOW; changes of one's own answer do not count; another
    address is not held up; after the window the address may add more."""
    from assistant.leerkring.store import ADDRESS_NEW_COUNT, ADDRESS_NEW_WINDOW, Busy
    from assistant.leerkring.scan import MAX_PARTICIPANTS
    session = store.start("Leerkring")
    room = [new_participant_id() for _ in range(ADDRESS_NEW_COUNT)]
    for pid in room:
        store.submit(session.code, pid, None, scores(3, 3, 3, 3, 3, 3, 3), client="203.0.113.9")
    with pytest.raises(Busy, match="tegelijk"):
        store.submit(session.code, new_participant_id(), None, scores(1, 1, 1, 1, 1, 1, 1), client="203.0.113.9")
    store.submit(session.code, room[0], None, scores(4, 4, 4, 4, 4, 4, 4), client="203.0.113.9")  # a change
    store.submit(session.code, new_participant_id(), None, scores(2, 2, 2, 2, 2, 2, 2), client="198.51.100.4")
    assert store.status(session.code).count == ADDRESS_NEW_COUNT + 1 < MAX_PARTICIPANTS
    clock.now += ADDRESS_NEW_WINDOW + 1
    store.submit(session.code, new_participant_id(), None, scores(2, 2, 2, 2, 2, 2, 2), client="203.0.113.9")
    assert store.status(session.code).count == ADDRESS_NEW_COUNT + 2


def test_the_circle_limit_holds_many_addresses_and_refused_attempts_do_not_count(store, clock):
    from assistant.leerkring.store import (ADDRESS_ATTEMPT_COUNT, CIRCLE_ATTEMPT_COUNT, CIRCLE_ATTEMPT_WINDOW,
                                     Busy)
    session = store.start("Leerkring")
    other = store.start("Andere leerkring")
    # one address hammering with bad answers is stopped at its own limit, not at the circle's
    for _ in range(ADDRESS_ATTEMPT_COUNT):
        with pytest.raises(InputError):
            store.submit(session.code, new_participant_id(), None, {"opgave": 9}, client="203.0.113.9")
    with pytest.raises(Busy):
        store.submit(session.code, new_participant_id(), None, {"opgave": 9}, client="203.0.113.9")
    for i in range(CIRCLE_ATTEMPT_COUNT - ADDRESS_ATTEMPT_COUNT):  # the rest of the circle's minute
        with pytest.raises(InputError):
            store.submit(session.code, new_participant_id(), None, {"opgave": 9}, client=f"10.0.{i // 200}.{i % 200}")
    with pytest.raises(Busy):
        store.submit(session.code, new_participant_id(), None, scores(3, 3, 3, 3, 3, 3, 3), client="10.9.9.9")
    store.submit(other.code, new_participant_id(), None, scores(3, 3, 3, 3, 3, 3, 3), client="10.9.9.9")
    clock.now += CIRCLE_ATTEMPT_WINDOW + 1
    store.submit(session.code, new_participant_id(), None, scores(3, 3, 3, 3, 3, 3, 3), client="10.9.9.9")
    assert store.status(session.code).count == 1 and store.status(other.code).count == 1


def test_the_trainer_drops_exactly_one_answer(store, clock):
    """An answer that does not belong (a joke, a flood) goes, by its number in the trainer's list or
    by its reference; the count and the result follow; nothing else changes."""
    from assistant.leerkring.store import SubmissionNotFound
    session = store.start("Leerkring")
    for name, value in (("Anna", 1), ("Bram", 2), ("Cas", 3), ("", 5)):
        store.submit(session.code, new_participant_id(), name, scores(*(value,) * 7))
        clock.now += 1
    listed = store.submissions(session.trainer_token)
    assert [(r.number, r.name) for r in listed] == [(1, "Anna"), (2, "Bram"), (3, "Cas"), (4, "")]
    assert len({r.ref for r in listed}) == 4
    status = store.drop(session.trainer_token, 2)
    assert status.count == 3 and store.status(session.code).count == 3
    assert [r.name for r in store.submissions(session.trainer_token)] == ["Anna", "Cas", ""]
    assert store.reveal(session.trainer_token).means["opgave"] == pytest.approx(3.0)  # (1 + 3 + 5) / 3
    store.close(session.trainer_token)
    assert store.drop(session.trainer_token, listed[3].ref).count == 2  # by reference, also when closed
    assert [r.name for r in store.submissions(session.trainer_token)] == ["Anna", "Cas"]
    for wrong in (0, 3, 99, "", "abc", listed[1].ref, True, 2.0, None):
        with pytest.raises(SubmissionNotFound):
            store.drop(session.trainer_token, wrong)
    other = store.start("Andere")
    with pytest.raises(NotTrainer):
        store.drop(other.trainer_token[:-1] + "x", 1)
    with pytest.raises(NotTrainer):
        store.drop(session.code, 1)  # the participants' join code is not the trainer's
    assert store.status(session.code).count == 2

# --------------------------------------------------------------------------- trainers (owners)

def test_two_trainers_see_and_compare_only_their_own_circles(store):
    """With several COACH_AUTH accounts each trainer lists, compares with and acts on only the
    circles they started; another's circle is refused as if it did not exist."""
    from assistant.leerkring.store import Trainer
    anna = store.start("Anna's kring", owner="anna", current=True)
    fill(store, anna, [(3,) * 7] * 3)
    bert = store.start("Bert's kring", owner="bert", current=True)
    fill(store, bert, [(2,) * 7] * 3)
    assert [s.title for s in store.sessions(owner="anna")] == ["Anna's kring"]
    assert [s.title for s in store.sessions(owner="bert")] == ["Bert's kring"]
    assert store.sessions(owner="") == []  # the no-login trainer owns nothing here
    assert store.current("anna").id == anna.id and store.current("bert").id == bert.id
    with pytest.raises(InputError, match="bestaat niet"):
        store.start("Bert vergelijkt", compare_session=anna.id, owner="bert")
    assert [s.title for s in store.sessions(owner="bert")] == ["Bert's kring"]  # nothing was started
    again = store.start("Anna opnieuw", compare_session=anna.id, owner="anna")
    assert again.comparison.startswith("Anna's kring")
    for act in (store.reveal, store.close, store.join_code, store.trainer_session):
        with pytest.raises(NotTrainer):
            act(Trainer("bert", anna.id))
    assert store.reveal(Trainer("anna", anna.id)).count == 3
    assert store.join_code(Trainer("anna", anna.id)) == anna.code
    assert store.status(Trainer("anna", anna.id)).count == 3
    store.forget_current("anna")
    assert store.current("anna") is None and store.current("bert").id == bert.id


def test_schema_1_database_is_migrated_and_keeps_its_circles(db, clock):
    """A database from before owners (schema 1) opens as schema 2 with every circle, answer and
    token intact; its circles have no owner until the app gives them to its one trainer."""
    first = LeerkringStore(db, clock=clock)
    old = first.start("Oude kring")
    fill(first, old, [(4,) * 7] * 3)
    with sqlite3.connect(db) as con:  # back to schema 1 as it was
        con.execute("DROP TABLE trainers")
        con.execute("DROP INDEX sessions_owner")
        con.execute("ALTER TABLE sessions DROP COLUMN owner")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    migrated = LeerkringStore(db, clock=clock)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
        assert con.execute("SELECT owner FROM sessions").fetchall() == [(None,)]
    assert migrated.reveal(old.trainer_token).count == 3  # scripts' tokens still work
    assert migrated.sessions(owner="") == [] and migrated.current("") is None
    assert migrated.adopt("") == 1
    assert [s.title for s in migrated.sessions(owner="")] == ["Oude kring"]
    assert LeerkringStore(db, clock=clock).sessions(owner="")[0].count == 3  # opening again changes nothing


def test_remark_keeps_its_line_breaks(store):
    session = store.start("Leerkring")
    fill(store, session, [(3,) * 7] * 2)
    store.submit(session.code, new_participant_id(), None, scores(*(3,) * 7),
                 {"binding": "# kop\r\n- punt 1\n\n\n- punt 2  "})
    assert [r.text for r in store.reveal(session.trainer_token).remarks] == ["# kop\n- punt 1\n- punt 2"]
