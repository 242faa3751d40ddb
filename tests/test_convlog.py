"""Conversation logs: off unless COACH_LOG_DIR is set; JSONL without IP addresses."""
import json

from assistant.usage import convlog
from assistant.config import load_settings

from .conftest import mini_coach


def test_logs_are_off_by_default():
    """Without COACH_LOG_DIR nothing is logged."""
    assert load_settings({}).log_dir is None


def test_log_line_has_what_the_readme_says_and_no_ip(mini_settings, tmp_path):
    """One JSON line per question with the documented fields only."""
    answer = mini_coach(mini_settings).ask("Hoe bouwen partners aan vertrouwen?").to_dict()
    path = convlog.write(tmp_path / "logs", "sess123", answer)
    convlog.write(tmp_path / "logs", "sess123", answer)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    assert set(lines[0]) == {"time", "session", "lang", "question", "kind", "in_scope", "blocks", "case",
                             "chunks", "mode"}
    assert lines[0]["question"] == "Hoe bouwen partners aan vertrouwen?" and lines[0]["blocks"][0] == "binding"
    assert "127.0.0.1" not in path.read_text() and "answer" not in lines[0]
