"""Write copies of the templates with every optional part switched on, for checkov.

checkov evaluates a resource that has a ``Condition`` only when the condition holds under the
parameters' defaults, so the optional resources (the Comprehend grant, the vote-change grant,
the API key and usage plan) would go unscanned, and optional properties (the survey summary's
NPS and CSAT questions, the stream mappings' tumbling window, the alarm e-mail subscription,
anonymous feedback) unchecked.
``tox -e templates`` scans these copies too.

Run: python templates/enable_all_options.py OUTPUT_DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Parameter -> the value that switches its optional part on.
OPTIONS = {
    "SentimentAnalyzer": "comprehend",
    "ComprehendRegion": "eu-west-1",
    "VotePolicy": "replace",
    "OneResponsePerRespondentSurveys": "onboarding",
    "RequireApiKey": '"true"',
    "ListIncludeEmail": '"true"',
    "NpsQuestions": "recommend",
    "CsatQuestions": "satisfaction",
    "StreamTumblingWindowSeconds": "60",
    "AlarmTopicArn": "arn:aws:sns:us-east-1:123456789012:feedback-alarms",
    "NotificationEmail": "backups@example.com",
    "KeepLast": "8",
    "GroupAttribute": "surveyId",
    "TimeAttribute": "submittedAt",
    "BundleKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef",
    "FreeTextQuestions": "comment",
    "AlarmEmail": "oncall@example.com",
    "AnonymousFeedback": '"true"',
    "VotesTableStreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/votes/stream/x",
    "SurveyResponsesTableStreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/s/stream/x",
    "WebAcl": '"true"',
    "DataKmsKey": "create",
    "PersonalDataRetentionDays": "365",
}


def enable_all(template: str) -> str:
    """Return ``template`` with each known option's ``Default`` set to its enabling value."""
    for name, value in OPTIONS.items():
        pattern = rf"(^  {name}:\n(?:    .*\n)*?    Default: ).*$"
        template = re.sub(pattern, rf"\g<1>{value}", template, count=1, flags=re.MULTILINE)
    return template


def main() -> int:
    """Write the switched-on copies into the folder named on the command line."""
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(__file__).parent.glob("*.yaml")):
        (out / path.name).write_text(enable_all(path.read_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
