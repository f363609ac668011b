"""Score `costwatch links` against the hand-labelled corpus of real site files.

Runs the installed costwatch (`python -m costwatch links`, a separate process) over
`benchmarks/linkcorpus/files` with a config that lists the corpus's known buckets (none by
default), matches its findings to `benchmarks/linkcorpus/labels.json` by (path, line, rule),
and prints precision and recall per rule and overall, the severity mismatches, the misses
and the false positives. It then renders every output format (table, json, markdown,
sarif) and looks for each planted synthetic secret in it.

    python benchmarks/score_links.py [--corpus DIR] [--json FILE]

Exit code: 0 when no planted secret appears in any output, 1 when one does, 2 when the
corpus or costwatch itself cannot be run. Scores never change the exit code: they are
measurements, not a gate.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE / "linkcorpus"
FORMATS = ("table", "json", "markdown", "sarif")
SEVERITY_RANK = {"note": 1, "warning": 2, "error": 3}
RUN_TIMEOUT_SECONDS = 300

Key = tuple[str, int, str]


@dataclass
class Label:
    path: str
    line: int
    rule_id: str
    severity: str
    optional: bool = False
    why: str = ""


@dataclass
class Finding:
    path: str
    line: int
    rule_id: str
    severity: str


@dataclass
class RuleScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Score:
    rules: dict[str, RuleScore] = field(default_factory=lambda: defaultdict(RuleScore))
    misses: list[Label] = field(default_factory=list)
    false_positives: list[Finding] = field(default_factory=list)
    severity_mismatches: list[tuple[Label, Finding]] = field(default_factory=list)
    optional_reported: int = 0

    @property
    def overall(self) -> RuleScore:
        total = RuleScore()
        for score in self.rules.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total


def load_labels(corpus: Path) -> dict[str, object]:
    doc = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    if doc.get("schema_version") != 1:
        raise SystemExit(f"error: {corpus / 'labels.json'} is not schema_version 1")
    return doc  # type: ignore[no-any-return]


def labels_of(doc: dict[str, object]) -> list[Label]:
    labels = []
    for entry in doc["files"]:  # type: ignore[attr-defined]
        for item in entry["expected"]:
            labels.append(
                Label(
                    path=item["path"],
                    line=item["line"],
                    rule_id=item["rule_id"],
                    severity=item["severity"],
                    optional=bool(item.get("optional", False)),
                    why=item.get("why", ""),
                )
            )
    return labels


def planted_secrets(doc: dict[str, object]) -> dict[str, str]:
    """Each planted synthetic secret and the corpus file it was planted in."""
    secrets: dict[str, str] = {}
    for entry in doc["files"]:  # type: ignore[attr-defined]
        for secret in entry["planted_secrets"]:
            secrets[secret] = entry["path"]
    return secrets


def run_costwatch(corpus: Path, doc: dict[str, object], fmt: str) -> str:
    """Stdout and stderr of one `costwatch links` run over the corpus in format ``fmt``."""
    buckets = ", ".join(json.dumps(b) for b in doc.get("known_buckets", []))  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory(prefix="linkcorpus-") as tmp:
        config = Path(tmp) / "costwatch.toml"
        config.write_text(f"buckets = [{buckets}]\n", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "costwatch",
            "links",
            ".",
            "--config",
            str(config),
            "--format",
            fmt,
            "--fail-on",
            "never",
            "--as-of",
            str(doc["as_of"]),
        ]
        try:
            done = subprocess.run(
                command,
                cwd=corpus / "files",
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise SystemExit(f"error: costwatch links --format {fmt} timed out") from exc
    if done.returncode not in (0, 1, 2):
        raise SystemExit(
            f"error: costwatch links --format {fmt} exited {done.returncode}: "
            f"{done.stderr.strip()[-500:]}"
        )
    if fmt == "json" and not done.stdout.strip():
        raise SystemExit(f"error: costwatch links printed no JSON: {done.stderr.strip()[-500:]}")
    return done.stdout + "\n" + done.stderr


def findings_of(report_json: str) -> list[Finding]:
    report = _json_part(report_json)
    found = []
    for item in report.get("findings", []):  # type: ignore[attr-defined]
        if item.get("path") is None or item.get("line") is None:
            continue
        found.append(
            Finding(
                path=str(item["path"]).replace("\\", "/").removeprefix("./"),
                line=int(item["line"]),
                rule_id=item["rule_id"],
                severity=item["severity"],
            )
        )
    return found


def _json_part(output: str) -> dict[str, object]:
    """The JSON document at the start of the output (stderr was appended after it)."""
    value, _ = json.JSONDecoder().raw_decode(output.lstrip())
    if not isinstance(value, dict):
        raise SystemExit("error: costwatch links --format json did not print an object")
    return value


def score(labels: list[Label], findings: list[Finding]) -> Score:
    result = Score()
    required: dict[Key, list[Label]] = defaultdict(list)
    optional: dict[Key, list[Label]] = defaultdict(list)
    found: dict[Key, list[Finding]] = defaultdict(list)
    for label in labels:
        key = (label.path, label.line, label.rule_id)
        (optional if label.optional else required)[key].append(label)
    for finding in findings:
        found[(finding.path, finding.line, finding.rule_id)].append(finding)
    for key in sorted(set(required) | set(optional) | set(found)):
        rule = key[2]
        wanted, allowed, got = required[key], optional[key], list(found[key])
        misses = _pair_by_severity(wanted, got, result)
        result.rules[rule].tp += len(wanted) - len(misses)
        result.rules[rule].fn += len(misses)
        result.misses.extend(misses)
        for label in allowed:
            if not got:
                break
            finding = got.pop(0)
            result.optional_reported += 1
            if SEVERITY_RANK[finding.severity] > SEVERITY_RANK[label.severity]:
                result.severity_mismatches.append((label, finding))
        for finding in got:
            result.rules[rule].fp += 1
            result.false_positives.append(finding)
    return result


def _pair_by_severity(wanted: list[Label], got: list[Finding], result: Score) -> list[Label]:
    """Match labels to findings (same severity first), consuming ``got``; return the misses."""
    unmatched: list[Label] = []
    for label in wanted:
        same = next((f for f in got if f.severity == label.severity), None)
        if same is not None:
            got.remove(same)
        else:
            unmatched.append(label)
    misses = []
    for label in unmatched:
        if got:
            result.severity_mismatches.append((label, got.pop(0)))
        else:
            misses.append(label)
    return misses


def secrets_in_outputs(secrets: dict[str, str], outputs: dict[str, str]) -> dict[str, list[str]]:
    """Each planted secret found, raw or percent-decoded, in any output: the formats showing it."""
    leaks: dict[str, list[str]] = {}
    for secret in secrets:
        shown = [fmt for fmt, text in outputs.items() if secret in text or unquote(secret) in text]
        if shown:
            leaks[secret] = shown
    return leaks


def _pct(value: float | None) -> str:
    return "  n/a " if value is None else f"{100 * value:5.1f}%"


def render(result: Score, leaks: dict[str, list[str]], secrets: dict[str, str]) -> str:
    lines = ["rule    precision  recall    tp   fp   fn"]
    for rule in sorted(result.rules):
        s = result.rules[rule]
        lines.append(
            f"{rule}    {_pct(s.precision)}   {_pct(s.recall)}  {s.tp:4d} {s.fp:4d} {s.fn:4d}"
        )
    total = result.overall
    lines.append(
        f"overall  {_pct(total.precision)}   {_pct(total.recall)}  "
        f"{total.tp:4d} {total.fp:4d} {total.fn:4d}"
    )
    lines.append(f"optional labels reported (neither counted): {result.optional_reported}")
    lines.append("")
    lines.append(f"severity mismatches: {len(result.severity_mismatches)}")
    for label, finding in result.severity_mismatches:
        lines.append(
            f"  {label.path}:{label.line} {label.rule_id} expected {label.severity}"
            f"{' at most' if label.optional else ''}, got {finding.severity}"
        )
    lines.append(f"misses: {len(result.misses)}")
    for label in result.misses:
        lines.append(f"  {label.path}:{label.line} {label.rule_id} {label.severity}")
    lines.append(f"false positives: {len(result.false_positives)}")
    for finding in result.false_positives:
        lines.append(f"  {finding.path}:{finding.line} {finding.rule_id} {finding.severity}")
    lines.append("")
    lines.append(f"planted secrets checked: {len(secrets)} in {', '.join(FORMATS)}")
    lines.append(f"secrets found in output: {len(leaks)}")
    for secret, formats in leaks.items():
        # Only a prefix: the secrets are synthetic, but a log is no place for whole ones.
        lines.append(
            f"  {secrets[secret]}: {secret[:4]}... ({len(secret)} characters) "
            f"in {', '.join(formats)}"
        )
    return "\n".join(lines)


def summary_json(result: Score, leaks: dict[str, list[str]]) -> dict[str, object]:
    def block(s: RuleScore) -> dict[str, object]:
        return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": s.precision, "recall": s.recall}

    return {
        "schema_version": 1,
        "rules": {rule: block(s) for rule, s in sorted(result.rules.items())},
        "overall": block(result.overall),
        "severity_mismatches": len(result.severity_mismatches),
        "misses": [f"{m.path}:{m.line} {m.rule_id}" for m in result.misses],
        "false_positives": [f"{f.path}:{f.line} {f.rule_id}" for f in result.false_positives],
        "secrets_found_in_output": len(leaks),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    args = parser.parse_args(argv)
    if not (args.corpus / "labels.json").is_file():
        print(f"error: no labels.json in {args.corpus}", file=sys.stderr)
        return 2
    doc = load_labels(args.corpus)
    outputs = {fmt: run_costwatch(args.corpus, doc, fmt) for fmt in FORMATS}
    result = score(labels_of(doc), findings_of(outputs["json"]))
    secrets = planted_secrets(doc)
    leaks = secrets_in_outputs(secrets, outputs)
    print(render(result, leaks, secrets))
    if args.json:
        args.json.write_text(json.dumps(summary_json(result, leaks), indent=2) + "\n")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
