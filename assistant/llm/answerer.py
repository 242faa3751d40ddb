"""Optional language-model backends: a grounded "Kern" written by a chat model, checked, with fallback.

The offline coach always answers first: it finds the passages and composes every structured part.
A chat model (Ollama, or any OpenAI-compatible server, through LangChain) may then rewrite only the
kern paragraph from the numbered passages. Its ``[n]`` markers are checked; sentences citing a
passage that does not exist are dropped, and every remaining marker becomes a citation with a
verbatim quote from the cited chunk. Any fault (no server, an HTTP error, a time-out, empty or
uncited output) gives the offline answer with a short note instead; the next question tries the
model again. The model runs in a worker thread, so a stuck server never holds a question past
the time-out.
"""
from __future__ import annotations

import dataclasses
import logging
import queue
import re
import threading
import time
from collections.abc import Iterator, Sequence

from ..coach.answer import Answer, CitationList, Claim
from ..knowledge.chunking import Chunk
from ..config import Settings
from ..coach.conversation import as_conversation
from ..errors import ConfigError
from .prompts import build_messages, numbered_passages
from ..present.markdown import claim_markdown, head_markdown, tail_markdown
from ..search.retriever import Passage
from ..coach.scoring import overlap, query_tokens
from ..util.language import LETTER_RE, sentences, stream_sentences
from ..strings import render

log = logging.getLogger(__name__)

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
MAX_KERN_CHARS = 4000  # a kern is a few sentences; stop reading a model that runs on

# A citation marker: [1], [2, 3], [2;3], [1-3]. Adjacent markers ([2][3]) are separate matches.
MARKER_RE = re.compile(r"\[\s*(\d+(?:\s*[,;–-]\s*\d+)*)\s*\]")
THINK_RE = re.compile(r"<think>.*?</think>", re.S)
# Lines a model may add although it was asked not to: the kern heading, a sources list.
KERN_HEADING_RE = re.compile(r"^[#*\s]*(kern|in short|antwoord|answer)[\s:*]*$", re.I)
SOURCES_HEADING_RE = re.compile(r"^[#*\s]*(bronnen|bron|sources|source|references|referenties)\b[^\w]*$", re.I)


class LLMFault(Exception):
    """The model gave nothing usable; ``reason`` says why, in a few Dutch words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- backends

def _import_chat_class(module: str, name: str):
    try:
        mod = __import__(module, fromlist=[name])
    except ImportError as err:
        package = module.replace("_", "-")
        raise ConfigError(f"Het pakket {package} ontbreekt voor COACH_LLM; installeer het met: "
                          "pip install -e '.[llm]'") from err
    return getattr(mod, name)


def _check_url(url: str | None, problems: list[str]) -> None:
    if url and not re.match(r"https?://", url):
        problems.append(f"COACH_LLM_BASE_URL={url!r} moet met http:// of https:// beginnen")


def make_chat_model(settings: Settings):
    """The chat model ``settings.llm`` asks for, or None for ``none``; ``ConfigError`` when incomplete."""
    backend = settings.llm
    if backend == "none":
        return None
    problems: list[str] = []
    if backend == "ollama":
        if not settings.llm_model:
            problems.append("COACH_LLM_MODEL ontbreekt (bijvoorbeeld COACH_LLM_MODEL=llama3.1)")
        _check_url(settings.llm_base_url, problems)
        if problems:
            raise ConfigError("COACH_LLM=ollama is niet compleet: " + "; ".join(problems))
        chat_ollama = _import_chat_class("langchain_ollama", "ChatOllama")
        return chat_ollama(base_url=settings.llm_base_url or DEFAULT_OLLAMA_URL, model=settings.llm_model,
                           client_kwargs={"timeout": settings.llm_timeout})
    if backend == "openai":
        if not settings.llm_base_url:
            problems.append("COACH_LLM_BASE_URL ontbreekt (bijvoorbeeld http://127.0.0.1:8080/v1)")
        if not settings.llm_model:
            problems.append("COACH_LLM_MODEL ontbreekt (de modelnaam die de server kent)")
        _check_url(settings.llm_base_url, problems)
        if problems:
            raise ConfigError("COACH_LLM=openai is niet compleet: " + "; ".join(problems))
        chat_openai = _import_chat_class("langchain_openai", "ChatOpenAI")
        # Chat completions only: OpenAI-compatible servers (llama.cpp, vLLM, …) have no Responses API.
        return chat_openai(base_url=settings.llm_base_url, api_key=settings.llm_api_key or "not-needed",
                           model=settings.llm_model, timeout=settings.llm_timeout, max_retries=0,
                           use_responses_api=False)
    raise ConfigError(f"COACH_LLM={backend!r} is onbekend; kies uit none, ollama, openai")


def describe_model(model) -> str:
    """'model op url' for messages and logs."""
    name = getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
    where = getattr(model, "openai_api_base", None) or getattr(model, "base_url", None)
    return f"{name} op {where}" if where else str(name)


def describe_error(exc: BaseException, timeout: float) -> str:
    """A short Dutch reason for a failed call (the exception type decides, not its text)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if isinstance(exc, TimeoutError) or "Timeout" in name:
        return f"geen antwoord binnen {timeout:g} s"
    if isinstance(status, int):
        return f"de server gaf een fout (HTTP {status})"
    if isinstance(exc, ConnectionError) or "Connect" in name:
        return "geen verbinding met de server"
    return f"onverwachte fout ({name})"


