"""The command line's shape: subcommands, their options and the checks on option values (``cli`` runs them)."""

from __future__ import annotations

import argparse
import os
import socket
from collections.abc import Callable, Mapping
from typing import Any

Command = Callable[[argparse.Namespace], int]


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes, at least 1 (got {text!r})")
    return n


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535 (got {text!r})")
    return int(text)


def _host(text: str) -> str:
    try:
        socket.getaddrinfo(text, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise argparse.ArgumentTypeError(
            f"unknown host {text!r}: give an address of this machine, e.g. 127.0.0.1"
        ) from None
    return text


def parser(commands: Mapping[str, Command]) -> argparse.ArgumentParser:
    """The command line: one sub-parser per subcommand, each calling its function from ``commands``."""
    p = argparse.ArgumentParser(
        prog="build.py", description="Bilingual briefing portal: import, translate, build, serve."
    )
    p.add_argument("--root", default=os.environ.get("BRIEFING_ROOT", "."), help="project folder (default: .)")
    sub = p.add_subparsers(dest="command")
    for add in (_build, _import, _translate, _models, _check, _serve):
        add(sub, commands)
    return p


def _build(sub: Any, commands: Mapping[str, Command]) -> None:
    b = sub.add_parser("build", help="render output/ from content/ (the default)")
    b.add_argument("--output", help="write the site here instead of output/")
    b.add_argument("--base-url", help="public URL of the site (overrides site.yaml)")
    b.add_argument("--strict", action="store_true", help="warnings are errors")
    b.add_argument("--keep-going", action="store_true", help="publish the readable articles even if some are broken")
    b.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster; no search)")
    b.add_argument("--force", action="store_true", help="rebuild even if nothing changed since the last build")
    b.add_argument(
        "--jobs", type=_jobs, default=0, metavar="N", help="processes rendering pages (default: one per available core)"
    )
    b.set_defaults(func=commands["build"])


def _import(sub: Any, commands: Mapping[str, Command]) -> None:
    i = sub.add_parser("import", help="raw dispatches → content/fr/<slug>.md")
    i.add_argument("paths", nargs="+", help="raw .txt files or folders")
    i.add_argument("--dry-run", action="store_true", help="write nothing")
    i.add_argument("--json", action="store_true", help="print the extracted record(s) as JSON")
    i.add_argument(
        "--no-nlp", action="store_true", help="rules only: do not use the French NLP pipeline even if installed"
    )
    i.add_argument(
        "--explain", action="store_true", help="print, for every field, the evidence that decided it (writes nothing)"
    )
    i.add_argument("--force", action="store_true", help="replace an article imported from an older version of the file")
    i.add_argument(
        "--suggest", action="store_true", help="write unknown names/events to content/taxonomy-suggestions.yaml"
    )
    i.set_defaults(func=commands["import"])


def _translate(sub: Any, commands: Mapping[str, Command]) -> None:
    t = sub.add_parser("translate", help="content/fr → content/en by machine translation")
    t.add_argument("--engine", choices=["auto", "argos", "apertium"], default="")
    t.add_argument("--force", action="store_true", help="retranslate machine translations even if up to date")
    t.add_argument(
        "--status",
        action="store_true",
        help="per article: machine / reviewed / stale / missing, segments awaiting review",
    )
    t.add_argument(
        "--diff", metavar="SLUG", help="with --status: the French changes since SLUG's review, segment by segment"
    )
    t.add_argument("--queue", action="store_true", help="segments awaiting review, most in doubt first, per article")
    t.add_argument("--redraft", metavar="SLUG", help="stale review: draft only the changed segments into it")
    t.add_argument("--accept", metavar="SLUG", help="stale review: the editor checked it against the new French")
    t.add_argument("--only", nargs="*", help="slugs to translate")
    t.add_argument("--quiet", action="store_true", help="no progress display")
    t.set_defaults(func=commands["translate"])


def _models(sub: Any, commands: Mapping[str, Command]) -> None:
    m = sub.add_parser("models", help="manage the Argos French→English package")
    m.add_argument("action", choices=["install", "list", "remove"])
    m.add_argument("--from", dest="from_file", help="install from a local .argosmodel file")
    m.set_defaults(func=commands["models"])


def _check(sub: Any, commands: Mapping[str, Command]) -> None:
    c = sub.add_parser("check", help="validate every content file")
    c.add_argument("--strict", action="store_true")
    c.set_defaults(func=commands["check"])


def _serve(sub: Any, commands: Mapping[str, Command]) -> None:
    s = sub.add_parser("serve", help="build, serve on 127.0.0.1 with live reload, rebuild on change")
    s.add_argument("--host", type=_host, default="127.0.0.1")
    s.add_argument("--port", type=_port, default=8000)
    s.add_argument(
        "--translate",
        action="store_true",
        help="machine-translate French articles as they are saved (through the translation memory)",
    )
    s.set_defaults(func=commands["serve"])
