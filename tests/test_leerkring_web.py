"""The live learning circle on the web, without a browser: the participant's page (through
Starlette's test client against the real routes and a real SQLite store), the trainer's handlers,
the named API functions, the charts and the report. The fixture magazine has the seven block
names; the browser flow is in test_leerkring_app.py."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.leerkring import store as lk
from assistant.leerkring import view
from assistant.config import Settings
from assistant.errors import InputError
from assistant.knowledge.model import load_knowledge
from assistant.knowledge.mozaiek import BLOCK_KEYS
from assistant.leerkring.scan import from_csv

from .conftest import MINI_CORPUS


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(MINI_CORPUS)


@pytest.fixture
def store(tmp_path):
    return lk.LeerkringStore(tmp_path / "leerkring.sqlite")


@pytest.fixture
def web(store, knowledge):
    from fastapi import FastAPI
    from starlette.testclient import TestClient

    from assistant.ui import join
    app = FastAPI()
    join.add_routes(app, store, knowledge, retention_days=7)
    return TestClient(app)


def form(*scores, name="", **remarks) -> dict:
    data = {f"score-{k}": str(v) for k, v in zip(BLOCK_KEYS, scores)}
    data["name"] = name
    data.update({f"remark-{k.replace('_', '-')}": v for k, v in remarks.items()})
    return data


def fill(store, session, rows):
    for row in rows:
        store.submit(session.code, lk.new_participant_id(), None, dict(zip(BLOCK_KEYS, row)))


# ----------------------------------------------------------------------------- participant page

def test_join_page_has_seven_unset_choices_and_no_login(web, store, knowledge):
    session = store.start("Leerkring <b>voorjaar</b>")
    page = web.get(f"/leerkring/{session.code}")
    assert page.status_code == 200
    html = page.text
    assert "<b>voorjaar</b>" not in html and "&lt;b&gt;voorjaar&lt;/b&gt;" in html  # markup shown as text
    for block in knowledge.blocks:
        assert f'id="block-{block.key}"' in html and block.name in html
        assert html.count(f'name="score-{block.key}"') == 5
    assert " checked" not in html.split("<form", 1)[1].split("<script", 1)[0]  # nothing chosen yet
    assert html.count("required") == 35
    assert "script-src 'nonce-" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_submit_then_change_own_answer_until_closed(web, store):
    session = store.start("Leerkring")
    sent = web.post(f"/leerkring/{session.code}", data=form(1, 2, 3, 4, 5, 1, 2, name="Anna", waarde="<i>hoi</i>"),
                    follow_redirects=False)
    assert sent.status_code == 303 and "ok=new" in sent.headers["location"]
    cookie = sent.cookies.get("mzk_deelnemer")
    assert cookie and "httponly" in sent.headers["set-cookie"].lower()
    assert "path=/leerkring/" in sent.headers["set-cookie"].lower()
    again = web.get(sent.headers["location"])
    assert "Dank je!" in again.text
    assert re.search(r'name="score-opgave" value="1" required checked', again.text)
    assert "&lt;i&gt;hoi&lt;/i&gt;" in again.text and "<i>hoi</i>" not in again.text
    changed = web.post(f"/leerkring/{session.code}", data=form(5, 5, 5, 5, 5, 5, 5), follow_redirects=False)
    assert "ok=changed" in changed.headers["location"]
    assert store.status(session.code).count == 1  # the same device: one participant
    store.close(session.trainer_token)
    closed = web.post(f"/leerkring/{session.code}", data=form(1, 1, 1, 1, 1, 1, 1))
    assert closed.status_code == 409 and "gesloten" in closed.text and "<form" not in closed.text
    answer = store.own_answer(session.code, store.participant(web.cookies.get("mzk_deelnemer")))
    assert answer.scores == dict(zip(BLOCK_KEYS, [5] * 7))  # the change was kept, the late one refused


def test_a_second_device_is_a_second_participant_and_sees_only_its_own_answer(web, store, knowledge):
    from starlette.testclient import TestClient
    session = store.start("Leerkring")
    web.post(f"/leerkring/{session.code}", data=form(1, 1, 1, 1, 1, 1, 1, name="Anna", opgave="Geheim van Anna"))
    other = TestClient(web.app)
    page = other.get(f"/leerkring/{session.code}")
    assert "Geheim van Anna" not in page.text and "Anna" not in page.text
    other.post(f"/leerkring/{session.code}", data=form(3, 3, 3, 3, 3, 3, 3))
    assert store.status(session.code).count == 2


def test_missing_or_wrong_scores_give_a_dutch_message_and_keep_what_was_typed(web, store):
    session = store.start("Leerkring")
    data = form(3, 9, 3, name="Bram", opgave="Mijn opmerking")
    page = web.post(f"/leerkring/{session.code}", data=data)
    assert page.status_code == 400
    alert = re.search(r'role="alert">([^<]*)', page.text).group(1)
    assert "ontbreekt" in alert and "Waarde (9)" in alert
    assert 'value="Bram"' in page.text and "Mijn opmerking" in page.text
    assert store.status(session.code).count == 0


def test_unknown_code_and_oversized_post_change_nothing(web, store):
    session = store.start("Leerkring")
    missing = web.get("/leerkring/bestaat-niet-1234567")
    assert missing.status_code == 404 and "bestaat niet" in missing.text
    english = web.get("/leerkring/bestaat-niet-1234567?lang=en")
    assert "does not exist" in english.text and 'lang="en"' in english.text
    huge = web.post(f"/leerkring/{session.code}", content=b"name=" + b"x" * 70_000,
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert huge.status_code == 413 and "te lang" in huge.text
    assert store.status(session.code).count == 0


def test_rate_limit_per_device(web, store):
    session = store.start("Leerkring")
    for _ in range(lk.RATE_LIMIT_COUNT):
        web.post(f"/leerkring/{session.code}", data=form(2, 2, 2, 2, 2, 2, 2))
    page = web.post(f"/leerkring/{session.code}", data=form(4, 4, 4, 4, 4, 4, 4))
    assert page.status_code == 400 and "te vaak" in page.text


def test_participant_page_in_english(web, store):
    session = store.start("Leerkring")
    page = web.get(f"/leerkring/{session.code}?lang=en")
    assert 'lang="en"' in page.text and "Send" in page.text and "strong" in page.text


# ----------------------------------------------------------------------------- trainer handlers and API

def settings_for(tmp_path, **kw) -> Settings:
    return Settings(data_dir=tmp_path, **kw)


class Req:
    """The parts of ``gr.Request`` the handlers read: the Host header and the login."""

    def __init__(self, host, username=None):
        self.headers = {"host": host}
        self.url = type("U", (), {"scheme": "http"})()
        self.username = username


def test_join_link_uses_the_public_address_or_warns_on_loopback(tmp_path, store):
    from assistant.ui.tabs.leerkring import start_session
    circle, html, url, count = start_session(
        store, settings_for(tmp_path), "Leerkring", None, None, Req("127.0.0.1:7860"))
    code = store.join_code(lk.Trainer("", circle))
    assert url == f"http://127.0.0.1:7860/leerkring/{code}"
    assert "<svg" in html and "telefoons kunnen deze link nog niet openen" in html
    assert count.startswith("**0** deelnemers hebben ingevuld")
    public = settings_for(tmp_path, host="0.0.0.0", public_url="http://192.168.1.20:7860")
    _, html2, url2, _ = start_session(
        store, public, "Leerkring 2", None, None, Req("localhost:7860"))
    assert url2.startswith("http://192.168.1.20:7860/leerkring/") and "nog niet openen" not in html2


def test_join_address_on_the_network_is_the_routed_interface_not_the_host_name(tmp_path, monkeypatch):
    """Listening on the network, a trainer on http://127.0.0.1 gets the address of the interface the
    default route goes through (found in /proc/net/route, nothing sent), not the host name's."""
    routes = tmp_path / "route"
    routes.write_text("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
                      "wlp2s0\t0000A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\n"
                      "wlp2s0\t00000000\t0100A8C0\t0003\t0\t0\t600\t00000000\n")
    assert view.default_interface(routes) == "wlp2s0"
    monkeypatch.setattr(view, "default_interface", lambda: "wlp2s0")
    monkeypatch.setattr(view, "interface_address", lambda name: "192.168.1.37" if name == "wlp2s0" else None)
    base, reachable = view.public_base(settings_for(tmp_path, host="0.0.0.0"), "127.0.0.1:7860", "http")
    assert (base, reachable) == ("http://192.168.1.37:7860", True)