def content_text(content) -> str:
    """The text of a message's content (a string, or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type", "text") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)
    return ""


def call_model(model, messages, timeout: float, streaming: bool = False, **options) -> Iterator[str]:
    """The model's text, piece by piece; ``LLMFault`` on any error or when ``timeout`` seconds pass.

    The call runs in a daemon thread and the deadline covers the whole call, streamed or not:
    LangChain's own time-outs are per read and do not bound a slow stream. Closing the iterator
    tells the thread to stop reading.
    """
    deadline = time.monotonic() + timeout
    results: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            if streaming:
                for chunk in model.stream(messages, **options):
                    if stop.is_set():
                        return
                    results.put(("text", content_text(chunk.content)))
            else:
                results.put(("text", content_text(model.invoke(messages, **options).content)))
            results.put(("done", None))
        except Exception as exc:  # handed to the caller, who falls back to the offline answer
            results.put(("error", exc))

    threading.Thread(target=work, name="coach-llm", daemon=True).start()
    try:
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise queue.Empty
                kind, value = results.get(timeout=remaining)
            except queue.Empty:
                raise LLMFault(f"geen antwoord binnen {timeout:g} s") from None
            if kind == "done":
                return
            if kind == "error":
                raise LLMFault(describe_error(value, timeout)) from value
            if value:
                yield value
    finally:
        stop.set()


def _one_token_options(model) -> dict:
    if hasattr(model, "num_predict"):  # Ollama
        return {"options": {"num_predict": 1}}
    if hasattr(model, "openai_api_base"):  # OpenAI-compatible
        return {"max_tokens": 1}
    return {}


def health_check(model, timeout: float) -> tuple[bool, str]:
    """Whether the model answers a one-token 'ping' within ``timeout``, and a Dutch message. Never raises."""
    if model is None:
        return False, "LLM niet bereikbaar: er is geen taalmodel ingesteld (COACH_LLM=none)"
    from langchain_core.messages import HumanMessage

    started = time.perf_counter()
    try:
        for _ in call_model(model, [HumanMessage(content="ping")], timeout, **_one_token_options(model)):
            pass
    except LLMFault as fault:
        return False, f"LLM niet bereikbaar: {fault.reason} ({describe_model(model)})"
    except Exception as exc:  # a health check reports, it never breaks the caller
        log.exception("Onverwachte fout bij de controle van het taalmodel")
        return False, f"LLM niet bereikbaar: onverwachte fout ({type(exc).__name__})"
    ms = (time.perf_counter() - started) * 1000
    return True, f"LLM bereikbaar: {describe_model(model)}, antwoord in {ms:.0f} ms"


# --------------------------------------------------------------------------- markers

def marker_numbers(inner: str) -> list[int]:
    """The passage numbers in one marker's inside ('2, 3' → [2, 3]; '1-3' → [1, 2, 3])."""
    out: list[int] = []
    for part in re.split(r"[,;]", inner):
        bounds = [int(x) for x in re.split(r"[–-]", part) if x.strip()]
        if len(bounds) == 2:
            low, high = bounds
            out.extend(range(low, high + 1) if 0 <= high - low <= 10 else [0])  # a wild range is invalid
        else:
            out.extend(bounds)
    return out


def sentence_numbers(sentence: str) -> list[int]:
    return [n for m in MARKER_RE.finditer(sentence) for n in marker_numbers(m.group(1))]


