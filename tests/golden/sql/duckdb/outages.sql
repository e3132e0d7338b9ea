WITH cut_gaps AS (
  SELECT
    service,
    label,
    a AS ma,
    b AS mb,
    ca,
    cb,
    LAG(cb) OVER (PARTITION BY service, label, a ORDER BY ca) AS prev_cb
  FROM sla_availability_pieces
  WHERE
    NOT ca IS NULL
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
    service,
    label,
    a,
    b
  FROM sla_availability_pieces
  WHERE
    ca IS NULL
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
