"""Passages to show (issue 17): the real magazine cut into stretches a person can read on their own.

Pure text work on the real corpus (no embedder, no index), so these are fast tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.knowledge.model import load_knowledge
from assistant.knowledge.stretches import make_stretches, open_end, points_back, problems

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "meer-bereiken-met-organisatienetwerken.txt"
HARD = ("terugverwijzing", "vraag of dubbele punt", "citaat afgebroken", "letterlijk")


@pytest.fixture(scope="module")
def magazine():
    k = load_knowledge(CORPUS)
    chunks = k.chunks()
    return k, chunks, make_stretches(chunks, {c.key: c for c in k.cases},
                                     {s.title: s.text for s in k.magazine.sections})


def test_openings_that_point_back_are_recognised():
    """The openings the trainer found dangling are recognised; ordinary openings are not."""
    for s in ("Met die laatste optie kom je verder.", "Aan de andere kant willen partners ruimte.",
              "Anderzijds is dat lastig.", "Dat klinkt logisch.", "Ze waren daarbij heel open.",
              "Tegelijkertijd is het begrijpelijk.", "“Maar dat is een middel.”"):
        assert points_back(s), s
    for s in ("Partners moeten samen zorgen voor vertrouwen.", "Het netwerk organiseert kennissessies.",
              "Geld is de derde factor."):
        assert not points_back(s), s
    assert open_end("Wie neemt de besluiten (achter de schermen)?") and open_end("Denk daarbij aan:")
    assert not open_end("Dat is een goed idee.”")


def test_every_stretch_keeps_the_hard_rules_and_is_verbatim(magazine):
    """No stretch of the real magazine opens on a word that points back, ends on a question or colon,
    stops inside a quotation or quotes text that is not in its chunk; every one that breaks a rule
    is listed."""
    k, chunks, stretches = magazine
    broken = [(s.section, p, s.text[:90]) for s in stretches for p in problems(s, chunks)
              if any(h in p for h in HARD)]
    assert len(stretches) > 150
    assert not broken, "\n".join(map(str, broken))
    for s in stretches:
        for piece in s.pieces:
            assert chunks[piece.chunk].text[piece.start:piece.end].strip()
        assert " ".join(" ".join(chunks[p.chunk].text[p.start:p.end].split()) for p in s.pieces) == \
            " ".join(s.text.split())


def test_stretches_are_mostly_the_right_length(magazine):
    """Most stretches hold 40–140 words; the few that cannot (a long quotation with no place to cut)
    are listed and stay rare."""
    _, chunks, stretches = magazine
    long_or_short = [(s.section, s.words) for s in stretches if any("lengte" in p for p in problems(s, chunks))
                     and not 25 <= s.words <= 180]
    assert len(long_or_short) <= len(stretches) // 20, long_or_short


def test_no_headings_or_list_items_inside(magazine):
    """Headings ('Een structuur op basis van vertrouwen'), list items and numbered steps never appear."""
    k, chunks, stretches = magazine
    texts = " ".join(s.text for s in stretches)
    assert "Een structuur op basis van vertrouwen" not in texts and "Korte toelichting" not in texts
    assert not any(sent.text.startswith(("•", "1. ", "2. ")) for s in stretches for sent in s.sentences)


def test_a_quotation_over_a_chunk_boundary_is_known_as_one(magazine):
    """Where the chunker cut a long paragraph inside a quotation, the quotation goes on: a stretch that
    starts in the middle of it says so (shown “…), none passes it off as narration
    (Heerlen-Noord: “Alles wat we doen moet een 8½ … Ter plekke ontstaan ideeën. …”)."""
    _, _, stretches = magazine
    sentence = next(x for s in stretches for x in s.sentences if x.text.startswith("Ter plekke ontstaan ideeën"))
    assert sentence.speech and sentence.speaker == "Ron Meyer"
    for s in stretches:
        if s.sentences[0].speech and not s.sentences[0].text.startswith("“") and s.sentences[0].speaker:
            assert s.opens_inside or "“" in s.sentences[0].text, s.text[:80]


def test_speakers_come_from_the_case_and_narration_is_nobody_s(magazine):
    """Quoted words are credited to the person who says them; the writer's narration to no one."""
    _, _, stretches = magazine
    by_text = {sent.text: sent for s in stretches for sent in s.sentences}
    meyer = next(v for t, v in by_text.items() if t.startswith("“We functioneren als sleepboot én als speedboot”"))
    assert meyer.speech and meyer.speaker == "Ron Meyer"
    marieke = next(v for t, v in by_text.items() if t.startswith("Marieke: “In Zaanstad doen we allebei"))
    assert marieke.speaker == "Marieke Sloep"
    narration = next(v for t, v in by_text.items() if t.startswith("Binnen het NPLV is Heerlen-Noord een van de gebieden"))
    assert not narration.speech and narration.speaker is None
    # after a quotation closes mid-paragraph ('… motivatie.” Als programmadirecteur heeft Ron Meyer …'),
    # the writer speaks again: the closing mark stays with the quoted sentence
    closed = next(v for t, v in by_text.items() if t.startswith("Het is op basis van vertrouwen en intrinsieke"))
    assert closed.text.endswith("motivatie.”") and closed.speaker == "Ron Meyer"
    after = next(v for t, v in by_text.items() if t.startswith("Als programmadirecteur heeft Ron Meyer"))
    assert not after.speech and after.speaker is None
    for s in stretches:
        if s.all_speech_of:
            assert all(x.speech and x.speaker == s.all_speech_of for x in s.sentences)


