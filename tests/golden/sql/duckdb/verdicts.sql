WITH tickets_in AS (
  SELECT
    "id" AS id,
    COALESCE(CAST("plan" AS TEXT), '') AS plan,
    COALESCE(CAST("priority" AS TEXT), '') AS priority,
    COALESCE(CAST("channel" AS TEXT), '') AS channel,
    '' AS addons,
    "created_at" AS opened_at,
    "first_response_at" AS first_response_at,
    "resolved_at" AS resolved_at
  FROM helpdesk.tickets
), pauses_in AS (
  SELECT
    "ticket_id" AS ticket_id,
    "paused_from" AS paused_from,
    "paused_to" AS paused_to
  FROM helpdesk.ticket_pauses
), params AS (
  SELECT
    (
      (
        EPOCH_US(CURRENT_TIMESTAMP) - (
          (
            EPOCH_US(CURRENT_TIMESTAMP) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS now_s
), tickets AS (
  SELECT
    id,
    plan,
    priority,
    channel,
    addons,
    (
      (
        EPOCH_US(opened_at) - (
          (
            EPOCH_US(opened_at) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS opened_s,
    (
      (
        EPOCH_US(first_response_at) - (
          (
            EPOCH_US(first_response_at) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS response_s,
    (
      (
        EPOCH_US(resolved_at) - (
          (
            EPOCH_US(resolved_at) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS resolution_s
  FROM tickets_in
), pause_raw AS (
  SELECT
    p.ticket_id AS id,
    (
      (
        EPOCH_US(p.paused_from) - (
          (
            EPOCH_US(p.paused_from) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS p0,
    (
      (
        EPOCH_US(p.paused_to) - (
          (
            EPOCH_US(p.paused_to) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS p1
  FROM pauses_in AS p
), pause_mark AS (
  SELECT
    id,
    p0,
    p1,
    CASE
      WHEN p0 <= MAX(p1) OVER (PARTITION BY id ORDER BY p0, p1 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
      THEN 0
      ELSE 1
    END AS island_start
  FROM pause_raw
  WHERE
    p1 > p0
), pause_island AS (
  SELECT
    id,
    p0,
    p1,
    SUM(island_start) OVER (PARTITION BY id ORDER BY p0, p1 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS island
  FROM pause_mark
), pauses AS (
  SELECT
    id,
    MIN(p0) AS p0,
    MAX(p1) AS p1
  FROM pause_island
  GROUP BY
    id,
    island
), jobs AS (
  SELECT
    t.id,
    l.metric,
    0 AS kind,
    l.target_id AS tid,
    t.opened_s,
    CASE
      WHEN l.metric = 'response'
      AND NOT t.resolution_s IS NULL
      AND (
        t.response_s IS NULL OR t.resolution_s < t.response_s
      )
      THEN t.resolution_s
      WHEN l.metric = 'response'
      THEN t.response_s
      WHEN l.metric = 'resolution'
      THEN t.resolution_s
    END AS event_s,
    CASE
      WHEN l.metric = 'response'
      AND NOT t.resolution_s IS NULL
      AND (
        t.response_s IS NULL OR t.resolution_s < t.response_s
      )
      THEN 1
      ELSE 0
    END AS stopped
  FROM tickets AS t
  JOIN sla_lookup AS l
    ON COALESCE(l.plan, '') = t.plan
    AND COALESCE(l.priority, '') = t.priority
    AND COALESCE(l.channel, '') = t.channel
    AND COALESCE(l.addons, '') = t.addons
  UNION ALL
  SELECT
    t.id,
    l.metric,
    1 AS kind,
    l.proportion_id AS tid,
    t.opened_s,
    CASE
      WHEN l.metric = 'response'
      AND NOT t.resolution_s IS NULL
      AND (
        t.response_s IS NULL OR t.resolution_s < t.response_s
      )
      THEN t.resolution_s
      WHEN l.metric = 'response'
      THEN t.response_s
      WHEN l.metric = 'resolution'
      THEN t.resolution_s
    END AS event_s,
    CASE
      WHEN l.metric = 'response'
      AND NOT t.resolution_s IS NULL
      AND (
        t.response_s IS NULL OR t.resolution_s < t.response_s
      )
      THEN 1
      ELSE 0
    END AS stopped
  FROM tickets AS t
  JOIN sla_lookup AS l
    ON COALESCE(l.plan, '') = t.plan
    AND COALESCE(l.priority, '') = t.priority
    AND COALESCE(l.channel, '') = t.channel
    AND COALESCE(l.addons, '') = t.addons
  WHERE
    NOT l.proportion_id IS NULL
), job_start AS (
  SELECT
    j.id,
    j.metric,
    j.kind,
    j.tid,
    j.opened_s,
    j.event_s,
    j.stopped,
    g.calendar,
    g.seconds,
    g.business_days,
    (
      SELECT
        now_s
      FROM params
    ) AS now_s,
    s.cum + s.slope * (
      j.opened_s - s.seg_start
    ) AS cum_s,
    CASE
      WHEN s.slope = 1 AND (
        j.opened_s > s.seg_start OR s.starts_window = 0
      )
      THEN s.bidx
      ELSE s.prev_bidx
    END AS anchor_bidx,
    CASE
      WHEN s.slope = 1 AND (
        j.opened_s > s.seg_start OR s.starts_window = 0
      )
      THEN s.clock_start + j.opened_s - s.seg_start
      ELSE s.prev_clock
    END AS anchor_clock
  FROM jobs AS j
  JOIN sla_targets AS g
    ON g.target_id = j.tid
  LEFT JOIN sla_segments AS s
    ON s.calendar = g.calendar
    AND s.day = (
      (
        j.opened_s
      ) - (
        (
          (
            j.opened_s
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND s.seg_start <= j.opened_s
    AND j.opened_s < s.seg_end
), job_days AS (
  SELECT
    j.*,
    CASE
      WHEN c.epoch_from + c.slope * (
        j.anchor_clock - c.clock_from
      ) <= b.first_open
      THEN b.first_open
      ELSE c.epoch_from + c.slope * (
        j.anchor_clock - c.clock_from
      )
    END AS candidate,
    b.first_open,
    b.first_cum
  FROM job_start AS j
  LEFT JOIN sla_bdays AS b
    ON NOT j.business_days IS NULL
    AND b.calendar = j.calendar
    AND b.bidx = j.anchor_bidx + j.business_days
  LEFT JOIN sla_clock_pieces AS c
    ON c.calendar = j.calendar
    AND c.bidx = b.bidx
    AND c.clock_from <= j.anchor_clock
    AND j.anchor_clock < c.clock_to
), job_due_days AS (
  SELECT
    j.*,
    CASE
      WHEN j.candidate = j.first_open
      THEN j.first_open
      WHEN s.slope = 1
      THEN j.candidate
      ELSE s.seg_start
    END AS due_days,
    CASE
      WHEN j.candidate = j.first_open
      THEN j.first_cum
      ELSE s.cum + s.slope * (
        j.candidate - s.seg_start
      )
    END AS cum_days
  FROM job_days AS j
  LEFT JOIN sla_segments AS s
    ON s.calendar = j.calendar
    AND s.day = (
      (
        j.candidate
      ) - (
        (
          (
            j.candidate
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND s.seg_start <= j.candidate
    AND j.candidate < s.seg_end
), job_pauses AS (
  SELECT
    j.id,
    j.metric,
    j.kind,
    p.p0,
    p.p1,
    s0.cum + s0.slope * (
      p.p0 - s0.seg_start
    ) AS c0,
    s1.cum + s1.slope * (
      p.p1 - s1.seg_start
    ) AS c1
  FROM job_due_days AS j
  JOIN pauses AS p
    ON p.id = j.id
  LEFT JOIN sla_segments AS s0
    ON s0.calendar = j.calendar
    AND s0.day = (
      (
        p.p0
      ) - (
        (
          (
            p.p0
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND s0.seg_start <= p.p0
    AND p.p0 < s0.seg_end
  LEFT JOIN sla_segments AS s1
    ON s1.calendar = j.calendar
    AND s1.day = (
      (
        p.p1
      ) - (
        (
          (
            p.p1
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND s1.seg_start <= p.p1
    AND p.p1 < s1.seg_end
), job_lost AS (
  SELECT
    j.id,
    j.metric,
    j.kind,
    COUNT(jp.p0) AS n_pauses,
    COUNT(jp.p0) - COUNT(jp.c0 + jp.c1) AS n_unknown,
    SUM(
      CASE
        WHEN jp.c1 IS NULL OR j.cum_days IS NULL
        THEN 0
        ELSE GREATEST(0, LEAST(jp.c1, j.cum_days) - GREATEST(jp.c0, j.cum_s))
      END
    ) AS lost
  FROM job_due_days AS j
  LEFT JOIN job_pauses AS jp
    ON jp.id = j.id AND jp.metric = j.metric AND jp.kind = j.kind
  GROUP BY
    j.id,
    j.metric,
    j.kind
), job_base AS (
  SELECT
    j.*,
    l.n_pauses,
    l.n_unknown,
    CASE
      WHEN NOT j.seconds IS NULL
      THEN j.cum_s + GREATEST(j.seconds, 1)
      WHEN l.lost > 0
      THEN j.cum_days + l.lost
    END AS base,
    CASE WHEN NOT j.seconds IS NULL THEN j.cum_s ELSE j.cum_days END AS clip,
    CASE WHEN j.seconds = 0 THEN 1 ELSE 0 END AS adjust
  FROM job_due_days AS j
  JOIN job_lost AS l
    ON l.id = j.id AND l.metric = j.metric AND l.kind = j.kind
), pause_positions AS (
  SELECT
    j.id,
    j.metric,
    j.kind,
    j.base,
    jp.p0,
    GREATEST(jp.c0, j.clip) AS pos,
    GREATEST(0, jp.c1 - GREATEST(jp.c0, j.clip)) AS len
  FROM job_base AS j
  JOIN job_pauses AS jp
    ON jp.id = j.id AND jp.metric = j.metric AND jp.kind = j.kind
  WHERE
    NOT j.base IS NULL AND NOT jp.c0 IS NULL AND NOT jp.c1 IS NULL
), pause_before AS (
  SELECT
    id,
    metric,
    kind,
    base,
    pos,
    len,
    COALESCE(
      SUM(len) OVER (
        PARTITION BY id, metric, kind
        ORDER BY p0
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
      ),
      0
    ) AS before
  FROM pause_positions
), pause_extra AS (
  SELECT
    id,
    metric,
    kind,
    SUM(CASE WHEN pos - before < base THEN len ELSE 0 END) AS extra
  FROM pause_before
  GROUP BY
    id,
    metric,
    kind
), job_target AS (
  SELECT
    j.*,
    j.base + COALESCE(e.extra, 0) AS goal
  FROM job_base AS j
  LEFT JOIN pause_extra AS e
    ON e.id = j.id AND e.metric = j.metric AND e.kind = j.kind
), job_due AS (
  SELECT
    j.*,
    CASE
      WHEN j.n_unknown > 0
      THEN NULL
      WHEN j.goal IS NULL
      THEN j.due_days
      ELSE w.win_open + j.goal - w.cum_before - j.adjust
    END AS due,
    COALESCE(j.event_s, j.now_s) AS end_s
  FROM job_target AS j
  LEFT JOIN sla_cum_index AS w
    ON w.calendar = j.calendar
    AND w.bucket = (
      (
        j.goal - 1
      ) - (
        (
          (
            j.goal - 1
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND w.cum_before < j.goal
    AND j.goal <= w.cum_end
), job_cums AS (
  SELECT
    j.*,
    CASE
      WHEN j.due IS NULL
      OR se.seg_start IS NULL
      OR sd.seg_start IS NULL
      OR sn.seg_start IS NULL
      THEN NULL
      WHEN NOT j.metric IN ('response', 'resolution')
      THEN 'not judged'
      WHEN j.event_s IS NULL AND j.now_s < j.opened_s
      THEN 'not judged'
      WHEN NOT j.event_s IS NULL AND j.event_s > j.due
      THEN 'breached'
      WHEN NOT j.event_s IS NULL
      THEN 'met'
      WHEN j.now_s > j.due
      THEN 'breached'
      ELSE 'pending'
    END AS status,
    se.cum + se.slope * (
      j.end_s - se.seg_start
    ) AS cum_end,
    sd.cum + sd.slope * (
      j.due - sd.seg_start
    ) AS cum_due,
    sn.cum + sn.slope * (
      j.now_s - sn.seg_start
    ) AS cum_now
  FROM job_due AS j
  LEFT JOIN sla_segments AS se
    ON se.calendar = j.calendar
    AND se.day = (
      (
        j.end_s
      ) - (
        (
          (
            j.end_s
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND se.seg_start <= j.end_s
    AND j.end_s < se.seg_end
  LEFT JOIN sla_segments AS sd
    ON sd.calendar = j.calendar
    AND sd.day = (
      (
        j.due
      ) - (
        (
          (
            j.due
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND sd.seg_start <= j.due
    AND j.due < sd.seg_end
  LEFT JOIN sla_segments AS sn
    ON sn.calendar = j.calendar
    AND sn.day = (
      (
        j.now_s
      ) - (
        (
          (
            j.now_s
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND sn.seg_start <= j.now_s
    AND j.now_s < sn.seg_end
), job_paused AS (
  SELECT
    j.id,
    j.metric,
    j.kind,
    SUM(GREATEST(0, LEAST(jp.c1, j.cum_end) - GREATEST(jp.c0, j.cum_s))) AS used_paused,
    SUM(GREATEST(0, LEAST(jp.c1, j.cum_due) - GREATEST(jp.c0, j.cum_now))) AS left_paused
  FROM job_cums AS j
  JOIN job_pauses AS jp
    ON jp.id = j.id AND jp.metric = j.metric AND jp.kind = j.kind
  GROUP BY
    j.id,
    j.metric,
    j.kind
)
SELECT
  j.id,
  j.metric,
  j.kind,
  j.tid AS target_id,
  j.due,
  j.status,
  CASE
    WHEN j.status IS NULL
    THEN NULL
    WHEN j.end_s <= j.opened_s
    THEN 0
    ELSE j.cum_end - j.cum_s - COALESCE(p.used_paused, 0)
  END AS used_seconds,
  CASE
    WHEN j.status <> 'pending'
    THEN NULL
    WHEN j.due <= j.now_s
    THEN 0
    ELSE j.cum_due - j.cum_now - COALESCE(p.left_paused, 0)
  END AS left_seconds,
  j.opened_s,
  CASE WHEN j.kind = 1 THEN COALESCE(pd.label, 'all') END AS period_label,
  CASE
    WHEN NOT j.metric IN ('response', 'resolution')
    THEN 'no_events'
    WHEN j.event_s IS NULL AND j.now_s < j.opened_s
    THEN 'not_opened'
    WHEN j.stopped = 1
    THEN 'resolved'
  END AS reason,
  j.stopped
FROM job_cums AS j
LEFT JOIN job_paused AS p
  ON p.id = j.id AND p.metric = j.metric AND p.kind = j.kind
LEFT JOIN sla_proportions AS pr
  ON j.kind = 1 AND pr.proportion_id = j.tid
LEFT JOIN sla_periods AS pd
  ON pd.period = pr.period
  AND pd.day = (
    (
      j.opened_s
    ) - (
      (
        (
          j.opened_s
        ) % 86400
      ) + 86400
    ) % 86400
  ) // 86400
  AND pd.p_start <= j.opened_s
  AND j.opened_s < pd.p_end
