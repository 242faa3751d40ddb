"""The scan tab's handlers, called directly: adding, importing, results and the /scan endpoint."""
from __future__ import annotations

import gradio as gr
import pytest

from assistant.leerkring import scan as scan_mod
from assistant.knowledge.model import load_knowledge
from assistant.ui.tabs import scan

from .conftest import REAL_CORPUS

CSV3 = ("naam,opgave,waarde,samen-doen,verankering,deelname,binding,organisatie\n"
        "Anna,4,2,3,4,2,5,3\nBram,3,1,3,4,2,4,5\nCees,5,2,4,3,1,4,1\n")


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(REAL_CORPUS)  # the scan needs all seven blocks; no index, no model


def test_adding_a_participant_shows_them_in_the_table(knowledge):
    """A named participant with seven scores appears as a row; the header follows the language."""
    s, rows = scan.add_participant(knowledge, scan_mod.Scan(), "Anna", [4, 2, 3, 4, 2, 5, 3], [""] * 7, "en")
    assert len(s) == 1 and rows["data"] == [["Anna", 4, 2, 3, 4, 2, 5, 3]]
    assert rows["headers"][0] == "Participant" and scan.table(knowledge, s, "nl")["headers"][0] == "Deelnemer"


def test_a_wrong_score_is_refused_with_a_clear_title(knowledge):
    """A score outside 1–5 raises a friendly error titled 'Controleer de scores'."""
    with pytest.raises(gr.Error) as err:
        scan.add_participant(knowledge, scan_mod.Scan(), "Anna", [9, 2, 3, 4, 2, 5, 3], [""] * 7, "nl")
    assert err.value.title == "Controleer de scores"


def test_importing_a_csv_replaces_the_scan(knowledge, tmp_path):
    """A saved scan CSV is read back with every participant."""
    path = tmp_path / "scan.csv"
    path.write_text(CSV3, encoding="utf-8")
    s, rows = scan.import_csv(knowledge, scan_mod.Scan(), str(path), "nl")
    assert [r[0] for r in rows["data"]] == ["Anna", "Bram", "Cees"]


def test_results_give_chart_report_and_three_files(knowledge):
    """Making the scan gives the radar chart, the report naming the weakest blocks, and three files."""
    s = scan_mod.from_csv(CSV3.encode())
    png, report, files = scan.results(knowledge, s)
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert "Waarde" in report and "Deelname" in report and len(files) == 3


def test_an_empty_scan_says_so(knowledge):
    """With nobody entered there is no chart, only a note in the chosen language."""
    assert scan.results(knowledge, scan_mod.Scan(), "en") == (None, "No scores entered yet.", None)


def test_api_scan_refuses_a_broken_csv(knowledge):
    """/scan with a CSV without the block columns raises a readable error."""
    with pytest.raises(gr.Error):
        scan.api_scan(knowledge, "naam,iets\nAnna,3\n")


def test_a_user_error_is_one_log_line_and_no_traceback(knowledge, caplog):
    """A refused score (an expected user error) writes one line to the log and asks Gradio not to
    print a traceback (issue 20, item 22)."""
    import logging
    caplog.set_level(logging.INFO)
    with pytest.raises(gr.Error) as refused:
        scan.add_participant(knowledge, scan_mod.Scan(), "Anna", [9] * 7, [""] * 7)
    assert refused.value.print_exception is False
    records = [r for r in caplog.records if r.name.startswith("assistant")]
    assert len(records) == 1 and records[0].exc_info is None and "Geweigerd" in records[0].getMessage()
