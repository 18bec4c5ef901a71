"""Command line: parse arguments, call one function per subcommand, map errors to exit codes.

Exit codes: 0 ok · 1 content/config errors, a refused XLIFF/TMX file · 2 usage · 3 translation engine or model missing ·
4 busy (another build/translate holds the project lock, another build publishes to the output folder, or
serve's port is taken) · 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema
from .arguments import parser
from .config import Config, load_config
from .errors import BriefingError, SourceError, UsageError
from .write import output_lock, project_lock

if TYPE_CHECKING:
    from .translate.engines import Engine
    from .translate.memory import Memory
    from .translate.pipeline import TranslateReport
    from .translate.translator import Translator


def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)


def _warn(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)


def _report_source_errors(errors: list[SourceError]) -> None:
    for e in errors:
        _err(str(e))
        if e.excerpt:
            print(e.excerpt, file=sys.stderr)


@contextmanager
def _lock(cfg: Config, what: str) -> Iterator[None]:
    """The project lock; a folder where it cannot be created is one clear line, not a traceback."""
    stack = ExitStack()
    try:
        stack.enter_context(project_lock(cfg.root, what))
    except OSError as exc:
        raise BriefingError(
            f"{what}: cannot create the lock file {cfg.root / '.briefing.lock'} ({exc.strerror}): "
            "the project folder must be writable (builds also keep their cache in .cache/ there)"
        ) from None
    with stack:
        yield


def _config(args: argparse.Namespace) -> Config:
    cfg = load_config(Path(args.root).resolve(), strict=getattr(args, "strict", False))
    if getattr(args, "base_url", None):
        cfg = cfg.with_base_url(args.base_url)
    for w in cfg.warnings:
        _warn(w)
    return cfg


def cmd_build(args: argparse.Namespace) -> int:
    from . import stamp

    cfg = _config(args)
    output = Path(args.output).resolve() if args.output else cfg.output_dir
    options = {"search": not args.no_search}
    with _lock(cfg, "build"), output_lock(output, "build"):
        last, inputs = stamp.check(cfg, output, options) if not args.force else (None, "")
        if last is not None:
            for w in last["warnings"]:
                _warn(w)
            print(
                f"up to date: nothing changed since the last build ({last['pages']} pages, {last['files']} files) "
                f"→ {args.output or cfg.output_dir}  (build --force rebuilds anyway)"
            )
            return 1 if args.strict and last["warnings"] else 0
        inputs = inputs or stamp.inputs_digest(cfg, options)
        from .build import build

        result = build(
            cfg,
            output,
            keep_going=args.keep_going,
            search_index=not args.no_search,
            jobs=args.jobs,
            reuse=not args.force,
        )
        if result.errors or not result.publish.total:
            stamp.forget(cfg, output)
        else:
            stamp.record(cfg, output, options, inputs, result.pages, result.publish.total, result.warnings)
    for w in result.warnings:
        _warn(w)
    _report_source_errors(result.errors)
    if result.errors and not args.keep_going:
        _err(
            f"{len(result.errors)} file(s) could not be read; nothing was written, output/ is unchanged "
            "(fix them, or use --keep-going to publish the rest)"
        )
        return 1
    p = result.publish
    procs = f", {result.processes} processes" if result.processes > 1 else ""
    print(
        f"built {result.pages} pages ({p.total} files: {len(p.written)} written, {p.unchanged} unchanged, "
        f"{len(p.removed)} removed) in {result.seconds:.2f}s{procs} → {args.output or cfg.output_dir}"
    )
    if result.full_because:
        print(f"full build: {result.full_because}")
    else:
        print(
            f"incremental: {result.rendered} pages rendered, {result.pages - result.rendered} kept from the last build"
        )
    if result.errors:
        _err(f"{len(result.errors)} file(s) could not be read and were left out of the site (see above)")
        return 1
    if args.strict and result.warnings:
        _err("warnings are errors with --strict")
        return 1
    return 0


def _suggestions(cfg: Config, suggestions: dict[str, list[str]], write: bool) -> None:
    """Names and events the taxonomy lacks: written for review with ``--suggest``, else counted."""
    if write and suggestions:
        path = cfg.content_dir / "taxonomy-suggestions.yaml"
        lines = [
            "# Names and events the importer found but the taxonomy lacks. Review them, then add the right",
            "# ones to content/taxonomy.yaml. Regenerated by: python build.py import --suggest ...",
            "",
        ]
        for raw, items in sorted(suggestions.items()):
            lines.append(f"{json.dumps(raw)}:")
            lines += [f"  - {json.dumps(i, ensure_ascii=False)}" for i in items]
        from .write import write_text_atomic

        write_text_atomic(path, "\n".join(lines) + "\n")
        print(f"suggestions written to {path}", file=sys.stderr)
    elif suggestions:
        n = sum(len(v) for v in suggestions.values())
        _warn(f"{n} name(s)/event(s) not in the taxonomy; run with --suggest to list them for review")


def cmd_import(args: argparse.Namespace) -> int:
    from . import nlp, ordinals
    from .importer import import_paths
    from .sources import load_project_taxonomy

    cfg = _config(args)
    tax = load_project_taxonomy(cfg)
    fr_dir = cfg.content_dir / "fr"
    if not (args.dry_run or args.explain):
        fr_dir.mkdir(parents=True, exist_ok=True)
    use_nlp = not args.no_nlp and nlp.available()
    if not args.no_nlp and not use_nlp:
        _warn(f"the French NLP pipeline is not installed ({nlp.INSTALL}): names with no role word may be missed")
    if not ordinals.available():
        _warn(
            f"text2num is not installed ({nlp.INSTALL}): ordinals written in words (« quarante-sixième ») are not read"
        )
    with _lock(cfg, "import"):
        report, records = import_paths(
            [Path(p) for p in args.paths],
            fr_dir,
            tax,
            force=args.force,
            dry_run=args.dry_run or args.explain,
            use_nlp=use_nlp,
        )
    if args.explain:
        for r in records:
            print(f"{r.meta['original']['file']}:")
            print("\n".join(f"  {line}" for line in r.extra["explain"]))
    if args.json:
        out = [
            {
                **schema.json_record(r.meta),
                "body_paragraphs": r.extra["body_paragraphs"],
                "slug": r.slug,
                "warnings": list(r.warnings),
                "suggestions": list(r.suggestions),
            }
            for r in records
        ]
        print(json.dumps(out if len(out) != 1 else out[0], ensure_ascii=False, indent=2))
    for w in report.warnings:
        _warn(w)
    _suggestions(cfg, report.suggestions, write=args.suggest)
    _report_source_errors(report.errors)
    if not args.json:
        verb = "would write" if args.dry_run or args.explain else "wrote"
        print(
            f"{verb} {len(report.written)} article(s), {len(report.unchanged)} already imported, "
            f"{len(report.errors)} error(s)"
        )
    return 1 if report.errors else 0


def _translate_summary(report: TranslateReport, engine: Engine) -> str:
    from .translate.flags import summary

    flagged = sum(1 for f in report.flags.values() if f)
    return (
        f"translated {len(report.written)} article(s) with {engine.name} ({engine.model_id}); "
        f"{len(report.synced)} re-synced from the French metadata, {len(report.up_to_date)} up to date, "
        f"{len(report.skipped_reviewed)} reviewed (kept); "
        f"{report.segments} segments: {report.memory_hits} from memory ({report.desk_hits} the desk's), "
        f"{report.engine_segments} by the engine"
        + (f", {report.unavailable} need another engine" if report.unavailable else "")
        + (f", {report.fallbacks} re-done piecewise to keep protected terms" if report.fallbacks else "")
        + (f"; {flagged} article(s) flagged for review ({summary(_sum_flags(report.flags))})" if flagged else "")
    )


def _sum_flags(per_article: dict[str, dict[str, int]]) -> dict[str, int]:
    from .translate.flags import add

    total: dict[str, int] = {}
    for f in per_article.values():
        add(total, f)
    return total


def _learn(cfg: Config, slugs: list[str], memory: Memory) -> None:
    """Post-edits feed the memory: every reviewed English file's segments become the desk's translations."""
    from .translate.desk import learn_reviewed

    learnt = learn_reviewed(cfg, slugs, memory)
    for item in learnt:
        for note in item.notes:
            _warn(f"{cfg.content_dir / 'en' / item.slug}.md: not learnt: {note}")
    if learnt:
        print(f"learnt {sum(x.stored for x in learnt)} segment(s) from {len(learnt)} reviewed article(s)")


def cmd_translate(args: argparse.Namespace) -> int:
    from .sources import load_content, load_project_taxonomy

    cfg = _config(args)
    from . import cli_exchange

    if cli_exchange.requested(args):
        return cli_exchange.run(args, cfg, lambda: _lock(cfg, "translate"))
    tax = load_project_taxonomy(cfg)
    content = load_content(cfg.content_dir, tax)
    _report_source_errors(content.errors)
    french = sorted(content.articles["fr"].values(), key=lambda a: a.slug)
    english = content.articles["en"]
    from .translate.models import FIX_COMMAND
    from .translate.pipeline import console_progress, translate_articles
    from .translate.setup import translation_session

    if args.diff and not args.status:
        raise UsageError("--diff SLUG goes with --status")
    if args.status or args.queue or args.redraft or args.accept:
        from . import cli_desk

        @contextmanager
        def session() -> Iterator[Translator]:
            with _lock(cfg, "translate"), translation_session(cfg, tax, args.engine, None, _warn) as tr:
                yield tr

        return cli_desk.run(args, cfg, tax, french, english, session) or (1 if content.errors else 0)

    en_dir = cfg.content_dir / "en"
    if not os.access(cfg.content_dir, os.W_OK) or (en_dir.exists() and not os.access(en_dir, os.W_OK)):
        raise BriefingError(f"{en_dir} is not writable; nothing was translated")
    progress = None if args.quiet else console_progress()
    with _lock(cfg, "translate"), translation_session(cfg, tax, args.engine, progress, _warn) as tr:
        _learn(
            cfg, [a.slug for a in french if getattr(english.get(a.slug), "translation", "") == "reviewed"], tr.memory
        )
        only = set(args.only) if args.only else None
        report = translate_articles(
            french, english, en_dir, tr, tax=tax, force=args.force, switch_engine=bool(args.engine), only=only
        )
    print(_translate_summary(report, tr.engine))
    for path, engine in sorted(report.needs_engine.items()):
        fix = FIX_COMMAND if engine == "argos" else f"install {engine}"
        _err(
            f"{path}: made by {engine}, which this run cannot use; kept as it is. Run {fix}, "
            f"or redo it with --engine {tr.engine.name} --force"
        )
    if report.needs_engine:
        return 3
    return 1 if content.errors else 0


def cmd_models(args: argparse.Namespace) -> int:
    from .translate import models

    if args.action == "install":
        path = models.install_from_file(Path(args.from_file)) if args.from_file else models.install_from_index()
        print(f"installed Argos fr→en package at {path}")
    elif args.action == "remove":
        print(f"removed {models.remove()}")
    else:
        for line in models.describe():
            print(line)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .sources import load_content, load_project_taxonomy

    cfg = _config(args)
    tax = load_project_taxonomy(cfg)
    content = load_content(cfg.content_dir, tax)
    inputs = schema.check_inputs(cfg.content_dir)
    warnings = [str(p) for p in inputs if p.warning] + content.warnings
    errors = [str(p) for p in inputs if not p.warning]
    for w in warnings:
        _warn(w)
    for e in errors:
        _err(e)
    _report_source_errors(content.errors)
    n = sum(len(v) for v in content.articles.values())
    n_errors = len(content.errors) + len(errors)
    n_warnings = len(warnings) + len(cfg.warnings)  # site.yaml's were printed by ``_config``
    print(f"checked {n + len(content.errors)} file(s): {n_errors} error(s), {n_warnings} warning(s)")
    return 1 if n_errors or (args.strict and warnings) else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    cfg = _config(args)
    return serve(cfg, host=args.host, port=args.port, open_browser=False, translate=args.translate)


def main(argv: list[str] | None = None) -> int:
    commands = {
        "build": cmd_build,
        "import": cmd_import,
        "translate": cmd_translate,
        "models": cmd_models,
        "check": cmd_check,
        "serve": cmd_serve,
    }
    p = parser(commands)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = p.parse_args(argv)
    if args.command is None:  # only global options (or none): `build`, keeping them (--root DIR)
        args = p.parse_args([*argv, "build"])
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # inside the try: a reader gone away (`| head`) is met here, not at exit
        return code
    except BriefingError as exc:
        if isinstance(exc, SourceError):
            _report_source_errors([exc])
        else:
            for line in str(exc).split("\n"):  # several problems: one line each
                _err(line)
        return exc.exit_code
    except BrokenPipeError:  # `translate --status | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        _err("interrupted; files already written are complete, nothing half-written was kept")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
