"""One renderer: an ``Answer`` (or a conversation) as the Markdown people read in the chat, the
CLI and the exports. Pure functions over data; every text comes from ``strings.py``; user text is
escaped with ``util.markdown.md_escape``, the one escaping.

The core answer is rendered in three pieces (``head``, ``kern``, ``tail``) so that a streamed
answer from a language model shows exactly what the finished answer says: head + kern + tail.
"""
from __future__ import annotations

import html
import re
from datetime import datetime

from ..coach.answer import Answer, Citation, Claim
from ..knowledge.corpus import SOURCE_LINE
from ..strings import EXAMPLES, render
from ..util.markdown import md_escape, quoted

__all__ = ["md_escape", "quoted"]  # re-exported for the UI, which renders user text beside answers


def markers(numbers) -> str:
    return "".join(f"[{n}]" for n in numbers)


def claim_markdown(claim: Claim) -> str:
    text = md_escape(claim.text) if claim.origin == "document" else claim.text  # a user's file: escaped
    return f"{text} {markers(claim.cites)}" if claim.cites else text


def kern_markdown(claims) -> str:
    """The core claims as one paragraph."""
    return " ".join(claim_markdown(c) for c in claims)


def head_markdown(answer: Answer) -> str:
    """Notes to the user, then the heading of the core answer (ends with a line break). In the coach's
    shape (``answer.shown``) the recognition line comes first and the core is what a language model
    wrote around the passages."""
    heading = render("kern_llm" if answer.mode == "llm" else "kern", answer.lang)
    if answer.shown:
        chosen = [render("chosen_block", answer.lang)] if answer.chosen_block else []
        top = "\n".join([*answer.notes, answer.recognition, *chosen]).strip()
        return (top + "\n\n" if top else "") + heading + "\n"
    return "\n".join([*answer.notes, heading]) + "\n"


def source_line(c: Citation, lang: str) -> str:
    if c.origin == "document":  # never the magazine's attribution
        page = render("doc_page", lang, page=c.page) if c.page else ""
        return render("source_line_doc", lang, n=c.n, title=md_escape(c.section), page=page,
                      quote=quoted(md_escape(c.quote)))
    extra = f" · {c.network}" if c.network else ""
    if c.speaker:
        extra += f" · {c.speaker}"
    return render("source_line", lang, n=c.n, section=c.section, extra=extra, quote=quoted(" ".join(c.quote.split())))


def tail_markdown(answer: Answer) -> str:
    """Everything after the core: block, deepening questions, stem af met, case, sources
    (starts with the blank line that separates it from the core). In the coach's shape: the shown
    passages, the questions, the link and the collapsed rest."""
    if answer.shown:
        return "\n\n" + _with_more(answer, "\n\n".join(_visible_parts(answer)[1:]))
    lang = answer.lang
    lines: list[str] = [""]
    if answer.block:
        lines.append(render("bouwsteen", lang, name=answer.block.name, tagline=answer.block.tagline))
        if answer.chosen_block:
            lines.append(render("chosen_block", lang))
        elif answer.uncertain and answer.runner_up:
            lines.append(render("uncertain", lang, first=answer.block.name, second=answer.runner_up.name,
                                tagline=answer.runner_up.tagline))
    if answer.deepening:
        lines += ["", render("verdiepende_vragen", lang)]
        lines += [f"{i}. {q}" for i, (_, q) in enumerate(answer.deepening, 1)]
    if answer.stem:
        lines += ["", render("stem_af_met", lang)]
        lines += [f"- **{s.to_name}** — {s.text}" for s in answer.stem]
    if answer.case:
        case = answer.case
        who = ", ".join(case.people) if case.people else case.network
        lines += ["", render("praktijk", lang, who=who, where=case.where) + f" {quoted(case.quote)} [{case.n}]"]
    if answer.citations:
        lines += ["", render("bronnen", lang)]
        lines += [source_line(c, lang) for c in answer.citations]
    return "\n".join(lines)


