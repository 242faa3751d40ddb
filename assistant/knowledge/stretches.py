"""Passages to show: the magazine cut into self-contained stretches a person can read on their own.

A *stretch* is 2–6 consecutive sentences (about 40–140 words) of one section's running text. It
never starts on a word that points back at text that is not there ("Dat …", "Aan de andere kant …",
"Ze …": it is extended backwards), never ends on a question or a colon (extended forwards), never
cuts through a quotation, and holds no headings, list items or page furniture. The coach shows
stretches whole instead of sentences picked one by one.

Stretches are cut from the index's chunks, so every stretch is one or more verbatim *pieces* of
chunks (a piece per chunk it covers) and can be cited the usual way. For interview text each
sentence knows whether it is quoted speech and who says it (from the case's people), so words are
credited only to the person who says them; narration belongs to the article.

Pure functions over chunks and cases: the stretches are made once when the coach is built (at
ingest), and their vectors are kept with the other embeddings in the cache.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .cases import Case
from .chunking import Chunk, _is_heading
from .corpus import LIST_RE
from ..util.language import fold, sentences

MIN_WORDS = 40
MAX_WORDS = 140
MAX_SENTENCES = 6
HARD_MAX_WORDS = 190  # a run that cannot be cut anywhere else may make a stretch this long

# Openings that point back at text before them (Dutch, folded). Checked on the sentence's start.
BACK_POINTERS = tuple(fold(w) for w in """
dat die dit deze daar daarom daardoor daarbij daarnaast daarmee daarvoor daarin daarop daarna daarvan
daaruit daartoe daarentegen dus ook maar en toch anderzijds tegelijkertijd tegelijk zo zo'n zo’n
hij zij ze hun haar hem hen hier hierbij hierdoor hiermee hiervoor hierin hierop hiervan bovendien
verder vervolgens dan want of wel echter desondanks evenmin eveneens evenals zulke zulk dergelijke
beide allebei overigens kortom oftewel ofwel vandaar immers namelijk dezelfde hetzelfde datzelfde
dáár dít dát nog
""".split())
BACK_PHRASES = tuple(fold(p) for p in (
    "aan de andere kant", "aan de ene kant", "met die", "met deze", "met dat", "met dit", "in dat geval",
    "in die", "in deze", "op die manier", "op deze manier", "net als", "ten tweede", "ten derde",
    "tot slot", "ook hier", "ook daar", "als gevolg daarvan", "om die reden", "in het verlengde",
    "het laatste", "de laatste", "die laatste", "het eerste", "het tweede", "een ander", "de ander",
    "de andere", "het andere", "in de tweede plaats", "daarnaast", "met name"))
FIRST_WORD_RE = re.compile(r"^[“‘\"'(…\s]*([^\W\d_]+(?:[’'][^\W\d_]+)?)", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    text: str
    chunk: int  # index of its chunk in the coach's chunk list
    start: int  # offset in the chunk's text
    end: int
    para: int  # paragraph number within the run (a new paragraph may start a stretch more easily)
    speech: bool = False  # quoted speech (wholly or partly inside quotation marks)
    speaker: str | None = None  # who says the quoted words (a case person's full name), when known
    open_after: bool = False  # a quotation is still open after this sentence
    after_break: bool = False  # a heading, list or other left-out text comes just before it
    lead_in: bool = False  # narration leads into the quotation ("Fred wijst op …: “…"): not all speech


@dataclass(frozen=True)
class Piece:
    """The part of one chunk that a stretch covers: ``chunk.text[start:end]``, verbatim."""

    chunk: int
    start: int
    end: int


@dataclass(frozen=True)
class Stretch:
    id: str
    section: str
    kind: str  # the section's kind (bouwsteen, interview, essay, framework, intro)
    blocks: tuple[str, ...]
    case: str | None
    sentences: tuple[Sentence, ...]
    pieces: tuple[Piece, ...]

    opens_inside: bool = False  # starts inside a quotation (a very long one was cut): shown with “…
    closes_inside: bool = False  # ends inside a quotation: shown with …”

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def speakers(self) -> tuple[str, ...]:
        """The people whose quoted words the stretch holds, in order of first appearance."""
        seen: list[str] = []
        for s in self.sentences:
            if s.speaker and s.speaker not in seen:
                seen.append(s.speaker)
        return tuple(seen)

    @property
    def all_speech_of(self) -> str | None:
        """The one person who says every sentence of the stretch, or None (narration or several)."""
        who = {s.speaker if s.speech and not s.lead_in else None for s in self.sentences}
        return next(iter(who)) if len(who) == 1 and None not in who else None


def points_back(sentence: str) -> bool:
    """Whether the sentence opens with a word that needs the text before it."""
    low = fold(sentence.lstrip("“‘\"'(… "))
    if any(low.startswith(p + " ") or low.startswith(p + ",") for p in BACK_PHRASES):
        return True
    m = FIRST_WORD_RE.match(fold(sentence))
    return bool(m) and m.group(1).replace("’", "'") in {w.replace("’", "'") for w in BACK_POINTERS}


def open_end(sentence: str) -> bool:
    """Whether a stretch may not end on this sentence: a question or a colon leads on."""
    return sentence.rstrip("”’\"' )").endswith(("?", ":"))


def is_furniture(unit: str) -> bool:
    """Headings, list items, footnotes and other page furniture: never part of a stretch."""
    u = unit.strip()
    if not u or _is_heading(u) or LIST_RE.match(u) or u.startswith(("•", "–", "-")):
        return True
    return len(u.split()) < 6 and not u.endswith((".", "!", "”"))


def _names(case: Case | None) -> list[tuple[str, str]]:
    """(full name, first name) of the case's people."""
    return [(p.name, p.name.split()[0]) for p in case.people] if case else []


