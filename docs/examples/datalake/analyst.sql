-- The view every "as it is now" query reads: each item's latest row, tombstoned items left out.
-- (feedback_core.datalake.FEEDBACK.current_sql(); DuckDB's LocalLake creates it by itself.)
CREATE OR REPLACE VIEW feedback_current AS
SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY feedback_id
ORDER BY lpad(sequence_number, 40, '0') DESC) AS version FROM feedback)
WHERE version = 1 AND op IN ('INSERT', 'MODIFY');

-- ratings per day
SELECT CAST(created_at AS DATE) AS day, count(*) AS feedback, sum(rating) AS rating_sum
FROM feedback_current
GROUP BY 1
ORDER BY 1;

-- sentiment mix per week
SELECT CAST(date_trunc('week', created_at) AS DATE) AS week,
       coalesce(sentiment, 'none') AS sentiment, count(*) AS feedback
FROM feedback_current
GROUP BY 1, 2
ORDER BY 1, 2;

-- worst-rated messages
SELECT feedback_id, rating, created_at, message
FROM feedback_current
ORDER BY rating, created_at DESC, feedback_id
LIMIT 5;

-- one day only: the partition columns prune what Athena reads (and bills)
SELECT rating, count(*) AS feedback
FROM feedback
WHERE year = 2026 AND month = 11 AND day = 22 AND op = 'INSERT'
GROUP BY rating
ORDER BY rating;
