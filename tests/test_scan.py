"""Leerkring — Mozaïekscan: validation, summary, focus material, chart, CSV, report, export."""
from __future__ import annotations

import dataclasses
import os
import struct
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.util.atomic import atomic_write_bytes, atomic_write_text
from assistant.errors import InputError
from assistant.knowledge.model import Knowledge, load_knowledge
from assistant.knowledge.mozaiek import BLOCK_KEYS
from assistant.leerkring.scan import (CSV_COLUMNS, NAME_MAX, REASON_DISAGREEMENT, REASON_WEAKEST, REMARK_MAX,
                            SOURCE_LINE, Participant, Scan, add_participant, export_scan,
                            focus_material, from_csv, radar_chart_png, remove_participant,
                            report_markdown, summary, to_csv, validate_participant)

CORPUS = Path(__file__).parent.parent / "corpus" / "meer-bereiken-met-organisatienetwerken.txt"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEADER = ",".join(CSV_COLUMNS)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(CORPUS)


def scores(*values) -> dict[str, object]:
    return dict(zip(BLOCK_KEYS, values))


def make_scan(*rows) -> Scan:
    scan = Scan()
    for name, values, remarks in rows:
        scan = add_participant(scan, validate_participant(name, scores(*values), remarks))
    return scan


@pytest.fixture
def group() -> Scan:
    """Binding and deelname clearly weakest; verankering and organisatie disputed (2 vs 5)."""
    return make_scan(
        ("Anna", (4, 4, 3, 5, 2, 1, 5), {"binding": "We kennen elkaar nauwelijks."}),
        ("", (4, 4, 3, 2, 2, 1, 2), {}),
        ("Bram", (4, 4, 3, 4, 3, 2, 4), {"organisatie": "Wie beslist er eigenlijk?"}),
    )


def png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


# --------------------------------------------------------------------------- validation

@pytest.mark.parametrize("bad, block", [
    (scores(None, 3, 3, 3, 3, 3, 3), "Opgave"),
    (scores(3, 0, 3, 3, 3, 3, 3), "Waarde"),
    (scores(3, 3, 6, 3, 3, 3, 3), "Samen doen"),
    (scores(3, 3, 3, 2.5, 3, 3, 3), "Verankering"),
    (scores(3, 3, 3, 3, "abc", 3, 3), "Deelname"),
    ({k: 3 for k in BLOCK_KEYS if k != "binding"}, "Binding"),
    (scores(3, 3, 3, 3, 3, 3, True), "Organisatie"),
])
def test_invalid_score_names_block_and_range(bad, block):
    """A missing, out-of-range or non-whole score is refused, naming the block and the range."""
    with pytest.raises(InputError) as err:
        validate_participant("Anna", bad, {})
    assert block in str(err.value)
    assert "1 tot en met 5" in str(err.value)


def test_all_problems_reported_at_once():
    """Every bad block is named in one message, not only the first."""
    with pytest.raises(InputError) as err:
        validate_participant("", scores(0, 6, 2.5, "abc", None, 3, 3), {})
    for name in ("Opgave", "Waarde", "Samen doen", "Verankering", "Deelname"):
        assert name in str(err.value)
    assert "Binding" not in str(err.value)


def test_unknown_block_refused():
    """A score or remark for a block that does not exist is refused."""
    with pytest.raises(InputError, match="Onbekende bouwsteen"):
        validate_participant("", {**scores(3, 3, 3, 3, 3, 3, 3), "sfeer": 4}, {})
    with pytest.raises(InputError, match="onbekende bouwsteen"):
        validate_participant("", scores(3, 3, 3, 3, 3, 3, 3), {"sfeer": "gezellig"})


def test_scores_accept_text_and_whole_floats():
    """'3', ' 4 ', 3.0 and '2,0' are read as whole numbers."""
    p = validate_participant("Anna", scores("3", " 4 ", 3.0, "2,0", 5, 1, "5.0"), {})
    assert p.scores == (3, 4, 3, 2, 5, 1, 5)
    assert p.score("samen-doen") == 3


def test_name_and_remarks_cleaned_and_capped():
    """Names and remarks are stripped, without control characters, length-capped; a name is on one
    line, a remark keeps its line breaks (issue 20, item 5)."""
    p = validate_participant("  An\x00na\u202e \n de\tVries  " + "x" * 100, scores(3, 3, 3, 3, 3, 3, 3),
                             {"opgave": " Goed\r\nbezig\x07 ", "binding": "y" * 2000})
    assert p.name.startswith("Anna de Vries ")
    assert len(p.name) == NAME_MAX
    assert p.remark("opgave") == "Goed\nbezig"
    assert len(p.remark("binding")) == REMARK_MAX
    assert p.remark("waarde") == ""