def _mentioned(text: str, names: list[tuple[str, str]]) -> str | None:
    """The person named last in ``text`` (full or first name), or None."""
    best, pos = None, -1
    for full, first in names:
        for m in re.finditer(rf"\b({re.escape(full)}|{re.escape(first)})\b", text):
            if m.start() > pos:
                best, pos = full, m.start()
    return best


def section_sentences(chunks: list[Chunk], indices: list[int], case: Case | None,
                      section_text: str = "") -> list[Sentence]:
    """The prose sentences of consecutive chunks (``indices``, in reading order), each with its
    chunk and offsets. Headings, list items and furniture are left out (``after_break`` marks the
    sentence after one); so is a sentence ending on a colon that introduces a left-out list.
    Quotation state runs over paragraphs the magazine's way: a quote that goes on in the next
    paragraph opens that paragraph again and closes only at its end."""
    names = _names(case)
    units: list[tuple[int, int, str]] = []  # (chunk, offset, unit text); furniture as offset -1
    for ci in indices:
        text = chunks[ci].text
        cursor = 0
        for unit in text.split("\n\n"):
            ustart = text.find(unit, cursor)
            cursor = ustart + len(unit)
            units.append((ci, -1 if is_furniture(unit) else ustart, unit))
    out: list[Sentence] = []
    para = 0
    depth = 0
    last_named: str | None = None
    pending_break = False
    for u, (ci, ustart, unit) in enumerate(units):
        if ustart < 0:
            pending_break = True
            depth = 0
            continue
        joined = u > 0 and units[u - 1][1] >= 0 and _same_paragraph(units[u - 1][2], unit, section_text)
        if not joined:
            para += 1
        nxt = units[u + 1] if u + 1 < len(units) else None
        next_joined = nxt is not None and nxt[1] >= 0 and _same_paragraph(unit, nxt[2], section_text)
        continues = nxt is not None and nxt[1] >= 0 and (next_joined or _quote_goes_on(nxt[2]))
        if unit.lstrip().startswith("“") and depth > 0 and not joined:
            depth -= 1  # the quote of the previous paragraph goes on here: it opens again below
        ucursor = 0
        sents = sentences(unit)
        for k, s in enumerate(sents):
            off = unit.find(s, ucursor)
            if off < 0:
                continue
            ucursor = off + len(s)
            before_depth = depth
            for ch in s:
                if ch == "“":
                    depth += 1
                elif ch == "”":
                    depth = max(0, depth - 1)
            speech = before_depth > 0 or "“" in s
            last_of_para = k == len(sents) - 1
            if last_of_para and not continues:
                depth = 0  # a quote left open in the source ends with its paragraph
            if last_of_para and s.rstrip().endswith(":") and (nxt is None or nxt[1] < 0):
                pending_break = True  # "Denk daarbij aan:" before a list that is not shown
                continue
            if last_of_para and k > 0 and before_depth == 0 and not next_joined and \
                    _glued_heading(s, nxt[2] if nxt else ""):
                pending_break = True  # a heading the PDF glued to the paragraph before it
                depth = 0
                continue
            named = _mentioned(s, names)
            speaker = None
            if speech and names:
                # the person named in the sentence itself, else the one named last before it, else
                # the only interviewee
                speaker = named or last_named or (names[0][0] if len(names) == 1 else None)
            if named:
                last_named = named
            lead_in = before_depth == 0 and "“" in s and not s.lstrip().startswith("“")
            out.append(Sentence(s, ci, ustart + off, ustart + off + len(s), para, speech, speaker,
                                depth > 0, pending_break, lead_in))
            pending_break = False
    return out


