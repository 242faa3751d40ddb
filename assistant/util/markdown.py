"""Markdown for text that is not ours: the one escaping of user text, and quotation marks around
the magazine's words. Used by every layer that writes Markdown (the answer, the learning circle's
report, the UI)."""
from __future__ import annotations

import re

# Characters that Markdown, HTML or the app's math rendering would act on, as HTML entities.
_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "|": "&#124;", "*": "&#42;",
               "_": "&#95;", "[": "&#91;", "]": "&#93;", "`": "&#96;", "\\": "&#92;", "#": "&#35;",
               "~": "&#126;", "$": "&#36;"}


# Text that a Markdown renderer with autolinks (GitHub style, as in the chat) turns into a link by
# itself: 'https://…', 'www.…' and e-mail addresses. One character of each becomes an entity, so the
# text reads the same but is no link (issue 20, item 16).
_AUTOLINK_RE = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)|(?<=[\w.+-])(@)(?=[\w-]+\.)")


def md_escape(text: str) -> str:
    """User text that renders as itself in Markdown: no HTML, links (also none made automatically
    from an address), emphasis, headings, table cells or math of its own. The one escaping of user
    text for Markdown."""
    out = "".join(_MD_ESCAPES.get(ch, ch) for ch in text)
    return _AUTOLINK_RE.sub(lambda m: f"&#{ord(m.group())};", out)


def quoted(text: str) -> str:
    """The magazine's words in quotation marks, unless the sentence brings its own."""
    if text[:1] in "“‘\"" or text.rstrip()[-1:] in "”’\"":
        return text
    return f"“{text}”"
