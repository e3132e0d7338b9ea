WITH period_down AS (
  SELECT
    p.service,
    p.period_label AS label,
    p.p_start,
    p.p_end,
    p.p_end - p.p_start AS total,
    COALESCE(SUM(d.down), 0) AS down,
    COALESCE(SUM(d.down_so_far), 0) AS down_so_far
  FROM sla_av_periods AS p
  LEFT JOIN sla_availability_downtime AS d
    ON d.service = p.service AND d.label = p.period_label
  GROUP BY
    p.service,
    p.period_label,
    p.p_start,
    p.p_end
), verdicts AS (
  SELECT
    d.*,
    v.target_num,
    v.target_den,
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
)
SELECT
  service,
  label AS period_label,
  p_start AS period_start,
  p_end AS period_end,
  total AS period_seconds,
  down AS downtime_seconds,
  down_so_far AS downtime_so_far_seconds,
  total - down AS uptime_num,
  total AS uptime_den,
  met
FROM verdicts
ORDER BY
  service NULLS LAST,
  period_start NULLS LAST
