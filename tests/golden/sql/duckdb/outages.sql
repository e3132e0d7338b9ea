WITH incidents_in AS (
  SELECT
    NULL AS service,
    "kind" AS kind,
    "started_at" AS start_at,
    "ended_at" AS end_at,
    "reported_at" AS reported_at,
    "detected_at" AS detected_at
  FROM ops.incidents
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
), inc AS (
  SELECT
    CASE WHEN service = '' THEN NULL ELSE service END AS service,
    kind,
    (
      (
        EPOCH_US(start_at) - (
          (
            EPOCH_US(start_at) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS s,
    (
      (
        EPOCH_US(end_at) - (
          (
            EPOCH_US(end_at) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS e,
    (
      (
        EPOCH_US(reported_at) - (
          (
            EPOCH_US(reported_at) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS r,
    (
      (
        EPOCH_US(detected_at) - (
          (
            EPOCH_US(detected_at) % 1000000
          ) + 1000000
        ) % 1000000
      ) // 1000000
    ) AS d
  FROM incidents_in
), svc_inc AS (
  SELECT
    v.service,
    i.kind,
    i.s,
    i.e,
    CASE WHEN v.use_report = 1 THEN i.r END AS cr,
    CASE WHEN v.use_detection = 1 THEN i.d END AS cd,
    CASE WHEN v.use_start = 1 THEN i.s END AS cs,
    v.pick
  FROM sla_av_services AS v
  JOIN inc AS i
    ON i.service IS NULL OR i.service = v.service
), outage_pick AS (
  SELECT
    service,
    s,
    e,
    cs,
    pick,
    CASE
      WHEN cr IS NULL
      THEN cd
      WHEN cd IS NULL
      THEN cr
      WHEN (
        pick = 'min' AND cr <= cd
      ) OR (
        pick = 'max' AND cr >= cd
      )
      THEN cr
      ELSE cd
    END AS c1
  FROM svc_inc
  WHERE
    kind = 'outage'
), outage_from AS (
  SELECT
    service,
    s,
    e,
    CASE
      WHEN c1 IS NULL
      THEN cs
      WHEN cs IS NULL
      THEN c1
      WHEN (
        pick = 'min' AND c1 <= cs
      ) OR (
        pick = 'max' AND c1 >= cs
      )
      THEN c1
      ELSE cs
    END AS chosen
  FROM outage_pick
), outages AS (
  SELECT
    service,
    CASE WHEN chosen IS NULL OR chosen < s THEN s WHEN chosen >= e THEN e ELSE chosen END AS a,
    e AS b
  FROM outage_from
), periods AS (
  SELECT
    service,
    period_label AS label,
    p_start,
    p_end
  FROM sla_av_periods
), maint_mark AS (
  SELECT
    service,
    s AS a,
    e AS b,
    CASE
      WHEN s <= MAX(e) OVER (
        PARTITION BY service
        ORDER BY s, e
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
      )
      THEN 0
      ELSE 1
    END AS island_start
  FROM svc_inc
  WHERE
    kind = 'maintenance' AND e > s
), maint_island AS (
  SELECT
    service,
    a,
    b,
    SUM(island_start) OVER (
      PARTITION BY service
      ORDER BY a, b
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS island
  FROM maint_mark
), maint_merged AS (
  SELECT
    service,
    MIN(a) AS a,
    MAX(b) AS b
  FROM maint_island
  GROUP BY
    service,
    island
), maint_clip AS (
  SELECT
    p.service,
    p.label,
    GREATEST(m.a, p.p_start) AS a,
    LEAST(m.b, p.p_end) AS b,
    v.outside
  FROM maint_merged AS m
  JOIN periods AS p
    ON p.service = m.service AND m.a < p.p_end AND p.p_start < m.b
  JOIN sla_av_services AS v
    ON v.service = p.service
), maint_split AS (
  SELECT
    c.service,
    c.label,
    GREATEST(c.a, s.seg_start) AS a,
    LEAST(c.b, s.seg_end) AS b,
    s.slope AS inside
  FROM maint_clip AS c
  JOIN sla_segments AS s
    ON s.calendar = c.outside
    AND s.day = (
      (
        s.seg_start
      ) - (
        (
          (
            s.seg_start
          ) % 86400
        ) + 86400
      ) % 86400
    ) // 86400
    AND s.seg_start < c.b
    AND c.a < s.seg_end
  UNION ALL
  SELECT
    service,
    label,
    a,
    b,
    0 AS inside
  FROM maint_clip
  WHERE
    outside IS NULL
), maint_run AS (
  SELECT
    x.service,
    x.label,
    x.a,
    x.b,
    v.maint_mode,
    v.allowance,
    COALESCE(
      SUM(x.b - x.a) OVER (
        PARTITION BY x.service, x.label
        ORDER BY x.a
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
      ),
      0
    ) AS used_before,
    SUM(x.b - x.a) OVER (PARTITION BY x.service, x.label) AS eligible
  FROM maint_split AS x
  JOIN sla_av_services AS v
    ON v.service = x.service
  WHERE
    x.inside = 0 AND x.b > x.a
), maint_parts AS (
  SELECT
    service,
    label,
    a,
    b,
    1 AS counts
  FROM maint_split
  WHERE
    inside = 1
  UNION ALL
  SELECT
    service,
    label,
    a,
    b,
    0 AS counts
  FROM maint_run
  WHERE
    maint_mode = 'none'
  UNION ALL
  SELECT
    service,
    label,
    a,
    b,
    CASE WHEN eligible > allowance THEN 1 ELSE 0 END AS counts
  FROM maint_run
  WHERE
    maint_mode = 'all'
  UNION ALL
  SELECT
    service,
    label,
    a,
    a + GREATEST(0, LEAST(b - a, allowance - used_before)) AS b,
    0 AS counts
  FROM maint_run
  WHERE
    maint_mode = 'excess'
  UNION ALL
  SELECT
    service,
    label,
    a + GREATEST(0, LEAST(b - a, allowance - used_before)) AS a,
    b,
    1 AS counts
  FROM maint_run
  WHERE
    maint_mode = 'excess'
), spans AS (
  SELECT
    p.service,
    p.label,
    1 AS counts,
    GREATEST(o.a, p.p_start) AS a,
    LEAST(o.b, p.p_end) AS b,
    o.a AS began
  FROM outages AS o
  JOIN periods AS p
    ON p.service = o.service AND o.a < p.p_end AND p.p_start < o.b
  UNION ALL
  SELECT
    p.service,
    p.label,
    0 AS counts,
    GREATEST(x.s, p.p_start) AS a,
    LEAST(x.e, p.p_end) AS b,
    x.s AS began
  FROM svc_inc AS x
  JOIN periods AS p
    ON p.service = x.service AND x.s < p.p_end AND p.p_start < x.e
  WHERE
    x.kind = 'excluded'
  UNION ALL
  SELECT
    service,
    label,
    counts,
    a,
    b,
    a AS began
  FROM maint_parts
), span_mark AS (
  SELECT
    service,
    label,
    counts,
    a,
    b,
    began,
    CASE
      WHEN a <= MAX(b) OVER (
        PARTITION BY service, label, counts
        ORDER BY a, b
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
      )
      THEN 0
      ELSE 1
    END AS island_start
  FROM spans
  WHERE
    b > a
), span_island AS (
  SELECT
    service,
    label,
    counts,
    a,
    b,
    began,
    SUM(island_start) OVER (
      PARTITION BY service, label, counts
      ORDER BY a, b
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS island
  FROM span_mark
), merged AS (
  SELECT
    service,
    label,
    counts,
    MIN(a) AS a,
    MAX(b) AS b,
    MIN(began) AS began
  FROM span_island
  GROUP BY
    service,
    label,
    counts,
    island
), "overlaps" AS (
  SELECT
    m.service,
    m.label,
    m.a,
    m.b,
    c.a AS ca,
    c.b AS cb
  FROM merged AS m
  JOIN merged AS c
    ON c.service = m.service
    AND c.label = m.label
    AND c.counts = 0
    AND c.a < m.b
    AND m.a < c.b
  WHERE
    m.counts = 1
), outage_down AS (
  SELECT
    m.service,
    m.label,
    m.a,
    m.b,
    m.began,
    m.b - m.a - SUM(CASE WHEN o.ca IS NULL THEN 0 ELSE LEAST(o.cb, m.b) - GREATEST(o.ca, m.a) END) AS down,
    GREATEST(0, LEAST(m.b, MIN(u.until_s)) - m.a) - SUM(
      CASE
        WHEN o.ca IS NULL
        THEN 0
        ELSE GREATEST(0, LEAST(o.cb, m.b, u.until_s) - GREATEST(o.ca, m.a))
      END
    ) AS down_so_far
  FROM merged AS m
  JOIN (
    SELECT
      p.service,
      p.label,
      LEAST(GREATEST((
        SELECT
          now_s
        FROM params
      ), p.p_start), p.p_end) AS until_s
    FROM periods AS p
  ) AS u
    ON u.service = m.service AND u.label = m.label
  LEFT JOIN "overlaps" AS o
    ON o.service = m.service AND o.label = m.label AND o.a = m.a
  WHERE
    m.counts = 1
  GROUP BY
    m.service,
    m.label,
    m.a,
    m.b,
    m.began
), period_down AS (
  SELECT
    p.service,
    p.label,
    p.p_start,
    p.p_end,
    p.p_end - p.p_start AS total,
    COALESCE(SUM(d.down), 0) AS down,
    COALESCE(SUM(d.down_so_far), 0) AS down_so_far
  FROM periods AS p
  LEFT JOIN outage_down AS d
    ON d.service = p.service AND d.label = p.label
  GROUP BY
    p.service,
    p.label,
    p.p_start,
    p.p_end
), verdicts AS (
  SELECT
    d.*,
    v.target_num,
    v.target_den,
    100 * (
      d.total - d.down
    ) AS up_scaled,
    CASE
      WHEN 100 * (
        d.total - d.down
      ) * v.target_den >= v.target_num * d.total
      THEN 1
      ELSE 0
    END AS met
  FROM period_down AS d
  JOIN sla_av_services AS v
    ON v.service = d.service
), whole_mark AS (
  SELECT
    service,
    a,
    b,
    began,
    down,
    CASE
      WHEN a <= MAX(b) OVER (
        PARTITION BY service
        ORDER BY a, b
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
      )
      THEN 0
      ELSE 1
    END AS island_start
  FROM outage_down
), whole_island AS (
  SELECT
    service,
    began,
    down,
    SUM(island_start) OVER (
      PARTITION BY service
      ORDER BY a, b
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS island
  FROM whole_mark
), whole_outages AS (
  SELECT
    service,
    MIN(began) AS began,
    SUM(down) AS down
  FROM whole_island
  GROUP BY
    service,
    island
), outage_units AS (
  SELECT
    p.service,
    p.label,
    s.scheme_id,
    s.billing,
    SUM(
      CASE
        WHEN w.down <= s.grace
        THEN 0
        WHEN s.rounding = 'started'
        THEN 0 - (
          (
            s.grace - w.down
          ) - (
            (
              (
                s.grace - w.down
              ) % s.credit_period
            ) + s.credit_period
          ) % s.credit_period
        ) // s.credit_period
        ELSE (
          (
            w.down - s.grace
          ) - (
            (
              (
                w.down - s.grace
              ) % s.credit_period
            ) + s.credit_period
          ) % s.credit_period
        ) // s.credit_period
      END
    ) AS credit_periods
  FROM whole_outages AS w
  JOIN periods AS p
    ON p.service = w.service AND p.p_start <= w.began AND w.began < p.p_end
  JOIN sla_av_schemes AS s
    ON s.service = w.service AND s.kind = 'per_outage'
  GROUP BY
    p.service,
    p.label,
    s.scheme_id,
    s.billing
), owed AS (
  SELECT
    v.service,
    v.label,
    s.scheme_id,
    s.billing,
    b.row_index,
    b.credit_k AS amount_k,
    CAST(NULL AS BIGINT) AS credit_periods
  FROM verdicts AS v
  JOIN sla_av_schemes AS s
    ON s.service = v.service AND s.kind = 'tiered'
  JOIN sla_av_bands AS b
    ON b.service = s.service
    AND b.scheme_id = s.scheme_id
    AND (
      b.lo_num IS NULL
      OR v.up_scaled * b.lo_den > b.lo_num * v.total
      OR (
        b.lo_incl = 1 AND v.up_scaled * b.lo_den = b.lo_num * v.total
      )
    )
    AND (
      v.up_scaled * b.hi_den < b.hi_num * v.total
      OR (
        b.hi_incl = 1 AND v.up_scaled * b.hi_den = b.hi_num * v.total
      )
    )
  UNION ALL
  SELECT
    u.service,
    u.label,
    u.scheme_id,
    u.billing,
    CAST(NULL AS BIGINT) AS row_index,
    u.credit_periods * s.rate_k AS amount_k,
    u.credit_periods
  FROM outage_units AS u
  JOIN sla_av_schemes AS s
    ON s.service = u.service AND s.scheme_id = u.scheme_id AND s.billing = u.billing
  WHERE
    u.credit_periods > 0
  UNION ALL
  SELECT
    v.service,
    v.label,
    s.scheme_id,
    s.billing,
    CAST(NULL AS BIGINT) AS row_index,
    CASE
      WHEN s.scope = 'excess'
      THEN (
        v.down * 100 * v.target_den - v.total * (
          100 * v.target_den - v.target_num
        )
      ) * s.ext_scale
      ELSE v.down * s.ext_scale
    END AS amount_k,
    CAST(NULL AS BIGINT) AS credit_periods
  FROM verdicts AS v
  JOIN sla_av_schemes AS s
    ON s.service = v.service AND s.kind = 'extension'
  WHERE
    v.met = 0
), credits AS (
  SELECT
    o.service,
    o.label,
    o.billing,
    o.scheme_id,
    s.kind,
    s.unit,
    o.row_index,
    CASE
      WHEN s.unit = 'none'
      THEN NULL
      WHEN s.cap_k IS NULL OR o.amount_k <= s.cap_k
      THEN o.amount_k
      ELSE s.cap_k
    END AS amount_k,
    s.amount_den,
    CASE
      WHEN s.unit <> 'none' AND NOT s.cap_k IS NULL AND o.amount_k > s.cap_k
      THEN 1
      ELSE 0
    END AS capped,
    o.credit_periods
  FROM owed AS o
  JOIN sla_av_schemes AS s
    ON s.service = o.service AND s.scheme_id = o.scheme_id AND s.billing = o.billing
), cut_gaps AS (
  SELECT
    service,
    label,
    a AS ma,
    b AS mb,
    ca,
    cb,
    LAG(cb) OVER (PARTITION BY service, label, a ORDER BY ca) AS prev_cb
  FROM "overlaps"
), shown AS (
  SELECT
    service,
    label,
    COALESCE(prev_cb, ma) AS a,
    ca AS b
  FROM cut_gaps
  UNION ALL
  SELECT
    service,
    label,
    MAX(cb) AS a,
    mb AS b
  FROM cut_gaps
  GROUP BY
    service,
    label,
    ma,
    mb
  UNION ALL
  SELECT
    m.service,
    m.label,
    m.a,
    m.b
  FROM merged AS m
  LEFT JOIN "overlaps" AS o
    ON o.service = m.service AND o.label = m.label AND o.a = m.a
  WHERE
    m.counts = 1 AND o.ca IS NULL
)
SELECT
  service,
  label AS period_label,
  a AS outage_start,
  b AS outage_end
FROM shown
WHERE
  b > a
ORDER BY
  service,
  period_label,
  outage_start
