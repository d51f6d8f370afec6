#!/usr/bin/env bash
# Try the API of `feedback-core serve` with curl. Usage: bash try_it.sh [URL]
set -euo pipefail
URL=${1:-http://127.0.0.1:8000}

# Submit feedback; a retry with the same Idempotency-Key answers the same receipt.
curl -sS -X POST "$URL/feedback" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: try-it-feedback-0001' \
  -d '{"name": "Ana", "email": "ana@example.com", "rating": 5, "message": "Quick and friendly."}'
echo

# Every field error at once, as an RFC 9457 problem (400).
curl -sS -X POST "$URL/feedback" -H 'Content-Type: application/json' \
  -d '{"name": "", "email": "not-an-address", "rating": 9, "message": "x"}'
echo

# Vote (the sample mode takes the user from the body), then read the vote back.
curl -sS -X POST "$URL/polls/tabs-or-spaces/votes" -H 'Content-Type: application/json' \
  -d '{"userId": "kim", "choice": "tabs"}'
echo
curl -sS "$URL/polls/tabs-or-spaces/votes/kim"
echo

# Deliver the streams now (they are delivered in the background anyway), then read live results.
curl -sS -X POST "$URL/_local/streams"
echo
curl -sS "$URL/polls/tabs-or-spaces/results?choices=tabs,spaces"
echo
curl -sS "$URL/analytics"
echo

# Run a scheduled job now: a snapshot of every poll's results into the reports bucket.
curl -sS -X POST "$URL/_local/jobs/results-snapshot"
echo
