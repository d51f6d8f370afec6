"""Peer Lambda handlers written the usual Powertools way, one per reference handler module.

Each does the same job as ``reference_handlers/<same name>.py`` with the tools a Powertools
user reaches for: ``APIGatewayRestResolver``, the parser with a pydantic model, the idempotency
utility on ``DynamoDBPersistenceLayer`` (POST routes, the bundler's sources), ``BatchProcessor``
(streams, SQS), the parameters utility (a secret read at import), ``Logger`` and ``Metrics``
where ours has them, and boto3 clients and resources created at import.
``benchmarks/bench_cold_start.py`` times them against ours. The idempotency table's name comes
from ``IDEMPOTENCY_TABLE``, which the benchmark sets.
"""
