"""Parsing and cleaning the magazine text (fixture magazine)."""

import pytest

from assistant.knowledge.corpus import load_magazine, parse_magazine, read_corpus
from assistant.errors import CorpusError

from .conftest import MINI_CORPUS


@pytest.fixture(scope="module")
def mini():
    return load_magazine(MINI_CORPUS)


def test_sections_follow_the_footers(mini):
    """Each footer names a section; the text after the last footer is the colophon."""
    assert [s.title for s in mini.sections] == [
        "Organisatienetwerken, onmisbaar en waardevol", "Het Netwerkmozaïek", "Bouwsteen Opgave",
        "Bouwsteen Waarde", "Bouwsteen Binding", "Partners moeten met elkaar verbonden zijn",
        "Lokale netwerken, landelijk verbonden", "Colofon"]
    assert [s.kind for s in mini.sections] == ["intro", "framework", "bouwsteen", "bouwsteen", "bouwsteen",
                                               "interview", "interview", "colofon"]


def test_words_split_across_lines_are_joined_but_real_hyphens_stay(mini):
    """'maat-' + 'schappelijke' becomes one word; 'publiek-privaat' and '(semi-)publieke' stay."""
    text = mini.text
    assert "maatschappelijke organisaties" in text
    assert "vertrouwensreservoir" in text and "netwerk ervaren" in text
    assert "publiek-privaat" in text and "(semi-)publieke" in text and "Heerlen-Noord" in text
    assert "maat-" not in text


def test_page_furniture_is_removed(mini):
    """Footers, page markers, URLs, photo credits and block labels are not in the text."""
    text = mini.text
    for furniture in ("Meer bereiken met organisatienetwerken /", "18Inhoud", "https://",
                      "Piet Fotograaf", "Zorg voor duurzame", "Zorg voor een gezamenlijk",
                      "Zorg voor zichtbare"):
        assert furniture not in text


def test_page_without_footer_joins_the_previous_section(mini):
    """A page whose footer is missing belongs to the section before the building block."""
    assert "Een losse pagina zonder voettekst" in mini.section("Het Netwerkmozaïek").text
    assert "losse pagina" not in mini.section("Bouwsteen Opgave").text


def test_lists_and_subtitles_are_kept(mini):
    """Bullets and numbered questions stay separate items; the subtitle names the speaker."""
    binding = mini.section("Bouwsteen Binding").paragraphs
    assert "• Hoe houden partners hun verbinding levend?" in binding
    assert any(p.startswith("2. Hebben partners") for p in binding)
    interview = mini.section("Partners moeten met elkaar verbonden zijn")
    assert "Tinka van Rood" in interview.subtitle
    assert "Onderhoud je netwerk" in interview.paragraphs  # a heading is its own paragraph


def test_blocks_and_cases_come_out_of_the_sections(mini):
    """Each 'Bouwsteen …' section gives a complete block (in framework order) with its tagline and
    summary; each case whose facts occur in its own section is found, one whose facts do not is left
    out."""
    from assistant.knowledge.cases import resolve_cases
    from assistant.knowledge.mozaiek import extract_blocks
    blocks = extract_blocks(mini)
    assert [b.key for b in blocks] == ["opgave", "waarde", "binding"]
    for b in blocks:
        assert b.toelichting and len(b.key_questions) == 2 and len(b.deepening_questions) == 2
        assert b.stem_af_met and b.tagline.startswith("Zorg voor ") and b.summary.startswith(f"{b.name}.", 3)
    assert [s.to for s in blocks[1].stem_af_met] == ["opgave", "deelname"]
    assert blocks[0].deepening_questions[1].endswith("Wie houdt die bij en wanneer komen ze op tafel?")
    assert [c.key for c in resolve_cases(mini)] == ["drechtsteden", "zaanstad"]
    text = MINI_CORPUS.read_text(encoding="utf-8")
    renamed = parse_magazine(text.replace("landelijke NPLV", "landelijke programma"))
    assert [c.key for c in resolve_cases(renamed)] == ["drechtsteden"]


def test_missing_empty_and_foreign_files_give_clear_errors(tmp_path):
    """A missing, empty, non-UTF-8 or unrelated file raises CorpusError with a Dutch message."""
    with pytest.raises(CorpusError, match="ontbreekt"):
        read_corpus(tmp_path / "nope.txt")
    (tmp_path / "empty.txt").write_text("  \n")
    with pytest.raises(CorpusError, match="leeg"):
        read_corpus(tmp_path / "empty.txt")
    (tmp_path / "latin.txt").write_bytes(MINI_CORPUS.read_text().encode("latin-1", "replace"))
    with pytest.raises(CorpusError, match="UTF-8"):
        read_corpus(tmp_path / "latin.txt")
    (tmp_path / "other.txt").write_text("Een heel ander document.\n")
    with pytest.raises(CorpusError, match="voettekst"):
        read_corpus(tmp_path / "other.txt")


def test_same_text_gives_same_hash_and_sections():
    """Parsing is deterministic: the hash and sections depend only on the text."""
    text = MINI_CORPUS.read_text(encoding="utf-8")
    assert parse_magazine(text) == parse_magazine(text)
    assert parse_magazine(text).sha256 != parse_magazine(text + "\n\nextra").sha256
