"""BackupConfig.from_env: the job's settings, read once, with errors naming the variable."""

from __future__ import annotations

import pytest

from feedback_core.backup.config import BackupConfig
from feedback_core.errors import ConfigurationError

BASE = {"BACKUP_TABLE": "survey-responses", "BACKUP_BUCKET": "backups"}


def test_defaults_need_only_the_table_and_bucket() -> None:
    """With the two required variables, everything else takes its default."""
    config = BackupConfig.from_env(BASE)
    assert ("backups/survey-responses", "scan", 4, 128, True, None) == (
        config.prefix,
        config.mode,
        config.workers,
        config.part_mib,
        config.verify,
        config.keep_last,
    )


def test_every_option_is_read() -> None:
    """Each optional variable sets its field."""
    env = {
        **BASE,
        "BACKUP_PREFIX": "/weekly/",
        "BACKUP_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:t",
        "BACKUP_MODE": "Native",
        "BACKUP_WORKERS": "8",
        "BACKUP_PART_MIB": "64",
        "BACKUP_GROUP_ATTRIBUTE": "surveyId",
        "BACKUP_TIME_ATTRIBUTE": "submittedAt",
        "BACKUP_VERIFY": "false",
        "BACKUP_KEEP_LAST": "6",
        "BACKUP_MAX_AGE_DAYS": "60",
        "BACKUP_STOP_MARGIN_SECONDS": "90",
        "AWS_LAMBDA_FUNCTION_NAME": "feedback-backup-prod",
    }
    config = BackupConfig.from_env(env)
    assert set(env) <= set(BackupConfig.REQUIRED_ENV + BackupConfig.OPTIONAL_ENV)
    assert (
        "weekly", "native", 8, 64, "surveyId", "submittedAt", False, 6, 60, 90,
        "feedback-backup-prod",
    ) == (
        config.prefix, config.mode, config.workers, config.part_mib, config.group_attribute,
        config.time_attribute, config.verify, config.keep_last, config.max_age_days,
        config.stop_margin_seconds, config.function_name,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"BACKUP_BUCKET": "b"}, "BACKUP_TABLE"),
        ({"BACKUP_TABLE": "t"}, "BACKUP_BUCKET"),
        ({**BASE, "BACKUP_MODE": "snapshot"}, "BACKUP_MODE"),
        ({**BASE, "BACKUP_WORKERS": "0"}, "BACKUP_WORKERS"),
        ({**BASE, "BACKUP_VERIFY": "maybe"}, "BACKUP_VERIFY"),
    ],
)
def test_a_bad_setting_names_its_variable(env: dict[str, str], variable: str) -> None:
    """A missing or invalid value raises ConfigurationError naming the variable."""
    with pytest.raises(ConfigurationError, match=variable):
        BackupConfig.from_env(env)
