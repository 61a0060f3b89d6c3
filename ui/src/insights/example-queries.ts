/** The saved example queries of docs/analytics.md, offered on the SQL tab (a unit test keeps them equal to the document's). */
export interface ExampleQuery {
  readonly title: string;
  readonly sql: string;
}

export const EXAMPLE_QUERIES: readonly ExampleQuery[] = [
  {
    title: 'Busiest files',
    sql: `SELECT f.path, sum(c.inserted + c.removed) AS churn, count(DISTINCT c.actor_id) AS people
FROM file_churn c LEFT JOIN files f USING (file_id)
GROUP BY f.path ORDER BY churn DESC LIMIT 10`,
  },
  {
    title: 'Who fixes what',
    sql: `WITH ordered AS (
  SELECT check_id, requested_by, lag(check_id) OVER (ORDER BY completed_at) AS previous_id
  FROM checks WHERE status = 'completed'
), fixed AS (
  SELECT o.requested_by, p.linter, p.rule_id
  FROM ordered o JOIN findings p ON p.check_id = o.previous_id
  WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.check_id = o.check_id AND f.fingerprint = p.fingerprint)
)
SELECT coalesce(m.username, fixed.requested_by) AS person, linter, rule_id, count(*) AS fixed
FROM fixed LEFT JOIN members m ON m.user_id = fixed.requested_by
GROUP BY ALL ORDER BY fixed DESC`,
  },
  {
    title: 'Time to first reply per room and week',
    sql: `WITH messages AS (
  SELECT stream_id, occurred_at,
         json_extract_string(data, '$.authorId') AS author,
         lag(json_extract_string(data, '$.authorId')) OVER w AS previous_author,
         lag(occurred_at) OVER w AS previous_at
  FROM events WHERE type = 'ChatMessagePosted'
  WINDOW w AS (PARTITION BY stream_id ORDER BY position)
)
SELECT r.name AS room, date_trunc('week', occurred_at) AS week, count(*) AS replies,
       round(avg(epoch(occurred_at) - epoch(previous_at)) / 60, 1) AS average_minutes
FROM messages JOIN rooms r ON stream_id = 'room-' || r.room_id
WHERE previous_author IS NOT NULL AND author <> previous_author
GROUP BY ALL ORDER BY week, room`,
  },
  {
    title: 'When the team works',
    sql: `SELECT dayname(occurred_at AT TIME ZONE 'Europe/Berlin') AS weekday,
       hour(occurred_at AT TIME ZONE 'Europe/Berlin') AS hour, count(*) AS events
FROM events GROUP BY ALL ORDER BY events DESC LIMIT 20`,
  },
  {
    title: 'Agents: failure rate and median duration',
    sql: `SELECT agent, count(*) AS activities,
       count(*) FILTER (WHERE status = 'failed') / nullif(count(*) FILTER (WHERE status <> 'running'), 0) AS failure_rate,
       median(duration_ms) / 1000 AS median_seconds
FROM agent_activities GROUP BY agent ORDER BY agent`,
  },
  {
    title: 'Quality trend by week',
    sql: `SELECT date_trunc('week', completed_at) AS week, count(*) AS checks, round(avg(score), 1) AS average_score, mode(grade) AS usual_grade
FROM checks WHERE status = 'completed' GROUP BY week ORDER BY week`,
  },
];
