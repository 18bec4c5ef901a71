"""The exception tree. Every error the portal reports on purpose is a ``BriefingError``:

    BriefingError                  exit code 1 unless stated
    ├── ConfigError                site.yaml missing keys, wrong types (all problems at once, one per line)
    ├── SourceError                a file of the editor's: path, line, column, message
    │   └── InputError             raw agency text that cannot be read (empty, binary, encoding)
    ├── TaxonomyError              content/taxonomy.yaml, reference data or glossary.yaml is malformed
    ├── TranslationError           an engine failed while translating
    │   └── EngineUnavailable      no usable engine / model installed (exit code 3)
    ├── UsageError                 options that do not go together (exit code 2, like argparse's)
    ├── DeskError                  translation desk: unknown article or segment, nothing to review
    ├── ModelError                 Argos package management (offline index, bad .argosmodel)
    ├── LockError                  another build/translate holds the project lock (exit code 4)
    └── BuildError                 a stage failed; wraps the cause with the stage's name

Engine and library exceptions are turned into these at the boundary (``raise … from``),
so the command line prints one clear line per problem and never a traceback. A message of
several lines is several problems; the command line prints each as its own ``error:`` line.

``Problem`` is one finding of a schema check (``briefing/schema.py``): file, line, message, hint,
and whether it is only a warning (an unknown key) or an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}" + (f" ({self.hint})" if self.hint else "")


class BriefingError(Exception):
    exit_code = 1


class ConfigError(BriefingError):
    """``problems``: ``Problem`` records (each names its file and line) or plain messages about ``path``."""

    def __init__(self, problems: list[Problem] | list[str], path: Path | None = None) -> None:
        self.problems = [str(p) if isinstance(p, Problem) else (f"{path}: {p}" if path else p) for p in problems]
        self.path = path
        super().__init__("\n".join(self.problems))


class SourceError(BriefingError):
    """A problem in one file, located as precisely as we can."""

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, col: int | None = None, excerpt: str = ""
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.line = line
        self.col = col
        self.excerpt = excerpt
        super().__init__(self.location() + ": " + message)

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its fields (not its message) when a forked build worker sends it back
        return (type(self), (self.path, self.message, self.line, self.col, self.excerpt))

    def location(self) -> str:
        loc = str(self.path)
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        return loc


class InputError(SourceError):
    """Raw input that is not readable text (empty, binary, unknown encoding)."""


class TaxonomyError(BriefingError):
    pass


class TranslationError(BriefingError):
    pass


class EngineUnavailable(TranslationError):
    exit_code = 3


class UsageError(BriefingError):
    exit_code = 2


class DeskError(BriefingError):
    pass


class ModelError(BriefingError):
    exit_code = 3


class LockError(BriefingError):
    exit_code = 4


class BuildError(BriefingError):
    def __init__(self, stage: str, cause: BaseException) -> None:
        self.stage = stage
        self.cause = cause
        super().__init__(f"[{stage}] {cause}")

    def __reduce__(self) -> tuple[Any, ...]:
        cause = self.cause
        try:
            import pickle

            pickle.dumps(cause)
        except Exception:
            cause = RuntimeError(f"{type(cause).__name__}: {cause}")
        return (type(self), (self.stage, cause))
