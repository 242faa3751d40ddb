"""Settings: one frozen object built from an environment mapping.

Nothing else in the package reads ``os.environ``. ``load_settings`` checks every variable and
reports all bad values at once.
"""
from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PACKAGE_ROOT / "corpus" / "meer-bereiken-met-organisatienetwerken.txt"

LLM_BACKENDS = ("none", "ollama", "openai")
# Chosen from the eval table (evals/report.md): best Dutch retrieval on the dev split.
DEFAULT_EMBEDDER = "e5-small"
# Own documents: limits per document against document bombs (issue 20, item 18).
# Pages per PDF: a thick policy report or annual report has 100-400 pages; 2,000 lets a bundled
# set of them in, while a 20,000-page PDF (a few MB of near-empty pages) is refused before reading.
DOCS_MAX_PAGES = 2000
# Passages (about 110 words each) per document: a dense 300-page report makes 1,200-1,500, so 5,000
# (some 550,000 words) leaves room for three times that; embedding them takes minutes, not hours.
DOCS_MAX_PASSAGES = 5000

# In network mode (not loopback) every COACH_AUTH password has at least this many characters;
# together with the login delay (assistant/ui/guard.py) it keeps guessing out of reach.
MIN_NETWORK_PASSWORD = 10


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    corpus_path: Path = DEFAULT_CORPUS
    embed_model: str = DEFAULT_EMBEDDER
    chroma_host: str | None = None
    chroma_port: int = 8000
    llm: str = "none"
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_timeout: float = 30.0
    docs: bool = True  # COACH_DOCS: search the own documents (when there are any); off: only when asked
    host: str = "127.0.0.1"
    port: int = 7860
    auth: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    log_dir: Path | None = None
    leerkring_days: float = 30.0  # submissions older than this are deleted (COACH_LEERKRING_DAYS)
    public_url: str | None = None  # the address phones use to reach the app (COACH_PUBLIC_URL)
    docs_max_pages: int = DOCS_MAX_PAGES  # pages per PDF (COACH_DOCS_MAX_PAGES)
    docs_max_passages: int = DOCS_MAX_PASSAGES  # passages per own document (COACH_DOCS_MAX_PASSAGES)
    # feedback on answers (issue 21): off unless COACH_FEEDBACK=on; kept COACH_FEEDBACK_DAYS days
    feedback: bool = False
    feedback_days: float = 90.0

    @property
    def is_loopback(self) -> bool:
        if self.host in ("localhost",):
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def short_password_users(self) -> list[str]:
        """Users whose password is too short for a server other computers can reach (issue 20,
        item 20): none when the app listens on loopback only."""
        if self.is_loopback:
            return []
        return [user for user, password in self.auth if len(password) < MIN_NETWORK_PASSWORD]


