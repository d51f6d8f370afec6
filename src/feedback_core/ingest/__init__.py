"""Decode and validate API Gateway requests into typed, frozen records, reporting every error.

The pieces, in the order a handler uses them::

    request = read_request(event)                 # 413 / 415 / 400 for the envelope
    record = Feedback.decode(request.body)        # 400 with every field error at once
    item = record.to_item()                       # Decimal-safe DynamoDB AttributeValues
    # ... store the item, answer 201 ...
    except IngestError as error:
        return problem_response(error, instance=request_id)   # RFC 9457

Nothing here imports boto3.
"""

from feedback_core.errors import (
    FieldError,
    IngestError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    ValidationError,
)
from feedback_core.ingest.events import DEFAULT_MAX_BODY_BYTES, Request, read_request
from feedback_core.ingest.fields import Constraints, field
from feedback_core.ingest.problems import (
    ProxyResponse,
    dumps,
    json_response,
    problem_body,
    problem_response,
    problem_status,
)
from feedback_core.ingest.schema import Record, camel_case
from feedback_core.ingest.schemas import (
    EMAIL_PATTERN,
    ID_PATTERN,
    Answer,
    Feedback,
    SurveyResponse,
    Vote,
)

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "EMAIL_PATTERN",
    "ID_PATTERN",
    "Answer",
    "Constraints",
    "Feedback",
    "FieldError",
    "IngestError",
    "PayloadTooLargeError",
    "ProxyResponse",
    "Record",
    "Request",
    "SurveyResponse",
    "UnsupportedMediaTypeError",
    "ValidationError",
    "Vote",
    "camel_case",
    "dumps",
    "field",
    "json_response",
    "problem_body",
    "problem_response",
    "problem_status",
    "read_request",
]
