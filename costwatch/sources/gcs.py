"""Read buckets through the real google-cloud-storage client (honors STORAGE_EMULATOR_HOST).

Each bucket costs two Class B reads: the bucket resource with ``projection=full`` and the IAM
policy at version 3. Failures become :class:`Incomplete` entries that say what to do; one
bucket's failure never stops the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from costwatch.findings import Incomplete
from costwatch.sources.base import Binding, BucketSnapshot, SourceError

SECTION = "buckets"

NO_CREDENTIALS = (
    "no Google credentials found: run `gcloud auth application-default login` "
    "or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file"
)
_NEEDS = {
    "bucket": "storage.buckets.get",
    "iam": "storage.buckets.getIamPolicy",
    "list": "storage.buckets.list",
}
_ROLE_HINT = (
    "grant a custom role with storage.buckets.get, storage.buckets.getIamPolicy and "
    "storage.buckets.list, or roles/storage.admin"
)

# ACL entries translated to the legacy IAM role with the same effect, so the access rules
# judge ACL-era buckets and IAM bindings with one vocabulary.
_BUCKET_ACL_ROLE = {
    "READER": "roles/storage.legacyBucketReader",
    "WRITER": "roles/storage.legacyBucketWriter",
    "OWNER": "roles/storage.legacyBucketOwner",
}
_OBJECT_ACL_ROLE = {
    "READER": "roles/storage.legacyObjectReader",
    "OWNER": "roles/storage.legacyObjectOwner",
}
_PUBLIC_ENTITIES = {"allUsers", "allAuthenticatedUsers"}


@dataclass(frozen=True)
class ApiSettings:
    """How long to wait for one request and for all retries of it."""

    timeout_seconds: float = 20.0
    retry_seconds: float = 30.0


@dataclass(frozen=True)
class BucketReading:
    """What the bucket source could and could not read."""

    snapshots: tuple[BucketSnapshot, ...]
    incomplete: tuple[Incomplete, ...]


def read_buckets(names: Sequence[str], project: str | None, api: ApiSettings) -> BucketReading:
    """Read the named buckets, or every bucket of ``project`` when no names are given."""
    try:
        client = _make_client(project)
    except SourceError as exc:
        return BucketReading((), (Incomplete(SECTION, "*", str(exc)),))
    retry = _retry(api)
    if not names:
        target = project or _client_project(client)
        if not target:
            reason = (
                "no buckets configured and no project to list them from: set `buckets` or `project`"
            )
            return BucketReading((), (Incomplete(SECTION, "*", reason),))
        try:
            listed = list(
                client.list_buckets(
                    project=target, projection="full", retry=retry, timeout=api.timeout_seconds
                )
            )
        except Exception as exc:
            reason = _explain(exc, "list", f"project {target}", api)
            return BucketReading((), (Incomplete(SECTION, f"projects/{target}", reason),))
        return _read_all(listed, api, retry, reload=False)
    buckets = [client.bucket(name) for name in names]
    return _read_all(buckets, api, retry, reload=True)


def _read_all(
    buckets: Iterable[Any], api: ApiSettings, retry: Any, *, reload: bool
) -> BucketReading:
    snapshots: list[BucketSnapshot] = []
    incomplete: list[Incomplete] = []
    for bucket in buckets:
        uri = f"gs://{bucket.name}"
        if reload:
            try:
                bucket.reload(projection="full", retry=retry, timeout=api.timeout_seconds)
            except Exception as exc:
                incomplete.append(Incomplete(SECTION, uri, _explain(exc, "bucket", uri, api)))
                continue
        bindings: tuple[Binding, ...] | None
        try:
            policy = bucket.get_iam_policy(
                requested_policy_version=3, retry=retry, timeout=api.timeout_seconds
            )
            bindings = tuple(_bindings(policy.bindings))
        except Exception as exc:
            bindings = None
            reason = _explain(exc, "iam", uri, api) + "; public-access rules were skipped"
            incomplete.append(Incomplete(SECTION, uri, reason))
        snapshots.append(snapshot_from_resource(bucket.name, _resource(bucket), bindings))
    return BucketReading(tuple(snapshots), tuple(incomplete))


def snapshot_from_resource(
    name: str, resource: dict[str, Any], bindings: tuple[Binding, ...] | None
) -> BucketSnapshot:
    """Turn a JSON API bucket resource (full projection) into a snapshot."""
    iam_config = resource.get("iamConfiguration") or {}
    soft_delete = (resource.get("softDeletePolicy") or {}).get("retentionDurationSeconds", 0)
    placement = resource.get("customPlacementConfig") or {}
    return BucketSnapshot(
        name=name,
        location=str(resource.get("location", "")).upper(),
        location_type=str(resource.get("locationType", "")).lower(),
        data_locations=tuple(str(x).upper() for x in placement.get("dataLocations", [])),
        storage_class=str(resource.get("storageClass", "STANDARD")).upper(),
        autoclass_enabled=bool((resource.get("autoclass") or {}).get("enabled", False)),
        soft_delete_seconds=int(soft_delete or 0),
        versioning_enabled=bool((resource.get("versioning") or {}).get("enabled", False)),
        lifecycle_rules=tuple((resource.get("lifecycle") or {}).get("rule", [])),
        requester_pays=bool((resource.get("billing") or {}).get("requesterPays", False)),
        rpo=resource.get("rpo"),
        public_access_prevention=iam_config.get("publicAccessPrevention"),
        uniform_access=bool(
            (iam_config.get("uniformBucketLevelAccess") or {}).get("enabled", False)
        ),
        bindings=bindings,
        acl_grants=tuple(_acl_grants(resource)),
    )


def _resource(bucket: Any) -> dict[str, Any]:
    # The full projection already carried every field, ACLs included; the public accessors
    # for ACLs would issue another request per bucket, so read the resource as returned.
    return dict(bucket._properties)


def _bindings(raw: Iterable[dict[str, Any]]) -> Iterable[Binding]:
    for entry in raw:
        yield Binding(
            role=str(entry.get("role", "")),
            members=tuple(sorted(entry.get("members", ()))),
            conditional=bool(entry.get("condition")),
        )


def _acl_grants(resource: dict[str, Any]) -> Iterable[Binding]:
    for key, table in (("acl", _BUCKET_ACL_ROLE), ("defaultObjectAcl", _OBJECT_ACL_ROLE)):
        for entry in resource.get(key) or []:
            entity, role = entry.get("entity"), entry.get("role")
            if entity in _PUBLIC_ENTITIES and role in table:
                yield Binding(role=table[role], members=(entity,))


def _client_project(client: Any) -> str | None:
    inferred = getattr(client, "project", None)
    return inferred if isinstance(inferred, str) and inferred != "<none>" else None


def _make_client(project: str | None) -> Any:
    import google.auth.exceptions
    from google.cloud.storage import Client

    try:
        return Client(project=project)
    except google.auth.exceptions.DefaultCredentialsError as exc:
        raise SourceError(NO_CREDENTIALS) from exc
    except OSError as exc:
        raise SourceError(f"cannot create the Cloud Storage client: {exc}") from exc


def _retry(api: ApiSettings) -> Any:
    from google.cloud.storage.retry import DEFAULT_RETRY

    if api.retry_seconds <= 0:
        return None
    return DEFAULT_RETRY.with_timeout(api.retry_seconds).with_delay(
        initial=0.2, maximum=min(4.0, api.retry_seconds), multiplier=2.0
    )


def _explain(exc: Exception, what: str, target: str, api: ApiSettings) -> str:
    """One line saying what went wrong and what to do about it."""
    import google.auth.exceptions
    from google.api_core import exceptions as gexc

    if isinstance(exc, gexc.RetryError) and exc.cause is not None:
        cause = _short(exc.cause)
        return (
            f"{target}: Cloud Storage kept failing for {api.retry_seconds:g}s of retries ({cause})"
        )
    if isinstance(exc, gexc.NotFound):
        return f"{target}: bucket not found (check the name and the project it belongs to)"
    if isinstance(exc, gexc.Forbidden):
        return f"{target}: permission denied: the caller needs {_NEEDS[what]} ({_ROLE_HINT})"
    if isinstance(exc, gexc.Unauthorized | google.auth.exceptions.RefreshError):
        return f"{target}: credentials were rejected: run `gcloud auth application-default login`"
    if isinstance(exc, google.auth.exceptions.DefaultCredentialsError):
        return NO_CREDENTIALS
    if isinstance(exc, gexc.GoogleAPICallError):
        return f"{target}: Cloud Storage answered {_short(exc)}"
    return f"{target}: could not reach Cloud Storage ({_short(exc)})"


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    return f"{name}: {text[:200]}" if text else name