def _int(name: str, raw: str, errors: list[str], lo: int = 1, hi: int = 65535) -> int | None:
    try:
        value = int(raw)
    except ValueError:
        errors.append(f"{name}={raw!r} is geen geheel getal")
        return None
    if not lo <= value <= hi:
        errors.append(f"{name}={value} moet tussen {lo} en {hi} liggen")
        return None
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build ``Settings`` from a mapping (the process environment by default)."""
    env = os.environ if environ is None else environ
    errors: list[str] = []
    kw: dict = {}

    if env.get("COACH_DATA_DIR"):
        kw["data_dir"] = Path(env["COACH_DATA_DIR"]).expanduser()
    if env.get("COACH_CORPUS"):
        kw["corpus_path"] = Path(env["COACH_CORPUS"]).expanduser()
    if env.get("COACH_EMBED_MODEL"):
        kw["embed_model"] = env["COACH_EMBED_MODEL"].strip()
    if env.get("COACH_CHROMA_HOST"):
        kw["chroma_host"] = env["COACH_CHROMA_HOST"].strip()
    if env.get("COACH_CHROMA_PORT"):
        port = _int("COACH_CHROMA_PORT", env["COACH_CHROMA_PORT"], errors)
        if port:
            kw["chroma_port"] = port
    llm = env.get("COACH_LLM", "none").strip().lower() or "none"
    if llm not in LLM_BACKENDS:
        errors.append(f"COACH_LLM={llm!r} is onbekend; kies uit {', '.join(LLM_BACKENDS)}")
    else:
        kw["llm"] = llm
    for var, key in (("COACH_LLM_MODEL", "llm_model"), ("COACH_LLM_BASE_URL", "llm_base_url"),
                     ("COACH_LLM_API_KEY", "llm_api_key")):
        if env.get(var):
            kw[key] = env[var].strip()
    if env.get("COACH_LLM_TIMEOUT"):
        try:
            timeout = float(env["COACH_LLM_TIMEOUT"])
            if timeout <= 0:
                raise ValueError
            kw["llm_timeout"] = timeout
        except ValueError:
            errors.append(f"COACH_LLM_TIMEOUT={env['COACH_LLM_TIMEOUT']!r} moet een positief getal zijn")
    docs = env.get("COACH_DOCS", "on").strip().lower() or "on"
    if docs not in ("on", "off"):
        errors.append(f"COACH_DOCS={docs!r} is onbekend; kies on of off")
    else:
        kw["docs"] = docs == "on"
    if env.get("COACH_HOST"):
        kw["host"] = env["COACH_HOST"].strip()
    if env.get("COACH_PORT"):
        port = _int("COACH_PORT", env["COACH_PORT"], errors)
        if port:
            kw["port"] = port
    if env.get("COACH_AUTH"):
        pairs = []
        for item in env["COACH_AUTH"].split(","):
            user, sep, password = item.strip().partition(":")
            if not sep or not user or not password:
                errors.append("COACH_AUTH moet de vorm gebruiker:wachtwoord[,gebruiker:wachtwoord] hebben")
                break
            pairs.append((user, password))
        kw["auth"] = tuple(pairs)
    if env.get("COACH_LOG_DIR"):
        kw["log_dir"] = Path(env["COACH_LOG_DIR"]).expanduser()

    if env.get("COACH_LEERKRING_DAYS"):
        try:
            days = float(env["COACH_LEERKRING_DAYS"])
            if not 0 < days <= 3650:
                raise ValueError
            kw["leerkring_days"] = days
        except ValueError:
            errors.append(f"COACH_LEERKRING_DAYS={env['COACH_LEERKRING_DAYS']!r} moet een aantal dagen "
                          "tussen 0 en 3650 zijn")
    if env.get("COACH_PUBLIC_URL"):
        url = env["COACH_PUBLIC_URL"].strip().rstrip("/")
        if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/-]*)?", url):
            errors.append(f"COACH_PUBLIC_URL={url!r} moet een adres zijn als http://192.168.1.20:7860")
        else:
            kw["public_url"] = url
    for var, key in (("COACH_DOCS_MAX_PAGES", "docs_max_pages"), ("COACH_DOCS_MAX_PASSAGES", "docs_max_passages")):
        if env.get(var):
            limit = _int(var, env[var].strip(), errors, 1, 1_000_000)
            if limit:
                kw[key] = limit
    # feedback on answers (issue 21)
    feedback = env.get("COACH_FEEDBACK", "off").strip().lower() or "off"
    if feedback not in ("on", "off"):
        errors.append(f"COACH_FEEDBACK={feedback!r} is onbekend; kies on of off")
    else:
        kw["feedback"] = feedback == "on"
    if env.get("COACH_FEEDBACK_DAYS"):
        try:
            days = float(env["COACH_FEEDBACK_DAYS"])
            if not 0 < days <= 3650:
                raise ValueError
            kw["feedback_days"] = days
        except ValueError:
            errors.append(f"COACH_FEEDBACK_DAYS={env['COACH_FEEDBACK_DAYS']!r} moet een aantal dagen "
                          "tussen 0 en 3650 zijn")
    if errors:
        raise ConfigError("Instellingen kloppen niet: " + "; ".join(errors))
    return Settings(**kw)