def test_host_name_on_127_0_1_1_gives_a_warning_not_a_dead_link(tmp_path, store, monkeypatch):
    """A standard Debian/Ubuntu install maps the host name to 127.0.1.1: with no other address the
    join link cannot work, so the trainer's screen says so before the QR code."""
    from assistant.ui.tabs.leerkring import start_session
    monkeypatch.setattr(view, "default_interface", lambda: None)
    monkeypatch.setattr(view, "interface_address", lambda name: None)
    monkeypatch.setattr(view.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("127.0.1.1", 0))])
    assert view.lan_address() is None
    settings = settings_for(tmp_path, host="0.0.0.0", auth=(("trainer", "geheim-wachtwoord"),))
    _, html, url, _ = start_session(store, settings, "Leerkring", None, None, Req("127.0.0.1:7860"))
    assert "geen netwerkadres" in html and html.index("lk-warn") < html.index("<svg")


def test_public_url_wins_and_loopback_only_warns(tmp_path):
    """COACH_PUBLIC_URL is used as it is; an app listening on loopback only always warns."""
    public = settings_for(tmp_path, host="0.0.0.0", public_url="https://leerkring.example.nl")
    assert view.public_base(public, "127.0.0.1:7860", "http") == ("https://leerkring.example.nl", True)
    assert view.public_base(settings_for(tmp_path), "192.168.1.37:7860", "http")[1] is False


