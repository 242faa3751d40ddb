"""The trainer's part of the Leerkring tab: start a live session, show the join link and QR code,
watch the count rise (never the scores), reveal the group result, close, export, and hand the
outcome to "Overleg voorbereiden". Also the named API endpoints ``leerkring_start``,
``leerkring_submit``, ``leerkring_status`` and ``leerkring_reveal`` (JSON in and out).

The trainer token never reaches the browser. The page acts as ``lk.Trainer(login, session id)``:
the login is Gradio's ``request.username`` (checked by Gradio on every event), the session id
sits in a ``gr.State`` (kept on the server), and the store accepts it only for the login's own
sessions. After a reload or a restart the page finds its circle again by the login: the store
keeps each trainer's current circle. Without a login (the app then listens on this computer
only, see app.py) everyone who can open the page sits at this computer: one trainer, "".
Only scripts get the token, from ``leerkring_start``; the database keeps its hash.

Reveal reports hold participants' remarks: they are written 0600 in a private folder (0700)
inside Gradio's own file folder, so Gradio serves them without making a world-readable copy;
a trainer's next export, "Nieuwe leerkring" and the app's exit remove them (``ReportFolders``).

No ``from __future__ import annotations`` here: Gradio recognises the ``gr.Request`` parameter
of a handler by its evaluated annotation.
"""
import atexit
import dataclasses
import hmac
import html as html_mod
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from ...leerkring import store as lk
from ...leerkring import view
from ...errors import CoachError, InputError
from ...strings import ui_text
from ..common import EXPORT_MAX_AGE_S, Labels, lang_code, user_error

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
MAX_CSV_BYTES = 1_000_000
API_ENDPOINTS = {"leerkring_start": ("title", "compare_csv"),
                 "leerkring_submit": ("code", "name", "scores", "remarks", "participant"),
                 "leerkring_status": ("code", "trainer_token"),
                 "leerkring_reveal": ("code", "trainer_token"),
                 "leerkring_drop": ("code", "trainer_token", "which")}
API_PARAMS = tuple(dict.fromkeys(p for params in API_ENDPOINTS.values() for p in params))
REPORT_PREFIX = "mozaiekcoach-leerkring-"

log = logging.getLogger(__name__)


def owner_of(request) -> str:
    """The trainer: the login name (``COACH_AUTH``), or "" when the app has no login."""
    name = getattr(request, "username", None)
    return name if isinstance(name, str) else ""


def adopt_legacy(store: lk.LeerkringStore, settings) -> None:
    """Circles from before owners were recorded go to the one trainer there is (no login, or a
    single ``COACH_AUTH`` account); with several accounts nobody can tell whose they were, so
    they stay unlisted (a script with the token still reaches them)."""
    accounts = [user for user, _ in (getattr(settings, "auth", ()) or ())]
    if len(accounts) <= 1:
        adopted = store.adopt(accounts[0] if accounts else "")
        if adopted:
            log.info("Leerkring: %d eerdere leerkringen toegewezen aan de enige trainer", adopted)


class ReportFolders:
    """Private folders for the reveal exports, one per trainer at a time.

    ``root`` defaults to Gradio's upload folder (``GRADIO_TEMP_DIR``): a file there is served
    as it is, so no copy of the report lands in Gradio's cache with its usual mode 644.
    """

    def __init__(self, root: Path | None = None):
        self._parent = root
        self._root: Path | None = None
        self._current: dict[str, Path] = {}
        self._lock = threading.Lock()

    def _base(self) -> Path:
        if self._root is None:
            if self._parent is None:
                from gradio.utils import get_upload_folder
                self._parent = Path(get_upload_folder())
            parent = Path(self._parent)
            parent.mkdir(parents=True, exist_ok=True)
            sweep_reports(parent)
            self._root = Path(tempfile.mkdtemp(prefix=REPORT_PREFIX, dir=parent))  # mode 0700
            atexit.register(self.remove_all)
        return self._root

    def fresh(self, owner: str) -> Path:
        """A new private folder for ``owner``'s export; their previous export is removed."""
        with self._lock:
            self._drop(owner)
            folder = Path(tempfile.mkdtemp(dir=self._base()))
            self._current[owner] = folder
            return folder

    def _drop(self, owner: str) -> None:
        old = self._current.pop(owner, None)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def drop(self, owner: str) -> None:
        """Remove ``owner``'s export (e.g. when they start a new circle)."""
        with self._lock:
            self._drop(owner)

    def remove_all(self) -> None:
        """Remove every export of this app (at exit)."""
        with self._lock:
            self._current.clear()
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
                self._root = None