def claim_text(sentence: str) -> str:
    """The sentence without its markers and list bullet, spaces tidied ('Zo is het [1].' → 'Zo is het.')."""
    text = MARKER_RE.sub(" ", sentence)
    text = re.sub(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", text)
    text = re.sub(r"\s+([.,;:!?…])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- citations

def best_quote(claim: str, chunk: Chunk) -> str:
    """The chunk's sentence (verbatim) sharing most words with ``claim``; the earliest on a tie."""
    # A list bullet is not part of the quote; a piece starting in lower case is the tail of a sentence
    # cut off at the chunk's start, used only when nothing else fits.
    candidates = [s.lstrip("•–- ").strip() or s for s in sentences(chunk.text)] or [chunk.text.strip()]
    whole = [s for s in candidates if not s[:1].islower()]
    usable = ([s for s in whole if 6 <= len(s.split()) <= 60] or [s for s in candidates if 6 <= len(s.split()) <= 60]
              or whole or candidates)
    wanted = query_tokens(MARKER_RE.sub(" ", claim))
    return max(usable, key=lambda s: overlap(wanted, s))


def _without_thinking(raw: str, final: bool) -> str | None:
    """The text without <think> blocks; None while a block is still open (wait for more)."""
    raw = THINK_RE.sub("", raw)
    if "<think>" in raw:
        if not final:
            return None
        raw = raw[:raw.index("<think>")]
    return raw


class KernWriter:
    """Turns the model's raw text, piece by piece, into checked claims with final citation numbers.

    A sentence comes out whole, once finished, so what is streamed is what the answer will say. A
    sentence citing a passage that does not exist is dropped; every valid ``[n]`` becomes a
    citation in ``citations`` with a verbatim quote of passage n. This is the only citation check.
    """

    def __init__(self, passages: Sequence[Passage], citations: CitationList):
        self.passages = list(passages)
        self.citations = citations
        self.claims: list[Claim] = []
        self.removed = 0
        self.cited = False
        self.full = False
        self._raw = ""
        self._stopped = False
        self._length = 0

    def feed(self, delta: str) -> list[Claim]:
        self._raw += delta
        return self._drain(final=False)

    def close(self) -> list[Claim]:
        return self._drain(final=True)

    def fault(self) -> str | None:
        """Why the kern cannot be used, or None when it can."""
        if self.cited:
            return None
        if not self.claims and not self.removed:
            return "leeg antwoord"
        if not self.claims:
            return "alleen ongeldige bronverwijzingen"
        return "geen geldige bronverwijzing"

    def _drain(self, final: bool) -> list[Claim]:
        if self._stopped:
            self._raw = ""
            return []
        raw = _without_thinking(self._raw, final)
        if raw is None:
            return []
        pieces, self._raw = stream_sentences(raw, final)
        out: list[Claim] = []
        for sentence in pieces:
            if SOURCES_HEADING_RE.match(sentence):
                self._stopped = True
                break
            if KERN_HEADING_RE.match(sentence):
                continue
            found = sentence_numbers(sentence)
            if not all(1 <= k <= len(self.passages) for k in found):
                self.removed += 1
                continue
            text = claim_text(sentence)
            if not LETTER_RE.search(text):
                continue
            self.cited = self.cited or bool(found)
            cites = tuple(dict.fromkeys(
                self.citations.add(self.passages[k - 1], best_quote(sentence, self.passages[k - 1].chunk))
                for k in dict.fromkeys(found)))
            claim = Claim(text, cites)
            out.append(claim)
            self.claims.append(claim)
            self._length += len(text)
            if self._length > MAX_KERN_CHARS:
                self.full = self._stopped = True
                break
        if self._stopped:
            self._raw = ""
        return out


def fallback_answer(offline: Answer, reason: str, timings: dict | None = None) -> Answer:
    """The offline answer with a visible note on top and the reason recorded."""
    return dataclasses.replace(offline, notes=(render("fallback_note", offline.lang), *offline.notes),
                               mode="offline", fallback_reason=reason,
                               timings_ms={**offline.timings_ms, **(timings or {})})


def _recite(shown, sources, citations: CitationList):
    """A shown passage with its pieces cited in ``citations`` (the language model's numbering)."""
    cites = []
    for chunk_id, start, end in shown.pieces:
        passage = next(p for p in sources if p.chunk.id == chunk_id)
        cites.append(citations.add(passage, passage.chunk.text[start:end]))
    return dataclasses.replace(shown, cites=tuple(dict.fromkeys(cites)))


# --------------------------------------------------------------------------- the wrapper

class LLMCoach:
    """The offline coach, with the core claims written by a chat model when one is set and answers well.

    ``ask`` and ``stream`` never raise for the model's sake and never wait past ``timeout``.
    Without a chat model it simply passes the offline answer on. Other attributes (``knowledge``,
    ``blocks``, ``cases``, …) are the wrapped coach's. It keeps no per-user state: the caller
    passes the ``Conversation``.
    """

    def __init__(self, coach, chat_model, timeout: float = 30.0):
        self.coach = coach
        self.chat_model = chat_model
        self.timeout = timeout

    @classmethod
    def from_settings(cls, coach, settings: Settings) -> "LLMCoach":
        return cls(coach, make_chat_model(settings), settings.llm_timeout)

    def __getattr__(self, name: str):
        if name == "coach":  # not set yet (copying, unpickling)
            raise AttributeError(name)
        return getattr(self.coach, name)

    def health(self) -> tuple[bool, str]:
        return health_check(self.chat_model, self.timeout)

    def ask(self, question: str, block: str | None = None, lang: str | None = None, history=(),
            docs: bool | None = None) -> Answer:
        """One answer (the model is called without streaming); ``docs`` as in ``Coach.ask``."""
        for item in self._answer(question, block, lang, history, streaming=False, docs=docs):
            if isinstance(item, Answer):
                return item
        raise AssertionError("unreachable: every answer ends with an Answer")

    def stream(self, question: str, block: str | None = None, lang: str | None = None,
               history=(), docs: bool | None = None) -> Iterator[str | Answer]:
        """Text deltas as the model writes, then the ``Answer``.

        In mode "llm" the deltas joined are exactly ``answer.markdown``. After a fault the final
        answer is the offline one (mode "offline", with a note on top): it replaces what was shown.
        Nothing is streamed for the offline and out-of-scope answers.
        """
        yield from self._answer(question, block, lang, history, streaming=True, docs=docs)

    def _answer(self, question, block, lang, history, streaming, docs=None) -> Iterator[str | Answer]:
        started = time.perf_counter()
        conversation = as_conversation(history)
        offline = self.coach.ask(question, block=block, lang=lang, history=conversation, docs=docs)
        if self.chat_model is None or not offline.in_scope or offline.kind == "clarify":
            yield offline
            return
        t0 = time.perf_counter()
        try:
            answer = yield from self._with_model(offline, conversation, streaming)
        except LLMFault as fault:
            reason = fault.reason
        except Exception:  # never let the optional model break an answer; the log keeps the details
            log.exception("Onverwachte fout rond het taalmodel")
            reason = "onverwachte fout rond het taalmodel"
        else:
            answer.timings_ms.update(llm=round((time.perf_counter() - t0) * 1000, 1),
                                     total=round((time.perf_counter() - started) * 1000, 1))
            yield answer
            return
        log.warning("Taalmodel niet gebruikt (%s); antwoord zonder taalmodel.", reason)
        yield fallback_answer(offline, reason, {"llm": round((time.perf_counter() - t0) * 1000, 1),
                                                "total": round((time.perf_counter() - started) * 1000, 1)})

    def _with_model(self, offline: Answer, conversation, streaming: bool):
        """Only the core claims change: the model writes them from the numbered passages; block,
        questions, links and case stay the offline coach's. Yields the rendered pieces."""
        passages = numbered_passages(offline)
        if not passages:
            raise LLMFault("het antwoord zonder taalmodel heeft geen passages")
        citations = CitationList(getattr(self.coach, "networks", {}))
        writer = KernWriter(passages, citations)
        draft = dataclasses.replace(offline, mode="llm")

        def emit(claims: list[Claim]) -> Iterator[str]:
            for claim in claims:
                yield (head_markdown(draft) if claim is writer.claims[0] else " ") + claim_markdown(claim)

        chunks = call_model(self.chat_model, build_messages(offline, conversation), self.timeout,
                            streaming=streaming)
        try:
            for raw in chunks:
                yield from emit(writer.feed(raw))
                if writer.full:
                    break
        finally:
            chunks.close()
        yield from emit(writer.close())
        reason = writer.fault()
        if reason:
            raise LLMFault(reason)
        if writer.removed:
            log.info("Taalmodel: %d zin(nen) met een ongeldige bronverwijzing weggelaten.", writer.removed)
        shown = tuple(_recite(p, offline.sources, citations) for p in offline.shown)  # numbered after the model's
        case = offline.case
        if case is not None:  # the case quote keeps its source, numbered after the model's
            passage = next(p for p in offline.sources if p.chunk.id == case.chunk_id)
            case = dataclasses.replace(case, n=citations.add(passage, case.quote))
        answer = dataclasses.replace(draft, claims=tuple(writer.claims), citations=tuple(citations.items),
                                     case=case, shown=shown, fallback_reason=None,
                                     timings_ms=dict(offline.timings_ms))
        yield "\n" + tail_markdown(answer)
        return answer
