"""`sladsl diff OLD NEW`: the difference in meaning between two versions of a contract.

Exit codes follow diff(1): 0 the same meaning, 1 different, 2 errors (a contract that does not
check, a missing file or revision).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from sladsl.cli.common import UsageProblem, compile_file, display_name
from sladsl.diagnostics import render_text
from sladsl.pipeline import Result, Source, compile_source


def _read(spec: str) -> tuple[str, bytes]:
    """(display name, bytes) of `path` or of `path@REV` (the path as of a git revision)."""
    path = Path(spec)
    if path.is_file():
        return display_name(path), path.read_bytes()
    if "@" not in spec:
        raise UsageProblem(f"no such file: `{spec}`")
    name, rev = spec.rsplit("@", 1)
    file = Path(name)
    if not rev:
        raise UsageProblem(f"`{spec}`: give a git revision after `@`")
    try:
        shown = subprocess.run(["git", "show", f"{rev}:./{file.name}"], cwd=file.parent,
                               capture_output=True, check=False)
    except OSError as error:
        raise UsageProblem(f"cannot run git for `{spec}`: {error.strerror or error}") from error
    if shown.returncode != 0:
        reason = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageProblem(f"cannot read `{spec}` from git: {reason[-1] if reason else 'failed'}")
    return f"{display_name(file)}@{rev}", shown.stdout


def load_version(spec: str) -> Result:
    """Check one side of a diff; a contract that does not check is a UsageProblem after its
    diagnostics are printed (exit 2, as diff(1) does for trouble)."""
    from sladsl.parse import decode

    if Path(spec).is_dir():  # the versions of one contract, a file each
        result = compile_file(Path(spec))
    else:
        display, data = _read(spec)
        text, diagnostics = decode(data, display)
        result = compile_source(Source(display, text), diagnostics)
    if not result.ok or result.contract is None:
        sources = {s.file: s.text or "" for s in (result.source, *result.others)}
        for diagnostic in result.diagnostics:
            click.echo(render_text(diagnostic, sources) + "\n", err=True)
        raise UsageProblem(f"`{spec}` has errors: fix them before comparing")
    return result


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text: one line per change; markdown: a change notice for "
              "customers; json: the changes as data.")
@click.option("--tickets", "tickets_file", metavar="FILE",
              help="Replay these tickets under both versions and report the verdicts that change.")
@click.option("--now", "now_text", metavar="INSTANT",
              help="Judge open tickets at this instant (default: the current time).")
@click.option("--incidents", "incidents_file", metavar="FILE",
              help="Replay these incidents under both versions (needs --period).")
@click.option("--period", metavar="PERIOD", help="The period for --incidents: `2026-05`, `2026-Q2`, `2026`.")
@click.option("--events", "events_file", metavar="FILE",
              help="With --tickets: an event log (as `eval --events` reads it) giving the tickets' "
              "timelines.")
@click.option("--pause-status", "pause_statuses", multiple=True, metavar="STATUS",
              help="With --events: a status that pauses every clock (repeatable).")
def diff_command(old: str, new: str, fmt: str, tickets_file: str | None, now_text: str | None,
                 incidents_file: str | None, period: str | None, events_file: str | None,
                 pause_statuses: tuple[str, ...]) -> None:
    """The difference in meaning between contract versions OLD and NEW (files, or `path@REV`)."""
    from sladsl.diff import RENDERERS, diff
    from sladsl.model import versions_of

    if incidents_file and not period:
        raise UsageProblem("--incidents needs --period")
    if events_file and not tickets_file:
        raise UsageProblem("--events goes with --tickets (the tickets' rows: plan, priority, opening)")
    if pause_statuses and not events_file:
        raise UsageProblem("--pause-status goes with --events")
    before, after = load_version(old), load_version(new)
    changes = diff(before.contract, after.contract)
    replay = _replay(before, after, tickets_file, now_text, incidents_file, period,
                     events_file, pause_statuses)
    text = RENDERERS[fmt](versions_of(before.contract)[-1], versions_of(after.contract)[-1], changes)
    if replay is not None:
        from sladsl.diff import render_replay

        text = render_replay(fmt, text, replay)
    click.echo(text, nl=False)
    raise SystemExit(1 if changes else 0)


def _replay(before: Result, after: Result, tickets_file: str | None, now_text: str | None,
            incidents_file: str | None, period: str | None, events_file: str | None = None,
            pause_statuses: tuple[str, ...] = ()) -> dict | None:
    """The replay of history under both versions, or None when no data was given."""
    if not tickets_file and not incidents_file:
        return None
    from datetime import datetime, timezone

    from sladsl.cli.data import _data_file, _instant_option
    from sladsl.data import DataError
    from sladsl.model import Versions as CheckedVersions
    from sladsl.replay import EventLog, Side, replay_incidents, replay_tickets
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.runtime.versions import Versions
    from sladsl.to_spec import to_spec, to_specs

    def side(result: Result) -> Side:
        if isinstance(result.contract, CheckedVersions):
            return Side(result.contract, Versions(to_specs(result.contract)))
        return Side(result.contract, Evaluator(to_spec(result.contract)))

    old, new = side(before), side(after)
    events = EventLog(_data_file(events_file, "--events"), tuple(pause_statuses)) \
        if events_file else None
    out: dict = {}
    try:
        if tickets_file:
            now = _instant_option(now_text, "--now") or datetime.now(timezone.utc)
            out["tickets"] = replay_tickets(old, new, _data_file(tickets_file, "--tickets"), now,
                                            events)
        if incidents_file and period:
            out["incidents"] = replay_incidents(old, new, _data_file(incidents_file, "--incidents"),
                                                period)
    except DataError as error:
        raise UsageProblem(str(error)) from None
    except ValueError as error:
        raise UsageProblem(f"--period: {error}") from None
    return out


COMMANDS = (diff_command,)
