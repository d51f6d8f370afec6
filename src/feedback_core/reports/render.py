"""The daily report's files: JSON, CSV and a small static HTML page with inline SVG bar charts.

Each function returns bytes ready to store; none touches AWS. The HTML needs no script, no
stylesheet and no image from elsewhere, so it opens from a presigned link as it is.
"""

from __future__ import annotations

import csv
import html
import io
from typing import TYPE_CHECKING, Final

import orjson

if TYPE_CHECKING:
    from feedback_core.reports.model import DailyReport, QuestionReport

__all__ = ["CSV_COLUMNS", "report_csv", "report_html", "report_json"]

CSV_COLUMNS: Final = ("day", "surveyId", "questionId", "answer", "count", "percentage")
"""The CSV header: one row per survey, question and answer (see docs/reports.md)."""

FREE_TEXT_ANSWER: Final = "(free text)"
RESPONSES_ANSWER: Final = "(responses)"


def report_json(report: DailyReport) -> bytes:
    """The report as JSON (sorted keys, so a rerun of the same day writes the same bytes)."""
    return orjson.dumps(report.to_json(), option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)


def report_csv(report: DailyReport) -> bytes:
    """The report as CSV: a ``(responses)`` row per survey, then one row per answer.

    A free-text question has one ``(free text)`` row with the number of answers.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    day = report.window.day.isoformat()
    for survey in report.surveys:
        writer.writerow([day, survey.survey_id, "", RESPONSES_ANSWER, survey.responses, ""])
        for question in survey.questions:
            summary = question.summary
            if question.free_text:
                writer.writerow(
                    [day, survey.survey_id, summary.question_id, FREE_TEXT_ANSWER,
                     summary.answered, ""]
                )  # fmt: skip
                continue
            for answer in summary.answers:
                value = answer.to_json()["answer"]
                writer.writerow(
                    [day, survey.survey_id, summary.question_id, value, answer.count,
                     answer.percentage]
                )  # fmt: skip
    return out.getvalue().encode()


_BAR_HEIGHT = 18
_WIDTH = 420
_LABEL = 140


def _chart(question: QuestionReport) -> str:
    answers = question.summary.answers
    if question.free_text or not answers:
        return f"<p>{question.summary.answered} answers (free text, not shown).</p>"
    most = max(a.count for a in answers) or 1
    height = _BAR_HEIGHT * len(answers)
    rows = []
    for index, answer in enumerate(answers):
        y = index * _BAR_HEIGHT
        width = round((_WIDTH - _LABEL - 60) * answer.count / most)
        label = html.escape(str(answer.to_json()["answer"]))[:24]
        rows.append(
            f'<text x="0" y="{y + 13}">{label}</text>'
            f'<rect x="{_LABEL}" y="{y + 3}" width="{width}" height="{_BAR_HEIGHT - 6}" '
            f'fill="#4c78a8"/><text x="{_LABEL + width + 4}" y="{y + 13}">{answer.count}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'font-size="12" role="img">{"".join(rows)}</svg>'
    )


def _facts(question: QuestionReport) -> str:
    summary = question.summary
    facts = [f"{summary.answered} answered"]
    if not question.free_text and summary.mean is not None:
        facts.append(f"mean {summary.mean}")
    if not question.free_text and summary.nps is not None:
        facts.append(f"NPS {summary.nps.score}")
    if not question.free_text and summary.csat is not None:
        facts.append(f"CSAT {summary.csat}%")
    return ", ".join(facts)


def report_html(report: DailyReport) -> bytes:
    """A static summary page: per survey its counts, per question a bar chart (inline SVG)."""
    title = html.escape(f"Survey report {report.window.day} ({report.window.time_zone})")
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>",
        f"<title>{title}</title><body style='font-family:sans-serif'><h1>{title}</h1>",
        f"<p>{report.responses} responses in {len(report.surveys)} surveys; "
        f"generated {html.escape(report.generated_at)}.</p>",
    ]
    for survey in report.surveys:
        parts.append(
            f"<h2>{html.escape(survey.survey_id)}</h2><p>{survey.responses} responses, "
            f"{survey.unique_respondents} respondents, {survey.anonymous} anonymous; first "
            f"{html.escape(survey.first_response or '-')}, last "
            f"{html.escape(survey.last_response or '-')}.</p>"
        )
        parts.extend(
            f"<h3>{html.escape(question.summary.question_id)}</h3>"
            f"<p>{html.escape(_facts(question))}</p>{_chart(question)}"
            for question in survey.questions
        )
    parts.append("</body></html>")
    return "".join(parts).encode()
