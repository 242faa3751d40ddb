"""The participant's page of a live learning circle: ``/leerkring/<code>``, made for a phone.

Plain HTML with a form (no Gradio, no login): it loads fast on a phone, works without
JavaScript, and a room full of phones does not queue behind the coach's answers. The join code
in the address is the credential. The device keeps a participant id that the server issued and
signed, in a cookie (HttpOnly, SameSite=Strict) that only this path receives; a cookie the server
did not sign is ignored, and every saved answer gives the device a new id. With it the page shows
(only) this device's own answer, which can be changed until the trainer closes the session.
Everything a participant typed is shown back as text, never as markup.

A refused submission (bad form, unknown or closed circle, a limit, a mistake in the answer) gets a
page in the participant's language and one line in the log, never a traceback.
"""
from __future__ import annotations

import html
import json
import logging
import secrets
from urllib.parse import parse_qs

from ..errors import CoachError
from ..leerkring.store import (
    DEFAULT_RETENTION_DAYS,
    STATE_CLOSED,
    Busy,
    LeerkringStore,
    SessionClosed,
    SessionNotFound,
)
from ..leerkring.view import JOIN_PATH
from ..knowledge.mozaiek import BLOCK_KEYS, BLOCK_NAMES
from ..leerkring.scan import NAME_MAX, REMARK_MAX, SCORE_MAX, SCORE_MIN
from ..strings import ui_text

log = logging.getLogger(__name__)

COOKIE = "mzk_deelnemer"
MAX_BODY = 64_000  # seven scores, seven remarks of 500 characters and a name fit many times over
MAX_FIELDS = 40  # the form has 15 fields; a post with more is refused as a whole


class BadForm(ValueError):
    """The posted body has more fields than the form this page sends."""

_CSS = """
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;
color:#1f2328;background:#f7f5f0;line-height:1.45}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.45rem;margin:.4rem 0}.code{color:#52525b;margin:0 0 .6rem}
.lang{float:right;font-size:.95rem}a{color:#9a3412}
.msg{padding:.75rem 1rem;border-radius:8px;margin:.8rem 0;border:2px solid}
.ok{background:#ecfdf3;border-color:#166534}.err{background:#fef2f2;border-color:#b91c1c}
.info{background:#fff;border-color:#a1a1aa}
fieldset{border:0;background:#fff;border-radius:10px;margin:0 0 .8rem;padding:.8rem;
box-shadow:0 1px 2px rgba(0,0,0,.12)}
legend{float:left;width:100%;padding:0;margin-bottom:.4rem}
legend .name{display:block;font-weight:700;font-size:1.1rem}legend .zorg{display:block;color:#3f3f46}
.scale{display:grid;grid-template-columns:repeat(5,1fr);gap:.4rem;clear:both}
.scale label{display:block}
.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale span{display:flex;align-items:center;justify-content:center;min-height:3rem;border:2px solid #71717a;
border-radius:8px;font-size:1.2rem;font-weight:600;background:#fff;cursor:pointer}
.scale input:checked+span{background:#c2410c;border-color:#c2410c;color:#fff}
.scale input:focus-visible+span{outline:3px solid #1f4e89;outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:.9rem;color:#52525b;margin:.3rem 0 0}
details{margin-top:.5rem}summary{cursor:pointer;color:#9a3412;padding:.3rem 0}
textarea,input[type=text]{width:100%;font:inherit;padding:.55rem;border:2px solid #71717a;border-radius:8px}
textarea{min-height:4.5rem}
.name-field{background:#fff;border-radius:10px;padding:.8rem;margin:0 0 .8rem}
label.plain{display:block;font-weight:600;margin-bottom:.3rem}
.hint{color:#52525b;font-size:.92rem;margin:.2rem 0 0}
button{width:100%;font:inherit;font-size:1.15rem;font-weight:700;padding:.9rem;border:0;border-radius:10px;
background:#c2410c;color:#fff;cursor:pointer}
button[disabled]{background:#a1a1aa;color:#1f2328;cursor:not-allowed}
#left{text-align:center;color:#3f3f46;margin:.5rem 0}
footer{font-size:.85rem;color:#52525b;margin:1.5rem 0}
"""