def test_empty_names_numbered():
    """Participants without a name become 'Deelnemer 1', 'Deelnemer 2', …"""
    scan = make_scan(("", (3,) * 7, {}), ("Bram", (3,) * 7, {}), ("  ", (3,) * 7, {}))
    assert [p.name for p in scan.participants] == ["Deelnemer 1", "Bram", "Deelnemer 3"]
    assert remove_participant(scan, 1).participants == (scan.participants[0], scan.participants[2])
    assert Scan((Participant("", (3,) * 7),)).labels() == ("Deelnemer 1",)


def test_functions_return_new_objects():
    """Adding a participant leaves the original scan unchanged."""
    scan = make_scan(("Anna", (3,) * 7, {}))
    bigger = add_participant(scan, validate_participant("Bram", scores(*(4,) * 7), {}))
    assert len(scan) == 1 and len(bigger) == 2


# --------------------------------------------------------------------------- summary

def test_summary_one_participant():
    """One participant: mean = score, std 0, no disagreement; ties go to the magazine's order."""
    s = summary(make_scan(("Anna", (4, 2, 5, 2, 3, 4, 5), {})))
    assert s.participants == 1
    assert [b.mean for b in s.blocks] == [4, 2, 5, 2, 3, 4, 5]
    assert all(b.std == 0 and b.count == 1 and b.spread == 0 for b in s.blocks)
    assert s.weakest == ("waarde", "verankering")
    assert s.disagreement == ()


def test_summary_empty_scan_refused():
    """A summary needs at least one participant."""
    with pytest.raises(InputError, match="minstens één deelnemer"):
        summary(Scan())


def test_summary_group(group):
    """Three participants: the right statistics, weakest pair and disagreement blocks."""
    s = summary(group)
    binding = s.stats("binding")
    assert (binding.min, binding.max, binding.count) == (1, 2, 3)
    assert binding.mean == pytest.approx(4 / 3)
    assert binding.std == pytest.approx(0.4714, abs=1e-4)
    assert s.weakest == ("binding", "deelname")
    assert set(s.disagreement) == {"verankering", "organisatie"}
    assert s.stats("opgave").std == 0


def test_weakest_tie_broken_by_spread_then_order():
    """Equal means: the block with the larger spread is weaker; then the magazine's order."""
    s = summary(make_scan(("A", (3, 3, 2, 3, 3, 3, 3), {}), ("B", (3, 3, 4, 3, 3, 3, 3), {})))
    assert s.weakest == ("samen-doen", "opgave")
    assert s.disagreement == ()  # 2 against 4 is one step either side of the middle, not a split


def test_disagreement_ranked_by_std_at_most_two():
    """Disagreement needs a real split (lowest ≤ 2, highest at least 3 higher), is ranked by std and
    holds at most two blocks."""
    # verankering 1-3-5 (std 1.63), binding 1-4-4 (std 1.41): split; samen-doen 2-4-4, waarde 2-3-4 and
    # deelname 3-3-4: no split
    s = summary(make_scan(("A", (3, 2, 2, 1, 3, 1, 3), {}), ("B", (3, 3, 4, 3, 3, 4, 3), {}),
                          ("C", (3, 4, 4, 5, 4, 4, 3), {})))
    assert s.disagreement == ("verankering", "binding")


def test_disagreement_tie_goes_to_magazine_order():
    """Equal std and spread: the block that comes first in the magazine is listed first."""
    s = summary(make_scan(("A", (3, 3, 3, 3, 3, 1, 1), {}), ("B", (3, 3, 3, 3, 3, 4, 4), {})))
    assert s.disagreement == ("binding", "organisatie")


@pytest.mark.parametrize("column,disputed", [
    ((2, 3, 4, 4, 3), False),  # 2–4, mean 3.2: ordinary differences
    ((3, 5, 4, 5, 3), False),  # 3–5: everyone is positive, whatever the spread
    ((1, 5, 4, 4, 3), False),  # one person at 1 in a group of five: a conversation with one person
    ((1, 1, 5, 4, 5), True),   # two at 1, two at 5: the group is split
])
def test_disputed_means_a_real_split(column, disputed):
    """The cases a trainer found wrong: "grote verschillen" only for a split of the group."""
    rows = [(str(i), (c, 3, 3, 3, 3, 3, 3), {}) for i, c in enumerate(column)]
    assert ("opgave" in summary(make_scan(*rows)).disagreement) is disputed


