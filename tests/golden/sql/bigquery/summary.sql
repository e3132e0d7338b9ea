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
  t.plan,
  t.priority,
  v.metric,
  COUNT(*) AS tickets,
  SUM(CASE WHEN v.status = 'met' THEN 1 ELSE 0 END) AS met,
  SUM(CASE WHEN v.status = 'breached' THEN 1 ELSE 0 END) AS breached,
  SUM(CASE WHEN v.status = 'pending' THEN 1 ELSE 0 END) AS pending,
  SUM(CASE WHEN v.status = 'not judged' OR v.status IS NULL THEN 1 ELSE 0 END) AS not_judged
FROM sla_verdicts AS v
JOIN tickets_in AS t
  ON t.id = v.id
WHERE
  v.kind = 0
GROUP BY
  t.plan,
  t.priority,
  v.metric
ORDER BY
  t.plan,
  t.priority,
  v.metric