def sweep_reports(parent: Path, max_age: float = EXPORT_MAX_AGE_S) -> None:
    """Remove report folders an app left behind when it was killed (older than ``max_age``)."""
    cutoff = time.time() - max_age
    for old in parent.glob(REPORT_PREFIX + "*"):
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


REPORTS = ReportFolders()


def _fail(err: Exception, lang: str):
    import gradio as gr
    raise user_error(str(err), ui_text("lk_error_title", lang)) from None


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
    url = view.join_url(base, code) + ("?lang=en" if lang == "en" else "")  # phones open in the trainer's language
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


def too_few_text(count: int, lang: str = "nl") -> str:
    """Why the result stays hidden, in ``lang``."""
    people = ui_text("lk_people_one" if count == 1 else "lk_people_many", lang)
    said = ui_text("lkr_too_few_none", lang) if count == 0 else ui_text("lkr_too_few", lang, n=count, people=people)
    return f"{said} {ui_text('lkr_too_few_why', lang, min=lk.MIN_REVEAL)}"


def trainer_error(store, err: CoachError, trainer, lang: str) -> str:
    """The message for the trainer's page in the page's language."""
    if isinstance(err, lk.TooFewSubmissions):
        try:
            return too_few_text(store.status(trainer).count, lang)
        except CoachError:
            pass
    if isinstance(err, (lk.NotTrainer, lk.SessionNotFound)):
        return ui_text("lkr_not_yours", lang)
    return str(err)


def earlier_choices(store: lk.LeerkringStore, owner: str, exclude: str | None = None) -> list[tuple[str, str]]:
    """This trainer's earlier sessions that can serve as a comparison (enough submissions), newest
    first; another trainer's sessions are never listed."""
    out = []
    for s in store.sessions(owner=owner):
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
    """(session id, join panel HTML, join URL, count text) for a new session of the page's
    trainer; it becomes their current session. The token stays in the store."""
    owner = owner_of(request)
    session = store.start(title, compare_csv or None, compare_session or None, owner=owner, current=True)
    html, url = join_panel(settings, session.code, session.short_code, request, lang)
    return session.id, html, url, count_text(lk.Status(0, lk.STATE_OPEN), lang)


def restore(store, settings, request=None, lang: str = "nl") -> tuple[str, str, str] | None:
    """(session id, join panel HTML, count text) of the trainer's current session (by their
    login), or None when there is none."""
    owner = owner_of(request)
    info = store.current(owner)
    if info is None:
        return None
    trainer = lk.Trainer(owner, info.id)
    try:
        code = store.join_code(trainer)
    except (lk.NotTrainer, lk.SessionNotFound):
        return None
    html, _ = join_panel(settings, code, info.short_code, request, lang)
    return info.id, html, count_text(store.status(trainer), lang, info.revealed)


def reveal_session(store, knowledge, trainer, lang: str = "nl", owner: str = ""):
    """(reveal, radar figure, dot-plot figure, report Markdown, exported file paths); the files in
    ``owner``'s private report folder, replacing their previous export."""
    result = store.reveal(trainer)
    paths = export_private(knowledge, result, owner, lang)
    return (result, view.radar_figure(result, lang=lang), view.dots_figure(result, lang=lang),
            view.reveal_markdown(knowledge, result, lang=lang), [str(paths["md"]), str(paths["png"]), str(paths["csv"])])


def export_private(knowledge, result, owner: str, lang: str = "nl", folders: ReportFolders | None = None) -> dict:
    """The exports of a reveal, readable by this app's user only (0600 in a 0700 folder)."""
    folder = (folders or REPORTS).fresh(owner)
    paths = view.export_reveal(knowledge, result, folder, lang=lang)
    for path in paths.values():
        os.chmod(path, 0o600)
    return paths


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
    """A new session for a script (owned by its login; not shown on the trainer's page)."""
    session = store.start(title, compare_csv or None, None, owner=owner_of(request))
    _, url = join_panel(settings, session.code, session.short_code, request, "nl")
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


def api_reveal(store, knowledge, code, token, request=None) -> dict:
    _trainer_of(store, code, token)
    result, _, _, _, files = reveal_session(store, knowledge, token, "nl", owner_of(request))
    out = result.to_dict()
    out["report"] = files[0]
    out["files"] = files
    return out


def api_drop(store, code, token, which) -> dict:
    """Remove one answer: ``which`` is its number in the trainer's list or its ``ref``; without
    ``which``, only the list (number, ref, name, times; never scores)."""
    _trainer_of(store, code, token)
    which = str(which or "").strip()
    if which:
        store.drop(token, int(which) if which.isdigit() else which)
    listed = [dataclasses.asdict(row) for row in store.submissions(token)]
    return {**store.status(token).to_dict(), "answers": listed}


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