def test_lowest_only_for_blocks_that_are_low():
    """The lowest block is always named; a second only when it is below the middle or close to the
    lowest (a block at 3.4 is not "laagste" next to one at 2.4)."""
    rows = [("A", (2, 3, 4, 4, 4, 4, 4), {}), ("B", (3, 4, 4, 4, 4, 4, 4), {}), ("C", (2, 3, 4, 4, 4, 4, 4), {}),
            ("D", (3, 4, 4, 4, 4, 4, 4), {}), ("E", (2, 3, 4, 4, 4, 4, 4), {})]
    s = summary(make_scan(*rows))
    assert s.stats("waarde").mean == pytest.approx(3.4) and s.weakest == ("opgave",)
    low = summary(make_scan(("A", (2, 2, 4, 4, 4, 4, 4), {}), ("B", (3, 3, 4, 4, 4, 4, 4), {})))
    assert low.weakest == ("opgave", "waarde")


# --------------------------------------------------------------------------- focus

def test_focus_material(knowledge, group):
    """Each weakest and disputed block once, with its own questions, 'stem af met' and a case."""
    focus = focus_material(knowledge, summary(group))
    assert [f.key for f in focus] == ["binding", "deelname", "verankering", "organisatie"]
    reasons = {f.key: f.reasons for f in focus}
    assert reasons["binding"] == (REASON_WEAKEST,)
    assert reasons["organisatie"] == (REASON_DISAGREEMENT,)
    for f in focus:
        block = knowledge.block(f.key)
        assert f.name == block.name and f.tagline == block.tagline
        assert f.deepening_questions == block.deepening_questions and f.deepening_questions
        assert [s.text for s in f.stem_af_met] == [s.text for s in block.stem_af_met]
        assert all(s.name for s in f.stem_af_met)
        assert f.case is not None and f.key in f.case.blocks
    assert {f.key: f.case.key for f in focus}["binding"] == "drechtsteden"  # the case behind it


def test_focus_block_both_weakest_and_disputed(knowledge):
    """A block that is weakest and disputed appears once, with both reasons."""
    s = summary(make_scan(("A", (1, 5, 5, 5, 5, 5, 4), {}), ("B", (4, 5, 5, 5, 5, 5, 4), {})))
    focus = focus_material(knowledge, s)
    assert [f.key for f in focus] == ["opgave"]  # organisatie at 4 is not low
    assert focus[0].reasons == (REASON_WEAKEST, REASON_DISAGREEMENT)
    assert "en" in focus[0].why


def test_focus_without_material_in_text(knowledge):
    """Another edition of the text without a block: the focus keeps its name, without material."""
    bare = dataclasses.replace(knowledge, blocks=(), cases=())
    scan = make_scan(("Anna", (1, 1, 5, 5, 5, 5, 5), {}))
    s = summary(scan)
    focus = focus_material(bare, s)
    assert [(f.name, f.deepening_questions, f.stem_af_met, f.case) for f in focus] == [
        ("Opgave", (), (), None), ("Waarde", (), (), None)]
    assert "geen praktijkverhaal" in report_markdown(bare, scan, s, focus)


# --------------------------------------------------------------------------- chart

@pytest.mark.parametrize("n", [1, 3])
def test_radar_chart_png(group, n):
    """The radar chart is a PNG of 6×6 inch at 120 dpi and a reasonable size."""
    scan = Scan(group.participants[:n])
    data = radar_chart_png(summary(scan), title="Leerkring $x$")
    assert data.startswith(PNG_SIGNATURE)
    assert 10_000 < len(data) < 1_000_000
    assert png_size(data) == (720, 720)


def test_radar_chart_leaves_no_pyplot_figures(group):
    """Drawing the chart does not register figures with pyplot (no leak across requests)."""
    import matplotlib.pyplot as plt
    before = plt.get_fignums()
    radar_chart_png(summary(group))
    assert plt.get_fignums() == before


# --------------------------------------------------------------------------- CSV

def test_csv_header_and_rows(group):
    """The CSV has the agreed header and one row per participant."""
    lines = to_csv(group).splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 1 + len(group)
    assert lines[2].startswith("Deelnemer 2,4,4,3,2,2,1,2")


def test_csv_round_trip(group):
    """from_csv(to_csv(scan)) gives the same scan back, also with awkward text."""
    tricky = add_participant(group, validate_participant(
        '=HYPERLINK("x"), ‘Zoë’', scores(*(5,) * 7),
        {"opgave": "'quote", "waarde": "-min, \"plus\"", "binding": "@ ;komma, puntkomma"}))
    assert from_csv(to_csv(tricky).encode("utf-8")) == tricky