def test_public_base_ignores_a_forged_host_header(tmp_path):
    base, _ = view.public_base(settings_for(tmp_path), 'evil.example"><script>', "http")
    assert base == "http://127.0.0.1:7860"


def test_api_start_submit_status_reveal(tmp_path, store, knowledge, monkeypatch):
    from assistant.ui.tabs import leerkring as ui_lk
    monkeypatch.setattr(ui_lk, "REPORTS", ui_lk.ReportFolders(tmp_path / "gradio"))
    started = ui_lk.api_start(store, settings_for(tmp_path), "API-leerkring", None, Req("127.0.0.1:7860"))
    assert set(started) >= {"code", "join_url", "trainer_token"}
    code, token = started["code"], started["trainer_token"]
    for row in ((1, 2, 3, 4, 5, 1, 2), (2, 2, 3, 4, 5, 2, 2), (3, 3, 3, 5, 1, 4, 2)):
        out = ui_lk.api_submit(store, code, "", json.dumps(dict(zip(BLOCK_KEYS, row))), '{"opgave": "Doel?"}')
        assert out["ok"] is True
    assert ui_lk.api_status(store, code, token) == {"count": 3, "state": "open"}
    with pytest.raises(lk.NotTrainer):
        ui_lk.api_status(store, code, "x" * 43)  # not the trainer
    other = store.start("Andere")
    with pytest.raises(lk.NotTrainer):
        ui_lk.api_status(store, code, other.trainer_token)  # the trainer of another session
    with pytest.raises(InputError, match="JSON-object"):
        ui_lk.api_submit(store, code, "", "[1, 2]")
    result = ui_lk.api_reveal(store, knowledge, code, token)
    assert result["means"]["opgave"] == 2.0 and result["count"] == 3
    assert set(result["weakest"]) <= set(BLOCK_KEYS) and result["changes"] is None
    report = Path(result["report"]).read_text(encoding="utf-8")
    assert "Doel?" in report and "Anna" not in report
    assert len(from_csv(Path(result["files"][2]).read_bytes())) == 3  # the scan import reads it back