def help_markdown(answer: Answer) -> str:
    """Out of scope, vague or only instructions: say so, with examples and the seven blocks."""
    lang = answer.lang
    message = {"out_of_scope": "out_of_scope", "injection": "injection"}.get(answer.kind, "vague")
    lines = [*answer.notes, render(message, lang), "", render("examples_title", lang)]
    lines += [f"- {e}" for e in EXAMPLES.get(lang, EXAMPLES["nl"])]
    if answer.help_blocks:
        lines += ["", render("blocks_title", lang)]
        lines += [f"- **{b.name}** — {b.tagline}" for b in answer.help_blocks]
    return "\n".join(lines).strip()


def _blockquote(text: str) -> str:
    return "> " + text


def shown_markdown(p) -> str:
    """One shown passage: its introduction, then the passage whole as a quote block, the sentence
    that fits best in bold, with its source numbers."""
    text = md_escape(p.text) if p.role == "document" else p.text
    bold = md_escape(p.bold) if p.role == "document" else p.bold
    if bold and bold in text and len(p.sentences) != 1:  # one sentence alone needs no emphasis
        text = text.replace(bold, f"**{bold}**", 1)
    text = ("“… " if p.opens_inside else "") + text + (" …”" if p.closes_inside else "")
    return f"{p.intro}\n\n{_blockquote(text)} {markers(p.cites)}"


def _visible_parts(answer: Answer) -> list[str]:
    lang = answer.lang
    chosen = [render("chosen_block", lang)] if answer.chosen_block else []
    parts = ["\n".join([*answer.notes, answer.recognition, *chosen]).strip()]
    for p in answer.shown:
        if p.role == "more" or (p.role == "case" and "case" in answer.collapsed):
            continue
        parts.append(shown_markdown(p))
    deep = list(answer.deepening)
    if deep:
        name = answer.block.name if answer.block else ""
        lines = [f"{i}. {q}" for i, (_, q) in enumerate(deep, 1)]
        if answer.exact_question and deep[0][1] == answer.exact_question:
            lines[0] = "1. " + render("exact_question", lang, question=deep[0][1])
        parts.append(render("deep_title", lang, name=name) + "\n" + "\n".join(lines))
    if answer.stem and "stem" not in answer.collapsed:
        s = answer.stem[0]
        parts.append(render("stem_one", lang, to=s.to_name, text=s.text))
    return [x for x in parts if x]


def visible_markdown(answer: Answer) -> str:
    """What the user sees of a coach's answer before opening "meer"."""
    return "\n\n".join(_visible_parts(answer))


def _more_parts(answer: Answer, with_sources: bool = True) -> list[str]:
    lang = answer.lang
    out = [render("more_passage", lang) + "\n\n" + shown_markdown(p) for p in answer.shown if p.role == "more"]
    if answer.more_deepening:
        start = len(answer.deepening) + 1
        out.append(render("more_questions", lang) + "\n"
                   + "\n".join(f"{i}. {q}" for i, (_, q) in enumerate(answer.more_deepening, start)))
    case = next((p for p in answer.shown if p.role == "case"), None)
    if case is not None and "case" in answer.collapsed:
        out.append(render("more_case", lang) + "\n\n" + shown_markdown(case))
    stems = answer.stem if "stem" in answer.collapsed else answer.stem[1:]
    if stems:
        out.append(render("more_stem", lang) + "\n" + "\n".join(f"- **{s.to_name}** — {s.text}" for s in stems))
    if answer.citations and with_sources:
        out.append(render("bronnen", lang) + "\n" + "\n".join(_source_ref(c, lang) for c in answer.citations))
    return out


def _source_ref(c: Citation, lang: str) -> str:
    """A source in the "meer" part: where it comes from (the words themselves are shown above)."""
    if c.origin == "document":
        page = render("doc_page", lang, page=c.page) if c.page else ""
        return f"[{c.n}] " + render("doc_source_title", lang, title=md_escape(c.section), page=page)
    extra = f" · {c.network}" if c.network else ""
    return f"[{c.n}] {c.section}{extra}"


