WITH params AS (
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
)
SELECT
  m.service,
  m.label,
  m.a,
  m.b,
  m.began,
  m.b - m.a - SUM(CASE WHEN m.ca IS NULL THEN 0 ELSE LEAST(m.cb, m.b) - GREATEST(m.ca, m.a) END) AS down,
  GREATEST(0, LEAST(m.b, MIN(u.until_s)) - m.a) - SUM(
    CASE
      WHEN m.ca IS NULL
      THEN 0
      ELSE GREATEST(0, LEAST(m.cb, m.b, u.until_s) - GREATEST(m.ca, m.a))
    END
  ) AS down_so_far
FROM sla_availability_pieces AS m
JOIN (
  SELECT
    p.service,
    p.period_label AS label,
    LEAST(GREATEST((
      SELECT
        now_s
      FROM params
    ), p.p_start), p.p_end) AS until_s
  FROM sla_av_periods AS p
) AS u
  ON u.service = m.service AND u.label = m.label
GROUP BY
  m.service,
  m.label,
  m.a,
  m.b,
  m.began
