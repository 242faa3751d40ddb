"""The page around the app: its style, and Dutch as the page language from the first byte.

Gradio picks the language of its own widget texts ("Drop File Here", "Clear", …) from the
browser's language once, while the page starts, and sets ``<html lang>`` from it. The coach is
Dutch first, whatever the browser says, so ``DutchFirstPage`` (an ASGI middleware) rewrites the
HTML page before Gradio's scripts run: ``lang="nl"`` and a script that reports Dutch as the
browser language. When someone switches to English, ``LOCALE_JS`` tells Gradio's own i18n store.
"""
from __future__ import annotations

import json
from pathlib import Path

# Colours: Gradio's orange (#f97316) has a contrast of 2.8 with white; these darker tones reach 4.5:1.
CSS = """
:root,.gradio-container{--font:ui-sans-serif,system-ui,"DejaVu Sans","Liberation Sans",Arial,sans-serif;
  --color-accent:#c2410c;--color-accent-soft:#fff1e6;
  --button-primary-background-fill:#c2410c;--button-primary-background-fill-hover:#9a3412;
  --button-primary-border-color:#c2410c;--button-primary-text-color:#fff;--body-text-color-subdued:#52525b;
  --block-label-text-color:#3f3f46;--block-info-text-color:#52525b;--input-placeholder-color:#6b6b74}
button[role=tab][aria-selected=true]{color:#c2410c !important}
button.stop{background:#b91c1c !important;border-color:#b91c1c !important;color:#fff !important}
button.stop:hover{background:#991b1b !important}
.or{color:#52525b !important}
.mozaiek{display:grid;grid-template-columns:repeat(2,1fr);gap:4px;margin:4px 0}
.mz-tile{padding:6px 8px;font-family:system-ui,sans-serif;cursor:default;user-select:text;
  background:transparent;border:0;border-left:6px solid var(--mz-colour)}
.mz-tile,.mz-tile *{color:#222 !important}
.mz-tile.mz-lit{background:var(--mz-colour);box-shadow:0 0 0 3px rgba(0,0,0,.35)}
.mz-tile.mz-lit,.mz-tile.mz-lit *{color:#fff !important}
.mz-name{font-weight:600;font-size:.95em}.mz-tag{font-size:.8em;margin-top:2px}
#chat,#chat .bubble-wrap{height:auto !important;max-height:none !important;overflow:visible !important}
#chat .bubble-wrap{min-height:8em}
#chat .placeholder-content{padding-top:2.2em}
#chips{gap:4px !important}
#chat strong,#chat b,#lk-code,#lk-code *{font-variant:normal !important;font-variant-caps:normal !important}
details.sources summary,details.more summary{cursor:pointer;font-weight:600}
#chat strong,#chat b{font-family:inherit !important;font-size:1em !important;font-synthesis:none}
#chat blockquote{margin:.4em 0;padding:.2em .9em;border-left:4px solid #c9a227;background:#faf6e8}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);
  white-space:nowrap;border:0}
#lang .wrap{flex-direction:row !important;flex-wrap:wrap}
@media (max-width:640px){[role=tablist] button{padding:6px 8px !important}
  #lang{min-width:100% !important;padding:6px 10px !important}
  .form:has(> #lang){min-width:100% !important;width:100% !important;flex-basis:100% !important}
  .tab-wrapper{height:auto !important;padding-bottom:0 !important}
  .tab-wrapper [role=tablist]{flex-wrap:wrap !important;overflow:visible !important;height:auto !important}
  .tab-wrapper .tab-container.visually-hidden button{padding:0 !important;font-size:1px !important;
    min-width:0 !important;width:1px !important}
  #chat .message{padding:8px !important}#chat blockquote{padding:.2em .5em}}
@media (max-width:640px){#mozaiek,#chosen-label{display:none !important}#intro-more{display:none !important}
  #examples-1,#examples-2{display:none !important}}
"""

PAGE_LANG = "nl"
_EARLY_SCRIPT = (
    "<script>(function(){var l=%s;try{"
    "Object.defineProperty(Navigator.prototype,'language',{get:function(){return l},configurable:true});"
    "Object.defineProperty(Navigator.prototype,'languages',{get:function(){return [l]},configurable:true});"
    "}catch(e){}})();</script>" % json.dumps(PAGE_LANG))


def _gradio_core_module() -> str | None:
    """The file name of Gradio's front-end module that owns its i18n store (``changeLocale``)."""
    import gradio
    found = sorted((Path(gradio.__file__).parent / "templates" / "frontend" / "assets").glob("core-*.js"))
    return found[0].name if found else None


def locale_js() -> str:
    """JS for the language switch: Gradio's own texts and ``<html lang>`` follow the choice."""
    module = _gradio_core_module()
    load = (f"const m = await import(new URL({json.dumps('assets/' + module)}, document.baseURI).href);"
            " await m.changeLocale(code);" if module else "")
    return ("async (code) => { try { " + load + " } catch (e) { console.warn(e); }"
            " document.documentElement.lang = code; return code; }")


def dutch_first(html: bytes) -> bytes:
    """The app's HTML page with Dutch as its language, set before any of Gradio's scripts run."""
    page = html.replace(b'lang="en"', f'lang="{PAGE_LANG}"'.encode(), 1)
    return page.replace(b"<head>", b"<head>" + _EARLY_SCRIPT.encode(), 1)


class DutchFirstPage:
    """ASGI middleware: passes everything through, except that the HTML page is ``dutch_first``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            return await self.app(scope, receive, send)
        start: dict = {}
        body: list[bytes] = []

        async def capture(message):
            if message["type"] not in ("http.response.start", "http.response.body"):
                return await send(message)  # e.g. Starlette's "http.response.debug" in its test client
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    start["pass"] = True
                    return await send(message)
                start["message"] = message
                return None
            if start.get("pass"):
                return await send(message)
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return None
            page = dutch_first(b"".join(body))
            first = start["message"]
            headers = [(k, v) for k, v in first.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({**first, "headers": headers})
            await send({"type": "http.response.body", "body": page})

        return await self.app(scope, receive, capture)