# Submit stays disabled until every block has a score; without JavaScript the ``required``
# radios do the same check in the browser, and the server checks again.
_SCRIPT = """
(function(){var f=document.getElementById('scan');if(!f)return;var b=f.querySelector('button');
var left=document.getElementById('left');var keys=%s;var one=%s,many=%s,done=%s;
function update(){var n=0;keys.forEach(function(k){if(!f.querySelector('input[name="score-'+k+'"]:checked'))n++;});
b.disabled=n>0;left.textContent=n===0?done:(n===1?one:many.replace('{n}',n));}
f.addEventListener('change',update);update();})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def page_lang(query: str | None) -> str:
    return "en" if query == "en" else "nl"


def render_page(knowledge, *, code: str, title: str, short_code: str, state: str, lang: str,
                values: dict | None = None, message: tuple[str, str] | None = None,
                nonce: str = "", days: float = DEFAULT_RETENTION_DAYS) -> str:
    """The whole page. ``values`` fills the form (the participant's own answer, or what they
    just sent when it had a mistake); ``message`` is (kind, text) with kind ok|err|info."""
    t = lambda key, **kw: ui_text(key, lang, **kw)
    values = values or {}
    scores = values.get("scores") or {}
    remarks = values.get("remarks") or {}
    closed = state == STATE_CLOSED
    other = "en" if lang == "nl" else "nl"
    parts = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width,initial-scale=1">',
             '<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">',
             f"<title>{_e(t('join_page_title', title=title))}</title>",
             f'<style nonce="{nonce}">{_CSS}</style></head><body><main>',
             f'<a class="lang" href="?lang={other}" lang="{other}">{_e(ui_text("join_other_lang", other))}</a>',
             f"<h1>{_e(title)}</h1>",
             f'<p class="code">{_e(t("join_session", code=short_code))}</p>']
    if message:
        kind, text = message
        role = "alert" if kind == "err" else "status"
        parts.append(f'<div class="msg {kind}" role="{role}">{_e(text)}</div>')
    if closed:
        parts.append(f'<div class="msg info" role="status">{_e(t("join_closed"))}</div>')
        parts.append("</main></body></html>")
        return "".join(parts)
    parts.append(f"<p>{_e(t('join_intro'))}</p>")
    parts.append(f'<form id="scan" method="post" action="{JOIN_PATH}{_e(code)}?lang={lang}" '
                 'accept-charset="utf-8">')
    parts.append('<div class="name-field"><label class="plain" for="name">'
                 f'{_e(t("join_name"))}</label>'
                 f'<input type="text" id="name" name="name" maxlength="{NAME_MAX}" autocomplete="off" '
                 f'value="{_e(values.get("name") or "")}" aria-describedby="name-hint">'
                 f'<p class="hint" id="name-hint">{_e(t("join_name_hint"))}</p></div>')
    known = {b.key: b for b in knowledge.blocks}
    for key in BLOCK_KEYS:  # all seven, also when an edition of the text lacks one: a score needs all
        block = known.get(key)
        name = block.name if block else BLOCK_NAMES[key]
        zorg = block.tagline if block else ""
        parts.append(f'<fieldset id="block-{key}"><legend><span class="name">{_e(name)}</span>'
                     + (f'<span class="zorg">{_e(zorg)}</span>' if zorg else "") + "</legend>"
                     + '<div class="scale">')
        for value in range(SCORE_MIN, SCORE_MAX + 1):
            checked = " checked" if str(scores.get(key, "")) == str(value) else ""
            parts.append(f'<label><input type="radio" name="score-{key}" value="{value}" required{checked}>'
                         f'<span>{value}</span></label>')
        parts.append(f'</div><p class="ends" aria-hidden="true"><span>{_e(t("join_low"))}</span>'
                     f'<span>{_e(t("join_high"))}</span></p>')
        remark = remarks.get(key) or ""
        parts.append(f'<details{" open" if remark else ""}><summary>{_e(t("join_remark"))}</summary>'
                     f'<label class="plain" for="remark-{key}">{_e(t("join_remark_label", name=name))}</label>'
                     f'<textarea id="remark-{key}" name="remark-{key}" maxlength="{REMARK_MAX}">{_e(remark)}</textarea>'
                     "</details></fieldset>")
    parts.append(f'<p id="left" aria-live="polite">{_e(t("join_scale_hint"))}</p>')
    parts.append(f'<button type="submit">{_e(t("join_send" if not values.get("sent") else "join_change"))}</button>')
    privacy = t("join_privacy", days=f"{days:g}")
    parts.append(f"</form><footer>{_e(privacy)}</footer></main>")
    script = _SCRIPT % tuple(map(_json, (list(BLOCK_KEYS), t("join_left_one"),
                                         t("join_left_many"), t("join_left_none"))))
    parts.append(f'<script nonce="{nonce}">{script}</script></body></html>')
    return "".join(parts)


def _json(value) -> str:
    # safe inside <script>: no "</" can close the element
    return json.dumps(value).replace("</", "<\\/")


def not_found_page(lang: str, message: str) -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{_e(ui_text('join_title_plain', lang))}</title>"
            '<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}</style>'
            f"</head><body><main><h1>{_e(ui_text('join_title_plain', lang))}</h1>"
            f'<p role="alert">{_e(message)}</p></main></body></html>')


def error_text(err: CoachError, lang: str) -> str:
    """The store's Dutch message, or its English text for the common cases."""
    from ..leerkring.store import RateLimited, SessionClosed
    if lang == "en":
        for cls, key in ((SessionClosed, "join_closed"), (Busy, "join_busy"), (RateLimited, "join_rate")):
            if isinstance(err, cls):
                return ui_text(key, lang)
    return str(err)


