"""The ``Engine`` interface and the two real engines.

* ``ArgosEngine``: an installed Argos Translate fr→en package, run through its CTranslate2 model
  and SentencePiece tokenizer directly: the model is loaded once per run and every segment of the
  run goes through ``translate_batch`` (Argos's own ``translate()`` splits sentences with a model it
  downloads at first use, which a build must never depend on). Each output's score (CTranslate2
  ``return_scores``: the log-probability per token, length-normalised) is kept in ``last_scores``
  for the review queue.
* ``ApertiumEngine``: Debian's rule-based Apertium, pivoting fr→es→en through one pipeline, whole
  batches at a time; its unknown-word markers are kept, recorded as review flags, then removed.

Library and subprocess errors become ``TranslationError`` here, at the boundary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ..errors import BriefingError, EngineUnavailable, TranslationError


class Engine(Protocol):
    name: str
    model_id: str

    def token(self, i: int) -> str:
        """A placeholder the engine is likely to copy through unchanged."""

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Translate each text (one sentence or fragment); same length and order as ``texts``."""


def _alpha_token(i: int) -> str:
    # letters only: digits are localised by some engines ("1.000" → "1,000")
    letters = "".join("ABCDEFGHJK"[int(d)] for d in str(i))
    return f"ZQX{letters}XQZ"


MODES = Path("/usr/share/apertium/modes")
PAIRS = ("fr-es", "spa-eng")
# French places Apertium knows as places, and what it makes of them through Spanish: a locked place
# goes to the engine as one of these, so the engine picks the preposition a place needs ("à Hanoï" →
# "in Hanoi", not "to Hanoi"), and the stand-in's English is replaced by the locked English afterwards.
# Paris and Rome are left out: before a day name Apertium reads them as "paris" (bets) and "rome" (blunt).
PLACE_STAND_INS = (
    ("Berlin", "Berlin"),
    ("Madrid", "Madrid"),
    ("Tokyo", "Tokyo"),
    ("Londres", "London"),
    ("Moscou", "Moscow"),
    ("Lisbonne", "Lisbon"),
    ("Vienne", "Vienna"),
    ("Varsovie", "Warsaw"),
    ("Prague", "Prague"),
    ("Dublin", "Dublin"),
    ("Oslo", "Oslo"),
    ("Stockholm", "Stockholm"),
    ("Budapest", "Budapest"),
    ("Athènes", "Athens"),
)
_MARKED = re.compile(r"(?<![^\W\d])(?<![*#@])([*#@]+)(\w[\w'’-]*)")  # "14**ᵉ": after a digit too


def split_markers(text: str) -> tuple[str, dict[str, list[str]]]:
    """Apertium output with its markers → clean text and the marked words by kind.

    Through the fr→es→en pivot a word neither stage knows comes out ``**mot`` (left in French),
    one only English lacks ``*palabra`` (left in Spanish); ``#`` and ``@`` mark words the engine
    could not generate or transfer. Capitalised unknown words are names, not flagged.
    """
    marked: dict[str, list[str]] = {"french": [], "spanish": [], "unknown": []}

    def record(m: re.Match[str]) -> str:
        marks, word = m.group(1), m.group(2)
        if "#" in marks or "@" in marks:
            marked["unknown"].append(word)
        elif word[:1].islower():
            marked["french" if len(marks) >= 2 else "spanish"].append(word)
        return word

    return _MARKED.sub(record, text), marked


