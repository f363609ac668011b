"""Objects that waste the free allowance or break the site that shows them.

CW401-CW405 judge each object as a listing or inventory report describes it and report once
per bucket with counts, bytes and the largest examples; CW406 reads Monitoring's stored
bytes by type; CW407 and CW408 compare the site's links with the bucket's objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from costwatch.findings import Finding, Fix, Severity
from costwatch.objects_model import ObjectLink, ObjectRecord, StoredBytes, extension
from costwatch.rules.base import Rule
from costwatch.rules.object_base import (
    COMPRESSED_IMAGES,
    GIB,
    IMAGE_EXTENSIONS,
    ObjectContext,
    ObjectRule,
    Tally,
)

#: Cloud Storage serves a public object without Cache-Control as ``public, max-age=3600``
#: (JSON API reference, Object.cacheControl).
PUBLIC_DEFAULT_CACHE_CONTROL = "public, max-age=3600"
ONE_DAY = 86_400
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_REUSE = re.compile(r"(?:^|[,\s])(no-cache|no-store|private)(?:$|[,\s=])", re.IGNORECASE)
_HTML = frozenset({".html", ".htm"})


def _size(value: int) -> str:
    for unit, scale in (("GiB", GIB), ("MiB", 1024**2), ("KiB", 1024)):
        if value >= scale:
            return f"{value / scale:,.1f} {unit}"
    return f"{value:,} bytes"


def _examples(tally: Tally) -> str:
    return ", ".join(f"{name} ({_size(size)})" for size, name in tally.examples())


def _pattern(context: ObjectContext, tally: Tally) -> str:
    """A wildcard that covers the matching objects, for the fix command."""
    exts = [e for e in tally.extensions if e.startswith(".")]
    base = context.resource
    if len(exts) == 1 and sum(tally.extensions.values()) == tally.extensions[exts[0]]:
        return f"{base}/**{exts[0]}"
    return f"{base}/**"


def _objects(count: int, noun: str = "object") -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def max_age(cache_control: str) -> int | None:
    """The max-age a browser may reuse the object for; 0 when it must not reuse it."""
    if _NO_REUSE.search(cache_control):
        return 0
    match = _MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else None


class ShortBrowserCache(ObjectRule):
    """A public object without Cache-Control, or with a max-age under a day.

    Why: within `max-age` a repeat visitor's browser shows the object without asking; after
    it, every view downloads it again, costing egress (100 GiB free a month) and a Class B
    operation (50,000 free). Cloud Storage serves a public object that has no Cache-Control
    as `public, max-age=3600`: one hour, so a visitor who comes back tomorrow downloads the
    whole gallery again. HTML pages are left out (they must stay short so a deploy shows).
    Figure: the objects affected and their bytes.
    Fix: give assets content-hashed names and a year: `gcloud storage objects update
    gs://BUCKET/** --cache-control="public, max-age=31536000, immutable"`.
    """

    id = "CW401"
    severity = Severity.WARNING
    needs = frozenset({"cache_control"})
    remote_only = True

    def matches(self, record: ObjectRecord, context: ObjectContext) -> Severity | None:
        if not context.public or extension(record.name) in _HTML:
            return None
        if (record.content_type or "").startswith("text/html"):
            return None
        value = record.cache_control or PUBLIC_DEFAULT_CACHE_CONTROL
        age = max_age(value)
        return self.severity if age is None or age < ONE_DAY else None

    def check(self, snapshot: Tally, context: ObjectContext) -> Iterable[Finding]:
        yield self.finding(
            context.resource,
            f"{_objects(snapshot.count)} ({_size(snapshot.bytes)}) are re-downloaded by repeat "
            "visitors: no Cache-Control (served as the default "
            f"'{PUBLIC_DEFAULT_CACHE_CONTROL}') or a max-age under a day; largest: "
            f"{_examples(snapshot)}",
            key="cache",
            fix=Fix(
                text=f"`gcloud storage objects update {_pattern(context, snapshot)} "
                '--cache-control="public, max-age=31536000, immutable"` (with content-hashed '
                "names)"
            ),
        )


class WrongImageType(ObjectRule):
    """An SVG not served as image/svg+xml (error); an image served as application/octet-stream.

    Why: browsers sniff raster images in `<img>` but never SVG: an SVG served with another
    type is a broken image (error). A PNG, JPEG or WebP served as `application/octet-stream`
    still shows in `<img>`, but opening its URL downloads it and link previews fail
    (warning). Uploads without a type get `application/octet-stream`. For a local build folder
    the type is the one Cloud Storage tools would guess from the extension.
    Figure: the objects affected, by severity.
    Fix: `gcloud storage objects update gs://BUCKET/**.svg --content-type=image/svg+xml`
    (and the image's own type for the others).
    """

    id = "CW402"
    severity = Severity.ERROR
    needs = frozenset({"content_type"})

    def matches(self, record: ObjectRecord, context: ObjectContext) -> Severity | None:
        ext = extension(record.name)
        if ext not in IMAGE_EXTENSIONS:
            return None
        kind = (record.content_type or "application/octet-stream").split(";")[0].strip().lower()
        if ext == ".svg":
            return None if kind == "image/svg+xml" else Severity.ERROR
        if kind in ("application/octet-stream", "binary/octet-stream", ""):
            return Severity.WARNING
        return None

    def check(self, snapshot: Tally, context: ObjectContext) -> Iterable[Finding]:
        pattern = _pattern(context, snapshot)
        if snapshot.extensions.get(".svg") == snapshot.count:
            yield self.finding(
                context.resource,
                f"{_objects(snapshot.count, 'SVG file')} not served as image/svg+xml: browsers "
                "never "
                f"sniff SVG, so they show as broken images; e.g. {_examples(snapshot)}",
                key="svg",
                fix=Fix(
                    text=f"`gcloud storage objects update {pattern} --content-type=image/svg+xml`"
                ),
            )
            return
        yield self.finding(
            context.resource,
            f"{_objects(snapshot.count, 'image')} served as application/octet-stream: opening "
            f"the URL downloads them and link previews fail; e.g. {_examples(snapshot)}",
            key="octet-stream",
            severity=Severity.WARNING,
            fix=Fix(
                text=f"`gcloud storage objects update {pattern} --content-type=image/TYPE` with "
                "each image's own type (image/png, image/jpeg, image/webp)"
            ),
        )


class OversizedImage(ObjectRule):
    """An image larger than `max_image_kib` (default 1024 KiB).

    Why: every view of a page downloads its images: a 6 MB PNG where a 300 KB WebP would do
    spends the 100 GiB free egress twenty times faster, and past it costs $0.12 per GiB.
    Figure: what one view of the largest costs, and what the whole set of oversized images
    costs per 1,000 views (each loaded once per view) at the list price in `[prices]`.
    Fix: convert and resize before upload (`cwebp -q 80 in.png -o out.webp`), then
    `gcloud storage cp out.webp gs://BUCKET/PATH` and update the links.
    """

    id = "CW403"
    severity = Severity.WARNING
    needs = frozenset({"size"})

    def matches(self, record: ObjectRecord, context: ObjectContext) -> Severity | None:
        if extension(record.name) not in IMAGE_EXTENSIONS or record.size is None:
            return None
        return self.severity if record.size > context.max_image_bytes else None

    def check(self, snapshot: Tally, context: ObjectContext) -> Iterable[Finding]:
        price = context.prices.egress_gib
        largest = snapshot.examples()[0][0] if snapshot.largest else 0
        per_view = largest / GIB * price
        per_thousand = snapshot.bytes / GIB * price * 1000
        limit = context.max_image_bytes // 1024
        yield self.finding(
            context.resource,
            f"{_objects(snapshot.count, 'image')} over {limit:,} KiB ({_size(snapshot.bytes)}); "
            f"largest: {_examples(snapshot)}. One view of the largest sends {_size(largest)} "
            f"(${per_view:.4f} past the free egress); loading the whole set costs "
            f"${per_thousand:,.2f} per 1,000 views at ${price}/GiB",
            key="oversized",
            fix=Fix(
                text="convert to WebP at the displayed size (`cwebp -q 80 in.png -o out.webp`), "
                f"upload it (`gcloud storage cp out.webp {context.resource}/PATH`) and update "
                "the links"
            ),
        )


class ObjectClassNotStandard(ObjectRule):
    """An object whose own storage class is not STANDARD.

    Why: storage is charged by each object's class, not the bucket's default: a NEARLINE,
    COLDLINE or ARCHIVE object in a "free" bucket is billed from the first byte and adds a
    retrieval fee ($0.01 to $0.05 per GiB) to every read, with a minimum storage duration.
    Figure: the objects and bytes by class.
    Fix: `gcloud storage objects update gs://BUCKET/** --storage-class=STANDARD`.
    """

    id = "CW404"
    severity = Severity.ERROR
    needs = frozenset({"storage_class"})
    remote_only = True

    def matches(self, record: ObjectRecord, context: ObjectContext) -> Severity | None:
        klass = (record.storage_class or "STANDARD").upper()
        return None if klass == "STANDARD" else self.severity

    def check(self, snapshot: Tally, context: ObjectContext) -> Iterable[Finding]:
        yield self.finding(
            context.resource,
            f"{_objects(snapshot.count)} ({_size(snapshot.bytes)}) are not in the STANDARD "
            "class: billed from the first byte, with a retrieval fee on every read; e.g. "
            f"{_examples(snapshot)}",
            key="class",
            fix=Fix(
                text=f"`gcloud storage objects update {_pattern(context, snapshot)} "
                "--storage-class=STANDARD`"
            ),
        )


class GzipOnCompressedImage(ObjectRule):
    """`Content-Encoding: gzip` on an image that is compressed already.

    Why: JPEG, PNG, WebP and AVIF gain nothing from gzip, and Cloud Storage's decompressive
    transcoding then decompresses them for clients that do not send `Accept-Encoding: gzip`,
    drops their checksums and ignores range requests. Compression pays for SVG, JSON, CSS
    and JS only.
    Figure: the objects affected.
    Fix: upload the image as is: `gcloud storage cp IMAGE gs://BUCKET/PATH` (without `-z`/`-Z`).
    """

    id = "CW405"
    severity = Severity.NOTE
    needs = frozenset({"content_encoding"})
    remote_only = True

    def matches(self, record: ObjectRecord, context: ObjectContext) -> Severity | None:
        encoding = (record.content_encoding or "").lower()
        if "gzip" in encoding and extension(record.name) in COMPRESSED_IMAGES:
            return self.severity
        return None

    def check(self, snapshot: Tally, context: ObjectContext) -> Iterable[Finding]:
        yield self.finding(
            context.resource,
            f"{_objects(snapshot.count, 'compressed image')} stored with Content-Encoding: gzip "
            f"(no gain, transcoding quirks); e.g. {_examples(snapshot)}",
            key="gzip",
            fix=Fix(
                text="re-upload without `-z`/`-Z`: "
                f"`gcloud storage cp IMAGE {context.resource}/PATH`"
            ),
        )


@dataclass(frozen=True)
class HiddenBytesContext:
    percent: float = 20.0


class HiddenBytes(Rule[StoredBytes, HiddenBytesContext]):
    """Noncurrent or soft-deleted bytes above `hidden_bytes_percent` (default 20) of live bytes.

    Why: noncurrent versions and soft-deleted objects are billed like live ones but appear
    in no listing: a bucket that looks like 3 GiB can be billed for 5. Read from Monitoring's
    `storage/v2/total_bytes` by `type`: no listing, no Class A operation.
    Figure: hidden bytes and their share of live bytes.
    Fix: delete old versions with a lifecycle rule (`gcloud storage buckets update gs://BUCKET
    --lifecycle-file=rules.json` with `daysSinceNoncurrentTime`), and shorten soft delete:
    `gcloud storage buckets update gs://BUCKET --clear-soft-delete`.
    """

    id = "CW406"
    severity = Severity.WARNING
    family = "objects"

    def check(self, snapshot: StoredBytes, context: HiddenBytesContext) -> Iterable[Finding]:
        live = snapshot.live or 0.0
        uri = f"gs://{snapshot.bucket}"
        for label, value, fix in (
            (
                "noncurrent",
                snapshot.noncurrent,
                "add a lifecycle rule deleting noncurrent versions (`gcloud storage buckets "
                f"update {uri} --lifecycle-file=rules.json`)",
            ),
            (
                "soft-deleted",
                snapshot.soft_deleted,
                f"`gcloud storage buckets update {uri} --clear-soft-delete`",
            ),
        ):
            if not value:
                continue
            share = value / live * 100 if live else float("inf")
            if share > context.percent:
                shown = f"{share:.0f}%" if live else "all (no live bytes)"
                yield self.finding(
                    uri,
                    f"{uri} keeps {_size(int(value))} of {label} bytes, {shown} of its "
                    f"{_size(int(live))} live bytes, billed like live ones and invisible in "
                    "listings",
                    key=label,
                    fix=Fix(text=fix),
                )


@dataclass(frozen=True)
class MissingObjects:
    """The site's links whose objects the bucket does not have."""

    links: tuple[ObjectLink, ...]


class MissingLinkedObject(Rule[MissingObjects, None]):
    """A link in the site's source to an object of an audited bucket that does not exist.

    Why: the visitor sees a broken image. Object names are compared as the JSON API names
    them: the link's path percent-decoded (`%20` is a space, `%23` a `#`, `%3F` a `?`), so a
    name with spaces, `#`, `?`, `%` or non-ASCII letters matches only when its link encodes it.
    Figure: the file and line of each link.
    Fix: upload the object (`gcloud storage cp FILE gs://BUCKET/NAME`) or correct the link.
    """

    id = "CW407"
    severity = Severity.ERROR
    family = "objects"

    def check(self, snapshot: MissingObjects, context: None) -> Iterable[Finding]:
        for link in snapshot.links:
            yield self.finding(
                link.path,
                f"gs://{link.bucket} has no object {link.name!r} (linked as {link.url}): a "
                "broken image",
                key=f"{link.bucket}/{link.name}",
                path=link.path,
                line=link.line,
                fix=Fix(
                    text=f"upload it (`gcloud storage cp FILE 'gs://{link.bucket}/{link.name}'`) "
                    "or correct the link"
                ),
            )


@dataclass(frozen=True)
class UnlinkedTally:
    """Objects of one bucket that no page of the site links to."""

    bucket: str
    count: int
    bytes: int
    examples: tuple[tuple[int, str], ...]


class UnlinkedObjects(Rule[UnlinkedTally, None]):
    """Objects no page of the site links to (only when a site is configured).

    Why: unlinked objects cost storage (5 GiB-months free) and may be leftovers of old
    deploys; some are fine (linked from elsewhere, fetched by scripts), so this is a note.
    Figure: how many and their total size, with the largest.
    Fix: review them, then `gcloud storage rm gs://BUCKET/NAME`.
    """

    id = "CW408"
    severity = Severity.NOTE
    family = "objects"

    def check(self, snapshot: UnlinkedTally, context: None) -> Iterable[Finding]:
        if not snapshot.count:
            return
        shown = ", ".join(f"{name} ({_size(size)})" for size, name in snapshot.examples)
        yield self.finding(
            f"gs://{snapshot.bucket}",
            f"{_objects(snapshot.count)} ({_size(snapshot.bytes)}) in gs://{snapshot.bucket} "
            f"are linked from no page of the site; largest: {shown}",
            key="unlinked",
            fix=Fix(text=f"review them, then `gcloud storage rm gs://{snapshot.bucket}/NAME`"),
        )


#: Every object rule, in ID order (the registry's ``objects`` family).
OBJECT_RULES: tuple[Rule[Any, Any], ...] = (
    ShortBrowserCache(),
    WrongImageType(),
    OversizedImage(),
    ObjectClassNotStandard(),
    GzipOnCompressedImage(),
    HiddenBytes(),
    MissingLinkedObject(),
    UnlinkedObjects(),
)
