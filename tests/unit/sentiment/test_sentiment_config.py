"""analyzer_from_env: the analyzer a handler builds at cold start."""

from __future__ import annotations

import boto3
import pytest

from feedback_core.errors import ConfigurationError, UnsupportedRegionError
from feedback_core.sentiment import (
    ComprehendSentimentAnalyzer,
    FallbackSentimentAnalyzer,
    LexiconSentimentAnalyzer,
    analyzer_from_env,
)


@pytest.mark.parametrize("env", [{}, {"SENTIMENT_ANALYZER": "offline"}, {"SENTIMENT_ANALYZER": ""}])
def test_offline_is_the_default(env: dict[str, str]) -> None:
    """Unset, empty or "offline" gives the offline analyzer."""
    assert isinstance(analyzer_from_env(env), LexiconSentimentAnalyzer)


def test_comprehend_gives_the_chain_in_the_override_region() -> None:
    """ "comprehend" is Comprehend (in COMPREHEND_REGION) with the offline fallback."""
    env = {
        "SENTIMENT_ANALYZER": "Comprehend",
        "COMPREHEND_REGION": "eu-west-1",
        "AWS_REGION": "eu-north-1",
    }
    analyzer = analyzer_from_env(env)
    assert isinstance(analyzer, FallbackSentimentAnalyzer)
    assert isinstance(analyzer.primary, ComprehendSentimentAnalyzer)
    assert "eu-west-1" == analyzer.primary.region


def test_function_region_is_used_without_override() -> None:
    """Without COMPREHEND_REGION, the function's AWS_REGION is used."""
    analyzer = analyzer_from_env(
        {"SENTIMENT_ANALYZER": "comprehend-strict", "AWS_REGION": "ap-south-1"}
    )
    assert isinstance(analyzer, ComprehendSentimentAnalyzer)
    assert "ap-south-1" == analyzer.region


def test_strict_mode_has_no_fallback() -> None:
    """ "comprehend-strict" is the bare Comprehend adapter."""
    env = {"SENTIMENT_ANALYZER": "comprehend-strict", "COMPREHEND_REGION": "us-east-2"}
    assert isinstance(analyzer_from_env(env), ComprehendSentimentAnalyzer)


def test_comprehend_max_bytes_sets_the_paid_cap() -> None:
    """COMPREHEND_MAX_BYTES outside 1..5000 names the variable at build."""
    env = {"SENTIMENT_ANALYZER": "comprehend", "COMPREHEND_MAX_BYTES": "6000"}
    with pytest.raises(ConfigurationError, match="COMPREHEND_MAX_BYTES"):
        analyzer_from_env({**env, "AWS_REGION": "us-east-1"})


def test_unknown_analyzer_is_a_configuration_error() -> None:
    """An unknown SENTIMENT_ANALYZER names the accepted values."""
    with pytest.raises(ConfigurationError, match="offline, comprehend, comprehend-strict"):
        analyzer_from_env({"SENTIMENT_ANALYZER": "vader"})


def test_region_without_comprehend_fails_at_build() -> None:
    """A region without Comprehend fails when the handler builds the analyzer."""
    with pytest.raises(UnsupportedRegionError, match="eu-north-1"):
        analyzer_from_env({"SENTIMENT_ANALYZER": "comprehend", "AWS_REGION": "eu-north-1"})


def test_unknown_language_fails_at_build() -> None:
    """A COMPREHEND_LANGUAGE Comprehend cannot analyze fails at build."""
    env = {"SENTIMENT_ANALYZER": "comprehend", "COMPREHEND_LANGUAGE": "nl"}
    with pytest.raises(ConfigurationError, match="'nl'"):
        analyzer_from_env(env)


def test_injected_client_is_used() -> None:
    """An injected client decides the region."""
    client = boto3.client("comprehend", region_name="ca-central-1")
    analyzer = analyzer_from_env({"SENTIMENT_ANALYZER": "comprehend-strict"}, client=client)
    assert isinstance(analyzer, ComprehendSentimentAnalyzer)
    assert client is analyzer.client


def test_override_region_must_match_an_injected_client() -> None:
    """COMPREHEND_REGION and an injected client for another region conflict."""
    client = boto3.client("comprehend", region_name="ca-central-1")
    env = {"SENTIMENT_ANALYZER": "comprehend", "COMPREHEND_REGION": "eu-west-1"}
    with pytest.raises(ConfigurationError, match="ca-central-1"):
        analyzer_from_env(env, client=client)


def test_os_environ_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a mapping, the process environment is read."""
    monkeypatch.setenv("SENTIMENT_ANALYZER", "comprehend-strict")
    monkeypatch.setenv("COMPREHEND_REGION", "eu-central-1")
    analyzer = analyzer_from_env()
    assert isinstance(analyzer, ComprehendSentimentAnalyzer)
    assert "eu-central-1" == analyzer.region
