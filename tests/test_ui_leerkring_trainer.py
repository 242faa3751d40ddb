"""The trainer's side of the live learning circle (issue 20, items 3, 5, 14, 15, 16, 17): the
report in the trainer's language, participants' text as plain text, circles per login, no token
in the browser and private report files.

The app tests run the real FastAPI/Gradio app (``build_server``) with two ``COACH_AUTH`` logins
through Starlette's test client: log in, then call the page's own events through Gradio's queue
as the browser does (``/gradio_api/queue/join``, by event index)."""
from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
from pathlib import Path

import pytest

from assistant.leerkring import store as lk
from assistant.leerkring import view
from assistant.knowledge.model import load_knowledge
from assistant.knowledge.mozaiek import BLOCK_KEYS
from assistant.strings import ui_text

from .conftest import MINI_CORPUS

EARLIER = ("naam,opgave,waarde,samen-doen,verankering,deelname,binding,organisatie\n"
           + "\n".join(f"p{i},1,3,3,3,3,3,3" for i in range(3)))
NASTY = "[x](http://evil.example) **Niemand** <script>alert(1)</script>\n# kop\n- punt 1\n1. punt 2 $x$"
LOGINS = (("anna", "wachtwoord-anna"), ("bert", "wachtwoord-bert"))


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(MINI_CORPUS)


@pytest.fixture
def store(tmp_path):
    return lk.LeerkringStore(tmp_path / "leerkring.sqlite")


def fill(store, code, rows, remarks=None):
    for i, row in enumerate(rows):
        store.submit(code, lk.new_participant_id(), "Anna", dict(zip(BLOCK_KEYS, row)),
                     {"binding": remarks[i]} if remarks and remarks[i] else {})


def revealed(store, title="Leerkring", remarks=None, compare=None):
    session = store.start(title, compare_csv=compare)
    fill(store, session.code, [(3, 3, 3, 3, 3, 3, 3), (3, 3, 3, 3, 3, 3, 1), (3, 3, 3, 3, 3, 3, 5)], remarks)
    return store.reveal(session.trainer_token)


class Req:
    def __init__(self, username=None, host="127.0.0.1:7860"):
        self.headers = {"host": host}
        self.url = type("U", (), {"scheme": "http"})()
        self.username = username


