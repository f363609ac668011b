"""Who can read, list and write a bucket, judged against what the owner meant it for.

A public asset bucket is meant to be readable by anyone: that is not a finding. Writing,
administering and listing by anonymous users are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from costwatch.findings import Finding, Fix, Severity
from costwatch.model import PUBLIC_MEMBERS, BucketSnapshot, IamCompleteness
from costwatch.rules.bucket_base import BucketContext, BucketRule

#: Roles that let the holder download objects.
OBJECT_READ_ROLES = frozenset(
    {
        "roles/storage.objectViewer",
        "roles/storage.legacyObjectReader",
        "roles/storage.legacyObjectOwner",
        "roles/storage.objectUser",
        "roles/storage.objectAdmin",
        "roles/storage.admin",
    }
)
#: Roles a public bucket may give anonymous users: reading, and listing (CW113's concern).
READ_ONLY_ROLES = frozenset(
    {
        "roles/storage.objectViewer",
        "roles/storage.legacyObjectReader",
        "roles/storage.legacyBucketReader",
    }
)
#: Read-only roles that also let anyone enumerate every object name.
LISTING_ROLES = frozenset({"roles/storage.objectViewer", "roles/storage.legacyBucketReader"})


def public_grants(snapshot: BucketSnapshot) -> Iterator[tuple[str, str]]:
    """(member, role) for every known grant to allUsers or allAuthenticatedUsers, IAM and ACL."""
    for member, role in snapshot.iam.grants():
        if member in PUBLIC_MEMBERS:
            yield member, role


class PublicAccessPrevented(BucketRule):
    """Public access prevention is enforced on a bucket meant to serve the public.

    Why: with public access prevention enforced no `allUsers` grant takes effect, so every
    image the site loads from this bucket fails with 403. Silent on buckets marked
    `public = false`, where prevention is exactly right.
    Fix: `gcloud storage buckets update gs://BUCKET --no-public-access-prevention` (an
    organization policy may enforce it too), or mark the bucket `public = false`.
    """

    id = "CW110"
    severity = Severity.ERROR
    reads = ("public_access_prevention",)

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        prevention = (snapshot.public_access_prevention.value or "").lower()
        if context.public and prevention == "enforced":
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} enforces public access prevention, so visitors get 403 "
                "(or mark it `public = false` in the config)",
                fix=Fix(setting="public_access_prevention", value="inherited"),
            )


class NotPubliclyReadable(BucketRule):
    """A bucket meant to serve the public that anonymous users cannot read.

    Why: without a grant of object read to `allUsers`, every `<img>` pointing at the bucket
    gets 403 and the site shows broken images. Skipped when the IAM policy could not be read
    (listed as incomplete instead) and on buckets marked `public = false`.
    Fix: `gcloud storage buckets add-iam-policy-binding gs://BUCKET --member=allUsers
    --role=roles/storage.legacyObjectReader` (read without listing), or mark the bucket
    `public = false`.
    """

    id = "CW111"
    severity = Severity.ERROR
    reads_iam = True
    applies_to = (
        "live buckets (audit, check --live); in Terraform and plans only where a "
        "google_storage_bucket_iam_policy holds the whole policy (other grants may live elsewhere)"
    )

    def not_checked(
        self, snapshot: BucketSnapshot, context: BucketContext
    ) -> tuple[str, str] | None:
        reason = super().not_checked(snapshot, context)
        if reason or not context.public:
            return reason
        # A partial policy (Terraform members, script grants) can show a public read grant,
        # but never prove there is none: other grants may live elsewhere.
        if snapshot.iam.completeness is IamCompleteness.PARTIAL and not _readable(snapshot):
            return "access policy", "only some grants are known here and none lets allUsers read"
        return None

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if not context.public:
            return
        if not _readable(snapshot):
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} is meant to serve the public but allUsers cannot read it",
                fix=Fix(grant=("allUsers", "roles/storage.legacyObjectReader")),
            )


def _readable(snapshot: BucketSnapshot) -> bool:
    return any(
        member == "allUsers" and role in OBJECT_READ_ROLES
        for member, role in public_grants(snapshot)
    )


class PublicBeyondRead(BucketRule):
    """`allUsers` or `allAuthenticatedUsers` holds a role beyond reading objects.

    Why: any write or admin role for everyone lets strangers upload, overwrite or delete
    files (and host their own content on your bill); `allAuthenticatedUsers` is any Google
    account, not your users. On a bucket marked `public = false`, any grant to them at all is
    an error.
    Fix: `gcloud storage buckets remove-iam-policy-binding gs://BUCKET --member=allUsers
    --role=ROLE` (for ACL grants, turn on uniform bucket-level access or
    `gcloud storage buckets update gs://BUCKET --predefined-acl=private`).
    """

    id = "CW112"
    severity = Severity.ERROR
    reads_iam = True

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        seen: set[tuple[str, str]] = set()
        for member, role in public_grants(snapshot):
            if (member, role) in seen:
                continue
            seen.add((member, role))
            if context.public and role in READ_ONLY_ROLES:
                continue
            why = "the bucket is marked private" if not context.public else "beyond reading"
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} gives {member} {role} ({why})",
                key=f"{member}:{role}",
                fix=Fix(revoke=(member, role)),
            )


class PublicListing(BucketRule):
    """Anonymous users can list every object in the bucket.

    Why: `roles/storage.objectViewer` and `roles/storage.legacyBucketReader` include
    `storage.objects.list`, so anyone can enumerate every file, including ones never linked
    from the site (drafts, originals, backups); each listing is a Class A operation billed to
    you.
    Fix: grant `roles/storage.legacyObjectReader` instead, which reads without listing:
    `gcloud storage buckets add-iam-policy-binding gs://BUCKET --member=allUsers
    --role=roles/storage.legacyObjectReader` then `gcloud storage buckets
    remove-iam-policy-binding gs://BUCKET --member=allUsers --role=roles/storage.objectViewer`.
    """

    id = "CW113"
    severity = Severity.WARNING
    reads_iam = True

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if not context.public:
            return
        roles = sorted({role for _, role in public_grants(snapshot) if role in LISTING_ROLES})
        for role in roles:
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} lets anyone list its objects through {role}: grant "
                "roles/storage.legacyObjectReader instead (read without listing)",
                key=role,
                fix=Fix(
                    grant=("allUsers", "roles/storage.legacyObjectReader"),
                    revoke=("allUsers", role),
                ),
            )


class UniformAccessOff(BucketRule):
    """Uniform bucket-level access is off.

    Why: with fine-grained access, each object's own ACL decides who can read it, so one
    upload with the wrong ACL is silently private (a broken image) or public (a leak), and
    no bucket-level check can tell.
    Fix: `gcloud storage buckets update gs://BUCKET --uniform-bucket-level-access`, after
    granting at bucket level what the ACLs granted.
    """

    id = "CW114"
    severity = Severity.WARNING
    reads = ("uniform_access",)

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if not snapshot.uniform_access.value:
            note = ""
            if snapshot.uniform_access.reason and snapshot.uniform_access.known == "default":
                note = f" ({snapshot.uniform_access.reason})"
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} uses per-object ACLs{note}",
                fix=Fix(setting="uniform_access", value=True),
            )
