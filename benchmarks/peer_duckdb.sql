-- The DuckDB peer of `sladsl eval contracts/qiscus.sla --format csv` (issue 13 item 6), run by
-- benchmarks/bench_peer.py: the same tickets CSV in, the same verdict CSV out, byte for byte.
--
-- Written by hand for the Qiscus contract: every calendar there is GMT+7, so instants are shown
-- by shifting them 7 hours; best-effort, target texts, calendars and source lines come from the
-- target table. The business-time arithmetic is the SQL back end's verdict query for the
-- contract (`{verdicts}`: sladsl.to_sql.verdict_query, the query `sladsl sql` writes), over its
-- calendar tables `sla_*` (sladsl.to_sql.lay_out), which bench_peer.py loads first.
--
-- Placeholders (filled by bench_peer.py): {tickets} the tickets CSV, {out} the verdict CSV,
-- {offset} the zone's offset in seconds, {suffix} its ISO text, {verdicts} the verdict query.

-- Every cell as text (empty: NULL); row = the line a record starts on (no multi-line records
-- in the benchmark's file; the scan keeps file order).
CREATE TABLE tickets_raw AS
SELECT row_number() OVER () + 1 AS "row", *
FROM read_csv('{tickets}', header = true, all_varchar = true, quote = '"', escape = '"',
              delim = ',', auto_detect = false,
              columns = {'id': 'VARCHAR', 'priority': 'VARCHAR', 'plan': 'VARCHAR',
                         'addons': 'VARCHAR', 'opened_at': 'VARCHAR',
                         'first_response_at': 'VARCHAR', 'resolved_at': 'VARCHAR',
                         'pauses': 'VARCHAR'});

CREATE VIEW tickets AS
SELECT id, priority, plan, addons,
       opened_at::TIMESTAMPTZ AS opened_at,
       first_response_at::TIMESTAMPTZ AS first_response_at,
       resolved_at::TIMESTAMPTZ AS resolved_at
FROM tickets_raw;

-- `pauses` is a JSON list of [from, to] pairs.
CREATE VIEW ticket_pauses AS
SELECT id AS ticket_id, pair[1]::TIMESTAMPTZ AS paused_from, pair[2]::TIMESTAMPTZ AS paused_to
FROM (SELECT id, unnest(from_json(pauses, '[["VARCHAR"]]')) AS pair
      FROM tickets_raw WHERE pauses IS NOT NULL);

CREATE MACRO iso(s) AS
    strftime(make_timestamp((s + {offset})::BIGINT * 1000000), '%Y-%m-%dT%H:%M:%S') || '{suffix}';

CREATE MACRO whole(t) AS epoch_us(t::TIMESTAMPTZ) // 1000000;

COPY (
    SELECT t.id, t."row", t.plan, t.priority, NULL AS channel, v.metric, g.target_text AS target,
           g.calendar, iso(v.opened_s) AS opened_at, iso(v.due) AS due,
           iso(CASE WHEN v.stopped = 1 OR v.metric = 'resolution' THEN whole(t.resolved_at)
                    ELSE whole(t.first_response_at) END) AS event_at,
           v.status, v.used_seconds, v.left_seconds,
           CASE WHEN g.best_effort = 1 THEN 'yes' ELSE 'no' END AS best_effort,
           g.source_line,
           CASE v.reason WHEN 'resolved' THEN 'the clock stopped at the resolution'
                         WHEN 'not_opened' THEN 'not yet opened at the judging instant'
                         WHEN 'no_events' THEN 'the data carries no ' || v.metric || ' events'
           END AS reason
    FROM ({verdicts}) AS v
    JOIN tickets_raw AS t ON t.id = v.id
    JOIN sla_targets AS g ON g.target_id = v.target_id
    WHERE v.kind = 0
    ORDER BY t."row", CASE v.metric WHEN 'response' THEN 0 WHEN 'resolution' THEN 1 ELSE 2 END
) TO '{out}' (HEADER, DELIMITER ',');