def test_reveal_with_fewer_than_three_says_why(tmp_path, store, knowledge):
    from assistant.ui.tabs import leerkring as ui_lk
    session = store.start("Leerkring")
    fill(store, session, [(3,) * 7, (4,) * 7])
    with pytest.raises(lk.TooFewSubmissions, match="minstens 3"):
        ui_lk.reveal_session(store, knowledge, session.trainer_token)


def test_restore_brings_the_trainer_back_after_a_restart(tmp_path, knowledge):
    """After a reload or restart the page finds the trainer's circle by their login, in the store;
    another login, or none, gets the start form."""
    from assistant.ui.tabs import leerkring as ui_lk
    path = tmp_path / "leerkring.sqlite"
    first = lk.LeerkringStore(path)
    circle, _, _, _ = ui_lk.start_session(first, settings_for(tmp_path), "Leerkring", None, None,
                                          Req("127.0.0.1:7860", "anna"))
    fill(first, SimpleNamespace(code=first.join_code(lk.Trainer("anna", circle))), [(3,) * 7])
    again = lk.LeerkringStore(path)  # as after an app restart
    found, html, count = ui_lk.restore(again, settings_for(tmp_path), Req("127.0.0.1:7860", "anna"))
    assert found == circle and again.join_code(lk.Trainer("anna", circle)) in html
    assert count.startswith("**1** deelnemer heeft")
    assert ui_lk.restore(again, settings_for(tmp_path), Req("127.0.0.1:7860", "bert")) is None
    assert ui_lk.restore(again, settings_for(tmp_path), None) is None


# ----------------------------------------------------------------------------- charts and report

def revealed(store, rows, compare=None):
    session = store.start("Leerkring", compare_csv=compare)
    for row, remark in rows:
        store.submit(session.code, lk.new_participant_id(), "Anna", dict(zip(BLOCK_KEYS, row)),
                     {"binding": remark} if remark else {})
    return store.reveal(session.trainer_token)


def test_radar_has_mean_and_band_and_the_comparison(store):
    csv = "naam,opgave,waarde,samen-doen,verankering,deelname,binding,organisatie\n" + \
          "\n".join(f"p{i},1,3,3,3,3,3,3" for i in range(3))
    result = revealed(store, [((3, 3, 3, 3, 3, 3, 3), None), ((3, 3, 3, 3, 3, 3, 1), None),
                              ((3, 3, 3, 3, 3, 3, 5), None)], csv)
    fig = view.radar_figure(result)
    names = [t.name for t in fig.data]
    assert names[:3] == ["Hoogste score", "Laagste score", "Gemiddelde"]
    assert names[3].startswith("Gemiddelde ingelezen scan")
    assert list(fig.data[2].r)[0] == 3.0 and list(fig.data[3].r)[0] == 1.0  # opgave moved from 1 to 3
    assert len(fig.data[2].r) == 8  # closed loop over the seven blocks
    dots = view.dots_figure(result)
    organisatie = [(x, t) for x, y, t in zip(dots.data[1].x, dots.data[1].y, dots.data[1].text) if y == "Organisatie"]
    assert sorted(organisatie) == [(1, "1"), (3, "1"), (5, "1")]


