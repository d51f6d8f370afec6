"""Back up DynamoDB tables to S3 in DynamoDB's export format; verify, restore and prune them."""
