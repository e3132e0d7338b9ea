"""`sladsl export openslo`: OpenSLO v1 documents for availability objectives.

Expected values come from the contracts' own text (targets, periods, zones) and the OpenSLO v1
specification, whose object structure is pinned in tests/data/openslo-v1.schema.json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from sladsl import model
from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.to_openslo import (
    AVAILABILITY_FIELDS, SERVICE_FIELDS, ExportError, dump, iana_zone, to_openslo,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests/data/openslo-v1.schema.json").read_text())


def contract(availability: str, *, header: str = "", name: str = "Web") -> model.Contract:
    text = (f'contract "Acme" {{\n{header}  service "{name}" {{\n'
            f"    availability {availability}\n  }}\n}}\n")
    result = compile_text(text)
    assert result.ok, result.diagnostics
    assert result.contract is not None
    return result.contract


def slo(documents: list[dict]) -> dict:
    [found] = [d for d in documents if d["kind"] == "SLO"]
    return found


def test_every_document_of_every_contract_fits_the_openslo_structure():
    exported = 0
    for path in sorted((ROOT / "contracts").glob("*.sla")):
        result = compile_text(path.read_text(), str(path))
        try:
            documents, _ = to_openslo(result.contract)
        except ExportError:
            continue
        for document in yaml.safe_load_all(dump(documents)):
            jsonschema.validate(document, SCHEMA)
            exported += 1
    assert exported >= 8  # four contracts with measured availability, a Service and an SLO each


def test_target_period_and_zone_are_the_contracts():
    spec = slo(to_openslo(contract("99.95% per month in Europe/Paris"))[0])["spec"]
    assert spec["objectives"] == [{"displayName": "SLA", "target": 0.9995}]
    assert spec["budgetingMethod"] == "Occurrences"
    assert spec["timeWindow"] == [{"duration": "1M", "isRolling": False, "calendar": {
        "startTime": "2000-01-01 00:00:00", "timeZone": "Europe/Paris"}}]


@pytest.mark.parametrize(("availability", "effective", "duration", "start"), [
    ("99.9% per month", "2026-03-15", "1M", "2026-03-01"),
    ("99.9% per quarter", "2026-03-15", "1Q", "2026-01-01"),
    ("99.9% per quarter fiscal from Feb", "2026-03-15", "1Q", "2026-02-01"),
    ("99.9% per quarter fiscal from Feb", "2026-01-31", "1Q", "2025-11-01"),
    ("99.9% per year fiscal from Apr", "2026-03-15", "1Y", "2025-04-01"),
    ("99.9% per year", "2026-03-15", "1Y", "2026-01-01"),
    ("99.9% per week", "2026-03-15", "1w", "2026-03-09"),  # 2026-03-15 is a Sunday
])
def test_calendar_windows_start_on_the_period_holding_the_effective_date(
        availability, effective, duration, start):
    spec = slo(to_openslo(contract(availability, header=f"  effective {effective}\n"))[0])["spec"]
    [window] = spec["timeWindow"]
    assert window["duration"] == duration
    assert window["calendar"]["startTime"] == f"{start} 00:00:00"
    assert date.fromisoformat(start) <= date.fromisoformat(effective)


@pytest.mark.parametrize(("zone", "iana"), [
    ("UTC+07:00", "Etc/GMT-7"), ("UTC-03:00", "Etc/GMT+3"), ("UTC+00:00", "UTC"),
    ("UTC", "UTC"), ("Asia/Bangkok", "Asia/Bangkok"),
])
def test_fixed_offsets_get_their_posix_names_with_the_sign_inverted(zone, iana):
    assert iana_zone(zone) == iana


def test_an_offset_with_minutes_is_refused_not_rounded():
    with pytest.raises(ExportError, match="no IANA name"):
        to_openslo(contract("99.9% per month in UTC+05:30"))


def test_best_effort_and_missing_targets_export_nothing_and_say_so():
    with pytest.raises(ExportError, match="no measured availability"):
        to_openslo(contract("99.9% per month best-effort"))


def test_untrusted_names_round_trip_through_yaml():
    written = 'Web: \\"prod\\"\\n--- # not a comment'  # the escapes of a contract string
    documents, _ = to_openslo(contract("99.9% per month", name=written))
    loaded = list(yaml.safe_load_all(dump(documents)))
    assert len(loaded) == 2
    assert loaded[0]["metadata"]["displayName"] == 'Web: "prod"\n--- # not a comment'
    for document in loaded:
        jsonschema.validate(document, SCHEMA)


def test_two_services_with_one_slug_get_distinct_names():
    text = ('contract "Acme" {\n  service "Web A" {\n    availability 99.9% per month\n  }\n'
            '  service "web-a" {\n    availability 99.5% per month\n  }\n}\n')
    result = compile_text(text)
    documents, _ = to_openslo(result.contract)
    names = [d["metadata"]["name"] for d in documents]
    assert len(set(names)) == len(names) == 4


def test_every_model_field_is_classified_so_new_constructs_are_never_dropped():
    assert {f.name for f in attrs.fields(model.Service)} == set(SERVICE_FIELDS)
    assert {f.name for f in attrs.fields(model.AvailabilityTarget)} == set(AVAILABILITY_FIELDS)


def test_what_openslo_cannot_say_is_named_in_the_description_and_on_stderr(tmp_path):
    path = tmp_path / "credits.sla"
    path.write_text('contract "Acme" {\n  service Web {\n    availability 99.9% per month\n'
                    '    credit tiers of monthly fee {\n      99.0%..99.8% -> 10%\n'
                    '      ..98.9% -> 25%\n    }\n  }\n}\n')
    result = CliRunner().invoke(cli, ["export", "openslo", str(path)])
    assert result.exit_code == 0, result.output
    assert "not in OpenSLO: service credits" in result.stderr
    document = slo(list(yaml.safe_load_all(result.stdout)))
    assert "service credits" in document["spec"]["description"]


def test_cli_writes_a_file_and_refuses_to_overwrite_its_input(tmp_path):
    path = tmp_path / "web.sla"
    path.write_text('contract "Acme" {\n  service Web {\n    availability 99.9% per month\n  }\n}\n')
    out = tmp_path / "slo.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "openslo", str(path), "-o", str(out)]).exit_code == 0
    assert [d["kind"] for d in yaml.safe_load_all(out.read_text())] == ["Service", "SLO"]
    assert runner.invoke(cli, ["export", "openslo", str(path), "-o", str(path)]).exit_code == 2
    assert runner.invoke(cli, ["export", "openslo", str(tmp_path / "missing.sla")]).exit_code == 2


def test_a_contract_without_availability_exits_1(tmp_path):
    path = tmp_path / "support.sla"
    path.write_text("priority Critical respond 1h within business(09:00-17:00 GMT+7) resolve 8h\n")
    result = CliRunner().invoke(cli, ["export", "openslo", str(path)])
    assert result.exit_code == 1
    assert "no measured availability target" in result.stderr
