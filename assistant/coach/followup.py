"""Follow-up intents: what a short reply to the coach's last answer asks for.

A manager rarely asks one question. After an answer they say "kun je dat korter zeggen?", "en hoe
pak ik dat aan?", "wat zeg ik dan tegen de wethouder?", "heb je nog een voorbeeld?", "en de andere
bouwsteen?" or "terug naar de vorige". Those replies mean nothing on their own; they are answered
from the conversation (``Coach.ask`` with a ``Conversation``):

- ``shorter``: the same answer's core in two sentences and its best question;
- ``how``: the practice passage first, then the deepening questions (the magazine text behind "meer");
- ``say_to``: questions to put to the person named, from the same block;
- ``example``: another practice passage than the ones already shown;
- ``other_block``: the same situation seen from the block that came second;
- ``back``: the situation before, with its block;
- ``to_block``: the same situation seen from the block named ("Bekijk dit vanuit de bouwsteen Waarde");
- ``discuss``: help with one deepening question ("Hoe bespreek ik deze vraag …: “…”");
- ``choice``: after the coach asked which of two blocks it is, the one the user names (``choice``).

Anything else is a new situation and starts fresh (``None``). The patterns are short, fixed
phrasings in Dutch and English, each with a test; they only apply when there is an earlier answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..util.language import content_tokens, fold

INTENTS = ("shorter", "how", "say_to", "example", "other_block", "to_block", "back", "discuss", "choice")

_BLOCK = r"(?P<block>opgave|waarde|samen[- ]doen|verankering|deelname|binding|organisatie)"
_TO_BLOCK = re.compile(r"(?:vanuit|bekijk (?:dit|het) (?:eens )?(?:vanuit|bij)|en bij|en voor|wat zegt|"
                       r"stem af met|from|through the lens of|look at (?:this|it) from|what about|and for)\s+"
                       r"(?:de |het |the )?(?:bouwsteen |building block |block )?" + _BLOCK + r"\b")
_ONLY_BLOCK = re.compile(r"^(?:(?:het gaat (?:vooral )?om|vooral|it is about|mostly|kies|ik kies|i choose)\s+)?"
                         r"(?:de |het |the )?(?:bouwsteen |building block |block )?" + _BLOCK + r"[ .!]*$")
_FIRST = re.compile(r"^(?:de |het |the )?(?:eerste|first)(?: (?:bouwsteen|block|optie|option|one))?[ .!]*$")
_SECOND = re.compile(r"^(?:de |het |the )?(?:tweede|second|andere|other)(?: (?:bouwsteen|block|optie|option|one))?"
                     r"[ .!]*$")

_LEAD = r"^(?:en|maar|ok[eé]?|oke|goed|dank(?:je|jewel)?|thanks|and|but|so|dus|nou)?[ ,.!]*"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("discuss", re.compile(r"(?:bespreek|bespreken|discuss)\b[^“\"]*[“\"](?P<q>[^”\"]{8,})[”\"]")),
    ("shorter", re.compile(
        r"\b(?:korter|beknopter|kort(?:er)? samen\w*|samenvat\w*|in het kort|kort gezegd\?|"
        r"in (?:een|één|1|twee|2) zin(?:nen)?|te lang|shorter|briefer|more briefly|in short|summari[sz]e|"
        r"sum (?:it|that) up|tl;?dr|too long|in (?:one|two|a few) sentences?)\b")),
    ("example", re.compile(
        r"\b(?:(?:nog )?(?:een )?(?:ander|andere|nieuw|nieuwe) (?:voorbeeld|praktijkvoorbeeld|verhaal|"
        r"praktijkverhaal|case)|nog (?:een|1) (?:voorbeeld|verhaal|praktijkvoorbeeld)|"
        r"(?:another|other|different|one more|a second) (?:example|case|story))\b")),
    ("other_block", re.compile(
        r"\b(?:(?:de|die) andere(?: bouwsteen| optie| kant)?|andere bouwsteen|tweede bouwsteen|"
        r"the other (?:block|building block|one|option)|(?:the )?second (?:block|option))\b")),
    ("back", re.compile(
        r"\b(?:terug naar (?:de |het |mijn )?(?:vorige|eerste|eerdere|oorspronkelijke)|(?:ga|gaan|even) terug|"
        r"vorige (?:bouwsteen|antwoord|vraag|situatie)|back to (?:the |my )?(?:previous|first|earlier|original)|"
        r"go back|previous (?:block|answer|question|one))\b")),
    ("say_to", re.compile(
        r"(?:wat (?:zeg|vertel|vraag) ik (?:dan |daar |precies |dan precies )*(?:tegen|aan)|"
        r"wat moet ik (?:dan |precies )*(?:zeggen|vertellen|vragen) (?:tegen|aan)|"
        r"hoe (?:zeg|vertel|breng|leg|verkoop) ik (?:dat|dit|het)(?: dan)?(?: precies)?(?: uit| over)? (?:tegen|aan|bij)|"
        r"what (?:do|should|can) i (?:say|tell|ask)(?: to)?|how do i (?:tell|explain (?:this|that|it) to|"
        r"put (?:this|that|it) to|bring (?:this|that|it) to))\s+(?P<who>[^?.!]{2,60})")),
    ("how", re.compile(
        _LEAD + r"(?:hoe (?:pak|doe|begin|start|regel|organiseer|aanpak|dan)\b|"
        r"hoe (?:moet|kan|kun|zou) (?:ik|je|we|wij) (?:dat|dit|het|daar|hiermee|daarmee)\b|"
        r"wat (?:kan|moet|kun|zou) (?:ik|we|je) (?:daar |dan |hier )*(?:concreet |nu |morgen )*(?:aan )?doen|"
        r"(?:kan het|graag|iets|nog)? ?(?:concreter|concreet|praktischer|praktisch)\b|welke stappen|"
        r"how (?:do|can|should|would) (?:i|we) (?:do|start|approach|tackle|handle|go about)\b|how then|"
        r"more concrete|concretely|in practice|what (?:can|should|do) (?:i|we) do|what steps)")),
]

# words that are part of a follow-up phrasing, not of a new situation
_FILLER = set(content_tokens(
    "korter beknopter samenvatten samenvatting zeggen zin zinnen kort lang graag even nog eens keer "
    "voorbeeld voorbeelden praktijkvoorbeeld verhaal andere ander nieuw bouwsteen optie kant terug vorige eerste "
    "pak pakken aanpakken doe doen begin beginnen concreet concreter praktisch praktischer stappen "
    "precies vertellen zeg vertel tegen bespreek bespreken "
    "shorter short briefly sentence sentences example examples another other different block option back "
    "previous first start approach tackle handle concrete practice steps say tell"))


@dataclass(frozen=True)
class FollowUp:
    intent: str
    who: str = ""  # say_to: the person or group named ("de wethouder")
    question: str = ""  # discuss: the deepening question
    block: str = ""  # to_block, choice: the block (key) the reply names


def _key(name: str) -> str:
    return name.replace(" ", "-")


def choice(text: str, offered: tuple[str | None, str | None]) -> FollowUp | None:
    """The answer to the coach's question back ("Gaat het om Opgave of om Waarde?"): one of the
    ``offered`` blocks named, or "de eerste" / "de tweede"; None when the reply is something else."""
    low = " ".join(fold(text).split()).strip(" ?")
    m = _ONLY_BLOCK.match(low)
    if m:
        return FollowUp("choice", block=_key(m.group("block")))
    if _FIRST.match(low) and offered[0]:
        return FollowUp("choice", block=offered[0])
    if _SECOND.match(low) and offered[1]:
        return FollowUp("choice", block=offered[1])
    return None


def detect(text: str) -> FollowUp | None:
    """The follow-up ``text`` asks for, or None for a new situation. A reply that carries a new
    situation of its own (more than four words beyond the follow-up phrasing) is a new question,
    except ``say_to`` and ``discuss``, which name what they are about."""
    low = " ".join(fold(text).split())
    m = _TO_BLOCK.search(low) or _ONLY_BLOCK.match(low.strip(" ?"))
    if m and len([t for t in content_tokens(text) if fold(t) not in _FILLER]) <= 3:
        return FollowUp("to_block", block=_key(m.group("block")))
    for intent, pattern in _PATTERNS:
        m = pattern.search(low)
        if not m:
            continue
        if intent == "discuss":
            q = _original(text, m.group("q"))
            return FollowUp(intent, question=q)
        if intent == "say_to":
            who = _original(text, m.group("who")).strip(" ,;:")
            who = re.sub(r"\s+(?:dan|precies|nu|morgen)$", "", who)
            return FollowUp(intent, who=who) if who else None
        rest = [t for t in content_tokens(text) if fold(t) not in _FILLER]
        if len(rest) > 4:
            return None
        return FollowUp(intent)
    return None


def _original(text: str, folded_part: str) -> str:
    """The part of ``text`` that folds to ``folded_part`` (folding keeps length for Dutch text;
    when it does not, the folded part itself)."""
    low = " ".join(fold(text).split())
    flat = " ".join(text.split())
    i = low.find(folded_part)
    if i >= 0 and len(low) == len(flat):
        return flat[i:i + len(folded_part)]
    return folded_part
