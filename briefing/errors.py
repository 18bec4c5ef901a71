"""The exception tree. Every error the portal reports on purpose is a ``BriefingError``:

    BriefingError                  exit code 1 unless stated
    ├── ConfigError                site.yaml missing keys, wrong types (all problems at once)
    ├── SourceError                a file of the editor's: path, line, column, message
    │   └── InputError             raw agency text that cannot be read (empty, binary, encoding)
    ├── TaxonomyError              content/taxonomy.yaml or glossary.yaml is malformed
    ├── TranslationError           an engine failed while translating
    │   └── EngineUnavailable      no usable engine / model installed (exit code 3)
    ├── ModelError                 Argos package management (offline index, bad .argosmodel)
    ├── LockError                  another build/translate holds the project lock (exit code 4)
    └── BuildError                 a stage failed; wraps the cause with the stage's name

Engine and library exceptions are turned into these at the boundary (``raise … from``),
so the command line prints one clear line per problem and never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    exit_code = 1


class ConfigError(BriefingError):
    def __init__(self, problems: list[str], path: Path | None = None) -> None:
        self.problems = problems
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(where + "; ".join(problems))


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

    def __reduce__(self):  # type: ignore[no-untyped-def]
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


class ModelError(BriefingError):
    exit_code = 3


class LockError(BriefingError):
    exit_code = 4


class BuildError(BriefingError):
    def __init__(self, stage: str, cause: BaseException) -> None:
        self.stage = stage
        self.cause = cause
        super().__init__(f"[{stage}] {cause}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        cause = self.cause
        try:
            import pickle

            pickle.dumps(cause)
        except Exception:
            cause = RuntimeError(f"{type(cause).__name__}: {cause}")
        return (type(self), (self.stage, cause))
