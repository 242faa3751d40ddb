"""Facts about the real magazine: sections, the seven blocks and the eleven cases."""
import json
import re

import pytest

from assistant.knowledge.cases import CASE_KEYS
from assistant.knowledge.corpus import normalized_source
from assistant.knowledge.model import load_knowledge
from assistant.knowledge.mozaiek import BLOCK_KEYS

from .conftest import REAL_CORPUS, run_cli

# What the magazine prints per block: (key questions, deepening questions).
PRINTED = {"opgave": (4, 4), "waarde": (4, 3), "samen-doen": (4, 4), "verankering": (4, 2),
           "deelname": (4, 3), "binding": (3, 3), "organisatie": (4, 3)}


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(REAL_CORPUS)


@pytest.fixture(scope="module")
def source():
    return normalized_source(REAL_CORPUS.read_text(encoding="utf-8"))


def test_nineteen_footer_sections_plus_colophon(knowledge):
    """The 19 footer-named sections, in order, then the colophon."""
    sections = knowledge.magazine.sections
    assert len(sections) == 20 and sections[-1].kind == "colofon"
    kinds = [s.kind for s in sections]
    assert kinds.count("bouwsteen") == 7 and kinds[0] == "intro" and kinds[1] == "framework"
    assert knowledge.magazine.section("Heeft jouw netwerk al een vergunning?").kind == "essay"


def test_cleaned_text_has_no_page_furniture(knowledge):
    """No footers, page markers, URLs or photo credits; hyphenated words are joined."""
    text = knowledge.magazine.text
    assert "Meer bereiken met organisatienetwerken /" not in text
    assert not re.search(r"\d+Inhoud", text) and "https://" not in text
    for credit in ("Ineke Linssen Photography", "Beeldbank Zeeland", "Franco Gori", "Femke Teussink",
                   "Tristan van den Bijtel", "Lou Muuse", "Visit Brabant", "Raldo Neven"):
        assert credit not in text
    assert "maatschappelijke" in text and "maat- schappelijke" not in text
    for real_hyphen in ("publiek-private", "Heerlen-Noord", "(semi-)publieke", "NPLV-verhaal"):
        assert real_hyphen in text


def test_page_missing_its_footer_stays_in_the_framework(knowledge):
    """The framework page printed without a footer is not attributed to Bouwsteen Binding."""
    framework = knowledge.magazine.section("Het Netwerkmozaïek").text
    assert "Een andere samenhang die aandacht behoeft" in framework
    assert "Een andere samenhang" not in knowledge.magazine.section("Bouwsteen Binding").text


def test_seven_blocks_with_the_printed_number_of_questions(knowledge):
    """Each block has its tagline and exactly the questions the magazine prints."""
    assert tuple(b.key for b in knowledge.blocks) == BLOCK_KEYS
    for block in knowledge.blocks:
        assert block.tagline.startswith("Zorg voor "), block.key
        assert (len(block.key_questions), len(block.deepening_questions)) == PRINTED[block.key], block.key
        assert all(q.endswith(("?", ".", "’.")) or q.endswith("’") for q in block.deepening_questions)
        assert block.toelichting and block.summary.startswith(tuple("1234567"))


def test_stem_af_met_links_three_other_blocks(knowledge):
    """Every block links to three other, valid blocks."""
    for block in knowledge.blocks:
        targets = [s.to for s in block.stem_af_met]
        assert len(targets) == 3 and len(set(targets)) == 3
        assert all(t in BLOCK_KEYS and t != block.key for t in targets)


def test_every_extracted_text_is_verbatim_in_the_source(knowledge, source):
    """Taglines, explanations, questions and links are the magazine's own words."""
    for block in knowledge.blocks:
        parts = [block.tagline, block.summary, *block.toelichting.split("\n\n"), *block.key_questions,
                 *block.deepening_questions, *(s.text for s in block.stem_af_met)]
        for part in parts:
            assert part in source, (block.key, part[:80])


def test_deepening_question_spanning_a_page_is_complete(knowledge):
    """A question that runs over a page break keeps its last sentence."""
    waarde = knowledge.block("waarde").deepening_questions[0]
    assert waarde.endswith("‘value is in the eye of the stakeholder’.")


def test_eleven_cases_with_people_and_blocks(knowledge):
    """All eleven cases, each with people and at least the block it stands behind."""
    assert tuple(c.key for c in knowledge.cases) == CASE_KEYS and len(CASE_KEYS) == 11
    behind = {"drechtsteden": "binding", "amersfoort": "deelname", "zaanstad": "opgave",
              "heerlen": "opgave", "tno": "waarde", "overijssel": "organisatie",
              "feijenoord": "samen-doen", "ruwaard": "verankering", "mom": "verankering"}
    for case in knowledge.cases:
        assert case.people and case.blocks
        assert set(case.blocks) <= set(BLOCK_KEYS)
        if case.key in behind:
            assert case.blocks[0] == behind[case.key]


def test_mozaiek_json_command_prints_the_full_model():
    """`python -m assistant mozaiek --json` prints blocks, cases and sections as JSON."""
    result = run_cli(["-m", "assistant", "mozaiek", "--json"])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["blocks"]) == 7 and len(data["cases"]) == 11 and len(data["sections"]) == 20
    opgave = data["blocks"][0]
    assert opgave["key"] == "opgave" and opgave["section"] == "Bouwsteen Opgave"
    assert {"to", "text"} <= set(opgave["stem_af_met"][0])
    assert all(c["people"] for c in data["cases"])
