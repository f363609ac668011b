"""Per-rule true and false positives for every syntax links hide in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from costwatch.findings import Finding, Severity
from costwatch.linkscan import judge_links
from costwatch.rules.link_base import LinkContext
from costwatch.sources.site import extract_links

E, W = Severity.ERROR, Severity.WARNING
AS_OF = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
CONTEXT = LinkContext(as_of=AS_OF, known_buckets=frozenset({"my-gallery", "assets.example.com"}))

V4 = (
    "https://storage.googleapis.com/my-gallery/a.png?X-Goog-Algorithm=GOOG4-RSA-SHA256"
    "&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F{d}%2Fauto%2Fstorage%2Fgoog4_request"
    "&X-Goog-Date={d}T000000Z&X-Goog-Expires={s}&X-Goog-SignedHeaders=host"
    "&X-Goog-Signature=0123456789abcdefSIGNATURE"
)
V2 = (
    "https://storage.googleapis.com/my-gallery/a.png?GoogleAccessId=sa%40p.iam.gserviceaccount.com"
    "&Expires={e}&Signature=abc%2Bdef%3D"
)
S3 = (
    "https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAEXAMPLE%2F{d}%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date={d}T120000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=feedfacefeedface"
)

# (case id, file name, content, rule, expected severity or None)
# fmt: off
CASES: list[tuple[str, str, str, str, Severity | None]] = [
    # CW301 Google Drive
    ("html-uc-export", "a.html", '<img src="https://drive.google.com/uc?export=view&amp;id=1AbC">', "CW301", E),
    ("html-uc-id", "a.html", "<img src='https://drive.google.com/uc?id=1AbC'>", "CW301", E),
    ("docs-uc", "a.html", '<img src="https://docs.google.com/uc?export=download&id=1AbC">', "CW301", E),
    ("open-id", "a.md", "![x](https://drive.google.com/open?id=1AbC)", "CW301", E),
    ("usercontent", "a.js", 'const u = "https://drive.usercontent.google.com/download?id=1AbC&export=view";', "CW301", E),
    ("thumbnail", "a.css", ".x{background:url(https://drive.google.com/thumbnail?id=1AbC&sz=w1000)}", "CW301", E),
    ("lh3", "a.jsx", '<img src="https://lh3.googleusercontent.com/d/1AbC" />', "CW301", W),
    ("lh3-other-path", "a.jsx", '<img src="https://lh3.googleusercontent.com/a/avatar123" />', "CW301", None),
    ("share-img", "a.html", '<img src="https://drive.google.com/file/d/1AbC/view?usp=sharing">', "CW301", E),
    ("share-srcset", "a.html", '<img srcset="/a.png 1x, https://drive.google.com/file/d/1AbC/view 2x">', "CW301", E),
    ("share-css", "a.scss", "div { background-image: url('https://drive.google.com/file/d/1AbC/view'); }", "CW301", E),
    ("share-md-image", "a.md", "![art](https://drive.google.com/file/d/1AbC/view)", "CW301", E),
    ("share-json-image", "a.json", '{"image": "https:\\/\\/drive.google.com\\/file\\/d\\/1AbC\\/view"}', "CW301", E),
    ("share-js-thumb", "a.ts", "const art = { thumbnailUrl: `https://drive.google.com/file/d/1AbC/view` };", "CW301", E),
    ("share-a-href", "a.html", '<a href="https://drive.google.com/file/d/1AbC/view">PDF</a>', "CW301", None),
    ("share-md-link", "a.md", "[the PDF](https://drive.google.com/file/d/1AbC/view)", "CW301", None),
    ("share-plain-text", "a.txt", "see https://drive.google.com/file/d/1AbC/view", "CW301", None),
    ("drive-folder", "a.html", '<a href="https://drive.google.com/drive/folders/1AbC">folder</a>', "CW301", None),
    ("uc-without-id", "a.html", '<img src="https://drive.google.com/uc">', "CW301", None),
    ("yaml-uc", "a.yaml", "cover: https://drive.google.com/uc?id=1AbC", "CW301", E),
    ("vue", "a.vue", "<template><img :src=\"'https://drive.google.com/uc?id=1AbC'\"></template>", "CW301", E),
    ("protocol-relative", "a.html", '<img src="//drive.google.com/uc?id=1AbC">', "CW301", E),
    # CW302 GitHub tokens
    ("raw-token", "a.md", "![](https://raw.githubusercontent.com/o/r/main/a.png?token=GHSAT0AAAAASECRET)", "CW302", E),
    ("raw-public", "a.md", "![](https://raw.githubusercontent.com/o/r/main/a.png)", "CW302", None),
    ("jwt", "a.html", '<img src="https://private-user-images.githubusercontent.com/1/2.png?jwt=eyJhbGciOi.SECRET.x">', "CW302", E),
    ("jwt-escaped-json", "a.json", '{"src":"https:\\/\\/private-user-images.githubusercontent.com\\/1\\/2.png?jwt=eyJ.SECRET.x"}', "CW302", E),
    ("token-elsewhere", "a.html", '<img src="https://example.com/a.png?token=abc">', "CW302", None),
    # CW303 signed URLs
    ("v4-expired", "a.html", f'<img src="{V4.format(d="20261101", s="3600")}">', "CW303", E),
    ("v4-valid", "a.html", f'<img src="{V4.format(d="20261104", s="604800")}">', "CW303", W),
    ("v4-entities", "a.html", f'<img src="{V4.format(d="20261101", s="60").replace("&", "&amp;")}">', "CW303", E),
    ("v2-expired", "a.js", f'fetch("{V2.format(e=1700000000)}")', "CW303", E),
    ("v2-valid", "a.js", f'fetch("{V2.format(e=1900000000)}")', "CW303", W),
    ("s3-expired", "a.md", f"![]({S3.format(d='20261001')})", "CW303", E),
    ("v4-bad-date", "a.html", '<img src="https://storage.googleapis.com/b/a?X-Goog-Signature=1&X-Goog-Date=soon">', "CW303", W),
    ("unsigned", "a.html", '<img src="https://storage.googleapis.com/my-gallery/a.png">', "CW303", None),
    # CW304 cookie-authenticated links
    ("console-link", "a.html", '<img src="https://storage.cloud.google.com/my-gallery/a.png">', "CW304", E),
    ("console-md", "a.mdx", "![](https://storage.cloud.google.com/my-gallery/a.png)", "CW304", E),
    ("api-link", "a.html", '<img src="https://storage.googleapis.com/my-gallery/a.png">', "CW304", None),
    # CW305 gs:// URIs
    ("gs-img", "a.html", '<img src="gs://my-gallery/a.png">', "CW305", E),
    ("gs-md-image", "a.md", "![x](gs://my-gallery/a.png)", "CW305", E),
    ("gs-json-image", "a.json", '{"image": "gs://my-gallery/a.png"}', "CW305", E),
    ("gs-prose", "a.md", "Originals live in `gs://my-gallery/originals/`.", "CW305", None),
    ("gs-sdk", "a.js", 'ref = storage.refFromURL("gs://my-gallery/a.png");', "CW305", None),
    ("gs-deploy", "deploy.yml", "run: gcloud storage rsync -r dist gs://my-gallery", "CW305", None),
    # CW306 mixed content
    ("http-api", "a.html", '<img src="http://storage.googleapis.com/my-gallery/a.png">', "CW306", W),
    ("http-vhost", "a.css", "a{background:url(http://my-gallery.storage.googleapis.com/a.png)}", "CW306", W),
    ("http-cname", "a.html", '<img src="http://c.storage.googleapis.com/a.png">', "CW306", W),
    ("https-api", "a.html", '<img src="https://storage.googleapis.com/my-gallery/a.png">', "CW306", None),
    ("http-other", "a.html", '<img src="http://example.com/a.png">', "CW306", None),
    # CW307 unlisted buckets
    ("listed", "a.html", '<img src="https://storage.googleapis.com/my-gallery/a.png">', "CW307", None),
    ("listed-dotted", "a.html", '<img src="https://storage.googleapis.com/assets.example.com/a.png">', "CW307", None),
    ("unlisted-path", "a.html", '<img src="https://storage.googleapis.com/other-bucket/a.png">', "CW307", W),
    ("unlisted-vhost", "a.html", '<img src="https://other-bucket.storage.googleapis.com/a.png">', "CW307", W),
    ("unlisted-json-api", "a.js", 'x = "https://storage.googleapis.com/download/storage/v1/b/other-bucket/o/a.png?alt=media"', "CW307", W),
    ("listed-json-api", "a.js", 'x = "https://storage.googleapis.com/storage/v1/b/my-gallery/o/a.png"', "CW307", None),
    ("template", "a.js", "const u = `https://storage.googleapis.com/${bucket}/a.png`;", "CW307", None),
    ("fonts", "a.html", '<link href="https://fonts.googleapis.com/css2?family=Inter" rel="stylesheet">', "CW307", None),
    # CW308 file-sharing images
    ("dropbox-img", "a.html", '<img src="https://www.dropbox.com/s/abc/a.png?raw=1">', "CW308", W),
    ("dropbox-dl", "a.md", "![](https://dl.dropboxusercontent.com/s/abc/a.png)", "CW308", W),
    ("onedrive-img", "a.html", '<img src="https://1drv.ms/i/s!AbC">', "CW308", W),
    ("sharepoint-css", "a.css", "x{background:url(https://contoso-my.sharepoint.com/a.png)}", "CW308", W),
    ("dropbox-link", "a.html", '<a href="https://www.dropbox.com/s/abc/a.zip">download</a>', "CW308", None),
]
# fmt: on


def _judge(name: str, content: str) -> list[Finding]:
    occurrences = extract_links(content.encode("utf-8"), name)
    return judge_links(occurrences, CONTEXT).findings


@pytest.mark.parametrize(
    ("case", "name", "content", "rule", "expect"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_table(case: str, name: str, content: str, rule: str, expect: Severity | None) -> None:
    hits = [f for f in _judge(name, content) if f.rule_id == rule]
    if expect is None:
        assert hits == [], [h.message for h in hits]
    else:
        assert len(hits) == 1, [h.message for h in hits]
        assert hits[0].severity is expect
        assert hits[0].path == name
        assert hits[0].line == 1
        assert hits[0].resource == name


def test_every_link_rule_has_true_and_false_positives() -> None:
    from costwatch.rules.registry import LINK_RULES

    covered = {(rule, expect is None) for _, _, _, rule, expect in CASES}
    for rule in LINK_RULES:
        if rule.id == "CW300":
            continue
        assert (rule.id, False) in covered, f"{rule.id} has no true positive"
        assert (rule.id, True) in covered, f"{rule.id} has no false positive"


SECRETS = [
    "GHSAT0AAAAASECRET",
    "eyJhbGciOi.SECRET.x",
    "0123456789abcdefSIGNATURE",
    "feedfacefeedface",
    "AKIAEXAMPLE",
]


def test_messages_never_carry_secrets() -> None:
    for _, name, content, _, _ in CASES:
        for finding in _judge(name, content):
            for secret in SECRETS:
                assert secret not in finding.message
                assert secret not in finding.key


def test_signed_url_messages_say_when() -> None:
    (expired,) = [
        f
        for f in _judge("a.html", f'<img src="{V4.format(d="20261101", s="3600")}">')
        if f.rule_id == "CW303"
    ]
    assert "expired 2026-11-01 01:00 UTC" in expired.message
    (valid,) = [
        f
        for f in _judge("a.html", f'<img src="{V4.format(d="20261104", s="604800")}">')
        if f.rule_id == "CW303"
    ]
    assert "expires 2026-11-11 00:00 UTC" in valid.message


def test_line_numbers_count_from_one() -> None:
    content = (
        "line one\n\n<img src='https://drive.google.com/uc?id=1'>\nx\n<img src='gs://b-b/x'>\n"
    )
    findings = sorted(_judge("p.html", content), key=lambda f: f.line or 0)
    assert [(f.rule_id, f.line) for f in findings] == [("CW301", 3), ("CW305", 5)]


SYNTAXES = [
    ("a.html", '<img class="art" src="{u}">'),
    ("a.htm", "<IMG SRC='{u}'>"),
    ("a.html", '<img srcset="/small.png 480w, {u} 1200w">'),
    ("a.css", "body {{ background: url({u}); }}"),
    ("a.scss", '.hero {{ background-image: url("{u}"); }}'),
    ("a.md", "![art]({u})"),
    ("a.mdx", '<img src="{u}" />'),
    ("a.json", '{{"image": "{escaped}"}}'),
    ("a.js", "const hero = '{u}';"),
    ("a.jsx", "<img src={{`{u}`}} />"),
    ("a.tsx", 'const art = {{ cover: "{u}" }};'),
    ("a.mjs", "export const image = `{u}`;"),
    ("a.cjs", 'module.exports = {{ image: "{u}" }};'),
    ("a.ts", 'const thumbnail: string = "{u}";'),
    ("a.vue", '<template><img src="{u}"></template>'),
    ("a.svelte", '<img src="{u}" alt="art">'),
    ("a.astro", '<img src="{u}" />'),
    ("a.yaml", "image: {u}"),
    ("a.yml", "cover: '{u}'"),
    ("a.xml", "<image><url>{u}</url></image>"),
    ("a.txt", "{u}"),
]


@pytest.mark.parametrize(("name", "template"), SYNTAXES, ids=[f"{n}:{t[:18]}" for n, t in SYNTAXES])
@pytest.mark.parametrize(
    ("rule", "url"),
    [
        ("CW302", "https://raw.githubusercontent.com/o/r/main/a.png?token=GHSAT0AAAAASECRET"),
        ("CW304", "https://storage.cloud.google.com/my-gallery/a.png"),
        ("CW301", "https://drive.google.com/uc?export=view&id=1AbC"),
        ("CW307", "//storage.googleapis.com/other-bucket/a.png"),
    ],
)
def test_every_syntax_every_file_type(name: str, template: str, rule: str, url: str) -> None:
    content = template.format(u=url, escaped=url.replace("/", "\\/"))
    hits = [f for f in _judge(name, content) if f.rule_id == rule]
    assert len(hits) == 1, content
    assert "GHSAT0AAAAASECRET" not in hits[0].message


def test_the_scanner_extracts_every_host_a_rule_looks_at() -> None:
    from costwatch.linkscan import TARGETS
    from costwatch.rules.registry import LINK_RULES

    for rule in LINK_RULES:
        for host in rule.hosts:
            data = f'<img src="https://Sub.{host.upper()}/a/b.png">'.encode()
            assert [o.link.host for o in extract_links(data, "f", TARGETS)] == [f"sub.{host}"], (
                rule.id,
                host,
            )