def test_a_lead_in_is_narration_so_the_stretch_is_not_credited_to_the_speaker(magazine):
    """'Fred wijst op …: “Die is …' starts with the writer's words: a stretch holding it is credited
    to the article, not to Fred Pijls."""
    _, _, stretches = magazine
    s = next(s for s in stretches if any(x.text.startswith("Fred wijst op de democratische legitimatie")
                                         for x in s.sentences))
    lead = next(x for x in s.sentences if x.text.startswith("Fred wijst op"))
    assert lead.lead_in and lead.speaker == "Fred Pijls" and s.all_speech_of is None


def test_a_compact_practice_passage_keeps_the_rules(magazine):
    """The practice passage may be the readable part of its stretch: at least two sentences (one alone
    reads as a slogan without context) of at most 75 words around the best sentence (half as long
    again when no shorter window keeps the rules), still opening and ending where a stretch may,
    verbatim in its chunks."""
    from assistant.knowledge.stretches import compact
    _, chunks, stretches = magazine
    long_ones = [s for s in stretches if s.case and s.words > 90]
    assert long_ones
    shortened = 0
    for s in long_ones:
        c = compact(s, chunks, s.sentences[-1].text)
        assert s.sentences[-1].text in [x.text for x in c.sentences]  # holds the sentence asked for
        if c is not s:
            shortened += 1
            assert len(c.sentences) >= 2 and c.words <= 112
            assert not points_back(c.sentences[0].text) and not open_end(c.sentences[-1].text)
            assert not c.sentences[-1].open_after or c.closes_inside
            for p in c.pieces:
                assert chunks[p.chunk].text[p.start:p.end].strip()
    assert shortened >= len(long_ones) // 3


def test_headings_glued_to_a_paragraph_and_abbreviations_do_not_make_sentences(magazine):
    """The PDF glues some headings to the paragraph before them ('… gerealiseerd.” Lokale netwerken
    verbonden in een landelijk netwerk', '… leren kennen.” Vertrouwen door goede inhoud...'): they are
    left out like other headings. 'bijv. 5 partners' does not end a sentence."""
    _, _, stretches = magazine
    texts = [x.text for s in stretches for x in s.sentences]
    assert not any(t.startswith(("Vertrouwen door goede inhoud", "Lokale netwerken verbonden in een")) for t in texts)
    assert "Een netwerk kan klein (bijv. 5 partners) of groot zijn (bijv. 50 partners)." in texts
    assert any(t.endswith("echt leren kennen.”") for t in texts)  # the quotation before the heading stays whole