def parse_form(body: bytes) -> tuple[str, dict[str, str], dict[str, str]]:
    """(name, scores, remarks) from the posted form; unknown fields are ignored. ``BadForm`` when
    it has more than ``MAX_FIELDS`` fields."""
    try:
        fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True,
                          max_num_fields=MAX_FIELDS)
    except ValueError as err:  # "Max number of fields exceeded"
        raise BadForm(str(err)) from None
    first = lambda k: (fields.get(k) or [""])[0]
    scores = {k: first(f"score-{k}") for k in BLOCK_KEYS if first(f"score-{k}") != ""}
    remarks = {k: first(f"remark-{k}") for k in BLOCK_KEYS if first(f"remark-{k}").strip()}
    return first("name"), scores, remarks


def add_routes(app, store: LeerkringStore, knowledge, retention_days: float = DEFAULT_RETENTION_DAYS) -> None:
    """Register GET and POST ``/leerkring/{code}`` on the (FastAPI/Starlette) ``app``."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse, RedirectResponse

    def headers(nonce: str) -> dict[str, str]:
        return {"Content-Security-Policy": (f"default-src 'none'; style-src 'nonce-{nonce}'; "
                                            f"script-src 'nonce-{nonce}'; form-action 'self'; "
                                            "base-uri 'none'; frame-ancestors 'none'"),
                "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer"}

    def device(request) -> str | None:
        """The participant id in the cookie when this server issued it; None for anything else."""
        return store.participant(request.cookies.get(COOKIE))

    def address(request) -> str | None:
        return request.client.host if request.client else None

    def set_device(response, token: str, secure: bool) -> None:
        # HttpOnly: no script reads it; SameSite=Strict: another site cannot post with it;
        # Path: only the participant's pages receive it, never the trainer's app
        response.set_cookie(COOKIE, token, max_age=int(retention_days * 86400), path=JOIN_PATH,
                            httponly=True, samesite="strict", secure=secure)

    def refused(what: str, detail: object = "") -> None:
        # an expected user error: one line (no traceback, no join code, no name or remark)
        log.info("Leerkring-deelnemer geweigerd: %s%s", what, f" ({detail})" if detail else "")

    def respond(body: str, status: int, nonce: str):
        return HTMLResponse(body, status_code=status, headers=headers(nonce))

    def show(code: str, lang: str, pid: str | None, message=None, values=None, status=200):
        nonce = secrets.token_urlsafe(12)
        try:
            info = store.public_info(code)
        except SessionNotFound as err:
            refused("onbekende leerkring")
            return respond(not_found_page(lang, ui_text("join_not_found", lang) if lang == "en" else str(err)),
                           404, nonce)
        own = None
        if values is None and pid:
            answer = store.own_answer(code, pid)
            if answer is not None:
                own = {"name": answer.name, "scores": answer.scores, "remarks": answer.remarks, "sent": True}
                if message is None and info.state != STATE_CLOSED:
                    message = ("info", ui_text("join_have_answer", lang))
        return respond(render_page(knowledge, code=code, title=info.title, short_code=info.short_code,
                                   state=info.state, lang=lang, values=values or own, message=message,
                                   nonce=nonce, days=retention_days), status, nonce)

    def bad_post(code: str, lang: str, pid: str | None, text_key: str, status: int, what: str):
        response = show(code, lang, pid, ("err", ui_text(text_key, lang)), None, status)
        if response.status_code != 404:  # an unknown circle has had its line already
            refused(what)
        return response

    async def get(request):
        code = request.path_params["code"]
        lang = page_lang(request.query_params.get("lang"))
        message = None
        if request.query_params.get("ok") in ("new", "changed"):
            message = ("ok", ui_text(f"join_saved_{request.query_params['ok']}", lang))
        return await run_in_threadpool(show, code, lang, device(request), message)

    async def post(request):
        code = request.path_params["code"]
        lang = page_lang(request.query_params.get("lang"))
        old = device(request)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return await run_in_threadpool(bad_post, code, lang, old, "join_too_long", 413,
                                               f"te groot bericht, meer dan {MAX_BODY} bytes")
        try:
            name, scores, remarks = parse_form(body)
        except BadForm:
            return await run_in_threadpool(bad_post, code, lang, old, "join_bad_form", 400,
                                           f"onleesbaar formulier, meer dan {MAX_FIELDS} velden")

        def save():
            token = store.issue_participant()  # a new id with every saved answer
            new = store.participant(token)
            try:
                if old:
                    result = store.submit(code, old, name, scores, remarks, client=address(request),
                                          renew_to=new)
                else:
                    result = store.submit(code, new, name, scores, remarks, client=address(request))
            except SessionNotFound:
                return show(code, lang, None)  # logs its own line
            except SessionClosed:  # the page itself says so, and shows no form any more
                refused("leerkring gesloten")
                return show(code, lang, old, status=409)
            except CoachError as err:
                refused(type(err).__name__, err)
                return show(code, lang, old, ("err", error_text(err, lang)),
                            {"name": name, "scores": scores, "remarks": remarks}, 400)
            target = f"{JOIN_PATH}{code}?lang={lang}&ok={'new' if result.created else 'changed'}"
            response = RedirectResponse(target, status_code=303)
            set_device(response, token, request.url.scheme == "https")
            response.headers["Cache-Control"] = "no-store"
            return response

        return await run_in_threadpool(save)

    # Starlette-style routes: the handler gets the plain request (no FastAPI parameter parsing).
    app.add_route(JOIN_PATH + "{code}", get, methods=["GET"], include_in_schema=False)
    app.add_route(JOIN_PATH + "{code}", post, methods=["POST"], include_in_schema=False)
