WITH tickets_in AS (
  SELECT
    `id` AS id,
    COALESCE(CAST(`plan` AS STRING), '') AS plan,
    COALESCE(CAST(`priority` AS STRING), '') AS priority,
    COALESCE(CAST(`channel` AS STRING), '') AS channel,
    '' AS addons,
    `created_at` AS opened_at,
    `first_response_at` AS first_response_at,
    `resolved_at` AS resolved_at
  FROM helpdesk.tickets
)
SELECT
  v.target_id AS proportion_id,
  v.period_label,
  SUM(CASE WHEN v.status = 'met' THEN 1 ELSE 0 END) AS met,
  SUM(CASE WHEN v.status = 'breached' THEN 1 ELSE 0 END) AS missed,
  SUM(CASE WHEN v.status = 'pending' THEN 1 ELSE 0 END) AS pending
FROM sla_verdicts AS v
JOIN sla_verdicts AS g
  ON g.id = v.id AND g.metric = v.metric AND g.kind = 0
WHERE
  v.kind = 1 AND NOT v.status IS NULL AND g.status <> 'not judged'
GROUP BY
  proportion_id,
  v.period_label
ORDER BY
  proportion_id,
  period_label
