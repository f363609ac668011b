"""JUnit XML for Jenkins, GitLab and GitHub test reporters.

One test case per checked resource (a bucket, a grant, a file), keyed by ``classname`` (the
file, or ``bucket`` for a live bucket) and ``name`` (resource and line), which GitLab uses to
tell cases apart. Each finding at or above ``--fail-on`` is a ``<failure>``; findings below it
go to the case's ``system-out``; what could not be checked is an ``<error>`` (blocking) or
``<skipped>``.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from costwatch.check_section import CheckSection
from costwatch.findings import FailOn, Finding
from costwatch.formats.ci_common import failing, full_message
from costwatch.report import Report
from costwatch.textsafe import xml_safe
from costwatch.units import iso


def _case_key(finding: Finding) -> tuple[str, str]:
    if finding.path:
        where = f"{finding.path}:{finding.line}" if finding.line else finding.path
        return finding.path, f"{finding.resource} ({where})"
    return "bucket" if finding.resource.startswith("gs://") else finding.rule_id, finding.resource


def render(report: Report, fail_on: FailOn = FailOn.ERROR) -> str:
    cases: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        cases[_case_key(finding)].extend([finding])
    section = report.section(CheckSection)
    for bucket in section.buckets if section is not None else ():
        path = bucket.where.rsplit(":", 1)[0]
        cases.setdefault((path, f"{bucket.bucket} ({bucket.where})"), [])
    for summary in report.buckets:
        cases.setdefault(("bucket", f"gs://{summary.name}"), [])
    root = ET.Element("testsuites", name=f"costwatch {report.command}")
    suite = ET.SubElement(
        root,
        "testsuite",
        name=f"costwatch {report.command}",
        timestamp=iso(report.generated_at).removesuffix("Z"),
        time="0",
    )
    failures = errors = skipped = 0
    for (classname, name), findings in sorted(cases.items()):
        case = ET.SubElement(suite, "testcase", classname=classname, name=name, time="0")
        out: list[str] = []
        for finding in findings:
            text = full_message(finding)
            if failing(finding, fail_on):
                failures += 1
                node = ET.SubElement(
                    case,
                    "failure",
                    message=f"{finding.rule_id}: {text}",
                    type=finding.rule_id,
                )
                node.text = f"{finding.severity.value} {finding.rule_id}: {text}"
            else:
                out.append(f"{finding.severity.value} {finding.rule_id}: {text}")
        if out:
            ET.SubElement(case, "system-out").text = "\n".join(out)
    for item in report.incomplete:
        case = ET.SubElement(
            suite, "testcase", classname="not checked", name=item.resource, time="0"
        )
        if item.blocking:
            errors += 1
            ET.SubElement(case, "error", message=item.reason, type="incomplete").text = item.reason
        else:
            skipped += 1
            # Jenkins' schema gives <skipped> no attributes: the reason is its text.
            ET.SubElement(case, "skipped").text = item.reason
    tests = len(suite.findall("testcase"))
    for node in (root, suite):
        node.set("tests", str(tests))
        node.set("failures", str(failures))
        node.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    ET.indent(root)
    body = xml_safe(ET.tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
