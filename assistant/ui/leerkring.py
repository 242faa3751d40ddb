"""The trainer's part of the Leerkring tab: start a live session, show the join link and QR code,
watch the count rise (never the scores), reveal the group result, close, export, and hand the
outcome to "Overleg voorbereiden". Also the named API endpoints ``leerkring_start``,
``leerkring_submit``, ``leerkring_status`` and ``leerkring_reveal`` (JSON in and out).

The trainer token lives only in the trainer's browser (``gr.BrowserState``, encrypted with a key
kept in the data folder so it survives an app restart); the database keeps its hash.

No ``from __future__ import annotations`` here: Gradio recognises the ``gr.Request`` parameter
of a handler by its evaluated annotation.
"""
import hmac
import html as html_mod
import json
import logging
import os
import secrets
from pathlib import Path
from types import SimpleNamespace

from .. import leerkring as lk
from .. import leerkring_view as view
from ..errors import CoachError, InputError
from ..texts import ui_text
from .common import Labels, export_dir, lang_code

POLL_SECONDS = 2.0
MAX_CSV_BYTES = 1_000_000
SECRET_FILE = "leerkring-browser.key"
API_ENDPOINTS = {"leerkring_start": ("title", "compare_csv"),
                 "leerkring_submit": ("code", "name", "scores", "remarks", "participant"),
                 "leerkring_status": ("code", "trainer_token"),
                 "leerkring_reveal": ("code", "trainer_token")}
API_PARAMS = tuple(dict.fromkeys(p for params in API_ENDPOINTS.values() for p in params))

log = logging.getLogger(__name__)


def browser_secret(data_dir: Path) -> str:
    """The key that encrypts the trainer token in the browser; made once, kept (0600) in the
    data folder so a restarted app can still read the trainer's page state."""
    path = Path(data_dir) / SECRET_FILE
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


def _fail(err: Exception, lang: str):
    import gradio as gr
    raise gr.Error(str(err), title=ui_text("lk_error_title", lang)) from None


def _host(request) -> tuple[str | None, str]:
    if request is None:
        return None, "http"
    headers = getattr(request, "headers", {}) or {}
    host = headers.get("host") if hasattr(headers, "get") else None
    scheme = headers.get("x-forwarded-proto", "") if hasattr(headers, "get") else ""
    url = getattr(request, "url", None)
    return host, scheme or (getattr(url, "scheme", None) or "http")


def join_panel(settings, code: str, short_code: str, request, lang: str = "nl") -> tuple[str, str]:
    """(HTML with QR code, link and short code for the projector, the join URL)."""
    host, scheme = _host(request)
    base, reachable = view.public_base(settings, host, scheme)
    url = view.join_url(base, code)
    e = html_mod.escape
    why = "lk_unreachable" if settings.is_loopback else "lk_no_address"
    # the warning comes before the QR code: nobody should project a code that phones cannot open
    warning = "" if reachable else f'<p class="lk-warn" role="alert" id="lk-warn">{e(ui_text(why, lang))}</p>'
    html = (f'{warning}<div class="lk-join" id="lk-join-panel">'
            f'<div class="lk-qr">{view.qr_svg(url, ui_text("lk_qr_label", lang))}</div>'
            f'<div class="lk-text"><h3>{e(ui_text("lk_join_title", lang))}</h3>'
            f'<p>{e(ui_text("lk_join_scan", lang))}</p>'
            f'<p class="lk-url"><a href="{e(url)}" target="_blank" rel="noopener" id="lk-join-url">{e(url)}</a></p>'
            f'<p class="lk-short">{e(ui_text("lk_join_code", lang, code=""))}'
            f'<span class="lk-code" id="lk-code">{e(short_code)}</span></p></div></div>')
    return html, url


def count_text(status: lk.Status, lang: str = "nl", revealed: bool = False) -> str:
    """How many filled in and the state; then that the result is still hidden, or (``revealed``)
    that it is shown below."""
    people = ui_text("lk_people_one" if status.count == 1 else "lk_people_many", lang)
    line = ui_text("lk_count", lang, n=status.count, people=people, state=ui_text(f"lk_state_{status.state}", lang))
    return line + "\n\n" + (ui_text("lk_shown", lang) if revealed else ui_text("lk_hidden", lang, n=lk.MIN_REVEAL))


def earlier_choices(store: lk.LeerkringStore, exclude: str | None = None) -> list[tuple[str, str]]:
    """Earlier sessions that can serve as a comparison (enough submissions), newest first."""
    import time
    out = []
    for s in store.sessions():
        if s.id != exclude and s.count >= lk.MIN_REVEAL:
            day = time.strftime("%d-%m-%Y", time.localtime(s.created_at))
            out.append((f"{s.title} ({day}, {s.count})", s.id))
    return out


