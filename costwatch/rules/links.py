"""Links in a site's source that will break, leak or cost.

Every message shows the redacted URL only: tokens, signatures and credentials never appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from costwatch.findings import Finding, Severity
from costwatch.model import LinkSnapshot
from costwatch.rules.link_base import LinkContext, LinkRule

_DRIVE_HOSTS = frozenset({"drive.google.com", "docs.google.com"})
_STORAGE_API_HOST = "storage.googleapis.com"
_LEGACY_STORAGE_HOST = "commondatastorage.googleapis.com"
_FIREBASE_STORAGE_HOST = "firebasestorage.googleapis.com"
_CONSOLE_HOST = "console.cloud.google.com"
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,220}[a-z0-9]$")
_ACCOUNT_INDEX = re.compile(r"^[0-9]{1,2}$")


def _drive_segments(segments: list[str]) -> list[str]:
    """Path segments without the signed-in account prefix Drive adds (``/u/0/uc``)."""
    if segments[:1] == ["u"] and len(segments) > 1 and _ACCOUNT_INDEX.match(segments[1]):
        return segments[2:]
    return segments


# Key names that say "image" on their own; `src` alone may feed an iframe or a button.
_STRONG_IMAGE_KEY = re.compile(
    r"img|image|thumb|photo|picture|pic|cover|poster|avatar|icon|logo|banner|background|"
    r"hero|sprite|texture|illustration|artwork"
)


def _surely_image(occurrence: LinkSnapshot) -> bool:
    """Used as an image by markup, or by a key that names an image."""
    if occurrence.used_as != "image":
        return False
    key = occurrence.use_key
    return key is None or bool(_STRONG_IMAGE_KEY.search(key))


def _drive_kind(occurrence: LinkSnapshot) -> tuple[str, Severity] | None:
    link = occurrence.link
    segments = link.segments
    blocked = "Drive refuses to serve images to other sites, so it breaks"
    # A link people click (a dataset download, a shared folder) works: only a note.
    clicked = occurrence.used_as == "link"
    if link.host in _DRIVE_HOSTS:
        segments = _drive_segments(segments)
        if segments[:1] in (["uc"], ["open"]) and link.has_param("id"):
            if clicked:
                return f"Google Drive {segments[0]}?id= link for people to click", Severity.NOTE
            if (link.param("export") or "").lower() == "download":
                # A download (a font, a dataset) works; only as an image does it break.
                if occurrence.used_as != "image":
                    return "Google Drive download link (export=download)", Severity.NOTE
                return f"Google Drive download link used as an image: {blocked}", Severity.ERROR
            return f"Google Drive {segments[0]}?id= link: {blocked}", Severity.ERROR
        if segments[:1] == ["thumbnail"]:
            if clicked:
                return "Google Drive thumbnail link for people to click", Severity.NOTE
            return f"Google Drive thumbnail link: {blocked}", Severity.ERROR
        # The share page (`/view`) and the player (`/preview`, made for iframes) break only
        # where they are used as an image.
        if segments[:2] == ["file", "d"] and _surely_image(occurrence):
            return f"Google Drive share link used as an image: {blocked}", Severity.ERROR
    googledrive = link.host == "googledrive.com" or link.host.endswith(".googledrive.com")
    if googledrive and segments[:1] == ["host"]:
        return (
            "googledrive.com/host/ link: Drive website hosting was shut down in 2016, "
            "so it is dead",
            Severity.ERROR,
        )
    if link.host == "drive.usercontent.google.com" and segments[:1] in (["download"], ["u"]):
        if clicked:
            return "drive.usercontent.google.com download link for people to click", Severity.NOTE
        return f"drive.usercontent.google.com download link: {blocked}", Severity.ERROR
    if link.host == "lh3.googleusercontent.com" and segments[:1] == ["d"]:
        return (
            "lh3.googleusercontent.com/d/ link: an unofficial Drive workaround that can stop "
            "working at any time",
            Severity.WARNING,
        )
    return None


class DriveHotlink(LinkRule):
    """Google Drive used to serve images.

    Why: Drive refuses to be an image host. Cross-site `<img>` loads from Drive stopped
    working around January 2024, and heavily read files get 403 or the "automated queries"
    page, so the gallery shows broken images. Flags `uc?export=...&id=`, `uc?id=`,
    `open?id=` (also behind a `/u/N/` account prefix and on `docs.google.com`),
    `drive.usercontent.google.com/download`, `drive.google.com/thumbnail`; in a plain
    `<a href>` for people to click these are only a note, and so is an `export=download`
    link anywhere but in an image. An
    `lh3.googleusercontent.com/d/ID` link is a warning (an unofficial workaround with no
    guarantee); a `drive.google.com/file/d/ID/view` share link only when it is used as an
    image or asset source (img/srcset, CSS `url()`, Markdown image, an image field in JSON or
    JS), never in an `<a href>` or as the `<iframe>` preview player. A
    `googledrive.com/host/ID` link is an error anywhere: Drive's website hosting was shut
    down in 2016.
    Fix: upload the file to a public bucket and link
    `https://storage.googleapis.com/BUCKET/OBJECT`: `gcloud storage cp FILE gs://BUCKET/`.
    """

    id = "CW301"
    severity = Severity.ERROR
    hosts = (
        *sorted(_DRIVE_HOSTS),
        "drive.usercontent.google.com",
        "lh3.googleusercontent.com",
        "googledrive.com",
    )

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        kind = _drive_kind(snapshot)
        if kind:
            what, severity = kind
            yield self.at(
                snapshot,
                f"{what}; move the file to a bucket ({snapshot.link.redacted})",
                severity,
            )


class GitHubToken(LinkRule):
    """A URL that carries a GitHub access token.

    Why: `raw.githubusercontent.com/...?token=` links into a private repository carry a token
    that grants read access to the repository to anyone who sees the page source, and expire
    (reports say within minutes), after which the image is a 404.
    `private-user-images.githubusercontent.com/...?jwt=` links expire within minutes too.
    Fix: revoke the token (GitHub, Settings, Developer settings), then host the file in a
    public bucket: `gcloud storage cp FILE gs://BUCKET/`.
    """

    id = "CW302"
    severity = Severity.ERROR
    hosts = ("raw.githubusercontent.com", "private-user-images.githubusercontent.com")

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        link = snapshot.link
        if link.host == "raw.githubusercontent.com" and link.has_param("token"):
            what = "a private-repository token"
        elif link.host == "private-user-images.githubusercontent.com" and link.has_param("jwt"):
            what = "a short-lived JWT"
        else:
            return
        yield self.at(
            snapshot,
            f"GitHub link carries {what}, which leaks access and expires: revoke it and host "
            f"the file in a bucket ({link.redacted})",
        )


def signed_url_expiry(occurrence: LinkSnapshot) -> tuple[str, datetime | None] | None:
    """(kind, expiry) for a signed URL, expiry None when it cannot be read; None if unsigned."""
    link = occurrence.link
    if link.has_param("X-Goog-Signature"):
        return "Cloud Storage V4", _v4_expiry(
            link.param("X-Goog-Date"), link.param("X-Goog-Expires")
        )
    if link.has_param("X-Amz-Signature"):
        return "S3 presigned", _v4_expiry(link.param("X-Amz-Date"), link.param("X-Amz-Expires"))
    if link.has_param("Signature") and (
        link.has_param("GoogleAccessId") or link.has_param("Expires")
    ):
        kind = "Cloud Storage V2" if link.has_param("GoogleAccessId") else "S3 V2"
        return kind, _epoch(link.param("Expires"))
    return None


def _v4_expiry(date: str | None, seconds: str | None) -> datetime | None:
    try:
        start = datetime.strptime(date or "", "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return start + timedelta(seconds=int(seconds or ""))
    except (ValueError, OverflowError):
        return None


def _epoch(value: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value or ""), UTC)
    except (ValueError, OverflowError, OSError):
        return None


class SignedUrl(LinkRule):
    """A signed URL (Cloud Storage V4 or V2, S3 presigned) in the site's source.

    Why: a signed URL works only until it expires (V4: at most 7 days), so every image using
    one breaks on a fixed date, and its signature grants access on your credentials. Error
    when already expired at `--as-of` (default now); warning, with the expiry time, otherwise.
    Fix: make the object public and link `https://storage.googleapis.com/BUCKET/OBJECT`
    (`gcloud storage buckets add-iam-policy-binding gs://BUCKET --member=allUsers
    --role=roles/storage.legacyObjectReader`), or sign URLs at request time on a server.
    """

    id = "CW303"
    severity = Severity.ERROR
    params = ("x-goog-signature", "x-amz-signature", "signature")

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        signed = signed_url_expiry(snapshot)
        if signed is None:
            return
        kind, expiry = signed
        url = snapshot.link.redacted
        if expiry is None:
            yield self.at(
                snapshot, f"{kind} signed URL with an unreadable expiry ({url})", Severity.WARNING
            )
        elif expiry <= context.as_of:
            stamp = expiry.strftime("%Y-%m-%d %H:%M UTC")
            yield self.at(snapshot, f"{kind} signed URL expired {stamp}: it is broken ({url})")
        else:
            stamp = expiry.strftime("%Y-%m-%d %H:%M UTC")
            yield self.at(
                snapshot,
                f"{kind} signed URL expires {stamp} and breaks then ({url})",
                Severity.WARNING,
            )


def _console_object(segments: list[str]) -> str | None:
    """``BUCKET/OBJECT`` of a Cloud Console storage browser path, or None for another page."""
    if segments[:2] != ["storage", "browser"]:
        return None
    rest = segments[2:]
    if rest[:1] == ["_details"]:
        rest = rest[1:]
    # The console appends view state after `;` (`;tab=live_object`).
    parts = [part.split(";", 1)[0] for part in rest]
    return "/".join(p for p in parts if p) or None


class CookieAuthStorageLink(LinkRule):
    """A `storage.cloud.google.com` or Cloud Console link, which makes visitors sign in.

    Why: `storage.cloud.google.com/BUCKET/OBJECT` is the Cloud Console's cookie-authenticated
    browser link, and `console.cloud.google.com/storage/browser/...` (also `_details/...`)
    is the Console itself: visitors not signed in to a Google account with access get a
    sign-in page instead of the image or the download.
    Fix: link `https://storage.googleapis.com/BUCKET/OBJECT` (the same path) and make the
    object public.
    """

    id = "CW304"
    severity = Severity.ERROR
    hosts = ("storage.cloud.google.com", _CONSOLE_HOST)

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        link = snapshot.link
        if link.host == "storage.cloud.google.com":
            yield self.at(
                snapshot,
                "storage.cloud.google.com asks visitors to sign in: use "
                f"https://storage.googleapis.com{link.redacted_path} ({link.redacted})",
            )
        elif link.host == _CONSOLE_HOST:
            target = _console_object([s for s in link.redacted_path.split("/") if s])
            if target is None:
                return
            yield self.at(
                snapshot,
                "a Cloud Console storage browser link asks visitors to sign in: use "
                f"https://storage.googleapis.com/{target} ({link.redacted})",
            )


class GsUri(LinkRule):
    """A `gs://` URI in web source.

    Why: browsers cannot load `gs://` URIs; they are for gcloud and the client libraries, so
    an image or link pointing at one never works. Reported where the URI is used as an image,
    asset or link (img/src, srcset, CSS `url()`, Markdown image or link, an image field in
    JSON or JS, `<a href>`); a `gs://` URI mentioned in prose, a deploy script or an SDK call
    (Firebase's `refFromURL`) is left alone.
    Fix: use `https://storage.googleapis.com/BUCKET/OBJECT`.
    """

    id = "CW305"
    severity = Severity.ERROR
    schemes = ("gs",)

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        link = snapshot.link
        if link.scheme != "gs" or snapshot.used_as not in ("image", "embed", "link"):
            return
        yield self.at(
            snapshot,
            f"browsers cannot load gs:// URIs: use https://storage.googleapis.com/{link.host}"
            f"{link.redacted_path} ({link.redacted})",
        )


class PlainHttpStorage(LinkRule):
    """A plain `http://` link to a Cloud Storage host (mixed content).

    Cloud Storage hosts are `storage.googleapis.com` (path and virtual-hosted
    `BUCKET.storage.googleapis.com` style), the legacy `commondatastorage.googleapis.com`,
    `storage.cloud.google.com` and Firebase Storage's `firebasestorage.googleapis.com`.

    Why: an HTTPS page that loads images over `http://` is mixed content: browsers upgrade
    or block it and show the page as not secure.
    Fix: use `https://storage.googleapis.com/BUCKET/OBJECT`. A custom domain CNAMEd to
    `c.storage.googleapis.com` serves HTTP only; HTTPS needs a load balancer.
    """

    id = "CW306"
    severity = Severity.WARNING
    hosts = (
        _STORAGE_API_HOST,
        "storage.cloud.google.com",
        _LEGACY_STORAGE_HOST,
        _FIREBASE_STORAGE_HOST,
    )

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        link = snapshot.link
        if link.scheme == "http":
            yield self.at(
                snapshot, f"plain http:// link to Cloud Storage: use https:// ({link.redacted})"
            )


def storage_bucket(occurrence: LinkSnapshot) -> str | None:
    """The bucket a Cloud Storage link points at.

    Path style (`storage.googleapis.com/BUCKET/...`, also the JSON API's `/storage/v1/b/BUCKET`
    and the legacy `commondatastorage.googleapis.com`), virtual-hosted style
    (`BUCKET.storage.googleapis.com`), and Firebase Storage download URLs
    (`firebasestorage.googleapis.com/v0/b/BUCKET/o/...`).
    """
    link = occurrence.link
    segments = link.segments
    host = link.host
    if host in (_STORAGE_API_HOST, _LEGACY_STORAGE_HOST):
        if segments[:4] == ["download", "storage", "v1", "b"] and len(segments) > 4:
            name = segments[4]
        elif segments[:3] == ["storage", "v1", "b"] and len(segments) > 3:
            name = segments[3]
        elif segments:
            name = segments[0]
        else:
            return None
    elif host == _FIREBASE_STORAGE_HOST:
        if segments[:2] != ["v0", "b"] or len(segments) < 3:
            return None
        name = segments[2]
    elif host != f"c.{_STORAGE_API_HOST}" and host.endswith(
        (f".{_STORAGE_API_HOST}", f".{_LEGACY_STORAGE_HOST}")
    ):
        # Both hosts have three labels: what comes before them is the bucket name.
        name = host.rsplit(".", 3)[0]
    else:
        return None
    return name if _BUCKET.match(name) else None


class UnlistedBucket(LinkRule):
    """A Cloud Storage link to a bucket the config does not list.

    Buckets are read from path-style, virtual-hosted, legacy `commondatastorage` and Firebase
    Storage (`firebasestorage.googleapis.com/v0/b/BUCKET/o/...`) URLs; a bucket built in a
    template (`${bucket}`) is not judged.

    Why: costwatch can only watch the cost and settings of buckets it knows; an image host
    missing from `buckets` can be a multi-region bucket, someone else's bucket, or one that
    will be deleted, and nothing tells you.
    Fix: add the bucket to `buckets` in the config (`costwatch audit` then checks it), or
    move the file to a listed bucket.
    """

    id = "CW307"
    severity = Severity.WARNING
    hosts = (_STORAGE_API_HOST, _LEGACY_STORAGE_HOST, _FIREBASE_STORAGE_HOST)

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        bucket = storage_bucket(snapshot)
        if bucket and bucket not in context.known_buckets:
            yield self.at(
                snapshot,
                f"links bucket {bucket}, which the config does not list, so it is not audited "
                f"({snapshot.link.redacted})",
            )


_SHARING_HOSTS = (
    ("dropbox.com", "Dropbox"),
    ("dropboxusercontent.com", "Dropbox"),
    ("1drv.ms", "OneDrive"),
    ("onedrive.live.com", "OneDrive"),
    ("storage.live.com", "OneDrive"),
    ("sharepoint.com", "OneDrive/SharePoint"),
)


_PROSE_SUFFIXES = (".md", ".mdx", ".txt", ".rst", ".adoc")


def _direct_file_link(occurrence: LinkSnapshot) -> bool:
    """A link shaped to hand over the raw file, in code or data (an image hotlink there).

    In prose (a guide that shows how to build such a link) it is only text.
    """
    if occurrence.path.lower().endswith(_PROSE_SUFFIXES):
        return False
    link = occurrence.link
    host = link.host
    if host == "storage.live.com" or host.endswith("dropboxusercontent.com"):
        return True
    if host == "onedrive.live.com" and link.segments[:1] == ["download"]:
        return True
    # OneDrive's embed code with `em=2` serves the image itself.
    return link.param("em") == "2" or link.param("raw") == "1"


class FileSharingImage(LinkRule):
    """A consumer file-sharing link (Dropbox, OneDrive) used as an image.

    An image use is an img/srcset, CSS `url()`, Markdown image or image field; a direct-file
    link (`storage.live.com`, `onedrive.live.com/download`, `?em=2`, `raw=1`,
    `dl.dropboxusercontent.com`) in code or data counts anywhere except in an `<a href>` or
    an `<iframe>` (OneDrive's official embed is meant for iframes).

    Why: Dropbox and OneDrive links are made for people, not `<img>` tags: they rate-limit
    and block heavy traffic ("banned" links at Dropbox), change format, and serve an HTML
    page instead of the image unless tricks like `dl=1` or `raw=1` keep working.
    Fix: upload the file to a public bucket and link
    `https://storage.googleapis.com/BUCKET/OBJECT`.
    """

    id = "CW308"
    severity = Severity.WARNING
    hosts = tuple(suffix for suffix, _ in _SHARING_HOSTS)

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        host = snapshot.link.host
        for suffix, service in _SHARING_HOSTS:
            if not (host == suffix or host.endswith("." + suffix)):
                continue
            use = snapshot.used_as
            if use == "image" or (use == "other" and _direct_file_link(snapshot)):
                yield self.at(
                    snapshot,
                    f"{service} link used as an image: file-sharing services throttle and "
                    f"block hotlinks ({snapshot.link.redacted})",
                )
            return


class SuppressionWithoutReason(LinkRule):
    """An inline `costwatch: ignore[...]` comment with no reason.

    Why: a suppression must say why the finding is acceptable, so the next reader can judge
    whether it still is. A suppression without a reason does not silence anything.
    Fix: add the reason after the bracket: `costwatch: ignore[CW307] bucket of a partner site`.
    """

    id = "CW300"
    severity = Severity.WARNING

    def check(self, snapshot: LinkSnapshot, context: LinkContext) -> Iterable[Finding]:
        for suppression in snapshot.suppressions:
            if not suppression.reason:
                rules = ",".join(suppression.rules)
                yield self.finding(
                    snapshot.path,
                    f"costwatch: ignore[{rules}] has no reason, so it silences nothing: "
                    "say why after the bracket",
                    key=f"ignore[{rules}]",
                    path=snapshot.path,
                    line=suppression.line,
                )


#: The link rules in ID order (the registry lists every family; the link scan needs only this).
LINK_RULES: tuple[LinkRule, ...] = (
    SuppressionWithoutReason(),
    DriveHotlink(),
    GitHubToken(),
    SignedUrl(),
    CookieAuthStorageLink(),
    GsUri(),
    PlainHttpStorage(),
    UnlistedBucket(),
    FileSharingImage(),
)