def unescape(markdown: str) -> str:
    """What a Markdown reader shows of backslash-escaped text."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


# ----------------------------------------------------------------------------- item 3: languages

def test_reveal_report_charts_and_exports_in_english(store, knowledge, tmp_path):
    result = revealed(store, compare=EARLIER)
    report = view.reveal_markdown(knowledge, result, lang="en")
    for said in ("— result", "**Filled in by:** 3 participants", "| Building block | Mean | Lowest | Highest |",
                 "## Focus for the conversation", "*Why:*", "## Compared with imported scan (3 participants)",
                 "Opgave: mean rose from 1.0 to 3.0.", "## Remarks", "No remarks were given."):
        assert said in report, said
    for dutch in ("Ingevuld door", "Gemiddeld", "Laagste", "Hoogste", "Focus voor het gesprek", "Waarom",
                  "gestegen", "resultaat", "3 deelnemers"):
        assert dutch not in report, dutch
    radar = view.radar_figure(result, lang="en")
    assert [t.name for t in radar.data] == ["Highest score", "Lowest score", "Mean", "Mean imported scan"]
    assert radar.layout.title.text == "Leerkring — 3 participants"
    dots = view.dots_figure(result, lang="en")
    assert dots.layout.xaxis.title.text == "score (1 = weak, 5 = strong)" and dots.data[0].name == "Mean"
    paths = view.export_reveal(knowledge, result, tmp_path / "en", lang="en")
    assert paths["md"].name == "learning-circle-result.md"
    assert paths["md"].read_text(encoding="utf-8") == view.reveal_markdown(knowledge, result, lang="en")
    dutch_png = view.export_reveal(knowledge, result, tmp_path / "nl")["png"].read_bytes()
    assert paths["png"].read_bytes() != dutch_png  # the chart's words differ, not only the report's


def test_count_and_too_few_message_in_english(store, knowledge):
    from assistant.ui.tabs import leerkring as ui_lk
    session = store.start("Leerkring", owner="", current=True)
    fill(store, session.code, [(3,) * 7] * 2)
    trainer = lk.Trainer("", session.id)
    with pytest.raises(lk.TooFewSubmissions) as err:
        ui_lk.reveal_session(store, knowledge, trainer, "en")
    message = ui_lk.trainer_error(store, err.value, trainer, "en")
    assert message.startswith("Only 2 participants have filled in.") and "at least 3 submissions" in message
    assert ui_lk.trainer_error(store, err.value, trainer, "nl") == str(err.value)  # Dutch as before
    assert ui_lk.count_text(store.status(trainer), "en").startswith("**2** participants have submitted")


def test_join_link_and_qr_code_carry_the_trainers_language(store, tmp_path):
    from assistant.config import Settings
    from assistant.ui.tabs import leerkring as ui_lk
    settings = Settings(data_dir=tmp_path, host="0.0.0.0", public_url="http://192.168.1.20:7860")
    _, html, url, _ = ui_lk.start_session(store, settings, "Leerkring", None, None, Req(), "en")
    assert re.fullmatch(r"http://192\.168\.1\.20:7860/leerkring/[A-Za-z0-9_-]+\?lang=en", url)
    assert f'href="{url}"' in html and f">{url}<" in html  # the link shown is the one in the QR code
    assert view.qr_svg(url, ui_text("lk_qr_label", "en")) in html
    _, _, dutch, _ = ui_lk.start_session(store, settings, "Leerkring", None, None, Req(), "nl")
    assert "lang=" not in dutch


# ----------------------------------------------------------------------------- items 5 and 16: plain text

def test_remark_is_plain_text_on_screen_and_as_typed_in_the_markdown_file(store, knowledge, tmp_path):
    result = revealed(store, remarks=[NASTY, "**Niemand** weet het", None])
    report = view.reveal_markdown(knowledge, result)
    screen = view.report_html(report)
    assert "<a " not in screen and "evil.example" in screen  # the link is text
    assert "<strong>Niemand</strong>" not in screen and "**Niemand**" in screen
    assert "<script" not in screen and "&lt;script&gt;alert(1)&lt;/script&gt;" in screen
    assert "<h1>kop" not in screen and "# kop" in screen and "<br" in screen  # line breaks kept
    assert "<li>punt 1" not in screen
    md = view.export_reveal(knowledge, result, tmp_path)["md"].read_text(encoding="utf-8")
    assert "&#42;" not in md and "&lt;" not in md  # no HTML entities in the file
    remark_lines = md.split("## Opmerkingen")[1]
    assert "[x](http://evil.example) **Niemand** <script>alert(1)</script>" in unescape(remark_lines)
    assert "\\*\\*Niemand\\*\\* weet het" in md
    shown = unescape(remark_lines)
    assert "# kop" in shown and "- punt 1" in shown and "1. punt 2 $x$" in shown


def test_circle_titles_are_plain_text_in_the_charts(store, knowledge):
    nasty = "<a href='http://evil'>klik</a> **x** $\\frac{1}{0}$"
    earlier = store.start(nasty, owner="")
    fill(store, earlier.code, [(2,) * 7] * 3)
    now = store.start("<b>Nu</b> $y$", compare_session=earlier.id, owner="")
    fill(store, now.code, [(3,) * 7] * 3)
    result = store.reveal(now.trainer_token)
    radar = view.radar_figure(result)
    texts = [radar.layout.title.text, *(t.name for t in radar.data)]
    assert not any("<" in t or "$" in t for t in texts), texts
    assert "&lt;b&gt;Nu&lt;/b&gt; &#36;y&#36;" in radar.layout.title.text
    png = view.radar_png(result)  # matplotlib: no mathtext in the title or the legend (no ParseException)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# ----------------------------------------------------------------------------- item 17: report files

def test_report_files_are_private_and_gone_after_the_next_export(store, knowledge, tmp_path):
    from assistant.ui.tabs import leerkring as ui_lk
    folders = ui_lk.ReportFolders(tmp_path / "gradio")
    result = revealed(store, remarks=["Persoonlijk", None, None])
    first = ui_lk.export_private(knowledge, result, "anna", folders=folders)
    other = ui_lk.export_private(knowledge, result, "bert", folders=folders)
    for path in first.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(first["md"].parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(first["md"].parent.parent.stat().st_mode) == 0o700
    second = ui_lk.export_private(knowledge, result, "anna", folders=folders)
    assert not any(p.exists() for p in first.values()) and all(p.exists() for p in second.values())
    assert all(p.exists() for p in other.values())  # another trainer's download stays
    folders.remove_all()
    assert not any(p.exists() for p in [*second.values(), *other.values()])
    assert list((tmp_path / "gradio").iterdir()) == []


def test_report_in_gradios_folder_is_served_without_a_copy(store, knowledge, tmp_path, monkeypatch):
    """Gradio copies a returned file into its cache (mode kept) unless it is there already: the
    report folders sit in Gradio's upload folder, so the 0600 file is the only copy."""
    import gradio as gr

    from assistant.ui.tabs import leerkring as ui_lk
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio-temp"))
    folders = ui_lk.ReportFolders()
    paths = ui_lk.export_private(knowledge, revealed(store), "", folders=folders)
    assert gr.File().move_resource_to_block_cache(str(paths["md"])) == str(paths["md"])
    folders.remove_all()


