"""Typed building blocks for survey, feedback and polling back ends on AWS Lambda.

Importing this package is cheap: it imports neither boto3 nor any capability package. Import the
capability you need, e.g. ``from feedback_core import ingest``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