def test_csv_protects_against_formulas():
    """A name starting with '=' is written so a spreadsheet shows it as text."""
    scan = make_scan(("=1+1", (3,) * 7, {}))
    assert to_csv(scan).splitlines()[1].startswith("'=1+1,")


def test_csv_accepts_bom_semicolons_and_no_remark_columns():
    """A spreadsheet's UTF-8 BOM, ';' separators and left-out remark columns are fine."""
    data = "\ufeffnaam;opgave;waarde;samen-doen;verankering;deelname;binding;organisatie\r\nZoë;1;2;3;4;5;4;3\r\n"
    scan = from_csv(data.encode("utf-8"))
    assert scan.participants == (Participant("Zoë", (1, 2, 3, 4, 5, 4, 3)),)


def _row(values: str = "3,3,3,3,3,3,3", name: str = "Anna") -> str:
    return f"{name},{values}" + "," * 7


@pytest.mark.parametrize("data, expected", [
    (b"name,score\nAnna,3\n", ["ontbreken", "opgave", "organisatie", "naam", "‘name’", "‘score’"]),
    ((HEADER + "\n" + _row("3,3,3,7,3,3,3") + "\n").encode(), ["Rij 2", "Verankering", "1 tot en met 5"]),
    ((HEADER + "\n" + _row() + "\n" + _row("3,2.5,3,3,3,3,3") + "\n").encode(), ["Rij 3", "Waarde"]),
    ((HEADER + "\n" + _row("3,3,,3,3,3,3") + "\n").encode(), ["Rij 2", "Samen doen", "ontbreekt"]),
    (b"naam;\xff", ["geen UTF-8", "CSV UTF-8"]),
    (b"", ["leeg"]),
    (b" \r\n\r\n", ["leeg"]),
    (b",,,\n , ,\n", ["leeg"]),
    ((HEADER + "\n").encode(), ["geen deelnemers"]),
    ((HEADER + ",extra\n" + _row() + ",x\n").encode(), ["Onbekende kolommen", "‘extra’"]),
    ((HEADER + ",opgave\n").encode(), ["Dubbele kolommen", "opgave"]),
    ((HEADER + "\n" + _row() + ",te,veel\n").encode(), ["Rij 2", "meer waarden"]),
    (b"\x00\x01\x02naam", ["geen tekstbestand"]),
    ((HEADER + '\nAnna,"' + "x" * 150_000 + "\n").encode(), ["geen leesbare CSV", "regel"]),
])
def test_csv_rejections(data, expected):
    """An unusable CSV is refused with a Dutch message that names the problem."""
    with pytest.raises(InputError) as err:
        from_csv(data)
    for part in expected:
        assert part in str(err.value)


def test_csv_too_large():
    """A file over max_bytes is refused before it is read."""
    with pytest.raises(InputError, match="te groot"):
        from_csv(b"x" * 200_001)
    with pytest.raises(InputError, match="te groot"):
        from_csv((HEADER + "\n" + _row() + "\n").encode(), max_bytes=50)


def test_csv_too_many_rows():
    """A file with more than max_rows participants is refused."""
    data = (HEADER + "\n" + "\n".join(_row() for _ in range(4)) + "\n").encode()
    assert len(from_csv(data, max_rows=4)) == 4
    with pytest.raises(InputError, match="meer dan 3 deelnemers"):
        from_csv(data, max_rows=3)


def test_csv_rejects_text_instead_of_bytes():
    """from_csv takes the uploaded bytes, not a str (a programming error)."""
    with pytest.raises(TypeError):
        from_csv(HEADER)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- report

def test_report_contents(knowledge, group):
    """The report holds the date, the count, the table, the focus material, remarks and source."""
    s = summary(group)
    focus = focus_material(knowledge, s)
    md = report_markdown(knowledge, group, s, focus, today=date(2024, 3, 5))
    assert md.startswith("# Mozaïekscan")
    assert "5 maart 2024" in md
    assert "**Aantal deelnemers:** 3 (Anna, Deelnemer 2, Bram)" in md
    assert "| **Binding** | 1,3 | 1 | 2 | laagste gemiddelde score |" in md
    for f in focus:
        assert f"### {f.name} — {f.tagline}" in md
        assert f.deepening_questions[0] in md
        assert f.case.section in md and f.case.people[0].name in md
    assert REASON_DISAGREEMENT in md
    assert "- **Anna** (score 1): We kennen elkaar nauwelijks." in md
    assert md.rstrip().endswith(SOURCE_LINE)


