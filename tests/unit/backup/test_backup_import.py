"""Importing feedback_core.backup is cheap: no boto3, no submodule until a name is used."""

from __future__ import annotations

from tests.unit.sentiment.test_sentiment_import import run


def test_package_import_loads_no_submodule_nor_boto3() -> None:
    """Importing the package imports none of its modules, nor boto3."""
    out = run(
        "import feedback_core.backup\n"
        "print(sorted(m for m in sys.modules if m.startswith(('feedback_core.backup.',"
        " 'boto3', 'botocore'))))"
    )
    assert "[]" == out


def test_the_pure_modules_import_no_aws_library() -> None:
    """Format, export, verify, restore and retention run without boto3 loaded."""
    out = run(
        "import feedback_core.backup.export, feedback_core.backup.verify\n"
        "import feedback_core.backup.restore, feedback_core.backup.retention\n"
        "import feedback_core.backup.job, feedback_core.backup.config\n"
        "print('boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    assert "False False" == out