def build(knowledge, labels: Labels) -> SimpleNamespace:
    import gradio as gr
    ui = SimpleNamespace()
    ui.circle = gr.State("")  # the id of the session this page shows; kept on the server
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
        ui.report = gr.HTML(elem_id="lk-report")  # rendered here: participants' text stays text
        ui.to_prep = labels.make(gr.Button, {"value": "lk_to_prep"}, visible=False, elem_id="lk-to-prep")
        with labels.make(gr.Accordion, {"label": "lk_drop_title"}, open=False, elem_id="lk-drop"):
            labels.make(gr.Markdown, {"value": "lk_drop_info"})
            with gr.Row():
                ui.drop_list = labels.make(gr.Button, {"value": "lk_drop_list"}, size="sm", elem_id="lk-drop-list")
                ui.drop_pick = labels.make(gr.Dropdown, {"label": "lk_drop_pick"}, choices=[], value=None,
                                           elem_id="lk-drop-pick")
                ui.drop = labels.make(gr.Button, {"value": "lk_drop_button"}, variant="stop", size="sm",
                                      elem_id="lk-drop-button")
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
    adopt_legacy(store, settings)
    hidden_results = (gr.update(visible=False), gr.update(visible=False), "", gr.update(visible=False),
                      gr.update(value=None, visible=False))

    def live(circle, html, count):
        return (circle, gr.update(visible=False), gr.update(visible=True), html, count, gr.Timer(active=True),
                *hidden_results)

    outputs = [ui.circle, ui.setup, ui.live, ui.join, ui.count, ui.timer, ui.radar, ui.dots, ui.report, ui.to_prep,
               ui.files]

    def trainer(circle, request) -> lk.Trainer:
        return lk.Trainer(owner_of(request), circle or "")

    def on_start(title, file, earlier, lang_value, request: gr.Request):
        lang_value = lang_code(lang_value)
        try:
            circle, html, _, count = start_session(store, settings, title, read_csv_file(file), earlier, request,
                                                   lang_value)
        except CoachError as err:
            _fail(err, lang_value)
        return live(circle, html, count)

    ui.start.click(on_start, [ui.title, ui.compare_file, ui.compare_session, lang], outputs, **private)

    def on_load(lang_value, request: gr.Request):
        lang_value = lang_code(lang_value)
        choices = gr.update(choices=earlier_choices(store, owner_of(request)), value=None)
        found = restore(store, settings, request, lang_value)
        if found is None:
            return ("", gr.update(visible=True), gr.update(visible=False), "", "", gr.Timer(active=False),
                    *hidden_results, choices)
        return (*live(*found), choices)

    ui.load = (on_load, [lang], [*outputs, ui.compare_session])

    def on_tick(circle, lang_value, revealed, request: gr.Request):
        try:
            return (count_text(store.status(trainer(circle, request)), lang_code(lang_value), bool(revealed)),
                    gr.Timer(active=True))
        except CoachError:
            return gr.skip(), gr.Timer(active=False)

    # The count is one SQLite query: it gets its own queue lane instead of waiting behind the
    # coach's answers (with 5 people chatting the trainer's count lagged up to 5 s before).
    ui.timer.tick(on_tick, [ui.circle, lang, ui.revealed], [ui.count, ui.timer], concurrency_id="leerkring-status",
                  concurrency_limit=None, **private)

    def on_close(circle, lang_value, revealed, request: gr.Request):
        lang_value = lang_code(lang_value)
        who = trainer(circle, request)
        try:
            return count_text(store.close(who), lang_value, bool(revealed))
        except CoachError as err:
            _fail(InputError(trainer_error(store, err, who, lang_value)), lang_value)

    ui.close.click(on_close, [ui.circle, lang, ui.revealed], [ui.count], **private)

    def on_reveal(circle, lang_value, request: gr.Request):
        lang_value = lang_code(lang_value)
        who = trainer(circle, request)
        try:
            _, radar, dots, report, files = reveal_session(store, knowledge, who, lang_value, who.owner)
        except CoachError as err:
            _fail(InputError(trainer_error(store, err, who, lang_value)), lang_value)
        return (gr.update(value=radar, visible=True), gr.update(value=dots, visible=True), view.report_html(report),
                gr.update(visible=True), gr.update(value=files, visible=True), True,
                count_text(store.status(who), lang_value, revealed=True))

    ui.reveal.click(on_reveal, [ui.circle, lang], [ui.radar, ui.dots, ui.report, ui.to_prep, ui.files, ui.revealed,
                                                   ui.count], **private)

    def on_language(circle, lang_value, revealed, request: gr.Request):
        # the join link (and its QR code) carries the language phones open in: follow the switch
        found = restore(store, settings, request, lang_code(lang_value)) if circle else None
        if found is None or found[0] != circle:
            return gr.skip(), gr.skip()
        return found[1], count_text(store.status(trainer(circle, request)), lang_code(lang_value), bool(revealed))

    lang.change(on_language, [ui.circle, lang, ui.revealed], [ui.join, ui.count], **private)

    # Full screen for the projector (the browser's own full screen: Esc leaves it)
    ui.fullscreen.click(None, None, None, js=FULLSCREEN_JS, **private)

    def on_new(request: gr.Request):
        owner = owner_of(request)
        store.forget_current(owner)  # a reload now shows the start form, not the old circle
        REPORTS.drop(owner)
        return ("", gr.update(visible=True), gr.update(visible=False), "", "", gr.Timer(active=False),
                *hidden_results, gr.update(choices=earlier_choices(store, owner), value=None), False)

    ui.new.click(on_new, None, [*outputs, ui.compare_session, ui.revealed], **private)

    # ---- remove one answer that does not belong (the list: number, name, time; never scores)
    def answer_choices(who: lk.Trainer, lang_value: str) -> list[tuple[str, str]]:
        return [(f"{row.number} · {row.name or ui_text('lk_no_name', lang_value)} · "
                 f"{time.strftime('%H:%M:%S', time.localtime(row.created_at))}", row.ref)
                for row in store.submissions(who)]

    def on_drop_list(circle, lang_value, request: gr.Request):
        lang_value = lang_code(lang_value)
        who = trainer(circle, request)
        try:
            return gr.update(choices=answer_choices(who, lang_value), value=None)
        except CoachError as err:
            _fail(InputError(trainer_error(store, err, who, lang_value)), lang_value)

    ui.drop_list.click(on_drop_list, [ui.circle, lang], [ui.drop_pick], **private)

    def on_drop(circle, ref, lang_value, revealed, request: gr.Request):
        lang_value = lang_code(lang_value)
        who = trainer(circle, request)
        if not ref:
            _fail(InputError(ui_text("lk_drop_none", lang_value)), lang_value)
        number = next((label.split(" · ")[0] for label, value in answer_choices(who, lang_value) if value == ref), "")
        try:
            status = store.drop(who, ref)
        except CoachError as err:
            _fail(InputError(trainer_error(store, err, who, lang_value)), lang_value)
        gr.Info(ui_text("lk_drop_done", lang_value, number=number))
        return (gr.update(choices=answer_choices(who, lang_value), value=None),
                count_text(status, lang_value, bool(revealed)))

    ui.drop.click(on_drop, [ui.circle, ui.drop_pick, lang, ui.revealed], [ui.drop_pick, ui.count], **private)

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

    def leerkring_reveal(code, trainer_token, request: gr.Request):
        return guarded(api_reveal)(store, knowledge, code, trainer_token, request)

    def leerkring_drop(code, trainer_token, which):
        return guarded(api_drop)(store, code, trainer_token, which)

    handlers = {"leerkring_start": leerkring_start, "leerkring_submit": leerkring_submit,
                "leerkring_status": leerkring_status, "leerkring_reveal": leerkring_reveal,
                "leerkring_drop": leerkring_drop}
    for name, params in API_ENDPOINTS.items():
        lane = {"concurrency_id": "leerkring-status", "concurrency_limit": None} if name == "leerkring_status" else {}
        ui.api_buttons[name].click(handlers[name], [ui.api_in[p] for p in params], ui.api_out, api_name=name, **lane)


def prep_request(store, knowledge, circle: str, request=None, lang: str = "nl") -> tuple[str, str, list[str]]:
    """(purpose, situation, focus keys) for the prep sheet on the revealed result of the page's
    circle (its trainer's only), in the trainer's language."""
    return view.prep_request(knowledge, store.reveal(lk.Trainer(owner_of(request), circle or "")), lang)


def prep_handler(store, knowledge, make_sheet):
    """The "Overleg voorbereiden" button's handler: the page's circle (its trainer's only) →
    ``make_sheet(purpose, situation, keys, lang)``. Made here, where Gradio can see the
    ``gr.Request`` annotation."""
    import gradio as gr

    def to_prep(circle, lang_value, request: gr.Request):
        lang_value = lang_code(lang_value)
        try:
            purpose, situation, keys = prep_request(store, knowledge, circle, request, lang_value)
        except CoachError as err:
            who = lk.Trainer(owner_of(request), circle or "")
            _fail(InputError(trainer_error(store, err, who, lang_value)), lang_value)
        return make_sheet(purpose, situation, keys, lang_value)

    return to_prep
