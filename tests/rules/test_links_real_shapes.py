"""URL shapes, file types and contexts that real sites use (beyond the rules' first examples)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from costwatch.findings import Finding, Severity
from costwatch.linkscan import TARGETS, judge_links
from costwatch.rules.link_base import LinkContext
from costwatch.sources.site import extract_links

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE
CONTEXT = LinkContext(
    as_of=datetime(2026, 11, 5, 12, 0, tzinfo=UTC), known_buckets=frozenset({"my-gallery"})
)
FIREBASE_TOKEN = "0f3c6f1e-2b1a-4c8e-9d3e-5a7b9c1d2e3f"


def judge(name: str, content: str) -> list[Finding]:
    return judge_links(extract_links(content.encode(), name, TARGETS), CONTEXT).findings


# fmt: off
CASES = [
    # Google Drive shapes
    ("drive-account-prefix", "a.html", '<img src="https://drive.google.com/u/0/uc?id=1AbC&export=view">', "CW301", E),
    ("drive-account-prefix-open", "a.html", '<img src="https://drive.google.com/u/1/open?id=1AbC">', "CW301", E),
    ("docs-uc", "a.html", '<img src="https://docs.google.com/uc?id=1AbC">', "CW301", E),
    ("googledrive-host", "a.html", '<img src="https://googledrive.com/host/0B1AbC/photo.jpg">', "CW301", E),
    ("googledrive-host-www", "a.html", '<a href="http://www.googledrive.com/host/0B1AbC/">site</a>', "CW301", E),
    ("export-download-img", "a.html", '<img src="https://drive.google.com/uc?export=download&id=1AbC">', "CW301", E),
    ("export-download-a", "a.html", '<a href="https://drive.google.com/uc?export=download&id=1AbC">dataset</a>', "CW301", N),
    ("drive-open-a", "a.md", "[shared folder](https://drive.google.com/open?id=1AbC)", "CW301", N),
    ("drive-usercontent-a", "a.html", '<a href="https://drive.usercontent.google.com/download?id=1AbC">zip</a>', "CW301", N),
    ("drive-file-a", "a.html", '<a href="https://drive.google.com/file/d/1AbC/view">paper</a>', "CW301", None),
    ("drive-preview-iframe", "a.html", '<iframe src="https://drive.google.com/file/d/1AbC/preview" width="640"></iframe>', "CW301", None),
    ("drive-file-img", "a.html", '<img src="https://drive.google.com/file/d/1AbC/view">', "CW301", E),
    # Cloud Storage hosts
    ("legacy-host-http", "a.html", '<img src="http://commondatastorage.googleapis.com/my-gallery/a.png">', "CW306", W),
    ("legacy-host-unlisted", "a.html", '<img src="https://commondatastorage.googleapis.com/other-bucket/a.png">', "CW307", W),
    ("legacy-host-listed", "a.html", '<img src="https://commondatastorage.googleapis.com/my-gallery/a.png">', "CW307", None),
    ("vhost-http", "a.html", '<img src="http://my-gallery.storage.googleapis.com/a.png">', "CW306", W),
    ("vhost-listed", "a.html", '<img src="https://my-gallery.storage.googleapis.com/a.png">', "CW307", None),
    ("vhost-dotted-unlisted", "a.html", '<img src="https://img.example.org.storage.googleapis.com/a.png">', "CW307", W),
    ("console-details-img", "a.html", '<img src="https://console.cloud.google.com/storage/browser/_details/my-gallery/a.png;tab=live_object">', "CW304", E),
    ("console-browser-img", "a.md", "![](https://console.cloud.google.com/storage/browser/my-gallery/a.png)", "CW304", E),
    ("console-browser-a", "README.md", "[dataset](https://console.cloud.google.com/storage/browser/my-gallery)", "CW304", E),
    ("console-other-page", "a.html", '<img src="https://console.cloud.google.com/billing">', "CW304", None),
    # Firebase Storage: the bucket is judged, the token never shown
    ("firebase-unlisted", "a.js", f'const hero = "https://firebasestorage.googleapis.com/v0/b/proj.appspot.com/o/a.png?alt=media&token={FIREBASE_TOKEN}";', "CW307", W),
    ("firebase-listed", "a.js", f'const hero = "https://firebasestorage.googleapis.com/v0/b/my-gallery/o/a.png?alt=media&token={FIREBASE_TOKEN}";', "CW307", None),
    ("firebase-http", "a.html", '<img src="http://firebasestorage.googleapis.com/v0/b/my-gallery/o/a.png?alt=media">', "CW306", W),
    # OneDrive
    ("storage-live-img", "a.html", '<img src="https://storage.live.com/items/ABC!123?authkey=!AKEY">', "CW308", W),
    ("storage-live-json", "a.json", '{"files": ["https://storage.live.com/items/ABC!123"]}', "CW308", W),
    ("onedrive-embed-img", "a.html", '<img src="https://onedrive.live.com/embed?resid=ABC!123&authkey=!AKEY&width=600">', "CW308", W),
    ("onedrive-embed-iframe", "a.html", '<iframe src="https://onedrive.live.com/embed?resid=ABC!123&authkey=!AKEY&em=2" width="98"></iframe>', "CW308", None),
    ("onedrive-em2-list", "a.js", 'const photos = ["https://onedrive.live.com/embed?resid=ABC!123&em=2"];', "CW308", W),
    ("dropbox-content-url-key", "images.js", 'var images = [{"url": "https://uc0a1b2c.dl.dropboxusercontent.com/cd/0/inline/AbC/file#", "width": 722}];', "CW308", W),
    ("dropbox-guide-in-prose", "GUIDE.md", "```\nhttps://www.dropbox.com/scl/fi/x/a.jpeg?rlkey=KEY&dl=1&raw=1\n```", "CW308", None),
    ("dropbox-guide-inline-code", "dropbox.md", "The link: `https://dl.dropboxusercontent.com/s/abc/a.sms`", "CW308", None),
    ("onedrive-download-a", "a.html", '<a href="https://onedrive.live.com/download?resid=ABC!123">zip</a>', "CW308", None),
    # Context: comments and commented-out code are notes, never errors
    ("html-comment", "a.html", '<!-- <img src="https://drive.google.com/uc?id=1AbC"> -->', "CW301", N),
    ("md-html-comment", "a.md", "<!--\n![](https://drive.google.com/uc?id=1AbC)\n-->", "CW301", N),
    ("js-line-comment", "a.js", '// const hero = "https://drive.google.com/uc?id=1AbC";', "CW301", N),
    ("js-line-comment-after-code", "a.jsx", 'f(); // <img src="https://drive.google.com/uc?id=1AbC" />', "CW301", N),
    ("js-block-comment", "a.ts", '/*\n const hero = "https://storage.cloud.google.com/my-gallery/a.png";\n*/', "CW304", N),
    ("jsx-comment", "a.jsx", '{/* <img src="gs://my-gallery/a.png" /> */}', "CW305", N),
    ("css-comment", "a.css", "/* .hero { background: url(https://drive.google.com/uc?id=1AbC) } */", "CW301", N),
    ("twig-comment", "a.twig", '{# <img src="https://drive.google.com/uc?id=1AbC"> #}', "CW301", N),
    ("yaml-comment", "a.yml", "# image: https://drive.google.com/uc?id=1AbC\ntitle: x", "CW301", N),
    ("not-a-comment-protocol-relative", "a.html", '<img src="//drive.google.com/uc?id=1AbC">', "CW301", E),
    ("not-a-comment-url-path", "a.js", 'const a = "https://drive.google.com/uc?id=1AbC"; const b = 1;', "CW301", E),
    ("code-after-comment-line", "a.js", '// old\nconst hero = "https://drive.google.com/uc?id=1AbC";', "CW301", E),
    # Context: a ternary is not an image key
    ("ternary", "a.jsx", 'const src = open ? itemSrc : "https://drive.google.com/file/d/1AbC/view";', "CW301", None),
    ("object-key", "a.jsx", 'const item = { itemImage: "https://drive.google.com/file/d/1AbC/view" };', "CW301", E),
    ("key-on-the-line-before", "Seo.tsx", 'const imageOg =\n    "https://onedrive.live.com/embed?resid=ABC%2188585&authkey=%21AKEY&width=1200";', "CW308", W),
    ("button-src-key", "Hero.jsx", 'const btns = [{name:"resume",src:"https://drive.google.com/file/d/1AbC/view?usp=drive_link"}];', "CW301", None),
    ("btn-src-key", "a.jsx", '{ btn_src: "https://drive.google.com/file/d/1AbC/view?usp=sharing" }', "CW301", None),
    ("embed-src-key", "a.js", '{url:"https://drive.google.com/file/d/1AbC/view",embedSrc:"https://drive.google.com/file/d/1AbC/preview"}', "CW301", None),
    ("preview-built-in-js", "embed.min.js", 'if(m=driveId(u))return{src:"https://drive.google.com/file/d/"+m+"/preview",type:"drive"};', "CW301", None),
    ("export-download-font", "a.js", 'const downfonts = "https://drive.google.com/u/0/uc?id=1AbC&export=download"', "CW301", N),
    # Template-built URLs are shown whole and not judged by a bucket they do not name
    ("template-bucket", "a.js", "const u = `http://storage.googleapis.com/${bucket}/${name}`;", "CW306", W),
    ("template-bucket-unjudged", "a.js", "const u = `https://storage.googleapis.com/${bucket}/${name}`;", "CW307", None),
    ("jinja-bucket", "a.j2", '<img src="https://storage.googleapis.com/{{ bucket }}/a.png">', "CW307", None),
    # Shell-escaped signed URL (curl in a README)
    ("shell-escaped-signed", "a.md", 'curl -X PUT "https://storage.googleapis.com/b-b\\?x-goog-signature\\=SIG\\&x-goog-date\\=20191114T213402Z\\&x-goog-expires\\=3600"', "CW303", E),
    # A gs:// URI with a templated bucket, in commented-out PHP
    ("gs-template-commented", "a.php", "//\techo '<img src=\"gs://${proj.appspot.com}/images/a.png\">';", "CW305", N),
    # New file types hold the same links
    ("php", "a.php", '<?php echo "<img src=\\"gs://my-gallery/a.png\\">"; ?>', "CW305", E),
    ("erb", "a.erb", '<%= image_tag "https://drive.google.com/uc?id=1AbC" %>', "CW301", E),
    ("liquid", "a.liquid", '<img src="https://storage.cloud.google.com/my-gallery/a.png" alt="{{ page.title }}">', "CW304", E),
    ("toml", "config.toml", 'image = "https://drive.google.com/uc?id=1AbC"', "CW301", E),
    ("rst", "a.rst", ".. image:: https://drive.google.com/uc?id=1AbC", "CW301", E),
    ("adoc", "a.adoc", "image::https://storage.cloud.google.com/my-gallery/a.png[]", "CW304", E),
    ("ipynb", "a.ipynb", '{"cells": [{"source": ["<img src=\\"https://drive.google.com/uc?id=1AbC\\">"]}]}', "CW301", E),
    ("csv", "images.csv", "name,url\nhero,https://drive.google.com/uc?id=1AbC\n", "CW301", E),
    ("csv-cells", "images.csv", "name,url,caption\nhero,https://storage.cloud.google.com/my-gallery/a.png,Sunset\n", "CW304", E),
    ("tsv", "images.tsv", "name\turl\nhero\thttps://storage.cloud.google.com/my-gallery/a.png\n", "CW304", E),
    ("pug", "a.pug", "img(src='https://drive.google.com/uc?id=1AbC')", "CW301", E),
    ("hbs-comment", "a.hbs", '{{!-- old: https://drive.google.com/uc?id=1AbC --}}\n<p>x</p>', "CW301", N),
    ("hbs", "a.hbs", '{{!-- old --}}<img src="https://drive.google.com/uc?id=2" alt="{{title}}">', "CW301", E),
]
# fmt: on


@pytest.mark.parametrize(
    ("case", "name", "content", "rule", "expect"), CASES, ids=[c[0] for c in CASES]
)
def test_real_site_shapes(
    case: str, name: str, content: str, rule: str, expect: Severity | None
) -> None:
    hits = [f for f in judge(name, content) if f.rule_id == rule]
    if expect is None:
        assert hits == [], [h.message for h in hits]
        return
    assert [h.severity for h in hits] == [expect], [(h.severity, h.message) for h in hits]
    if expect is Severity.NOTE and "comment" in case:
        assert "in a comment" in hits[0].message


def test_firebase_token_and_share_keys_never_appear() -> None:
    content = (
        f'<img src="https://firebasestorage.googleapis.com/v0/b/p.appspot.com/o/a.png?alt=media&token={FIREBASE_TOKEN}">'
        '<img src="https://onedrive.live.com/embed?resid=ABC!123&authkey=!AKEYSECRET&em=2">'
        '<img src="https://www.dropbox.com/scl/fi/x/a.png?rlkey=RLKEYSECRET&dl=1">'
    )
    findings = judge("a.html", content)
    assert {f.rule_id for f in findings} == {"CW307", "CW308"}
    for finding in findings:
        for secret in (FIREBASE_TOKEN, "AKEYSECRET", "RLKEYSECRET"):
            assert secret not in finding.message and secret not in finding.key


def test_a_csv_cell_ends_the_url() -> None:
    (finding,) = judge(
        "images.csv", "hero,https://drive.google.com/uc?id=1AbC,Sunset over the bay\n"
    )
    assert finding.message.endswith("(https://drive.google.com/uc?id=1AbC)")


def test_a_template_url_is_shown_whole() -> None:
    (finding,) = judge("a.js", "x = `http://storage.googleapis.com/${bucket}/${name}`;")
    assert "http://storage.googleapis.com/${bucket}/${name}" in finding.message


# Excerpts of public site repositories (found with a code search, Drive file IDs replaced by
# synthetic ones of the same shape), judged by hand; none of them was used to tune the rules.
# fmt: off
REAL_EXCERPTS = [
    ("README.md", "[Full Video Link](https://drive.google.com/file/d/1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/view?usp=sharing)", []),
    ("README.md", "[![Demo](./assets/demo-yt.png)](https://drive.google.com/file/d/1BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB/view)", []),
    ("Network.jsx", "    window.open('https://drive.google.com/file/d/1CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC/view?usp=sharing', '_blank');", []),
    ("Header.jsx", '        <Button\n          className="button1"\n          href="https://drive.google.com/file/d/1DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD/view?usp=drive_link"\n          target="_blank"\n        >', []),
    ("index.html", "<button class=\"btn\" onclick=\"openLink('https://drive.google.com/file/d/1EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE/view?usp=drivesdk')\">Watch</button>", []),
    ("drive.ts", "    url: isImage\n      ? `https://lh3.googleusercontent.com/d/${driveFile.id}`\n      : `https://drive.google.com/uc?export=download&id=${driveFile.id}`,\n    driveUrl: `https://drive.google.com/file/d/${driveFile.id}/view`,", [("CW301", W, 2), ("CW301", N, 3)]),
    ("Film.tsx", "    src = `https://drive.google.com/file/d/${film.videoId}/preview`;", []),
    ("gallery.js", '  data: {src: "https://drive.google.com/uc?export=view&id=1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"}', [("CW301", E, 1)]),
    ("projects.ts", '//   { type: "image", src: "https://drive.google.com/uc?export=view&id=FILE_ID" }\n//   { type: "video", src: "https://drive.google.com/file/d/FILE_ID/preview" }', [("CW301", N, 1)]),
    ("About.jsx", '        src: "https://drive.google.com/uc?export=view&id=" + item,', [("CW301", E, 1)]),
    ("player.vue", '            // {\n            //     src: "http://commondatastorage.googleapis.com/gtv-videos-bucket/sample/BigBuckBunny.mp4",\n            // }', [("CW306", N, 2), ("CW307", N, 2)]),
    ("Course.tsx", "  videoUrl: 'https://commondatastorage.googleapis.com/gtv-videos-bucket/sample/BigBuckBunny.mp4',", [("CW307", W, 1)]),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "content", "expected"), REAL_EXCERPTS, ids=[e[0] for e in REAL_EXCERPTS]
)
def test_real_excerpts(name: str, content: str, expected: list[tuple[str, Severity, int]]) -> None:
    found = sorted((f.rule_id, f.severity, f.line) for f in judge(name, content))
    assert found == sorted(expected)