class ApertiumEngine:
    """fr→es→en as one pipeline per call (two processes joined by a pipe, working at once).

    Nothing is started until the first batch: a run the memory answers whole never launches Apertium.
    """

    name = "apertium"
    model_id = "apertium fr-es|spa-eng debian"
    SEPARATOR = "\n\n"
    marks_unknown = True
    place_stand_ins = PLACE_STAND_INS
    batch_size = 5000  # one pipeline for a whole run of ordinary size; committed after each

    def __init__(self, binary: str | None = None, modes: Path = MODES) -> None:
        found = binary or shutil.which("apertium")
        if not found:
            raise EngineUnavailable(
                "apertium is not installed (Debian: apt-get install apertium apertium-fr-es apertium-eng-spa)"
            )
        self.binary: str = found
        missing = [p for p in PAIRS if not (modes / f"{p}.mode").is_file()]
        if missing:
            raise EngineUnavailable(
                f"apertium pair(s) {', '.join(missing)} missing (apt-get install apertium-fr-es apertium-eng-spa)"
            )
        self.calls = 0

    def token(self, i: int) -> str:
        return _alpha_token(i)

    def _pipe(self, text: str) -> str:
        self.calls += 1
        try:
            first = subprocess.Popen([self.binary, PAIRS[0]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            second = subprocess.Popen(
                [self.binary, PAIRS[1]], stdin=first.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        except OSError as exc:
            raise EngineUnavailable(f"apertium does not run: {exc}") from exc
        assert first.stdout is not None and first.stdin is not None
        first.stdout.close()  # the second stage owns the pipe now

        def feed() -> None:
            try:
                first.stdin.write(text.encode("utf-8"))  # type: ignore[union-attr]
                first.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out, err = second.communicate()
        writer.join()
        if first.wait() != 0 or second.returncode != 0:
            raise TranslationError(f"apertium failed: {err.decode('utf-8', 'replace').strip()[:200]}")
        return out.decode("utf-8", "replace")

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        # one pipeline for the whole batch; blank lines keep the segments apart
        clean = [" ".join(t.split()) for t in texts]
        out = self._pipe(self.SEPARATOR.join(clean) + "\n")
        parts = [p.strip() for p in out.strip("\n").split(self.SEPARATOR)]
        if len(parts) == len(texts):
            return [" ".join(p.split()) for p in parts]
        # the engine merged or split a segment: fall back to one call per segment for this batch
        return [" ".join(self._pipe(t + "\n").split()) for t in clean]


class ArgosEngine:
    name = "argos"

    def __init__(self, package_dir: Path, beam_size: int = 2, max_batch_size: int = 32, threads: int = 0) -> None:
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as exc:
            raise EngineUnavailable(f"argos engine needs ctranslate2 and sentencepiece: {exc}") from exc
        model = package_dir / "model"
        sp_model = package_dir / "sentencepiece.model"
        if not model.is_dir() or not sp_model.is_file():
            raise EngineUnavailable(
                f"{package_dir} is not a usable Argos package (needs model/ and "
                "sentencepiece.model; BPE packages are not supported)"
            )
        import json

        try:
            meta = json.loads((package_dir / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EngineUnavailable(f"{package_dir}/metadata.json cannot be read: {exc}") from exc
        if not isinstance(meta, dict):
            raise EngineUnavailable(f"{package_dir}/metadata.json is not a JSON object")
        self.model_id = f"argos translate-{meta.get('from_code')}_{meta.get('to_code')}-{meta.get('package_version')}"
        self.target_prefix = meta.get("target_prefix") or ""
        threads = threads or (os.cpu_count() or 1)
        try:
            self._translator = ctranslate2.Translator(str(model), device="cpu", inter_threads=1, intra_threads=threads)
            self._sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_model))
        except Exception as exc:  # ctranslate2 raises RuntimeError/ValueError on a bad model
            raise EngineUnavailable(f"cannot load Argos model {model}: {exc}") from exc
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.calls = 0
        self.last_scores: list[float] = []  # the model's own score of each output of the last batch

    def token(self, i: int) -> str:
        return _alpha_token(i)

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        self.calls += 1
        tokens = [self._sp.encode(t, out_type=str) for t in texts]
        # sort by length and cut into batches, each with a decoding bound fitted to its own inputs:
        # one long sentence must not make every short one in the run decode for as long
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        results: list = [None] * len(tokens)
        try:
            for start in range(0, len(order), self.max_batch_size):
                idx = order[start : start + self.max_batch_size]
                batch = [tokens[i] for i in idx]
                prefix = [[self.target_prefix]] * len(batch) if self.target_prefix else None
                longest = max(len(t) for t in batch)
                outs = self._translator.translate_batch(
                    batch,
                    target_prefix=prefix,
                    beam_size=self.beam_size,
                    max_batch_size=self.max_batch_size,
                    replace_unknowns=True,
                    max_decoding_length=int(longest * 1.5) + 10,
                    return_scores=True,
                )
                for i, r in zip(idx, outs, strict=False):
                    results[i] = r
        except Exception as exc:
            raise TranslationError(f"CTranslate2 failed: {exc}") from exc
        out = []
        self.last_scores = [float(r.scores[0]) if r.scores else 0.0 for r in results]
        for r in results:
            hyp = r.hypotheses[0]
            if self.target_prefix and hyp and hyp[0] == self.target_prefix:
                hyp = hyp[1:]
            out.append(self._sp.decode(hyp).strip())
        return out


def choose_engine(configured: str, requested: str = "", beam_size: int = 2, max_batch_size: int = 32) -> Engine:
    """One engine for the whole run, never a silent switch.

    ``argos``: the installed fr→en package, or exit 3 with the command that installs it.
    ``auto``: Argos when a fr→en package is installed (a broken one is exit 3, not a quiet fall back
    to Apertium); Apertium when none is. ``apertium``: Apertium.
    """
    from . import models

    choice = requested or configured
    if choice == "apertium":
        return ApertiumEngine()
    package = models.find_package()
    if package is None:
        if choice == "argos":
            models.require_package()  # raises EngineUnavailable with the fix
        return ApertiumEngine()
    try:
        return ArgosEngine(package, beam_size=beam_size, max_batch_size=max_batch_size)
    except (EngineUnavailable, BriefingError) as exc:
        raise EngineUnavailable(
            f"the installed Argos package is broken ({exc}); reinstall it: {models.FIX_COMMAND}, "
            "or translate with --engine apertium"
        ) from exc
