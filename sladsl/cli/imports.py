"""`sladsl import zendesk|jsm`: a helpdesk export turned into `tickets.csv` and `events.csv`.

The reading is the stage `sladsl.helpdesk`; this module parses options and writes both files
at once (`write_all_atomic`: a reader sees both old or both new, never a mixture).
"""

from __future__ import annotations

from pathlib import Path

import click

from sladsl.cli.common import UsageProblem, refuse_inputs_as_outputs, write_all_atomic
from sladsl.data import DataError, Skipped
from sladsl.diagnostics import printable


class _DataProblem(click.ClickException):
    """A bad export: exit code 1, one line on stderr naming the file, record and field."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"sladsl: {printable(self.format_message())}", err=True)


def _input(text: str, option: str) -> Path:
    path = Path(text)
    if not path.is_file():
        what = "a directory" if path.is_dir() else "no such file"
        raise UsageProblem(f"{option}: `{text}` is {what}" if path.is_dir()
                           else f"{option}: no such file: `{text}`")
    return path


def _write(export, output: str, inputs: list[Path]) -> None:
    directory = Path(output)
    if directory.exists() and not directory.is_dir():
        raise UsageProblem(f"-o: `{output}` is a file; give a directory for tickets.csv and events.csv")
    targets = [directory / "tickets.csv", directory / "events.csv"]
    refuse_inputs_as_outputs(targets, inputs)
    if not export.kept:  # an empty pair of files would read as "no tickets, all judged"
        if export.skipped is not None:
            for line in export.skipped.lines():
                click.echo(printable(line), err=True)
        raise _DataProblem("nothing was imported: " + ("every ticket was skipped as invalid"
                                                       if export.tickets or export.dropped
                                                       else "the export has no tickets"))
    tickets, events = export.csv_texts()
    try:
        write_all_atomic({targets[0]: tickets.encode("utf-8"), targets[1]: events.encode("utf-8")})
    except OSError as error:
        raise UsageProblem(f"cannot write into `{output}`: {error.strerror or error}") from None
    click.echo(printable(f"imported {len(export.kept)} ticket(s) and {export.event_count} "
                         f"event(s) into {targets[0].as_posix()} and {targets[1].as_posix()}"),
               err=True)
    if export.skipped is not None:
        for line in export.skipped.lines():
            click.echo(printable(line), err=True)
        if export.orphans:
            click.echo(printable(f"ignored {export.orphans} record(s) of tickets not in the "
                                 f"export; the first: {export.first_orphan}"), err=True)



_skip = click.option("--skip-invalid", is_flag=True,
                     help="Skip invalid records (a ticket with a bad audit or change log whole) "
                     "and report them instead of stopping.")


def _moments(function):
    """`--restored-status`, `--restored-field`, `--contact-field` (sladsl.helpdesk.Moments)."""
    for option in reversed((
            click.option("--restored-status", "restored_statuses", multiple=True, metavar="STATUS",
                         help="A status meaning the service is restored (case-insensitive): a change to "
                         "it is also a `restored` event (repeat for several)."),
            click.option("--restored-field", metavar="ID",
                         help="The field holding the instant the service was restored (a "
                         "`restored` event)."),
            click.option("--contact-field", metavar="ID",
                         help="The field holding the instant of the customer's first contact (a "
                         "`contact` event)."))):
        function = option(function)
    return function


def _moments_of(restored_statuses, restored_field, contact_field):
    from sladsl.helpdesk import Moments

    return Moments(restored_statuses, restored_field, contact_field)


@click.group("import")
def import_group() -> None:
    """Turn a helpdesk export into a tickets file and an event log for `sladsl eval --events`."""


@import_group.command("zendesk")
@click.option("--tickets", "tickets_file", required=True, metavar="FILE",
              help="Ticket export: API pages ({\"tickets\": [...]}), a JSON list, or JSON Lines.")
@click.option("--audits", "audits_file", metavar="FILE",
              help="Ticket audits: API pages ({\"audits\": [...]}), a JSON list, or one audit a line.")
@click.option("--plan-field", metavar="ID", help="The custom field (its id) that holds the plan.")
@click.option("--plan-tag", metavar="PREFIX",
              help="The plan is the rest of the first tag starting with PREFIX (`plan_` : `plan_gold` -> `gold`).")
@click.option("-o", "--output", required=True, metavar="DIR",
              help="Directory for tickets.csv and events.csv (written atomically).")
@_moments
@_skip
def zendesk_command(tickets_file, audits_file, plan_field, plan_tag, output, restored_statuses,
                    restored_field, contact_field, skip_invalid) -> None:
    """A Zendesk ticket export and its ticket audits -> DIR/tickets.csv, DIR/events.csv."""
    from sladsl.helpdesk import read_zendesk

    if plan_field and plan_tag:
        raise UsageProblem("give --plan-field or --plan-tag, not both")
    inputs = [_input(tickets_file, "--tickets")]
    if audits_file:
        inputs.append(_input(audits_file, "--audits"))
    try:
        export = read_zendesk(inputs[0], inputs[1] if audits_file else None,
                              plan_field=plan_field, plan_tag=plan_tag,
                              skipped=Skipped() if skip_invalid else None,
                              moments=_moments_of(restored_statuses, restored_field, contact_field))
    except DataError as error:
        raise _DataProblem(str(error)) from None
    _write(export, output, inputs)


@import_group.command("jsm")
@click.option("--issues", "issues_file", required=True, metavar="FILE",
              help="Issue export (/rest/api/3/search pages with expand=changelog), a JSON list, or JSON Lines.")
@click.option("--changelog", "changelog_file", metavar="FILE",
              help="Bulk change logs ({\"issueChangeLogs\": [...]}) for issues exported without expand=changelog.")
@click.option("--plan-field", metavar="FIELD", help="The issue field that holds the plan (`customfield_10050`).")
@click.option("-o", "--output", required=True, metavar="DIR",
              help="Directory for tickets.csv and events.csv (written atomically).")
@_moments
@_skip
def jsm_command(issues_file, changelog_file, plan_field, output, restored_statuses, restored_field,
                contact_field, skip_invalid) -> None:
    """A Jira Service Management issue export with its changelog -> DIR/tickets.csv, DIR/events.csv."""
    from sladsl.helpdesk import read_jsm

    inputs = [_input(issues_file, "--issues")]
    if changelog_file:
        inputs.append(_input(changelog_file, "--changelog"))
    try:
        export = read_jsm(inputs[0], inputs[1] if changelog_file else None, plan_field=plan_field,
                          skipped=Skipped() if skip_invalid else None,
                          moments=_moments_of(restored_statuses, restored_field, contact_field))
    except DataError as error:
        raise _DataProblem(str(error)) from None
    _write(export, output, inputs)


COMMANDS = (import_group,)