def coach_markdown(answer: Answer, with_sources: bool = True) -> str:
    """A coach's answer: recognition, the passage that answers, the practice passage, two questions,
    one link; the rest (more questions, links and, ``with_sources``, the sources) collapsed behind
    "meer". The app shows the sources in their own box, in context (``sources_markdown``)."""
    return _with_more(answer, visible_markdown(answer), with_sources)


def _with_more(answer: Answer, out: str, with_sources: bool = True) -> str:
    more = _more_parts(answer, with_sources)
    if more:
        title = html.escape(render("more_title" if with_sources else "more_title_app", answer.lang))
        out += f"\n\n<details class='more'><summary>{title}</summary>\n\n" + "\n\n".join(more) + "\n\n</details>"
    return out


def clarify_markdown(answer: Answer) -> str:
    """Two blocks fit: ask which one before answering, in everyday words."""
    from ..strings import plain_block
    lang = answer.lang
    first, second = answer.block, answer.runner_up
    line = render("clarify", lang, first=first.name, second=second.name, first_line=plain_block(first.key, lang),
                  second_line=plain_block(second.key, lang))
    return "\n".join([*answer.notes, line]).strip()


def chat_markdown(answer: Answer) -> str:
    """The answer as the app's chat shows it: the sources are left out of the "meer" part because
    the app shows them in their own box, in context (nothing on screen twice)."""
    if answer.kind == "answer" and answer.shown and not answer.claims:
        return coach_markdown(answer, with_sources=False)
    if answer.kind == "answer" and answer.shown:
        return (head_markdown(answer) + kern_markdown(answer.claims) + "\n\n"
                + _with_more(answer, "\n\n".join(_visible_parts(answer)[1:]), with_sources=False)).strip()
    return answer.markdown


def answer_markdown(answer: Answer) -> str:
    """The whole answer as Markdown."""
    if answer.kind == "clarify" and answer.block and answer.runner_up:
        return clarify_markdown(answer)
    if answer.kind not in ("answer", "clarify"):
        return help_markdown(answer)
    if answer.shown and not answer.claims:
        return coach_markdown(answer)
    if not answer.claims and answer.mode != "llm":
        return (head_markdown(answer) + render("no_passages", answer.lang) + "\n" + tail_markdown(answer)).strip()
    kern = kern_markdown(answer.claims) if answer.claims else render("no_passages", answer.lang)
    return (head_markdown(answer) + kern + "\n" + tail_markdown(answer)).strip()


def sources_markdown(answer: Answer) -> str:
    """The numbered sources of one answer (the collapsible box under it): section, case and speaker,
    and the whole passage with the quoted words in bold, so they are easy to find."""
    passages = {p.chunk.id: p.chunk for p in answer.sources}
    lines = []
    for c in answer.citations:
        chunk = passages.get(c.chunk_id)
        if c.origin == "document":
            lines.append(_document_source(c, chunk, answer.lang))
            continue
        meta = [c.section]
        if c.network or c.case:
            meta.append(c.network or c.case)
        if c.speaker:
            meta.append(c.speaker)
        text = chunk.text if chunk is not None else c.quote
        if c.quote in text:
            text = text.replace(c.quote, f"**{c.quote}**", 1)
        body = "\n>\n".join("> " + para for para in text.split("\n") if para.strip())
        lines.append(f"**[{c.n}]** {' · '.join(html.escape(m) for m in meta)}\n\n{body}")
    return "\n\n".join(lines)


