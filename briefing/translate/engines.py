"""The ``Engine`` interface and the two real engines.

* ``ArgosEngine``: an installed Argos Translate fr→en package, run through its CTranslate2 model
  and SentencePiece tokenizer directly: the model is loaded once per run and every segment of the
  run goes through ``translate_batch`` (Argos's own ``translate()`` splits sentences with a model it
  downloads at first use, which a build must never depend on).
* ``ApertiumEngine``: Debian's rule-based Apertium, pivoting fr→es→en through two pipes, whole
  batches at a time; unknown-word markers are removed with ``-u``.

Library and subprocess errors become ``TranslationError`` here, at the boundary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
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


class ApertiumEngine:
    name = "apertium"
    SEPARATOR = "\n\n"

    def __init__(self, binary: str | None = None) -> None:
        self.binary = binary or shutil.which("apertium")
        if not self.binary:
            raise EngineUnavailable(
                "apertium is not installed (Debian: apt-get install apertium apertium-fr-es apertium-eng-spa)"
            )
        self.model_id = "apertium fr-es|spa-eng " + self._version()
        self.calls = 0

    def _version(self) -> str:
        for pair in ("fr-es", "spa-eng"):
            try:
                subprocess.run(
                    [self.binary, "-u", pair], input="test", capture_output=True, text=True, timeout=60, check=True
                )
            except subprocess.CalledProcessError as exc:
                raise EngineUnavailable(
                    f"apertium pair {pair} is missing: {exc.stderr.strip()[:200]} "
                    "(apt-get install apertium-fr-es apertium-eng-spa)"
                ) from exc
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise EngineUnavailable(f"apertium does not run: {exc}") from exc
        return "debian"

    def token(self, i: int) -> str:
        return _alpha_token(i)

    def _pipe(self, text: str) -> str:
        self.calls += 1
        try:
            first = subprocess.run(
                [self.binary, "-u", "fr-es"], input=text, capture_output=True, text=True, timeout=600, check=True
            )
            second = subprocess.run(
                [self.binary, "-u", "spa-eng"],
                input=first.stdout,
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise TranslationError(f"apertium failed: {exc}") from exc
        return second.stdout

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        # one process pair for the whole batch; blank lines keep the segments apart
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

        meta = json.loads((package_dir / "metadata.json").read_text(encoding="utf-8"))
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
                )
                for i, r in zip(idx, outs, strict=False):
                    results[i] = r
        except Exception as exc:
            raise TranslationError(f"CTranslate2 failed: {exc}") from exc
        out = []
        for r in results:
            hyp = r.hypotheses[0]
            if self.target_prefix and hyp and hyp[0] == self.target_prefix:
                hyp = hyp[1:]
            out.append(self._sp.decode(hyp).strip())
        return out


def choose_engine(
    configured: str, requested: str = "", beam_size: int = 2, max_batch_size: int = 32, warn=lambda message: None
) -> Engine:
    """``auto``: Argos when a fr→en package is installed, else Apertium; ``argos``/``apertium``: that one."""
    from . import models

    choice = requested or configured
    if choice in ("auto", "argos"):
        try:
            return ArgosEngine(models.require_package(), beam_size=beam_size, max_batch_size=max_batch_size)
        except (EngineUnavailable, BriefingError) as exc:
            if choice == "argos":
                raise EngineUnavailable(str(exc)) from exc
            warn(f"argos unavailable ({exc}); using apertium")
    return ApertiumEngine()
