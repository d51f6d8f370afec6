"""Importing and building stay cheap: no boto3, no data files until they are needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run(code: str) -> str:
    """Run ``code`` in a fresh interpreter and return what it prints."""
    completed = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r})\n{code}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def test_package_import_loads_no_submodule() -> None:
    """Importing the package imports none of its modules, nor boto3 nor attrs."""
    out = run(
        "import feedback_core.sentiment\n"
        "print(sorted(m for m in sys.modules if m.startswith(('feedback_core.sentiment.',"
        " 'boto3', 'botocore', 'attr'))))"
    )
    assert "[]" == out


def test_offline_analyzer_reads_its_data_on_first_use() -> None:
    """Building the offline analyzer reads nothing; the first analysis loads the lexicon."""
    out = run(
        "import feedback_core.sentiment._tables as tables\n"
        "import feedback_core.sentiment.lexicon as lexicon\n"
        "analyzer = lexicon.LexiconSentimentAnalyzer()\n"
        "before = tables._default is None\n"
        "analyzer.analyze(['fine'])\n"
        "print(before, tables._default is not None, 'boto3' in sys.modules)"
    )
    assert "True True False" == out


def test_comprehend_adapter_imports_boto3_only_for_its_client() -> None:
    """Building the Comprehend chain imports no boto3; asking for the client does."""
    out = run(
        "from feedback_core.sentiment import analyzer_from_env\n"
        "chain = analyzer_from_env({'SENTIMENT_ANALYZER': 'comprehend',"
        " 'COMPREHEND_REGION': 'eu-west-1'})\n"
        "before = 'boto3' in sys.modules\n"
        "chain.primary.client\n"
        "print(before, 'boto3' in sys.modules)"
    )
    assert "False True" == out


def test_unknown_name_is_an_attribute_error() -> None:
    """A name the package does not export raises AttributeError, as for any module."""
    out = run(
        "import feedback_core.sentiment as s\n"
        "try:\n    s.Nope\nexcept AttributeError as e:\n    print(e)"
    )
    assert "module 'feedback_core.sentiment' has no attribute 'Nope'" == out


def test_dir_lists_the_public_names() -> None:
    """dir() shows every exported name before any is loaded."""
    out = run("import feedback_core.sentiment as s\nprint('LexiconSentimentAnalyzer' in dir(s))")
    assert "True" == out