def read_csv_file(file: str | None) -> bytes | None:
    if not file:
        return None
    path = Path(file)
    return path.read_bytes() if path.stat().st_size <= MAX_CSV_BYTES else b"x" * (MAX_CSV_BYTES + 1)


def start_session(store, settings, title: str, compare_csv: bytes | str | None, compare_session: str | None,
                  request=None, lang: str = "nl") -> tuple[str, str, str, str]:
    """(trainer token, join panel HTML, join URL, count text) for a new session."""
    session, html, url = _open_session(store, settings, title, compare_csv, compare_session, request, lang)
    return session.trainer_token, html, url, count_text(lk.Status(0, lk.STATE_OPEN), lang)


def _open_session(store, settings, title, compare_csv, compare_session, request, lang) -> tuple[lk.Session, str, str]:
    session = store.start(title, compare_csv or None, compare_session or None)
    html, url = join_panel(settings, session.code, session.short_code, request, lang)
    return session, html, url


def restore(store, settings, token: str, request=None, lang: str = "nl") -> tuple[str, str] | None:
    """(join panel HTML, count text) of the trainer's session, or None when there is none."""
    if not token:
        return None
    try:
        info = store.trainer_session(token)
        code = store.join_code(token)
    except (lk.NotTrainer, lk.SessionNotFound, StopIteration):
        return None
    html, _ = join_panel(settings, code, info.short_code, request, lang)
    return html, count_text(store.status(token), lang, bool(getattr(info, "revealed", False)))


def reveal_session(store, knowledge, token: str):
    """(reveal, radar figure, dot-plot figure, report Markdown, exported file paths)."""
    result = store.reveal(token)
    paths = view.export_reveal(knowledge, result, export_dir())
    return (result, view.radar_figure(result), view.dots_figure(result),
            view.reveal_markdown(knowledge, result), [str(paths["md"]), str(paths["png"]), str(paths["csv"])])


# ----------------------------------------------------------------------------------- API

def _trainer_of(store, code: str, token: str) -> None:
    """The token must be the trainer's of exactly this session."""
    try:
        own_code = store.join_code(token)
    except lk.NotTrainer:
        raise lk.NotTrainer(lk.MSG_NOT_TRAINER) from None
    if not hmac.compare_digest(own_code.encode(), str(code or "").encode()):
        raise lk.NotTrainer(lk.MSG_NOT_TRAINER)


def _mapping(value, what: str) -> dict:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise InputError(f"De {what} moeten een JSON-object zijn, zoals {{\"opgave\": 4}}.") from None
    if not isinstance(value, dict):
        raise InputError(f"De {what} moeten een JSON-object zijn, zoals {{\"opgave\": 4}}.")
    return value


def api_start(store, settings, title, compare_csv=None, request=None) -> dict:
    session, _, url = _open_session(store, settings, title, compare_csv, None, request, "nl")
    return {"code": session.code, "join_url": url, "trainer_token": session.trainer_token,
            "short_code": session.short_code, "state": lk.STATE_OPEN}


def api_submit(store, code, name, scores, remarks=None, participant=None) -> dict:
    """``participant`` is the value an earlier call returned (to change that answer); empty, or
    anything this server did not issue, means a new participant (a caller cannot pick an id)."""
    token = participant if store.participant(participant) else store.issue_participant()
    result = store.submit(code, store.participant(token), name or None, _mapping(scores, "scores"),
                          _mapping(remarks, "opmerkingen"))
    return {"ok": True, "created": result.created, "count": result.count, "participant": token}


def api_status(store, code, token) -> dict:
    _trainer_of(store, code, token)
    return store.status(token).to_dict()


def api_reveal(store, knowledge, code, token) -> dict:
    _trainer_of(store, code, token)
    result, _, _, _, files = reveal_session(store, knowledge, token)
    out = result.to_dict()
    out["report"] = files[0]
    out["files"] = files
    return out


# ----------------------------------------------------------------------------------- layout

CSS = """
.lk-join{display:flex;gap:24px;align-items:center;flex-wrap:wrap;background:#fff;border-radius:10px;padding:12px}
.lk-text{flex:1 1 320px;min-width:0}
.lk-qr svg{width:240px;height:240px;max-width:70vw;max-height:70vw}
.lk-url{font-size:1.15em;word-break:break-all}.lk-short{font-size:1.6em;font-weight:700;letter-spacing:.08em}
.lk-warn{color:#9a3412;font-weight:600}
.lk-code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-variant:normal;white-space:nowrap}
#lk-stage:fullscreen{background:#fff;padding:2vh 3vw;overflow:auto;justify-content:center}
#lk-stage:fullscreen .lk-join{flex-wrap:nowrap;justify-content:center;gap:4vw}
#lk-stage:fullscreen .lk-qr svg{width:70vh;height:70vh;max-width:60vw;max-height:70vh}
#lk-stage:fullscreen .lk-short{font-size:2.6vh}
#lk-stage:fullscreen .lk-code{display:block;font-size:min(9vh,5.5vw);letter-spacing:.05em}
#lk-stage:fullscreen .lk-url{font-size:2.4vh}
#lk-stage:fullscreen #lk-count{font-size:3vh}
"""

