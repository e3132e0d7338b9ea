WITH incidents_in AS (
  SELECT
    NULL AS service,
    `kind` AS kind,
    `started_at` AS start_at,
    `ended_at` AS end_at,
    `reported_at` AS reported_at,
    `detected_at` AS detected_at
  FROM ops.incidents
), inc AS (
  SELECT
    CASE WHEN service = '' THEN NULL ELSE service END AS service,
    kind,
    UNIX_SECONDS(start_at) AS s,
    UNIX_SECONDS(end_at) AS e,
    UNIX_SECONDS(reported_at) AS r,
    UNIX_SECONDS(detected_at) AS d
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
    AND s.day = DIV((
      s.seg_start
    ) - MOD(MOD(s.seg_start, 86400) + 86400, 86400), 86400)
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
)
SELECT
  m.service,
  m.label,
  m.a,
  m.b,
  m.began,
  c.a AS ca,
  c.b AS cb
FROM merged AS m
LEFT JOIN merged AS c
  ON c.service = m.service
  AND c.label = m.label
  AND c.counts = 0
  AND c.a < m.b
  AND m.a < c.b
WHERE
  m.counts = 1