def test_report_escapes_participant_text(knowledge):
    """Names and remarks cannot inject HTML, links, emphasis or table cells."""
    evil = "<script>alert(1)</script>"
    scan = make_scan((evil, (1, 2, 3, 4, 5, 4, 3), {"opgave": f"{evil} | [klik](http://x) *vet* `code`"}))
    s = summary(scan)
    md = report_markdown(knowledge, scan, s, focus_material(knowledge, s))
    assert "<script>" not in md and "</script>" not in md
    assert "&lt;script&gt;" in md
    assert "[klik]" not in md and "*vet*" not in md and "`code`" not in md
    remark_line = next(line for line in md.splitlines() if "alert" in line and "score" in line)
    assert "|" not in remark_line


# --------------------------------------------------------------------------- export

def test_export_writes_three_files(knowledge, group, tmp_path):
    """Export writes the report, chart and CSV into a new folder and leaves no temp files."""
    folder = tmp_path / "uit" / "scan"
    paths = export_scan(knowledge, group, folder)
    assert set(paths) == {"md", "png", "csv"}
    assert sorted(os.listdir(folder)) == ["mozaiekscan.csv", "mozaiekscan.md", "mozaiekscan.png"]
    assert paths["png"].read_bytes().startswith(PNG_SIGNATURE)
    assert from_csv(paths["csv"].read_bytes()) == group
    assert SOURCE_LINE in paths["md"].read_text(encoding="utf-8")
    export_scan(knowledge, group, folder)  # again: files replaced, still no temp files
    assert len(os.listdir(folder)) == 3


def test_atomic_write_replaces_and_cleans_up(tmp_path):
    """An atomic write replaces the file whole; on failure the temp file is removed."""
    target = tmp_path / "a.txt"
    atomic_write_text(target, "één\n")
    assert target.read_bytes() == "één\n".encode("utf-8")
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    atomic_write_bytes(target, b"twee")
    assert target.read_bytes() == b"twee"
    blocked = tmp_path / "map"
    blocked.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(OSError):
        atomic_write_bytes(blocked, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "map"]


# --------------------------------------------------------------------------- properties

participant_rows = st.lists(
    st.tuples(st.text(max_size=80),
              st.lists(st.integers(1, 5), min_size=7, max_size=7),
              st.dictionaries(st.sampled_from(BLOCK_KEYS), st.text(max_size=40), max_size=3)),
    min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(participant_rows)
def test_property_valid_scans(rows):
    """Any valid group: means within 1–5, valid weakest blocks, and an exact CSV round trip."""
    scan = make_scan(*rows)
    s = summary(scan)
    assert all(1 <= b.mean <= 5 and b.min <= b.mean <= b.max and b.std >= 0 for b in s.blocks)
    assert 1 <= len(s.weakest) <= 2 and set(s.weakest) <= set(BLOCK_KEYS)
    assert s.stats(s.weakest[0]).mean == min(b.mean for b in s.blocks)
    assert set(s.disagreement) <= set(BLOCK_KEYS) and len(s.disagreement) <= 2
    assert all(s.stats(k).min <= 2 and s.stats(k).spread >= 3 for k in s.disagreement)
    if len(scan) == 1:
        assert s.disagreement == ()
    assert from_csv(to_csv(scan).encode("utf-8")) == scan


def test_export_draws_the_same_group_result_once(tmp_path, monkeypatch, group):
    """The same scores again (another export, another script posting the same CSV): no redraw."""
    import assistant.leerkring.scan as scan_mod
    from assistant.knowledge.model import load_knowledge
    from .conftest import MINI_CORPUS
    calls = []
    real = scan_mod.radar_chart_png
    monkeypatch.setattr(scan_mod, "radar_chart_png", lambda *a, **k: calls.append(1) or real(*a, **k))
    scan_mod.cached_radar_png.cache_clear()
    knowledge = load_knowledge(MINI_CORPUS)
    first = scan_mod.export_scan(knowledge, group, tmp_path / "a")
    second = scan_mod.export_scan(knowledge, group, tmp_path / "b")
    assert len(calls) == 1 and first["png"].read_bytes() == second["png"].read_bytes()


def test_a_title_with_dollar_signs_is_drawn_as_text():
    """A compared circle titled "$x$ of $y" draws (matplotlib would read it as broken math)."""
    from assistant.leerkring.scan import radar_chart_png
    now = summary(make_scan(("A", (1, 2, 3, 4, 5, 1, 2), {}), ("B", (2, 2, 3, 4, 5, 2, 2), {})))
    png = radar_chart_png(now, title="Leerkring $x$ of $y", earlier=now, earlier_label="Vorige $a_{b$ ronde")
    assert png.startswith(b"\x89PNG") and png_size(png)[0] > 100
