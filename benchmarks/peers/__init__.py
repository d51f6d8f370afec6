"""Peer Lambda handlers written the usual Powertools way, one per reference handler module.

Each answers the same route as ``reference_handlers/<same name>.py`` with the tools a Powertools
user reaches for: ``APIGatewayRestResolver``, the parser with a pydantic model, the idempotency
utility on ``DynamoDBPersistenceLayer`` (POST routes), ``BatchProcessor`` (streams), and boto3
resources created at import. ``benchmarks/bench_cold_start.py`` times them against ours. The
idempotency table's name comes from ``IDEMPOTENCY_TABLE``, which the benchmark sets.
"""
