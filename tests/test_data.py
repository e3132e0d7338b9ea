"""sladsl.data: ticket and incident files, their validation and their error messages.

Expected instants are written out by hand (ISO 8601 -> UTC microseconds), never taken from the
reader itself.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sladsl.data import (
    DataError, Names, Skipped, detect_format, parse_mapping, read_incidents, read_tickets,
)
from sladsl.runtime import parse_zone

NAMES = Names(
    priorities=("Critical", "High", "Normal", "Low"),
    plans=("Basic", "Premium"),
    channels=("Helpdesk", "Email"),
    addons=("Resolution",),
    services=("Web hosting",),
    channel_defaults={"Email": "Normal"},
)
HEADER = "id,priority,plan,channel,opened_at,first_response_at,resolved_at,pauses\n"


def micro(text: str) -> int:
    """UTC microseconds of an ISO instant, computed independently of the reader."""
    value = datetime.fromisoformat(text)
    return round((value - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds()) * 1_000_000


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tickets(path: Path, **kwargs):
    return list(read_tickets(path, NAMES, **kwargs))


def error_of(path: Path, **kwargs) -> DataError:
    with pytest.raises(DataError) as caught:
        tickets(path, **kwargs)
    return caught.value


# -- reading ----------------------------------------------------------------------------------

def test_csv_ticket_fields(tmp_path):
    path = write(tmp_path, "t.csv", HEADER
                 + 'T1,Critical,Premium,Helpdesk,2026-05-08T16:30:00+07:00,2026-05-11T09:30:00+07:00,,'
                 + '"[[""2026-05-08T16:40:00+07:00"", ""2026-05-08T16:50:00+07:00""]]"\n')
    (t,) = tickets(path)
    assert (t.row, t.id, t.priority, t.plan, t.channel) == (2, "T1", "Critical", "Premium", "Helpdesk")
    assert t.opened == micro("2026-05-08T09:30:00+00:00")
    assert t.responded == micro("2026-05-11T02:30:00+00:00")
    assert t.resolved is None
    assert t.pauses == ((micro("2026-05-08T09:40:00+00:00"), micro("2026-05-08T09:50:00+00:00")),)


def test_jsonl_ticket_fields_and_z_suffix(tmp_path):
    lines = [
        json.dumps({"id": 7, "priority": "High", "opened_at": "2026-05-04T02:00:00Z",
                    "resolved_at": "2026-05-04T03:00:00Z", "addons": ["Resolution"],
                    "pauses": [["2026-05-04T02:10:00Z", "2026-05-04T02:20:00Z"]]}),
        "",
        json.dumps({"priority": "Low", "opened_at": "2026-05-04T09:00:00+07:00"}),
    ]
    path = write(tmp_path, "t.jsonl", "\n".join(lines) + "\n")
    first, second = tickets(path)
    assert (first.id, first.row, first.addons) == ("7", 1, ("Resolution",))
    assert first.opened == micro("2026-05-04T02:00:00+00:00")
    assert first.resolved == micro("2026-05-04T03:00:00+00:00")
    assert second.row == 3 and second.id == "3"  # no id: the row number stands in
    assert second.opened == micro("2026-05-04T02:00:00+00:00")


def test_mapping_renames_columns(tmp_path):
    path = write(tmp_path, "t.csv", "created,prio\n2026-05-04T09:00:00+07:00,High\n")
    (t,) = tickets(path, mapping=parse_mapping(["opened_at=created,priority=prio"],
                                               ("opened_at", "priority")))
    assert t.priority == "High" and t.opened == micro("2026-05-04T02:00:00+00:00")


def test_assume_zone_reads_naive_timestamps(tmp_path):
    path = write(tmp_path, "t.csv", "priority,opened_at\nHigh,2026-05-04T09:00:00\n")
    (t,) = tickets(path, assume_zone=parse_zone("Asia/Jakarta"))
    assert t.opened == micro("2026-05-04T02:00:00+00:00")


def test_channel_default_priority(tmp_path):
    path = write(tmp_path, "t.csv", "channel,opened_at\nEmail,2026-05-04T09:00:00+07:00\n")
    (t,) = tickets(path)
    assert t.priority == "Normal"


def test_default_plan_applies_when_the_row_names_none(tmp_path):
    path = write(tmp_path, "t.csv", "priority,plan,opened_at\nHigh,,2026-05-04T09:00:00+07:00\n"
                 "High,Basic,2026-05-04T09:00:00+07:00\n")
    first, second = tickets(path, default_plan="Premium")
    assert (first.plan, second.plan) == ("Premium", "Basic")


def test_touching_pauses_are_not_overlapping(tmp_path):
    path = write(tmp_path, "t.jsonl", json.dumps({
        "priority": "High", "opened_at": "2026-05-04T09:00:00+07:00",
        "pauses": [["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"],
                   ["2026-05-04T11:00:00+07:00", "2026-05-04T12:00:00+07:00"]]}) + "\n")
    (t,) = tickets(path)
    assert len(t.pauses) == 2


def test_detect_format():
    assert detect_format(Path("a.CSV")) == "csv"
    assert detect_format(Path("a.ndjson")) == "jsonl"
    assert detect_format(Path("a.txt"), "jsonl") == "jsonl"
    with pytest.raises(DataError, match="--input-format"):
        detect_format(Path("a.txt"))


def test_mapping_errors():
    with pytest.raises(ValueError, match=r"unknown field `opend_at`.*did you mean `opened_at`"):
        parse_mapping(["opend_at=created"], ("opened_at", "priority"))
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        parse_mapping(["opened_at"], ("opened_at",))


# -- errors: file, row and field named ----------------------------------------------------------

def test_missing_columns_are_listed_with_the_mapping_hint(tmp_path):
    path = write(tmp_path, "tickets.csv", "id,created\n1,2026-05-04T09:00:00+07:00\n")
    error = error_of(path)
    assert str(error) == (
        "tickets.csv:1: missing required column(s) `opened_at`, `priority`; the file has `id`, "
        "`created`; map a differently named one with `--map opened_at=COLUMN, priority=COLUMN`")


def test_resolved_before_opening(tmp_path):
    rows = "".join(f"T{i},High,,,2026-05-04T09:00:00+07:00,,,\n" for i in range(12))
    path = write(tmp_path, "tickets.csv", HEADER + rows
                 + "T13,High,,,2026-05-04T09:00:00+07:00,,2026-05-04T08:00:00+07:00,\n")
    assert str(error_of(path)) == (
        "tickets.csv:14: field `resolved_at`: resolved before it was opened "
        "(2026-05-04T08:00:00+07:00 < 2026-05-04T09:00:00+07:00)")


def test_first_response_before_opening(tmp_path):
    path = write(tmp_path, "tickets.csv", HEADER
                 + "T1,High,,,2026-05-04T09:00:00+07:00,2026-05-04T08:59:59+07:00,,\n")
    error = error_of(path)
    assert (error.row, error.field) == (2, "first_response_at")
    assert "first response before the ticket was opened" in str(error)


def test_naive_timestamp_names_row_and_field(tmp_path):
    path = write(tmp_path, "tickets.csv", HEADER + "T1,High,,,2026-05-04T09:00:00,,,\n")
    assert str(error_of(path)) == (
        "tickets.csv:2: field `opened_at`: timestamp `2026-05-04T09:00:00` has no offset: add one "
        "(`+07:00`, `Z`) or pass `--assume-zone ZONE`")


def test_unparseable_timestamp(tmp_path):
    path = write(tmp_path, "tickets.csv", HEADER + "T1,High,,,yesterday,,,\n")
    error = error_of(path)
    assert str(error).startswith("tickets.csv:2: field `opened_at`: unparseable timestamp `yesterday`")


def test_unknown_priority_with_did_you_mean(tmp_path):
    path = write(tmp_path, "tickets.csv", HEADER + "T1,Critcal,,,2026-05-04T09:00:00+07:00,,,\n")
    assert str(error_of(path)) == (
        "tickets.csv:2: field `priority`: unknown priority `Critcal` (did you mean `Critical`?); "
        "the contract has `Critical`, `High`, `Normal`, `Low`")


def test_unknown_plan_and_channel(tmp_path):
    path = write(tmp_path, "tickets.csv", HEADER + "T1,High,Premum,,2026-05-04T09:00:00+07:00,,,\n")
    error = error_of(path)
    assert (error.field, error.row) == ("plan", 2)
    assert "unknown plan `Premum` (did you mean `Premium`?); the contract has `Basic`, `Premium`" in str(error)
    path = write(tmp_path, "tickets.csv", HEADER + "T1,High,,Fax,2026-05-04T09:00:00+07:00,,,\n")
    error = error_of(path)
    assert error.field == "channel" and "the contract has `Helpdesk`, `Email`" in str(error)


def test_overlapping_pauses(tmp_path):
    pauses = json.dumps([["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"],
                         ["2026-05-04T10:30:00+07:00", "2026-05-04T12:00:00+07:00"]])
    path = write(tmp_path, "tickets.csv", HEADER + "T1,High,,,2026-05-04T09:00:00+07:00,,,"
                 + '"' + pauses.replace('"', '""') + '"\n')
    error = error_of(path)
    assert (error.row, error.field, error.reason) == (2, "pauses", "overlapping pauses")
    assert "pauses overlap" in str(error)


def test_missing_priority_without_a_channel_default(tmp_path):
    path = write(tmp_path, "tickets.csv", HEADER + "T1,,,Helpdesk,2026-05-04T09:00:00+07:00,,,\n")
    assert "field `priority`: missing priority (channel `Helpdesk` has no default priority)" \
        in str(error_of(path))


def test_unknown_default_plan():
    with pytest.raises(DataError, match="unknown plan `Gold` in `--plan`"):
        list(read_tickets(Path("unused.csv"), NAMES, default_plan="Gold"))


def test_row_with_wrong_cell_count(tmp_path):
    path = write(tmp_path, "tickets.csv", HEADER + "T1,High\n")
    assert str(error_of(path)) == "tickets.csv:2: the row has 2 cell(s), the header 8"


def test_invalid_json_line(tmp_path):
    path = write(tmp_path, "t.jsonl", '{"priority": "High", "opened_at": "2026-05-04T09:00:00Z"}\n{oops\n')
    error = error_of(path)
    assert error.row == 2 and "invalid JSON" in str(error)


def test_skip_invalid_counts_reasons_and_rows(tmp_path):
    path = write(tmp_path, "tickets.csv", HEADER
                 + "T1,High,,,2026-05-04T09:00:00+07:00,,,\n"      # row 2 ok
                 + "T2,Hihg,,,2026-05-04T09:00:00+07:00,,,\n"      # row 3 unknown priority
                 + "T3,High,,,2026-05-04T09:00:00,,,\n"            # row 4 naive
                 + "T4,Urgent,,,2026-05-04T09:00:00+07:00,,,\n"    # row 5 unknown priority
                 + "T5,Low,,,2026-05-04T09:00:00+07:00,,,\n")      # row 6 ok
    skipped = Skipped()
    kept = tickets(path, skipped=skipped)
    assert [t.id for t in kept] == ["T1", "T5"]
    assert skipped.counts == {"unknown priority": 2, "naive timestamp": 1}
    assert skipped.rows == {"unknown priority": [3, 5], "naive timestamp": [4]}
    assert skipped.lines() == [
        "skipped 3 invalid row(s):",
        "  2 x unknown priority (rows 3, 5)",
        "  1 x naive timestamp (rows 4)",
    ]


# -- incidents ----------------------------------------------------------------------------------

def test_incidents(tmp_path):
    path = write(tmp_path, "incidents.csv", "start,end,kind,reported_at,detected_at,service\n"
                 "2026-04-07T01:00:00+07:00,2026-04-07T05:00:00+07:00,,2026-04-07T01:20:00+07:00,,\n"
                 "2026-04-11T00:00:00+07:00,2026-04-11T06:00:00+07:00,Maintenance,,,Web hosting\n")
    first, second = read_incidents(path, NAMES)
    assert (first.kind, first.service, first.detected) == ("outage", None, None)
    assert first.start == micro("2026-04-06T18:00:00+00:00")
    assert first.reported == micro("2026-04-06T18:20:00+00:00")
    assert (second.kind, second.service, second.row) == ("maintenance", "Web hosting", 3)


def test_incident_end_before_start(tmp_path):
    path = write(tmp_path, "incidents.csv", "start,end\n"
                 "2026-04-07T05:00:00+07:00,2026-04-07T01:00:00+07:00\n")
    with pytest.raises(DataError) as caught:
        list(read_incidents(path, NAMES))
    assert str(caught.value) == (
        "incidents.csv:2: field `end`: the incident ends before it starts "
        "(2026-04-07T01:00:00+07:00 < 2026-04-07T05:00:00+07:00)")


def test_incident_unknown_kind_and_service(tmp_path):
    path = write(tmp_path, "incidents.csv", "start,end,kind,service\n"
                 "2026-04-07T01:00:00+07:00,2026-04-07T02:00:00+07:00,outgae,\n")
    with pytest.raises(DataError, match=r"incidents.csv:2: field `kind`: unknown incident kind "
                                        r"`outgae` \(did you mean `outage`\?\)"):
        list(read_incidents(path, NAMES))
    path = write(tmp_path, "incidents.csv", "start,end,kind,service\n"
                 "2026-04-07T01:00:00+07:00,2026-04-07T02:00:00+07:00,outage,Web\n")
    with pytest.raises(DataError, match="field `service`: unknown service `Web`"):
        list(read_incidents(path, NAMES))


def test_tickets_stream_without_reading_ahead(tmp_path):
    """The reader yields the first ticket before it has parsed the rest of the file."""
    path = write(tmp_path, "tickets.csv", HEADER + "T1,High,,,2026-05-04T09:00:00+07:00,,,\n"
                 + "T2,Bogus,,,2026-05-04T09:00:00+07:00,,,\n")
    stream = read_tickets(path, NAMES)
    assert next(stream).id == "T1"
    with pytest.raises(DataError):
        next(stream)


def test_priority_a_channel_does_not_take(tmp_path):
    names = Names(priorities=("Urgent", "Medium"), channels=("Phone",),
                  channel_only={"Phone": ("Urgent",)})
    path = write(tmp_path, "tickets.csv", "priority,channel,opened_at\n"
                 "Medium,Phone,2026-05-04T09:00:00+07:00\n")
    with pytest.raises(DataError) as caught:
        list(read_tickets(path, names))
    assert str(caught.value) == ("tickets.csv:2: field `priority`: channel `Phone` takes only "
                                 "priorities `Urgent`, not `Medium`")


# -- the columnar reader gives what the row reader gives ------------------------------------------

def _as_tuples(items):
    return [(t.row, t.id, t.priority, t.channel, t.plan, t.addons, t.opened, t.responded,
             t.resolved, t.pauses) for t in items]


def _both(path: Path, **kwargs):
    from sladsl.data import read_ticket_chunks

    rows_skipped, chunk_skipped = Skipped(), Skipped()
    by_row = _as_tuples(read_tickets(path, NAMES, skipped=rows_skipped, **kwargs))
    by_chunk = _as_tuples(t for chunk in read_ticket_chunks(path, NAMES, skipped=chunk_skipped,
                                                            size=3, **kwargs)
                          for t in chunk.tickets())
    return by_row, by_chunk, rows_skipped.as_json(), chunk_skipped.as_json()


CHUNK_ROWS = [
    "T1,High,Premium,Helpdesk,2026-05-04T09:00:00+07:00,2026-05-04T09:30:00Z,,",
    " T2 , Critical ,,Email,2026-05-04T09:00:00.5+07:00,,2026-05-05T09:00:00-03:30,",
    "T3,High,,,2026-02-29T09:00:00+07:00,,,",          # not a date: the row code says so
    "T4,High,,,2028-02-29T09:00:00+07:00,,,",          # a leap day
    "T5,High,,,2026-05-04 09:00:00+07:00,,,",          # a space as separator
    "T6,Hgh,,,2026-05-04T09:00:00+07:00,,,",
    "T7,,,Email,2026-05-04T24:00:00+07:00,,,",
    "T8,High,,,2026-05-04T09:00:00+07:00,2026-05-04T08:00:00+07:00,,",
    'T9,High,,,2026-05-04T09:00:00+07:00,,,"[[""2026-05-04T10:00:00+07:00"", ""2026-05-04T11:00:00+07:00""]]"',
    "T10,High",
    "",
    '"T,11",Low,Basic,,2026-05-04T09:00:00+24:00,,,',
    "T12,Low,Basic,,2026-05-04T09:00:00+07:00,2026-05-04T09:00:00+07:00,,",
    "T13,Low,Basic,,１９９９-05-04T09:00:00+07:00,,,",  # fullwidth digits
]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_chunks_equal_rows_on_odd_rows(tmp_path, ending):
    path = write(tmp_path, "tickets.csv", ending.join([HEADER.strip()] + CHUNK_ROWS) + ending)
    by_row, by_chunk, skipped_rows, skipped_chunks = _both(path)
    assert by_chunk == by_row and skipped_chunks == skipped_rows
    assert len(by_row) == 6 and skipped_rows["total"] == 7  # T3 T6 T7 T8 T10 T11 T13


def test_chunks_equal_rows_with_a_cell_across_lines(tmp_path):
    rows = ["T1,High,,,2026-05-04T09:00:00+07:00,,,", 'T2,High,,,2026-05-04T09:00:00+07:00,,,"[\n]"',
            "T3,High,,,2026-05-04T09:00:00+07:00,,,"]
    path = write(tmp_path, "tickets.csv", "\n".join([HEADER.strip()] + rows))
    by_row, by_chunk, *_ = _both(path)
    # T2 spans lines 3-4: T3 is on line 5, as an editor numbers it (issue 21.10)
    assert by_chunk == by_row and [t[0] for t in by_row] == [2, 3, 5]


def test_chunks_stop_at_the_first_bad_row_like_rows(tmp_path):
    from sladsl.data import read_ticket_chunks

    path = write(tmp_path, "tickets.csv", HEADER + "T1,High,,,2026-05-04T09:00:00+07:00,,,\n"
                 + "T2,High,,,2026-05-04T09:00:00,,,\n" + "T3,Hgh,,,2026-05-04T09:00:00+07:00,,,\n")
    with pytest.raises(DataError) as caught:
        list(read_ticket_chunks(path, NAMES))
    assert str(caught.value) == str(error_of(path))
    assert caught.value.row == 3


def test_instant_formatter_is_isoformat():
    from datetime import timedelta

    from sladsl.data import instant_formatter

    # Around the 2026 spring-forward (2026-03-29 01:00 UTC) and fall-back (2026-10-25 01:00 UTC)
    # of Europe/Paris, and in fixed zones.
    for zone in (parse_zone("Europe/Paris"), parse_zone("America/Sao_Paulo"), parse_zone("UTC+7"),
                 timezone(timedelta(hours=-3, minutes=-30))):
        fmt = instant_formatter(zone)
        for middle in (1774746000, 1792890000):
            for seconds in range(middle - 4000, middle + 4000, 61):
                assert fmt(seconds) == datetime.fromtimestamp(seconds, zone).isoformat()


def test_a_contract_without_priorities_takes_tickets_without_one(tmp_path):
    names = Names(channels=("Ticket", "Phone"))
    path = write(tmp_path, "tickets.csv", "id,channel,opened_at\n"
                 "H1,Phone,2026-05-04T10:58:00+02:00\nH2,,2026-05-04T10:58:00+02:00\n")
    from sladsl.data import read_ticket_chunks

    by_row = list(read_tickets(path, names))
    by_chunk = [t for chunk in read_ticket_chunks(path, names) for t in chunk.tickets()]
    for found in (by_row, by_chunk):
        assert [(t.id, t.priority, t.channel) for t in found] == [("H1", None, "Phone"), ("H2", None, None)]
    path = write(tmp_path, "bad.csv", "id,priority,opened_at\nH1,High,2026-05-04T10:58:00+02:00\n")
    with pytest.raises(DataError) as caught:
        list(read_tickets(path, names))
    assert str(caught.value) == ("bad.csv:2: field `priority`: unknown priority `High`; the "
                                 "contract has none")


def test_format_instants_is_isoformat():
    np = pytest.importorskip("numpy")
    import random
    from datetime import timedelta

    from sladsl.data import format_instants

    rng = random.Random(3)
    # Random instants 1890-2096 (LMT offsets with seconds before 1900 in Amsterdam) and every
    # 7 s around the 2026 Paris spring-forward.
    seconds = [rng.randrange(-2_500_000_000, 4_000_000_000) for _ in range(5000)]
    seconds += list(range(1774746000 - 4000, 1774746000 + 4000, 7))
    # a narrow span (dates from a table of its days), around the year 1000 and in 2026
    for lo, hi in ((-30_620_000_000, -30_600_000_000), (1767225600, 1767225600 + 300 * 86400)):
        narrow = [rng.randrange(lo, hi) for _ in range(500)]
        for zone in (parse_zone("Europe/Paris"), parse_zone("UTC+7")):
            got = format_instants(np, np.array(narrow, dtype=np.int64), zone)
            assert got == [datetime.fromtimestamp(s, zone).isoformat() for s in narrow], zone
    for zone in (parse_zone("Europe/Paris"), parse_zone("America/Sao_Paulo"),
                 parse_zone("Europe/Amsterdam"), parse_zone("UTC+7"),
                 timezone(timedelta(hours=-3, minutes=-30))):
        got = format_instants(np, np.array(seconds, dtype=np.int64), zone)
        assert got == [datetime.fromtimestamp(s, zone).isoformat() for s in seconds], zone


PAUSE_CELLS = [
    '[["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"]]',
    '[["2026-05-04T12:00:00Z", "2026-05-04T13:00:00Z"], ["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"]]',
    '[["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"], ["2026-05-04T11:00:00+07:00", "2026-05-04T12:00:00+07:00"]]',
    '[["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"], ["2026-05-04T10:30:00+07:00", "2026-05-04T12:00:00+07:00"]]',
    '[["2026-05-04T11:00:00+07:00", "2026-05-04T10:00:00+07:00"]]',  # ends before it starts
    '[["2026-05-04T10:00:00.999+07:00", "2026-05-04T10:00:00,5Z"]]',  # fractions dropped
    '[["2026-05-04T10:00:00+07:00", "2026-05-04T10:00:00+07:00"], ["2026-05-04T10:00:00+07:00", "2026-05-04T10:00:00+07:00"]]',
    '[["2026-05-04T10:00:00", "2026-05-04T11:00:00+07:00"]]',  # naive: no assumed zone
    '[[" 2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00 "]]',
    '[["2026-02-29T10:00:00+07:00", "2026-03-01T11:00:00+07:00"]]',  # not a date
    '[["１９９９-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"]]',  # fullwidth digits
    '[["2026-05-04T10:00:00+07:00", 1777870800]]', '[["2026-05-04T10:00:00+07:00"]]',
    '[["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00", "x"]]', '[[]]', '[]', ' [] ',
    '{"from": "2026-05-04T10:00:00+07:00"}', '[["", "2026-05-04T11:00:00+07:00"]]', 'null', '[',
    '"[]"', '[["2026-05-04T10:00:00+24:00", "2026-05-04T11:00:00+07:00"]]',
]


def test_pause_cells_read_by_columns_equal_the_row_code(tmp_path):
    # Each cell alone (its own row) and all together in one chunk: the columnar reader vouches
    # for the plain cells and leaves the rest to the row code, which words their errors.
    rows = [f'P{n},High,,,2026-05-04T09:00:00+07:00,,,"' + cell.replace('"', '""') + '"'
            for n, cell in enumerate(PAUSE_CELLS)]
    path = write(tmp_path, "tickets.csv", "\n".join([HEADER.strip()] + rows) + "\n")
    by_row, by_chunk, skipped_rows, skipped_chunks = _both(path)
    assert by_chunk == by_row and skipped_chunks == skipped_rows
    assert sum(1 for t in by_row if t[-1]) == 6 and skipped_rows["total"] == 15


def test_key_codes_from_distinct_cells_equal_the_per_ticket_codes():
    # The columnar reader gives each chunk its key codes from the distinct key cells; the
    # reference is `key_codes`' own dictionary walk over the tickets (first appearance order).
    import random

    import numpy as np

    from sladsl.data import TicketChunk

    for trial in range(200):
        rng = random.Random(trial)
        cells = rng.randrange(1, 9)
        cell_keys = [(f"k{rng.randrange(rng.randrange(1, 6))}",) for _ in range(cells)]
        codes = list(range(cells)) + [rng.randrange(cells) for _ in range(rng.randrange(40))]
        rng.shuffle(codes)  # every cell is some ticket's, as in a chunk
        keys = [cell_keys[c] for c in codes]
        walked = TicketChunk(list(range(len(keys))), [""] * len(keys), keys, None, None, None, {})
        laid = TicketChunk(list(range(len(keys))), [""] * len(keys), keys, None, None, None, {})
        laid.set_key_codes(np, cell_keys, codes)
        (walked_keys, walked_codes), (laid_keys, laid_codes) = walked.key_codes(np), laid.key_codes(np)
        assert laid_keys == walked_keys and laid_codes.tolist() == walked_codes.tolist()


_PAUSE_INSTANTS = ["2026-05-04T10:00:00+07:00", "2026-05-04T10:30:00Z", "2026-05-04T03:00:00Z",
                   "2026-05-04T11:00:00.5+07:00", "2026-05-04T11:00:00", "2026-05-04T09:59:59-00:30",
                   "2026-02-30T10:00:00Z", " 2026-05-04T12:00:00+07:00", "2026-05-04 12:00+0700", ""]


def _pause_rows():
    from hypothesis import strategies as st

    pair = st.lists(st.sampled_from(_PAUSE_INSTANTS), min_size=2, max_size=2)
    return st.lists(st.lists(pair, max_size=3), min_size=1, max_size=12)


def test_random_pause_cells_read_by_columns_equal_the_row_code(tmp_path_factory):
    # Random lists of pairs drawn from instants of every shape (valid, naive, not a date, with
    # blanks, another separator): overlapping, touching, reversed, unsorted. The row reader is
    # the reference for the tickets, the errors and the skipped rows.
    from hypothesis import given, settings

    @settings(max_examples=60, deadline=None)
    @given(_pause_rows())
    def check(cells):
        folder = tmp_path_factory.mktemp("pauses")
        rows = [f'P{n},High,,,2026-05-04T09:00:00+07:00,,,"' + json.dumps(cell).replace('"', '""') + '"'
                for n, cell in enumerate(cells)]
        path = write(folder, "tickets.csv", "\n".join([HEADER.strip()] + rows) + "\n")
        by_row, by_chunk, skipped_rows, skipped_chunks = _both(path)
        assert by_chunk == by_row and skipped_chunks == skipped_rows

    check()


def test_json_lines_read_by_columns_equal_the_row_code(tmp_path):
    # The records of a JSON Lines file take the column checks when their values are text and the
    # row code otherwise (numbers, lists, booleans, a line the reader refuses): the same tickets,
    # errors and skipped rows as `read_tickets`, in chunks of three.
    import csv
    import io

    fields = HEADER.strip().split(",")
    records = [dict(zip(fields, cells)) for cells in csv.reader(io.StringIO("\n".join(CHUNK_ROWS)))
               if len(cells) == len(fields)]
    lines = [json.dumps({k: v for k, v in r.items() if v}) for r in records]
    lines += [
        json.dumps({"id": 7, "priority": "High", "opened_at": "2026-05-04T09:00:00+07:00"}),
        json.dumps({"id": "N1", "priority": "High", "opened_at": "2026-05-04T09:00:00+07:00",
                    "pauses": [["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"]]}),
        json.dumps({"id": "N2", "priority": "High", "plan": None, "channel": None,
                    "opened_at": "2026-05-04T09:00:00+07:00", "resolved_at": None}),
        json.dumps({"id": "N3", "priority": True, "opened_at": "2026-05-04T09:00:00+07:00"}),
        json.dumps({"id": "N4", "priority": "High"}),  # no opening
        json.dumps({"id": "N5", "priority": 3.5, "opened_at": "2026-05-04T09:00:00+07:00"}),
        '{"id": "N6", "priority": "High", "opened_at": "2026-05-04T09:00:00+07:00"',  # cut short
        '["not", "an", "object"]',
        '{"id": "N7", "priority": "High", "opened_at": "2026-05-04T09:00:00+07:00", "plan": "\\ud800"}',
        json.dumps({"id": "N1", "priority": "Low", "opened_at": "2026-05-04T09:00:00+07:00"}),
        "",
        json.dumps({"id": " N8 ", "priority": " High ", "opened_at": " 2026-05-04T09:00:00Z ",
                    "first_response_at": "2026-05-04T09:30:00.250Z"}),
    ]
    path = write(tmp_path, "tickets.jsonl", "\n".join(lines) + "\n")
    by_row, by_chunk, skipped_rows, skipped_chunks = _both(path)
    assert by_chunk == by_row and skipped_chunks == skipped_rows
    assert skipped_rows["total"] >= 10 and len(by_row) >= 8
    strict_row, strict_chunk = error_of(path), None
    try:
        from sladsl.data import read_ticket_chunks

        list(read_ticket_chunks(path, NAMES, size=3))
    except DataError as error:
        strict_chunk = error
    assert str(strict_chunk) == str(strict_row)
