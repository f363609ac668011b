"""How the pre-deploy check's section is laid out in the table and Markdown formats."""

from __future__ import annotations

from costwatch.check_section import CheckSection
from costwatch.formats.blocks import Block, plural


def check_layout(section: CheckSection) -> list[Block]:
    read = ", ".join(f"{n} {kind}" for kind, n in sorted(section.files_read.items())) or "none"
    lines = [
        f"Files read: {read}. {plural(len(section.buckets), 'bucket')} and "
        f"{plural(section.grants, 'grant')} judged, "
        f"{plural(section.suppressed_inline, 'finding')} suppressed inline.",
    ]
    if section.baseline:
        lines.append(
            f"Baseline {section.baseline.get('path')}: "
            f"{section.baseline.get('accepted', 0)} findings accepted."
        )
    blocks = [Block("Pre-deploy check", text=tuple(lines))]
    if section.buckets:
        blocks.append(
            Block(
                "Buckets described in files",
                ("bucket", "where", "source", "location"),
                tuple((b.bucket, b.where, b.source, b.location) for b in section.buckets),
            )
        )
    if section.stale_suppressions:
        blocks.append(
            Block(
                "Inline suppressions that silence nothing (remove them)",
                ("where", "rules"),
                tuple(
                    (f"{s['path']}:{s['line']}", ", ".join(s["rules"]))
                    for s in section.stale_suppressions
                ),
            )
        )
    return blocks