def _glued_heading(last: str, next_unit: str) -> bool:
    """Whether the last 'sentence' of a paragraph is a heading glued to it: no end mark and the next
    paragraph does not carry on in lower case ('… gerealiseerd.” Lokale netwerken verbonden in een
    landelijk netwerk'), or a short teaser that trails off ('Vertrouwen door goede inhoud...')."""
    t = last.strip()
    if t.endswith(("...", "…")):
        return len(t.split()) <= 8
    if t.endswith((".", "!", "?", "”", "’", '"', ")", ":", ";")):
        return False
    return len(t.split()) <= 12 and not next_unit.lstrip()[:1].islower()


def _same_paragraph(prev: str, unit: str, section_text: str) -> bool:
    """Whether ``unit`` goes on the paragraph that ``prev`` ends (the chunker cut a long paragraph)."""
    return bool(section_text) and f"{prev[-60:]} {unit[:60]}" in section_text


def _quote_goes_on(nxt: str) -> bool:
    """Whether an open quotation goes on in the next paragraph: the magazine opens it again there, or
    the paragraph closes a quotation before it opens one."""
    nxt = nxt.lstrip()
    if nxt.startswith("“"):
        return True
    close, open_ = nxt.find("”"), nxt.find("“")
    return close >= 0 and (open_ < 0 or close < open_)


def _can_cut(run: list[Sentence], i: int) -> bool:
    """May a stretch end after sentence ``i`` (and the next begin at ``i + 1``)?"""
    if i + 1 >= len(run):
        return True
    here, nxt = run[i], run[i + 1]
    if open_end(here.text) or points_back(nxt.text):
        return False
    return True  # inside a quotation only at a price (``segment``), and then marked (``Stretch.opens_inside``)


def _quote_cut(run: list[Sentence], i: int) -> int:
    """0: not inside a quotation; 1: where the magazine opens the quotation again in a new paragraph;
    2: anywhere else inside a quotation (only to keep a very long quotation readable)."""
    if i + 1 >= len(run) or not run[i].open_after:
        return 0
    nxt = run[i + 1]
    return 1 if nxt.para != run[i].para and nxt.text.startswith("“") else 2