# ----------------------------------------------------------------------------- the app with two logins

class Page:
    """One logged-in browser page: the app's own events through Gradio's queue."""

    def __init__(self, client, demo, user, password, session_hash):
        self.client, self.demo, self.hash = client, demo, session_hash
        assert client.post("/login", data={"username": user, "password": password}).json() == {"success": True}
        self.cookies = dict(client.cookies)

    def call(self, name, *data):
        index = next(i for i, f in self.demo.fns.items() if getattr(f.fn, "__name__", "") == name)
        self.client.cookies.clear()
        self.client.cookies.update(self.cookies)
        joined = self.client.post("/gradio_api/queue/join", json={
            "data": list(data), "fn_index": index, "session_hash": self.hash, "event_data": None, "trigger_id": None})
        assert joined.status_code == 200, joined.text
        stream = self.client.get("/gradio_api/queue/data", params={"session_hash": self.hash}).text
        for line in stream.splitlines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    if not msg["success"]:
                        raise AssertionError(msg["output"].get("error") or "error")
                    return msg["output"]["data"]
        raise AssertionError(stream[-500:])


@pytest.fixture
def two_trainers(tmp_path, monkeypatch):
    from starlette.testclient import TestClient

    from assistant.ui.tabs import leerkring as ui_lk
    from assistant.ui.server import build_server

    from .ui_fakes import FakeHolder
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio-temp"))
    folders = ui_lk.ReportFolders()
    monkeypatch.setattr(ui_lk, "REPORTS", folders)
    holder = FakeHolder()
    holder.settings = dataclasses.replace(holder.settings, auth=LOGINS)
    store = lk.LeerkringStore(tmp_path / "leerkring.sqlite")
    app, demo = build_server(holder, store)
    with TestClient(app) as anna_client, TestClient(app) as bert_client:
        yield (store, Page(anna_client, demo, *LOGINS[0], "anna-page"), Page(bert_client, demo, *LOGINS[1], "bert-page"),
               anna_client)
    folders.remove_all()


def test_config_holds_no_secret_and_the_page_no_token(two_trainers):
    """Every logged-in user reads /config: it must hold nothing that opens a trainer's circle."""
    store, anna, _, client = two_trainers
    out = anna.call("on_start", "Anna's kring", None, None, "nl")
    session = store.current("anna")
    client.cookies.update(anna.cookies)
    config = client.get("/config")
    assert config.status_code == 200
    assert "secret" not in config.text and "browser_state" not in config.text.lower().replace("browserstate", "browser_state")
    assert all("secret" not in (c.get("props") or {}) for c in config.json()["components"])
    assert "trainer_token" not in json.dumps(out) and session.id not in json.dumps(out)  # the page gets neither


def test_two_logins_list_restore_and_compare_only_their_own(two_trainers):
    store, anna, bert, _ = two_trainers
    anna.call("on_start", "Anna's kring", None, None, "nl")
    circle = store.current("anna")
    fill(store, store.join_code(lk.Trainer("anna", circle.id)), [(3,) * 7] * 3)
    anna_load = anna.call("on_load", "nl")
    bert_load = bert.call("on_load", "nl")
    assert [c[1] for c in anna_load[-1]["choices"]] == [circle.id]
    assert bert_load[-1]["choices"] == [] and "Anna" not in json.dumps(bert_load)
    assert "lk-join-panel" in anna_load[3] and bert_load[3] == ""  # anna's page comes back, bert's is empty
    with pytest.raises(AssertionError, match="not in the list of choices|bestaat niet"):
        bert.call("on_start", "Bert vergelijkt", None, circle.id, "nl")  # Gradio and the store refuse it
    assert store.sessions(owner="bert") == []


def test_reveal_in_the_app_in_english_with_private_files_replaced_on_the_next_reveal(two_trainers):
    store, anna, _, client = two_trainers
    started = anna.call("on_start", "Anna's kring", None, None, "en")
    assert "?lang=en" in started[3]
    circle = store.current("anna")
    fill(store, store.join_code(lk.Trainer("anna", circle.id)), [(3,) * 7, (2,) * 7, (4,) * 7],
         ["[x](http://evil.example)", None, None])
    shown = anna.call("on_reveal", None, "en")
    assert "Filled in by" in shown[2] and "<a " not in shown[2] and "Ingevuld" not in shown[2]
    files = [f["path"] for f in shown[4]["value"]]
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in files)
    client.cookies.update(anna.cookies)
    url = shown[4]["value"][0]["url"]
    assert client.get(url).status_code == 200 and "Filled in by" in client.get(url).text
    again = anna.call("on_reveal", None, "en")
    assert not any(Path(p).exists() for p in files) and client.get(url).status_code >= 400
    assert all(Path(f["path"]).exists() for f in again[4]["value"])


