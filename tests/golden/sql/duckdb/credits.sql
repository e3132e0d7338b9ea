WITH judged AS (
  SELECT
    a.service,
    a.period_label AS label,
    a.period_seconds AS total,
    a.downtime_seconds AS down,
    100 * a.uptime_num AS up_scaled,
    a.met,
    v.target_num,
    v.target_den
  FROM sla_availability AS a
  JOIN sla_av_services AS v
    ON v.service = a.service
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
  FROM sla_availability_downtime
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
    p.period_label AS label,
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
  JOIN sla_av_periods AS p
    ON p.service = w.service AND p.p_start <= w.began AND w.began < p.p_end
  JOIN sla_av_schemes AS s
    ON s.service = w.service AND s.kind = 'per_outage'
  GROUP BY
    p.service,
    p.period_label,
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
  FROM judged AS v
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
  FROM judged AS v
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
)
SELECT
  service,
  label AS period_label,
  billing,
  scheme_id,
  kind,
  row_index,
  amount_k AS amount_num,
  amount_den,
  capped,
  credit_periods,
  CASE
    WHEN unit = 'seconds'
    THEN 0 - (
      (
        0 - amount_k
      ) - (
        (
          (
            0 - amount_k
          ) % amount_den
        ) + amount_den
      ) % amount_den
    ) // amount_den
  END AS extension_seconds
FROM credits
WHERE
  unit = 'none' OR amount_k > 0
ORDER BY
  service,
  period_label,
  billing,
  scheme_id
