"""Operating the app: login when required, and a re-ingest while people are asking questions."""
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import run_cli
from .test_app import start_app

pytestmark = pytest.mark.slow


def test_wrong_password_gets_nothing(real_settings):
    """With COACH_AUTH a wrong password is refused over HTTP and the API needs a login."""
    proc, url = start_app({"COACH_DATA_DIR": str(real_settings.data_dir), "COACH_EMBED_MODEL": "e5-small",
                           "COACH_AUTH": "trainer:geheim123"})
    try:
        data = urllib.parse.urlencode({"username": "trainer", "password": "fout"}).encode()
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url + "login", data=data, timeout=10)
        assert err.value.code in (400, 401, 403)
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url + "config", timeout=10)
        assert err.value.code in (401, 403)
        from gradio_client import Client
        with pytest.raises(Exception):
            Client(url, auth=("trainer", "fout"), verbose=False, analytics_enabled=False)
        ok = Client(url, auth=("trainer", "geheim123"), verbose=False, analytics_enabled=False)
        assert ok.predict("Wat is binding?", "", "", api_name="/ask")["in_scope"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_reingest_while_answering_loses_no_question(real_settings, tmp_path):
    """Questions asked during `ingest.py --rebuild` all get an answer; the app then uses the new index."""
    data = tmp_path / "data"
    shutil.copytree(real_settings.data_dir, data)
    env = {"COACH_DATA_DIR": str(data), "COACH_EMBED_MODEL": "e5-small"}
    proc, url = start_app(env)
    from gradio_client import Client
    client = Client(url, verbose=False, analytics_enabled=False)
    failures, answered = [], []
    stop = threading.Event()

    def keep_asking():
        while not stop.is_set():
            try:
                r = client.predict("Hoe houden we partners betrokken?", "", "", api_name="/ask")
                answered.append(bool(r["citations"]))
            except Exception as exc:  # noqa: BLE001 - every failure is what this test counts
                failures.append(repr(exc))
    worker = threading.Thread(target=keep_asking)
    worker.start()
    try:
        before = (data / "manifest.json").read_text()
        rebuild = run_cli(["ingest.py", "--rebuild"], env, timeout=900)
        assert rebuild.returncode == 0, rebuild.stderr.decode()
        assert (data / "manifest.json").read_text() != before
        time.sleep(2)
    finally:
        stop.set()
        worker.join(60)
        proc.terminate()
        proc.wait(10)
    assert failures == [] and len(answered) > 5 and all(answered)