FULLSCREEN_JS = ("() => { const stage = document.querySelector('#lk-stage');"
                 " if (!window.lkEscape) { window.lkEscape = true; document.addEventListener('keydown', (e) => {"
                 " if (e.key === 'Escape' && document.fullscreenElement) { document.exitFullscreen(); } }); }"
                 " if (document.fullscreenElement) { document.exitFullscreen(); }"
                 " else if (stage && stage.requestFullscreen) { stage.requestFullscreen(); } }")


def token_state(secret: str):
    """The trainer token in the trainer's browser. Made outside the tabs: a component inside a tab
    that is not open yet is not mounted, and would not read the browser's storage on page load."""
    import gradio as gr
    return gr.BrowserState("", storage_key="mozaiekcoach-leerkring", secret=secret)


def build(knowledge, labels: Labels, token) -> SimpleNamespace:
    import gradio as gr
    ui = SimpleNamespace()
    ui.token = token
    labels.make(gr.Markdown, {"value": "lk_intro"})
    with gr.Group(visible=True) as ui.setup:
        ui.title = labels.make(gr.Textbox, {"label": "lk_title", "placeholder": "lk_title_ph"}, max_length=80,
                               elem_id="lk-title")
        with gr.Row():
            ui.compare_file = labels.make(gr.File, {"label": "lk_compare_file"}, file_types=[".csv"],
                                          elem_id="lk-compare-file")
            ui.compare_session = labels.make(gr.Dropdown, {"label": "lk_compare_session"}, choices=[], value=None,
                                             elem_id="lk-compare-session")
        ui.start = labels.make(gr.Button, {"value": "lk_start"}, variant="primary", elem_id="lk-start")
    with gr.Column(visible=False) as ui.live:
        with gr.Column(elem_id="lk-stage"):  # what the projector shows full screen: QR code, short code, count
            ui.join = gr.HTML(elem_id="lk-join")
            ui.count = gr.Markdown(elem_id="lk-count")
        ui.fullscreen = labels.make(gr.Button, {"value": "lk_fullscreen"}, size="sm", elem_id="lk-fullscreen")
        ui.revealed = gr.State(False)  # the trainer has shown the result on this page
        with gr.Row():
            ui.reveal = labels.make(gr.Button, {"value": "lk_reveal"}, variant="primary", elem_id="lk-reveal")
            ui.close = labels.make(gr.Button, {"value": "lk_close"}, elem_id="lk-close")
            ui.new = labels.make(gr.Button, {"value": "lk_new"}, size="sm", elem_id="lk-new")
        with gr.Row():
            ui.radar = labels.make(gr.Plot, {"label": "lk_radar"}, visible=False, elem_id="lk-radar")
            ui.dots = labels.make(gr.Plot, {"label": "lk_dots"}, visible=False, elem_id="lk-dots")
        ui.report = gr.Markdown(elem_id="lk-report")
        ui.to_prep = labels.make(gr.Button, {"value": "lk_to_prep"}, visible=False, elem_id="lk-to-prep")
        ui.files = labels.make(gr.File, {"label": "lk_files"}, file_count="multiple", visible=False,
                               elem_id="lk-files")
    ui.timer = gr.Timer(POLL_SECONDS, active=False)
    # API-only inputs and output, for scripts (gradio_client); hidden in the page. The labels are
    # the endpoints' parameter names.
    with gr.Row(visible=False):
        ui.api_in = {name: gr.Textbox(label=name) for name in API_PARAMS}
        ui.api_out = gr.JSON()
        ui.api_buttons = {name: gr.Button(name) for name in API_ENDPOINTS}
    return ui


