"""The whole report as blocks: buckets, each section, findings with their fixes, not checked."""

from __future__ import annotations

import dataclasses

from costwatch.fixes import fix_text
from costwatch.formats.blocks import Block, api_calls_block
from costwatch.formats.sections import section_blocks
from costwatch.report import Report
from costwatch.textsafe import safe_text


def finding_text(message: str, fix: str | None) -> str:
    """A finding's message with its fix, as the table and Markdown show it."""
    return message if fix is None else f"{message}. Fix: {fix}"


def safe_block(block: Block) -> Block:
    """``block`` with every string in it passed through :func:`safe_text`."""
    return dataclasses.replace(
        block,
        title=safe_text(block.title),
        headers=tuple(safe_text(h) for h in block.headers),
        rows=tuple(tuple(safe_text(c) for c in row) for row in block.rows),
        text=tuple(safe_text(t) for t in block.text),
        notes=tuple(safe_text(n) for n in block.notes),
        code=tuple(safe_text(c) for c in block.code),
    )


def _eligibility(eligible: bool | None) -> str:
    if eligible is None:
        return "unknown"
    return "eligible" if eligible else "not eligible"


def layout(report: Report) -> list[Block]:
    """Every block of ``report``, each string in it made safe to show (:mod:`costwatch.textsafe`).

    This is the one place the table and Markdown formats get their text from, so a section
    laid out by any module passes the same boundary.
    """
    return [safe_block(b) for b in _layout(report)]


def _layout(report: Report) -> list[Block]:
    blocks: list[Block] = []
    if report.buckets:
        blocks.append(
            Block(
                "Buckets",
                ("bucket", "location", "type", "class", "public", "free tier"),
                tuple(
                    (
                        f"gs://{b.name}",
                        b.location,
                        b.location_type,
                        b.storage_class,
                        "yes" if b.public else "no",
                        _eligibility(b.free_tier_eligible),
                    )
                    for b in report.buckets
                ),
            )
        )
    for section in report.sections:
        blocks.extend(section_blocks(section))
    if report.findings:
        with_location = any(f.line is not None for f in report.findings)
        headers = ("severity", "rule", "where", "message")
        rows = tuple(
            (
                f.severity.value,
                f.rule_id,
                f"{f.path}:{f.line}" if with_location and f.line is not None else f.resource,
                finding_text(f.message, fix_text(f)),
            )
            for f in report.findings
        )
        fixes = tuple(fix_text(f) or "" for f in report.findings)
        blocks.append(
            Block("Findings", headers, rows, styles=tuple(r[0] for r in rows), code=fixes)
        )
    else:
        blocks.append(Block("Findings", text=("No findings.",)))
    if report.incomplete:
        blocks.append(
            Block(
                "Not checked",
                ("section", "resource", "reason"),
                tuple(
                    (i.section, i.resource, i.reason if i.blocking else f"skipped: {i.reason}")
                    for i in report.incomplete
                ),
            )
        )
    if report.api_calls is not None:
        blocks.append(api_calls_block(report.api_calls))
    return blocks
