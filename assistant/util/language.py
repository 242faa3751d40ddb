"""Small language helpers: tokens, Dutch stemming, stop words, sentences, language guess."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Written for this project: the function words of Dutch and English that carry no topic.
DUTCH_STOP = frozenset("""
aan af al alle alleen als altijd ander andere anders ben bij bijvoorbeeld binnen da daar daarom dan
dat de deze die dit doch doen doet door dus een eens eigen en er ergens ga gaan gaat geen geweest
haar had heb hebben heeft hem het hier hij hoe hoeveel hun iemand iets ik in is ja je jij jou jouw
jullie kan kun kunnen kunt laat maar me meer men met mij mijn moet moeten na naar niet niets nog nu
of om omdat onder ons onze ook op over precies reeds rond samen te tegen toch toen tot u uit uw van
veel voor vooral waar waarom wanneer wat we wel welk welke werd wie wij wil willen word worden wordt
zal ze zelf zich zij zijn zo zoals zonder zou zouden hoe heel echt even steeds gewoon beetje erg
iets nou sinds terwijl tussen via wij elk elke ieder iedere mee weer wel waarop waarin daarbij
""".split())
ENGLISH_STOP = frozenset("""
a about after all also an and any are as at be because been but by can could did do does doing for
from had has have having he her here him his how i if in into is it its just me more most my no not
of on or our out over should so some such than that the their them then there these they this those
to too under up very was we were what when where which while who why will with would you your
""".split())
ENGLISH_MARKERS = frozenset("""the and is are what how why which should our we my with does do can
you your they their this that about network networks partners meeting""".split())
DUTCH_MARKERS = frozenset("""de het een en is zijn wat hoe waarom welke moet we ons onze mijn met
niet van voor dat die er ik je jullie netwerk partners overleg""".split())

WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
# A closing quotation mark stays with its sentence ('… motivatie.”'), so the sentence after it is
# known to be outside the quotation. No end after an abbreviation ('bijv. 5 partners').
SENTENCE_END_RE = re.compile(r"(?:(?<=[.?!])|(?<=[.?!][”’\"]))(?<!\bbijv\.)(?<!\bbv\.)(?<!\bca\.)(?<!\bnl\.)"
                             r"(?<!\bo\.a\.)(?<!\bm\.n\.)(?<!\bd\.w\.z\.)(?<!\bi\.p\.v\.)(?<!\be\.g\.)(?<!\bi\.e\.)"
                             r"\s+(?=[“‘\"(]?[A-ZÀ-Ý0-9])")
# Where a long paragraph may be cut into chunks (after an end mark or a closing quote).
CUT_RE = re.compile(r"(?<=[.?!”’])\s+(?=[A-Z“‘(À-Ý])")
_STEMMER = snowballstemmer.stemmer("dutch")


def fold(text: str) -> str:
    """Lowercase without accents ('Netwerkmozaïek' → 'netwerkmozaiek')."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in WORD_RE.findall(fold(text))]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_tokens(text: str) -> list[str]:
    """Stemmed words without stop words; compounds also give their hyphen parts."""
    out = []
    for w in words(text):
        parts = [w] + (w.split("-") if "-" in w else [])
        for p in parts:
            if len(p) > 1 and p not in DUTCH_STOP and p not in ENGLISH_STOP:
                out.append(stem(p))
    return out


def guess_lang(text: str) -> str:
    """'en' when the text reads as English, else 'nl'."""
    ws = words(text)
    en = sum(w in ENGLISH_MARKERS or w in ENGLISH_STOP for w in ws)
    nl = sum(w in DUTCH_MARKERS or w in DUTCH_STOP for w in ws)
    return "en" if en > nl else "nl"


def cut_points(paragraph: str) -> list[str]:
    """A paragraph split where the chunker may cut it (and where sentence vectors begin)."""
    return CUT_RE.split(paragraph)


def sentences(text: str) -> list[str]:
    """Sentences of a chunk, verbatim (list items and headings stay whole)."""
    out = []
    for para in text.split("\n"):
        para = para.strip()
        if not para:
            continue
        out.extend(s.strip() for s in SENTENCE_END_RE.split(para) if s.strip())
    return out


# The end of a sentence a model writes: end punctuation, closing quotes, then any [n] markers; or a line break.
STREAM_END_RE = re.compile(r"[.!?…]+[\"'”’»)]*(?:[ \t]*\[[\d\s,;–-]+\])*|\n")
LETTER_RE = re.compile(r"[^\W\d_]")


def stream_sentences(text: str, final: bool = True) -> tuple[list[str], str]:
    """Finished sentences of text as it streams in, and the unfinished rest (always '' when ``final``).

    A sentence ends at a line break, or at . ! ? (with closing quotes and any ``[n]`` markers)
    followed by white space and a character that is not lower case or '['. A piece without letters
    ('1.') ends nothing, so numbered lists stay whole. While streaming (``final`` False) an end
    counts only once the next sentence has begun. (``sentences`` splits the magazine's own text,
    which has no markers and whose line breaks are paragraphs.)
    """
    pieces: list[str] = []
    start = 0
    for m in STREAM_END_RE.finditer(text):
        if m.start() < start:
            continue
        newline = m.group() == "\n"
        end = m.start() if newline else m.end()
        after = end
        while after < len(text) and text[after].isspace():
            after += 1
        if after == len(text):
            if final:
                continue
            break
        sentence = text[start:end].strip()
        if not sentence:
            continue
        nxt = text[after]
        if not newline and (after == end or nxt.islower() or nxt == "[" or not LETTER_RE.search(sentence)):
            continue
        pieces.append(sentence)
        start = after
    rest = text[start:]
    if final:
        if rest.strip():
            pieces.append(rest.strip())
        rest = ""
    return pieces, rest