def test_report_names_the_moved_blocks_and_hides_names(store, knowledge):
    csv = "naam,opgave,waarde,samen-doen,verankering,deelname,binding,organisatie\n" + \
          "\n".join(f"p{i},1,3,3,3,3,3,3" for i in range(3))
    result = revealed(store, [((3, 3, 3, 3, 3, 3, 3), "<script>x</script>"), ((3, 3, 3, 3, 3, 3, 3), None),
                              ((3, 3, 3, 3, 3, 3, 3), "Te weinig vertrouwen")], csv)
    report = view.reveal_markdown(knowledge, result)
    assert "Opgave: gemiddeld gestegen van 1,0 naar 3,0" in report
    assert "Anna" not in report
    assert "\\<script\\>x\\</script\\>" in report and "&lt;" not in report  # escaped for Markdown, as typed
    assert "<script>" not in view.report_html(report)  # and on the screen never a tag
    assert "Te weinig vertrouwen" in report


def test_prep_request_focuses_on_weakest_and_disputed(store, knowledge):
    result = revealed(store, [((1, 4, 4, 4, 1, 5, 4), None), ((2, 4, 4, 4, 5, 5, 4), None),
                              ((1, 4, 4, 4, 3, 5, 4), None)])
    purpose, situation, keys = view.prep_request(knowledge, result)
    assert keys[0] == "opgave" and "deelname" in keys
    assert "Opgave" in situation and "Deelname" in situation and "Leerkring" in purpose