def segment(run: list[Sentence]) -> list[tuple[int, int]]:
    """The sentences cut into stretches [a, b) at allowed places, lengths as close to 40–140 words
    as the text allows (dynamic programming: fewest words outside the range, then headings and
    paragraph ends as cut places, then 2–6 sentences)."""
    n = len(run)
    words = [len(s.text.split()) for s in run]
    cut_ok = [_can_cut(run, i) for i in range(n)]
    inf = float("inf")
    best = [inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for b in range(1, n + 1):
        if not cut_ok[b - 1]:
            continue
        total = 0
        for a in range(b - 1, -1, -1):
            total += words[a]
            if total > 3 * HARD_MAX_WORDS:
                break
            if best[a] == inf or (a > 0 and not cut_ok[a - 1]):
                continue
            cost = 0.0
            if total < MIN_WORDS:
                cost += (MIN_WORDS - total) * 2
            if total > MAX_WORDS:
                cost += (total - MAX_WORDS) * 3
            if b - a > MAX_SENTENCES:
                cost += 8 * (b - a - MAX_SENTENCES)
            cost += 25 * sum(1 for s in run[a + 1:b] if s.after_break)  # a heading inside
            quote_cut = _quote_cut(run, b - 1)
            if quote_cut:  # a long quotation cut: where the magazine reopens it, else (dearer) anywhere
                cost += 30 if quote_cut == 1 else 90
            if b < n and run[b].para == run[b - 1].para:
                cost += 4  # prefer to end where a paragraph ends
            cost += abs(total - 85) * 0.05 + 3
            if best[a] + cost < best[b]:
                best[b], back[b] = best[a] + cost, a
    if best[n] == inf:
        return [(0, n)]
    out, b = [], n
    while b > 0:
        out.append((back[b], b))
        b = back[b]
    return out[::-1]


def _pieces(sents: list[Sentence], chunks: list[Chunk]) -> tuple[Piece, ...]:
    """The chunk pieces a stretch covers: a new piece where the chunk changes or where left-out text
    (a heading, a list) lies between two of its sentences."""
    pieces: list[Piece] = []
    for s in sents:
        if pieces and pieces[-1].chunk == s.chunk and not chunks[s.chunk].text[pieces[-1].end:s.start].strip():
            pieces[-1] = Piece(s.chunk, pieces[-1].start, s.end)
        else:
            pieces.append(Piece(s.chunk, s.start, s.end))
    return tuple(pieces)


SHOWN_PARTS = ("text", "toelichting")


def make_stretches(chunks: list[Chunk], cases: dict[str, Case], sections: dict[str, str] | None = None) -> list[Stretch]:
    """All stretches of the magazine's running text, in reading order (``chunks``: the index's
    chunks; ``cases``: key → case, for the speakers; ``sections``: title → the section's text, to
    know where the chunker cut a paragraph)."""
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i, c in enumerate(chunks):
        if c.origin == "magazine" and c.part in SHOWN_PARTS and c.kind != "colofon":
            groups.setdefault((c.section, c.case), []).append(i)
    out: list[Stretch] = []
    for (section, case_key), indices in groups.items():
        indices.sort(key=lambda i: chunks[i].position)
        first = chunks[indices[0]]
        run = section_sentences(chunks, indices, cases.get(case_key) if case_key else None,
                                (sections or {}).get(section, ""))
        if run:
            for a, b in segment(run):
                # the section ends on a question or colon: leave it out (unless that cuts a quotation)
                while b - a > 1 and open_end(run[b - 1].text) and not run[b - 2].open_after:
                    b -= 1
                sents = run[a:b]
                sid = f"{chunks[sents[0].chunk].id}:{sents[0].start}-{sents[-1].end}"
                opens = a > 0 and _quote_cut(run, a - 1) == 2
                closes = _quote_cut(run, b - 1) == 2
                out.append(Stretch(sid, section, first.kind, first.blocks, case_key, tuple(sents),
                                   _pieces(sents, chunks), opens, closes))
    return out


def _reopens(stretch: Stretch, chunks: list[Chunk]) -> bool:
    """The stretch ends at a paragraph of a quotation that the magazine opens again in the next."""
    p = stretch.pieces[-1]
    rest = chunks[p.chunk].text[p.end:].lstrip()
    return rest.startswith("“") or not rest


def problems(stretch: Stretch, chunks: list[Chunk]) -> list[str]:
    """The rules a stretch breaks (empty: none). Used by the tests and the evals."""
    out = []
    first, last = stretch.sentences[0].text, stretch.sentences[-1].text
    if points_back(first):
        out.append("begint met een terugverwijzing")
    if open_end(last) and not last.rstrip().endswith("”"):  # a quoted question that closes the speech reads fine
        out.append("eindigt op een vraag of dubbele punt")
    if not MIN_WORDS <= stretch.words <= MAX_WORDS:
        out.append(f"{stretch.words} woorden (lengte)")
    if len(stretch.sentences) > MAX_SENTENCES:
        out.append(f"{len(stretch.sentences)} zinnen (lengte)")
    last_s = stretch.sentences[-1]
    if last_s.open_after and not _reopens(stretch, chunks) and not stretch.closes_inside:
        out.append("midden in een citaat afgebroken")
    if stretch.opens_inside or stretch.closes_inside:
        out.append("lang citaat ingekort, gemarkeerd met … (lengte)")
    for p in stretch.pieces:
        if chunks[p.chunk].text[p.start:p.end] not in chunks[p.chunk].text:
            out.append("stuk niet letterlijk")
    return out


def compact(stretch: Stretch, chunks: list[Chunk], around: str = "", max_words: int = 75,
            max_sentences: int | None = None) -> Stretch:
    """The readable part of ``stretch``: a window of at least two of its sentences, of at most
    ``max_words`` (and at most ``max_sentences``), that holds the sentence ``around`` (else the
    first) and keeps the same rules at both ends (no opening that points back, no end on a question
    or colon, no cut inside a quotation). The whole stretch when it is short enough or no such
    window exists (see the order of tries below)."""
    sents = list(stretch.sentences)
    if stretch.words <= max_words and (max_sentences is None or len(sents) <= max_sentences):
        return stretch
    texts = [s.text for s in sents]
    anchor = texts.index(around) if around in texts else 0

    def boundary(i: int, inside: bool) -> bool:  # may a window end after sentence i?
        return i == len(sents) - 1 or (_can_cut(sents, i) and (inside or not sents[i].open_after))

    def fit(inside: bool, limit: int, least: int) -> tuple[int, int, int] | None:  # longest fitting window
        best = None
        for a in range(0, anchor + 1):
            if a > 0 and not boundary(a - 1, inside):
                continue
            for b in range(anchor + 1, len(sents) + 1):
                if not boundary(b - 1, inside):
                    continue
                words = sum(len(s.text.split()) for s in sents[a:b])
                if words > limit or (max_sentences is not None and b - a > max_sentences):
                    break
                if b - a >= least and (best is None or words > best[0]):
                    best = (words, a, b)
        return best

    # One sentence alone reads as a slogan without its context ("Niet loslaten en doorgaan."), so a
    # window holds at least two. In order: within the limit without cutting a quotation; within the
    # limit with a marked cut inside one (“… …”); up to half as long again; else the whole stretch,
    # unless a short answer was asked for (``max_sentences``): then the one sentence asked for.
    best = None
    tries = [(False, max_words, 2), (True, max_words, 2), (False, max_words * 3 // 2, 2),
             (True, max_words * 3 // 2, 2)]
    if max_sentences is not None:
        tries.append((False, max_words, 1))
    for inside, limit, least in tries:
        best = fit(inside, limit, least)
        if best is not None:
            break
    if best is None:
        return stretch
    _, a, b = best
    part = sents[a:b]
    if len(part) == len(sents):
        return stretch
    sid = f"{chunks[part[0].chunk].id}:{part[0].start}-{part[-1].end}"
    opens = stretch.opens_inside if a == 0 else sents[a - 1].open_after
    closes = stretch.closes_inside if b == len(sents) else sents[b - 1].open_after
    return Stretch(sid, stretch.section, stretch.kind, stretch.blocks, stretch.case, tuple(part),
                   _pieces(part, chunks), opens, closes)
