feedback-core backup export --bucket my-backups --table survey-responses --group-attribute surveyId
feedback-core backup list --bucket my-backups --prefix backups/survey-responses
feedback-core backup verify --bucket my-backups --prefix backups/survey-responses --export-id latest
feedback-core backup restore --bucket my-backups --prefix backups/survey-responses --export-id latest --table survey-responses-restored --create
feedback-core backup restore --bucket my-backups --prefix backups/survey-responses --export-id latest --table survey-responses-restored --dry-run --json
feedback-core backup prune --bucket my-backups --prefix backups/survey-responses --keep-last 8 --max-age-days 90