def test_export_draws_the_png_once_per_revision(store, knowledge, tmp_path, monkeypatch):
    import assistant.leerkring.scan as scan_mod
    calls = []
    real = scan_mod.radar_chart_png
    monkeypatch.setattr(scan_mod, "radar_chart_png", lambda *a, **k: calls.append(1) or real(*a, **k))
    scan_mod.cached_radar_png.cache_clear()
    result = revealed(store, [((3,) * 7, None)] * 3)
    first = view.export_reveal(knowledge, result, tmp_path / "a")
    view.export_reveal(knowledge, result, tmp_path / "b")
    assert len(calls) == 1
    assert first["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_qr_code_is_an_svg_with_a_text_alternative():
    svg = view.qr_svg("http://192.168.1.20:7860/leerkring/abc", "QR-code met de link")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>QR-code met de link</title>" in svg


def test_starting_the_app_deletes_submissions_older_than_the_setting(tmp_path):
    """COACH_LEERKRING_DAYS: what is older is gone when the app opens the store; the rest stays."""
    import time

    from assistant.ui.server import open_store
    old_clock = lambda: time.time() - 10 * 86400  # noqa: E731 - ten days ago
    old = lk.LeerkringStore(lk.default_path(tmp_path), clock=old_clock)
    stale = old.start("Oude leerkring")
    fill(old, stale, [(3,) * 7] * 3)
    fresh_store = lk.LeerkringStore(lk.default_path(tmp_path))
    fresh = fresh_store.start("Nieuwe leerkring")
    fill(fresh_store, fresh, [(4,) * 7])
    store = open_store(settings_for(tmp_path, leerkring_days=7))
    assert [s.title for s in store.sessions()] == ["Nieuwe leerkring"]
    assert store.status(fresh.code).count == 1
    with pytest.raises(lk.SessionNotFound):
        store.status(stale.code)


def test_submit_endpoint_keeps_its_four_documented_arguments():
    """Scripts written against `leerkring_submit(code, name, scores, remarks)` keep working: the
    participant id (and the remarks) may be left out."""
    from assistant.ui.app import build_app

    from .ui_fakes import FakeHolder
    demo = build_app(FakeHolder())
    params = {p["parameter_name"]: p for p in demo.get_api_info()["named_endpoints"]["/leerkring_submit"]["parameters"]}
    assert [n for n, p in params.items() if not p["parameter_has_default"]] == ["code", "name", "scores"]
    assert params["participant"]["parameter_has_default"] and params["remarks"]["parameter_has_default"]


def test_prep_request_carries_the_remarks_of_its_blocks(store, knowledge):
    """The hand-off to "Voorbereiden" fills "Wat speelt er?" with what participants wrote about the
    focus blocks, as they wrote it."""
    result = revealed(store, [((4, 4, 4, 4, 4, 1, 4), "De raad kent ons netwerk niet."),
                              ((4, 4, 4, 4, 4, 2, 4), "We zien elkaar te weinig."), ((4, 4, 4, 4, 4, 1, 4), None)])
    _, situation, keys = view.prep_request(knowledge, result)
    assert keys[0] == "binding"
    assert "“De raad kent ons netwerk niet.” (Binding)" in situation and "We zien elkaar te weinig." in situation
    purpose, situation, keys_en = view.prep_request(knowledge, result, "en")  # the trainer works in English
    assert keys_en == keys and purpose.startswith("Follow-up to the learning circle")
    assert "scored lowest" in situation and "Remarks from the group:" in situation
    assert "“De raad kent ons netwerk niet.” (Binding)" in situation and "leerkring" not in situation


def test_after_the_reveal_the_page_no_longer_says_the_result_is_hidden():
    """Before the reveal the count says the result stays hidden; after it, that it is shown below."""
    from assistant.ui.tabs.leerkring import count_text
    before = count_text(lk.Status(4, lk.STATE_OPEN), "nl")
    after = count_text(lk.Status(4, lk.STATE_OPEN), "nl", revealed=True)
    assert "blijft verborgen" in before and "blijft verborgen" not in after and "staat hieronder" in after
    assert "is shown below" in count_text(lk.Status(4, lk.STATE_OPEN), "en", revealed=True)


# ----------------------------------------------------------------------------- issue 20: items 10, 12 and 22

PLANTED = "planted-by-another-port-0123456789"  # a value another page on this host could set


def client(web, address="203.0.113.9", cookie=None):
    from starlette.testclient import TestClient
    c = TestClient(web.app, client=(address, 50000))
    if cookie:
        c.cookies.set("mzk_deelnemer", cookie, domain="testserver.local", path="/leerkring/")
    return c


def test_a_forged_cookie_gets_a_fresh_id_and_never_reaches_the_victims_answer(web, store):
    """Cookie fixation: another page on this host plants a device cookie it knows in the victim's
    browser. The server does not adopt it: the victim's answer is kept under an id the server
    issued, and the planted value neither reads nor changes it."""
    session = store.start("Leerkring")
    victim = client(web, cookie=PLANTED)
    sent = victim.post(f"/leerkring/{session.code}", data=form(2, 2, 2, 2, 2, 2, 2, opgave="Geheim van Anna"),
                       follow_redirects=False)
    assert sent.status_code == 303
    issued = sent.cookies.get("mzk_deelnemer")
    assert issued != PLANTED and store.participant(issued)
    attacker = client(web, address="198.51.100.4", cookie=PLANTED)
    assert "Geheim van Anna" not in attacker.get(f"/leerkring/{session.code}").text
    attacker.post(f"/leerkring/{session.code}", data=form(5, 5, 5, 5, 5, 5, 5, opgave="Overschreven"))
    assert store.status(session.code).count == 2  # the attacker is a second participant
    answer = store.own_answer(session.code, store.participant(issued))
    assert answer.scores == dict(zip(BLOCK_KEYS, [2] * 7)) and answer.remarks == {"opgave": "Geheim van Anna"}
    forged = issued.split(".")[0] + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"  # the right id, a made-up signature
    assert "Geheim van Anna" not in client(web, cookie=forged).get(f"/leerkring/{session.code}").text


def test_a_planted_real_id_stops_working_once_the_victim_answers(web, store):
    """An attacker can get a genuine signed id (by answering once) and plant that; the victim's
    answer then moves to a new id, so the planted one shows nothing."""
    session = store.start("Leerkring")
    attacker = client(web, address="198.51.100.4")
    attacker.post(f"/leerkring/{session.code}", data=form(5, 5, 5, 5, 5, 5, 5))
    genuine = attacker.cookies.get("mzk_deelnemer")
    victim = client(web, cookie=genuine)
    victim.post(f"/leerkring/{session.code}", data=form(1, 1, 1, 1, 1, 1, 1, waarde="Alleen voor mij"))
    assert victim.cookies.get("mzk_deelnemer") != genuine
    page = attacker.get(f"/leerkring/{session.code}")
    assert "Alleen voor mij" not in page.text and " checked" not in page.text.split("<form", 1)[1].split("<script", 1)[0]


def test_the_device_cookie_is_signed_httponly_samesite_strict_and_only_for_the_join_pages(web, store):
    session = store.start("Leerkring")
    sent = web.post(f"/leerkring/{session.code}", data=form(3, 3, 3, 3, 3, 3, 3), follow_redirects=False)
    header = sent.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=strict"
    assert attributes["path"] == "Path=/leerkring/"
    assert store.participant(sent.cookies.get("mzk_deelnemer"))


def test_cookieless_posts_from_one_address_do_not_fill_the_circle(web, store):
    """The probe: 205 posts without a cookie from one address filled a circle to its 200. Now that
    address gets ADDRESS_NEW_COUNT places, the rest a Dutch 'wait a minute', and a real
    participant can still join."""
    from assistant.leerkring.scan import MAX_PARTICIPANTS
    session = store.start("Leerkring")
    flood = client(web)
    statuses = []
    for _ in range(205):
        flood.cookies.clear()
        statuses.append(flood.post(f"/leerkring/{session.code}", data=form(1, 1, 1, 1, 1, 1, 1),
                                   follow_redirects=False).status_code)
    assert statuses.count(303) == lk.ADDRESS_NEW_COUNT and statuses.count(400) == 205 - lk.ADDRESS_NEW_COUNT
    assert store.status(session.code).count == lk.ADDRESS_NEW_COUNT < MAX_PARTICIPANTS
    refused = flood.post(f"/leerkring/{session.code}", data=form(1, 1, 1, 1, 1, 1, 1))
    assert "tegelijk" in refused.text and "nog niet bewaard" in refused.text
    real = client(web, address="198.51.100.20")
    assert real.post(f"/leerkring/{session.code}", data=form(4, 4, 4, 4, 4, 4, 4),
                     follow_redirects=False).status_code == 303
    assert store.status(session.code).count == lk.ADDRESS_NEW_COUNT + 1


def test_a_room_of_forty_phones_behind_one_address_all_get_in(web, store):
    """A guard on the limits above: a room shares one public address; 40 phones answer within a
    minute, some change their answer or first send a mistake, and every one gets in."""
    session = store.start("Leerkring")
    phones = [client(web, address="192.0.2.1") for _ in range(40)]
    for i, phone in enumerate(phones):
        if i % 5 == 0:  # a mistake first
            assert phone.post(f"/leerkring/{session.code}", data=form(3, 3, 3)).status_code == 400
        assert phone.post(f"/leerkring/{session.code}", data=form(*(1 + i % 5,) * 7),
                          follow_redirects=False).status_code == 303
    for phone in phones[::4]:  # some change their mind
        assert "ok=changed" in phone.post(f"/leerkring/{session.code}", data=form(5, 5, 5, 5, 5, 5, 5),
                                          follow_redirects=False).headers["location"]
    assert store.status(session.code).count == 40


def test_a_post_with_too_many_fields_gets_a_dutch_400_and_one_log_line(web, store, caplog):
    session = store.start("Leerkring")
    data = form(3, 3, 3, 3, 3, 3, 3)
    data.update({f"extra{i}": "x" for i in range(41 - len(data))})
    assert len(data) == 41
    with caplog.at_level("INFO"):
        page = web.post(f"/leerkring/{session.code}", data=data)
    assert page.status_code == 400 and "kon niet worden gelezen" in page.text and "<form" in page.text
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert len([r for r in caplog.records if r.name.startswith("assistant")]) == 1
    assert "could not be read" in web.post(f"/leerkring/{session.code}?lang=en", data=data).text
    caplog.clear()
    with caplog.at_level("INFO"):
        assert web.post("/leerkring/bestaat-niet-1234567", data=data).status_code == 404
        junk = web.post(f"/leerkring/{session.code}", content=b"\xff\xfe%%%&&=;" * 50,
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert junk.status_code == 400 and 'role="alert"' in junk.text
    assert len([r for r in caplog.records if r.name.startswith("assistant")]) == 2
    assert not [r for r in caplog.records if r.exc_info]
    assert store.status(session.code).count == 0


def test_a_refused_answer_writes_one_log_line_without_a_traceback(web, store, caplog):
    session = store.start("Leerkring")
    with caplog.at_level("INFO"):
        web.post(f"/leerkring/{session.code}", data=form(3, 9, 3, 3, 3, 3, 3, opgave="Mijn opmerking"))
    records = [r for r in caplog.records if r.name.startswith("assistant")]
    assert len(records) == 1 and records[0].exc_info is None
    assert "Waarde" in records[0].getMessage() and "Mijn opmerking" not in records[0].getMessage()
    assert session.code not in records[0].getMessage()  # the join code is a credential
    caplog.clear()
    store.close(session.trainer_token)
    with caplog.at_level("INFO"):
        web.post(f"/leerkring/{session.code}", data=form(3, 3, 3, 3, 3, 3, 3))
        web.post("/leerkring/bestaat-niet-1234567", data=form(3, 3, 3, 3, 3, 3, 3))
    records = [r for r in caplog.records if r.name.startswith("assistant")]
    assert len(records) == 2 and not any(r.exc_info for r in records)


def test_api_submit_issues_the_participant_id_and_keeps_the_documented_call(tmp_path, store):
    """`leerkring_submit(code, name, scores)` makes a new participant; passing back the returned
    `participant` changes that answer; a made-up or forged value is never adopted."""
    from assistant.ui.tabs import leerkring as ui_lk
    session = store.start("Leerkring")
    first = ui_lk.api_submit(store, session.code, "", json.dumps(dict(zip(BLOCK_KEYS, [2] * 7))),
                             '{"opgave": "Geheim"}')
    assert first["created"] and store.participant(first["participant"])
    again = ui_lk.api_submit(store, session.code, "", json.dumps(dict(zip(BLOCK_KEYS, [3] * 7))),
                             None, first["participant"])
    assert not again["created"] and again["count"] == 1
    chosen = ui_lk.api_submit(store, session.code, "", json.dumps(dict(zip(BLOCK_KEYS, [5] * 7))), None, PLANTED)
    assert chosen["created"] and chosen["participant"] != PLANTED and chosen["count"] == 2
    assert store.own_answer(session.code, PLANTED) is None


def test_api_refusal_writes_one_log_line_and_no_traceback(caplog):
    """The named endpoint's Dutch error reaches the caller; the log gets one line, and Gradio is
    told not to print the traceback (print_exception)."""
    import gradio as gr

    from assistant.ui.app import build_app

    from .ui_fakes import FakeHolder
    demo = build_app(FakeHolder())
    submit = next(f.fn for f in demo.fns.values() if f.api_name == "leerkring_submit")
    with caplog.at_level("INFO"), pytest.raises(gr.Error) as err:
        submit("bestaat-niet-1234567", "", '{"opgave": 3}')
    assert "bestaat niet" in err.value.message and err.value.print_exception is False
    records = [r for r in caplog.records if r.name.startswith("assistant")]
    assert len(records) == 1 and records[0].exc_info is None and "bestaat-niet" not in records[0].getMessage()
