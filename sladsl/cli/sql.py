"""`sladsl sql`: a contract compiled to SQL for a warehouse (calendar tables and queries)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sladsl.cli.common import UsageProblem, compile_file, display_name, print_diagnostics, \
    write_atomic


def _pairs(items, option: str, allowed) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise UsageProblem(f"{option}: write NAME=VALUE, not `{item}`")
        if key not in allowed:
            raise UsageProblem(f"{option}: unknown name `{key}`; names are "
                               + ", ".join(f"`{a}`" for a in allowed))
        out[key] = value
    return out


def _years(text: str | None):
    if text is None:
        return None
    first, sep, last = text.partition("-")
    if not (first.isdigit() and (not sep or last.isdigit())):
        raise UsageProblem(f"--years: write `2024-2030` or `2026`, not `{text}`")
    first_year, last_year = int(first), int(last or first)
    if not 2 <= first_year <= last_year <= 9997:
        raise UsageProblem(f"--years: `{text}` is not a range of years between 2 and 9997")
    return first_year, last_year


@click.command("sql")
@click.argument("contract")
@click.option("--dialect", type=click.Choice(["duckdb", "spark", "bigquery", "snowflake",
                                               "postgres"]), required=True)
@click.option("-o", "--output", "out_dir", metavar="DIR",
              help="Write the files here (default: print the verdict query).")
@click.option("--table", "tables", multiple=True, metavar="NAME=TABLE",
              help="Input tables: `tickets=...`, `pauses=...` (`pauses=` none: no pauses), "
                   "`incidents=...`.")
@click.option("--column", "columns", multiple=True, metavar="NAME=COLUMN",
              help="Input columns, e.g. `opened_at=created_at`; `addons=` and the other "
                   "optional ones may be left out with an empty value.")
@click.option("--prefix", default="sla_", show_default=True,
              help="Prefix of the tables and views sladsl creates.")
@click.option("--years", "years_text", metavar="FIRST-LAST",
              help="Years the calendar tables cover (default: the frozen holiday years).")
@click.option("--layout", type=click.Choice(["plain", "dbt"]), default="plain", show_default=True,
              help="`dbt`: models/*.sql with source() and ref(), seeds/*.csv, schema.yml "
                   "(needs -o).")
def sql_command(contract, dialect, out_dir, tables, columns, prefix, years_text, layout) -> None:
    """Compile a contract to SQL: calendar tables, verdict, summary and proportion views."""
    from sladsl import to_sql
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.to_spec import to_spec

    path = Path(contract)
    if not path.exists():
        raise UsageProblem(f"no such file: `{contract}`")
    if not prefix.replace("_", "").isalnum():
        raise UsageProblem(f"--prefix: letters, digits and `_` only, not `{prefix}`")
    table_names = _pairs(tables, "--table", ("tickets", "pauses", "incidents"))
    column_names = {}
    for item in columns:  # an empty value drops an optional column
        key, sep, value = item.partition("=")
        if sep and not value.strip() and key.strip() in to_sql.OPTIONAL_COLUMNS:
            column_names[key.strip()] = None
        else:
            column_names.update(_pairs([item], "--column", to_sql.TICKET_COLUMNS
                                       + to_sql.PAUSE_COLUMNS + to_sql.INCIDENT_COLUMNS))
    result = compile_file(path)
    if not result.ok:
        print_diagnostics([result], "text")
        raise click.exceptions.Exit(1)
    _one_undated_contract(result.contract, contract)
    evaluator = Evaluator(to_spec(result.contract, path.read_bytes()))
    from sladsl.to_sql_guard import sql_refusals

    problems = sql_refusals(result.contract, evaluator.spec, display_name(path))
    if problems:
        import attrs

        print_diagnostics([attrs.evolve(result, diagnostics=tuple(problems))], "text")
        raise click.exceptions.Exit(1)
    names = to_sql.SqlNames(tickets=table_names.get("tickets", "tickets"),
                            pauses=table_names.get("pauses", "ticket_pauses") or None,
                            prefix=prefix, columns=column_names,
                            incidents=table_names.get("incidents", "incidents"))
    if layout == "dbt" and out_dir is None:
        raise UsageProblem("--layout dbt writes a directory: give -o DIR")
    try:
        if layout == "dbt":
            from sladsl.to_sql_dbt import render_dbt

            files = render_dbt(evaluator, dialect, names, _years(years_text))
        else:
            files = to_sql.render(evaluator, dialect, names, _years(years_text))
    except ValueError as error:
        raise UsageProblem(str(error)) from None
    if out_dir is None:
        sys.stdout.write(files["verdicts.sql"])
        return
    root = Path(out_dir)
    for name, text in sorted(files.items()):
        target = root / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, text.encode("utf-8"))
        except OSError as error:
            raise UsageProblem(f"cannot write `{target}`: {error.strerror or error}") from None
    click.echo(f"wrote {len(files)} files for {display_name(path)} ({dialect}) to {out_dir}",
               err=True)


def _one_undated_contract(checked, shown: str) -> None:
    """The SQL judges every ticket by one set of terms: a contract whose dates or versions
    decide which terms judge a ticket is refused rather than judged silently by one of them."""
    from sladsl.model import versions_of

    versions = versions_of(checked)
    if len(versions) > 1 or versions[0].effective or versions[0].until:
        raise UsageProblem(f"`{shown}` has {'versions' if len(versions) > 1 else 'effective dates'}"
                           ": the SQL judges every ticket by one set of terms; use `sladsl eval` "
                           "(docs/semantics.md \"Versions\")")


COMMANDS = (sql_command,)