def _document_source(c: Citation, chunk, lang: str) -> str:
    """An own document's passage in the sources box: its title and page, the passage escaped."""
    page = render("doc_page", lang, page=c.page) if c.page else ""
    heading = f" · {md_escape(chunk.heading)}" if chunk is not None and getattr(chunk, "heading", "") else ""
    title = render("doc_source_title", lang, title=md_escape(c.section), page=page) + heading
    text = md_escape(chunk.text if chunk is not None else c.quote)
    quote = md_escape(c.quote)
    if quote in text:
        text = text.replace(quote, f"**{quote}**", 1)
    body = "\n>\n".join("> " + para for para in text.split("\n") if para.strip())
    return f"**[{c.n}]** {title}\n\n{body}"


def conversation_markdown(conversation, lang: str = "nl", now: datetime | None = None) -> str:
    """The whole conversation with its sources, for download."""
    nl = lang != "en"
    out = [f"# Mozaïekcoach — {'gesprek' if nl else 'conversation'}",
           f"*{(now or datetime.now()).strftime('%Y-%m-%d %H:%M')}*", ""]
    for i, exchange in enumerate(conversation, 1):
        out += [f"## {i}. {md_escape(exchange.question)}", "", exchange.answer, ""]
    out.append(f"*{SOURCE_LINE}*")
    return "\n".join(out)


# --------------------------------------------------------------------------- the meeting prep sheet

def prep_markdown(sheet) -> str:
    """A ``prep.PrepSheet`` as Markdown (download and the app's view)."""
    t = lambda name: render(name, sheet.lang)  # noqa: E731
    lines = [f"# {t('prep_title')}", f"*{sheet.created.isoformat()}*", ""]
    if sheet.purpose:
        lines += [f"**{t('prep_purpose')}:** {md_escape(sheet.purpose)}", ""]
    if sheet.situation:
        lines += [f"**{t('prep_situation')}:** {md_escape(sheet.situation)}", ""]
    lines.append(f"## {t('prep_focus')}")
    lines += [f"- **{b.name}** — *{b.tagline}* ({why})" for b, why in sheet.focus]
    lines += ["", f"## {t('prep_agenda')}"]
    lines += [f"{i}. {item.question} *({item.block_name})*" for i, item in enumerate(sheet.agenda, 1)]
    lines += ["", f"## {t('prep_stem')}"]
    lines += [f"- **{_name(s.frm)} → {s.to_name}** — {s.text}" for s in sheet.stem]
    main = next((p for p in sheet.shown if p.role in ("magazine", "document")), None)
    practice = next((p for p in sheet.shown if p.role == "case"), None)
    if main is not None:
        lines += ["", f"## {t('prep_passage')}", shown_markdown(main)]
    if practice is not None:
        lines += ["", f"## {t('prep_case')}", shown_markdown(practice)]
    elif sheet.case:
        case = sheet.case
        lines += ["", f"## {t('prep_case')}", f"**{case.network}** — {', '.join(case.people)}", "",
                  f"> {quoted(case.quote)}", "", f"*{case.section}*"]
    lines += ["", f"## {t('prep_notes')}", "", "- ", "- ", "- ", "", f"## {t('prep_decisions')}", "",
              f"| {t('prep_what')} | {t('prep_who')} | {t('prep_when')} |", "|---|---|---|",
              "|   |   |   |", "|   |   |   |", "|   |   |   |"]
    if sheet.citations:
        lines += ["", f"## {t('prep_sources')}", ""]
        lines += [f"- [{c.n}] *{c.section}* — {quoted(c.quote)}" for c in sheet.citations]
    lines += ["", f"*{SOURCE_LINE}*"]
    return "\n".join(lines)


PRINT_CSS = ("body{font-family:Georgia,serif;max-width:46em;margin:2em auto;line-height:1.5;color:#222}"
             "h1,h2{font-family:Helvetica,Arial,sans-serif}h2{border-bottom:1px solid #ccc;margin-top:1.6em}"
             "li{margin:.3em 0}.tag{color:#555;font-style:italic}blockquote{border-left:4px solid #c9a227;"
             "margin:0;padding:.2em 1em;background:#faf6e8}"
             ".write{height:9em;background:repeating-linear-gradient(#fff 0 1.9em,#bbb 1.9em 2em)}"
             "table.decide{width:100%;border-collapse:collapse}table.decide th,table.decide td{border:1px solid #999;"
             "padding:.3em;text-align:left}table.decide td{height:2em}ol.sources li{margin:.5em 0}"
             "@media print{body{margin:0}h2{break-after:avoid}}")


