-- An Athena table over the JSON-lines bundles: one row per feedback line, partitions projected
-- from the keys (bundles/YYYY/MM/DD/HH/), so no crawler and no MSCK REPAIR is needed.
CREATE EXTERNAL TABLE feedback_bundles (
  feedbackId string,
  customerId string,
  rating int,
  channel string,
  submittedAt string,
  message string
)
PARTITIONED BY (day string, hour string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://feedback-bundles-111122223333-prod/bundles/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.day.type' = 'date',
  'projection.day.format' = 'yyyy/MM/dd',
  'projection.day.range' = '2026/01/01,NOW',
  'projection.day.interval' = '1',
  'projection.day.interval.unit' = 'DAYS',
  'projection.hour.type' = 'integer',
  'projection.hour.range' = '0,23',
  'projection.hour.digits' = '2',
  'storage.location.template' = 's3://feedback-bundles-111122223333-prod/bundles/${day}/${hour}/'
);

-- The manifests sit beside the bundles as *.manifest.json; keep them out of the table's rows.
-- (Athena reads every object under a partition's location; the JsonSerDe would read a manifest
-- as one row of nulls.) Query with a filter on "$path":
SELECT rating, count(*) AS responses
FROM feedback_bundles
WHERE day = '2026/05/04' AND "$path" LIKE '%.jsonl.gz'
GROUP BY rating
ORDER BY rating;