def wire(ui: SimpleNamespace, holder, store, lang) -> None:
    import gradio as gr
    private = {"api_visibility": "private"}
    knowledge, settings = holder.knowledge, holder.settings
    hidden_results = (gr.update(visible=False), gr.update(visible=False), "", gr.update(visible=False),
                      gr.update(value=None, visible=False))

    def live(token, html, count):
        return (token, gr.update(visible=False), gr.update(visible=True), html, count, gr.Timer(active=True),
                *hidden_results)

    outputs = [ui.token, ui.setup, ui.live, ui.join, ui.count, ui.timer, ui.radar, ui.dots, ui.report, ui.to_prep,
               ui.files]

    def on_start(title, file, earlier, lang_value, request: gr.Request):
        lang_value = lang_code(lang_value)
        try:
            token, html, _, count = start_session(store, settings, title, read_csv_file(file), earlier, request,
                                                  lang_value)
        except CoachError as err:
            _fail(err, lang_value)
        return live(token, html, count)

    ui.start.click(on_start, [ui.title, ui.compare_file, ui.compare_session, lang], outputs, **private)

    def on_load(token, lang_value, request: gr.Request):
        lang_value = lang_code(lang_value)
        choices = gr.update(choices=earlier_choices(store), value=None)
        found = restore(store, settings, token, request, lang_value)
        if found is None:
            return ("", gr.update(visible=True), gr.update(visible=False), "", "", gr.Timer(active=False),
                    *hidden_results, choices)
        return (*live(token, *found), choices)

    ui.load = (on_load, [ui.token, lang], [*outputs, ui.compare_session])

    def on_tick(token, lang_value, revealed):
        try:
            return count_text(store.status(token), lang_code(lang_value), bool(revealed)), gr.Timer(active=True)
        except CoachError:
            return gr.skip(), gr.Timer(active=False)

    # The count is one SQLite query: it gets its own queue lane instead of waiting behind the
    # coach's answers (with 5 people chatting the trainer's count lagged up to 5 s before).
    ui.timer.tick(on_tick, [ui.token, lang, ui.revealed], [ui.count, ui.timer], concurrency_id="leerkring-status",
                  concurrency_limit=None, **private)

    def on_close(token, lang_value, revealed):
        lang_value = lang_code(lang_value)
        try:
            return count_text(store.close(token), lang_value, bool(revealed))
        except CoachError as err:
            _fail(err, lang_value)

    ui.close.click(on_close, [ui.token, lang, ui.revealed], [ui.count], **private)

    def on_reveal(token, lang_value):
        lang_value = lang_code(lang_value)
        try:
            _, radar, dots, report, files = reveal_session(store, knowledge, token)
        except CoachError as err:
            _fail(err, lang_value)
        return (gr.update(value=radar, visible=True), gr.update(value=dots, visible=True), report,
                gr.update(visible=True), gr.update(value=files, visible=True), True,
                count_text(store.status(token), lang_value, revealed=True))

    ui.reveal.click(on_reveal, [ui.token, lang], [ui.radar, ui.dots, ui.report, ui.to_prep, ui.files, ui.revealed,
                                                  ui.count], **private)

    # Full screen for the projector (the browser's own full screen: Esc leaves it)
    ui.fullscreen.click(None, None, None, js=FULLSCREEN_JS, **private)

    def on_new():
        return ("", gr.update(visible=True), gr.update(visible=False), "", "", gr.Timer(active=False),
                *hidden_results, gr.update(choices=earlier_choices(store), value=None), False)

    ui.new.click(on_new, None, [*outputs, ui.compare_session, ui.revealed], **private)

    # ---- named endpoints for scripts: JSON out, a Dutch gr.Error on bad input
    def guarded(fn):
        def run(*args):
            try:
                return fn(*args)
            except CoachError as err:  # an expected user error: one log line, no traceback
                log.info("Leerkring-API %s geweigerd: %s: %s", fn.__name__, type(err).__name__, err)
                raise gr.Error(str(err), print_exception=False) from None
        return run

    def leerkring_start(title, compare_csv, request: gr.Request):
        return guarded(api_start)(store, settings, title, compare_csv or None, request)

    def leerkring_submit(code, name, scores, remarks=None, participant=None):
        # remarks and participant are optional for scripts (the documented call has four arguments;
        # no participant id means a new participant)
        return guarded(api_submit)(store, code, name, scores, remarks or None, participant or None)

    def leerkring_status(code, trainer_token):
        return guarded(api_status)(store, code, trainer_token)

    def leerkring_reveal(code, trainer_token):
        return guarded(api_reveal)(store, knowledge, code, trainer_token)

    handlers = {"leerkring_start": leerkring_start, "leerkring_submit": leerkring_submit,
                "leerkring_status": leerkring_status, "leerkring_reveal": leerkring_reveal}
    for name, params in API_ENDPOINTS.items():
        lane = {"concurrency_id": "leerkring-status", "concurrency_limit": None} if name == "leerkring_status" else {}
        ui.api_buttons[name].click(handlers[name], [ui.api_in[p] for p in params], ui.api_out, api_name=name, **lane)

def prep_request(store, knowledge, token: str) -> tuple[str, str, list[str]]:
    """(purpose, situation, focus keys) for the prep sheet on the revealed result."""
    return view.prep_request(knowledge, store.reveal(token))