def test_report_folders_are_removed_when_the_app_exits_and_stale_ones_at_the_next_start(tmp_path):
    """At exit the app removes its report folder; one left by a killed app (over an hour old) goes
    when the next app first writes a report."""
    import subprocess
    import sys
    import time

    from assistant.ui.tabs.leerkring import REPORT_PREFIX, ReportFolders
    root = tmp_path / "gradio"
    script = ("import sys; from pathlib import Path; from assistant.ui.tabs.leerkring import ReportFolders; "
              "f = ReportFolders(Path(sys.argv[1])).fresh('anna'); (f / 'r.md').write_text('x'); print(f)")
    made = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parent.parent).stdout.strip()
    assert made.startswith(str(root)) and not Path(made).exists() and list(root.iterdir()) == []
    stale = root / f"{REPORT_PREFIX}killed"
    (stale / "x").mkdir(parents=True)
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    folders = ReportFolders(root)
    folders.fresh("anna")
    assert not stale.exists()
    folders.remove_all()


def test_the_trainer_removes_one_answer_from_the_page_and_another_login_cannot(two_trainers):
    """Someone from outside the group answered: the trainer lists the answers (number, name, time;
    never scores), removes exactly that one, and the count drops. Another login cannot list or
    remove answers of this circle; without a choice nothing is removed."""
    store, anna, bert, _ = two_trainers
    anna.call("on_start", "Anna's kring", None, None, "nl")
    circle = store.current("anna")
    code = store.join_code(lk.Trainer("anna", circle.id))
    for name, value in (("Ans", 3), ("Grappenmaker", 1), ("", 4), ("Bo", 2)):
        store.submit(code, lk.new_participant_id(), name or None, {k: value for k in BLOCK_KEYS})
    listed = anna.call("on_drop_list", None, "nl")[0]["choices"]
    labels = [label for label, _ in listed]
    assert [label.split(" · ")[:2] for label in labels] == [["1", "Ans"], ["2", "Grappenmaker"], ["3", "zonder naam"],
                                                            ["4", "Bo"]]
    assert all(len(label.split(" · ")) == 3 for label in labels)  # number, name, time: no scores
    with pytest.raises(AssertionError, match="Kies eerst een antwoord"):
        anna.call("on_drop", None, None, "nl", False)
    with pytest.raises(AssertionError):
        bert.call("on_drop_list", None, "nl")
    with pytest.raises(AssertionError):
        bert.call("on_drop", None, listed[1][1], "nl", False)
    assert store.status(lk.Trainer("anna", circle.id)).count == 4
    out = anna.call("on_drop", None, listed[1][1], "nl", False)
    assert out[1].startswith("**3** ")
    assert [c[0].split(" · ")[1] for c in out[0]["choices"]] == ["Ans", "zonder naam", "Bo"]
    reveal = store.reveal(lk.Trainer("anna", circle.id))
    assert reveal.count == 3 and min(reveal.means.values()) == 3  # the 1s are gone from the result


def test_the_drop_endpoint_for_scripts_lists_and_removes(store):
    """``leerkring_drop(code, trainer_token, which)``: without ``which`` the list, with a number or
    ref that answer removed; a wrong token changes nothing."""
    from assistant.ui.tabs.leerkring import api_drop
    session = store.start("Script")
    for value in (3, 1, 4):
        store.submit(session.code, lk.new_participant_id(), None, {k: value for k in BLOCK_KEYS})
    listed = api_drop(store, session.code, session.trainer_token, "")
    assert listed["count"] == 3 and [a["number"] for a in listed["answers"]] == [1, 2, 3]
    assert "scores" not in json.dumps(listed)
    with pytest.raises(lk.NotTrainer):
        api_drop(store, session.code, "x" * 43, "2")
    after = api_drop(store, session.code, session.trainer_token, "2")
    assert after["count"] == 2 and store.status(session.code).count == 2
    after = api_drop(store, session.code, session.trainer_token, after["answers"][0]["ref"])
    assert after["count"] == 1


def test_switching_the_language_after_the_start_changes_the_join_link(two_trainers):
    """A trainer who starts in Dutch (or whose page came back after a restart in Dutch) and then
    switches to English projects a link and QR code that open the phones in English; another
    login's page gets nothing."""
    store, anna, bert, _ = two_trainers
    started = anna.call("on_start", "Anna's kring", None, None, "nl")
    assert "lang=en" not in started[3]
    switched = anna.call("on_language", None, "en", False)
    assert "?lang=en" in switched[0] and "Join with your phone" in switched[0]
    assert "participants have submitted" in switched[1]
    back = anna.call("on_language", None, "nl", False)
    assert "lang=en" not in back[0] and "Doe mee met je telefoon" in back[0]
    assert "?lang=en" not in json.dumps(bert.call("on_language", None, "en", False))