def prep_html(sheet) -> str:
    """A ``prep.PrepSheet`` as a self-contained, print-friendly HTML page (everything escaped)."""
    e = html.escape
    t = lambda name: e(render(name, sheet.lang))  # noqa: E731
    lang = "en" if sheet.lang == "en" else "nl"
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>",
             f"<title>{t('prep_title')}</title><style>{PRINT_CSS}</style></head><body>",
             f"<h1>{t('prep_title')}</h1>", f"<p class='tag'>{e(sheet.created.isoformat())}</p>"]
    if sheet.purpose:
        parts.append(f"<p><strong>{t('prep_purpose')}:</strong> {e(sheet.purpose)}</p>")
    if sheet.situation:
        parts.append(f"<p><strong>{t('prep_situation')}:</strong> {e(sheet.situation)}</p>")
    parts.append(f"<h2>{t('prep_focus')}</h2><ul>")
    parts += [f"<li><strong>{e(b.name)}</strong> — <span class='tag'>{e(b.tagline)}</span> ({e(why)})</li>"
              for b, why in sheet.focus]
    parts.append(f"</ul><h2>{t('prep_agenda')}</h2><ol>")
    parts += [f"<li>{e(a.question)} <span class='tag'>({e(a.block_name)})</span></li>" for a in sheet.agenda]
    parts.append(f"</ol><h2>{t('prep_stem')}</h2><ul>")
    parts += [f"<li><strong>{e(_name(s.frm))} → {e(s.to_name)}</strong> — {e(s.text)}</li>" for s in sheet.stem]
    parts.append("</ul>")
    main = next((p for p in sheet.shown if p.role in ("magazine", "document")), None)
    practice = next((p for p in sheet.shown if p.role == "case"), None)
    for title, p in (("prep_passage", main), ("prep_case", practice)):
        if p is not None:
            intro = re.sub(r"\*\*?([^*]+)\*\*?", r"\1", p.intro)  # the intro's Markdown emphasis, as text
            parts.append(f"<h2>{t(title)}</h2><p>{e(intro)}</p><blockquote>{e(p.text)} "
                         f"{e(markers(p.cites))}</blockquote>")
    if sheet.case and practice is None:
        case = sheet.case
        parts.append(f"<h2>{t('prep_case')}</h2><p><strong>{e(case.network)}</strong> — "
                     f"{e(', '.join(case.people))}</p><blockquote>{e(quoted(case.quote))}</blockquote>"
                     f"<p class='tag'>{e(case.section)}</p>")
    parts.append(f"<h2>{t('prep_notes')}</h2><div class='write'></div>")
    parts.append(f"<h2>{t('prep_decisions')}</h2><table class='decide'><tr><th>{t('prep_what')}</th>"
                 f"<th>{t('prep_who')}</th><th>{t('prep_when')}</th></tr>"
                 + "<tr><td></td><td></td><td></td></tr>" * 4 + "</table>")
    if sheet.citations:
        parts.append(f"<h2>{t('prep_sources')}</h2><ol class='sources'>")
        parts += [f"<li value='{c.n}' id='bron-{c.n}'><em>{e(c.section)}</em> — {e(quoted(c.quote))}</li>"
                  for c in sheet.citations]
        parts.append("</ol>")
    parts.append(f"<p class='tag'>{e(SOURCE_LINE)}</p></body></html>")
    return "".join(parts)


def _name(key: str) -> str:
    from ..knowledge.mozaiek import BLOCK_NAMES
    return BLOCK_NAMES.get(key, key)
