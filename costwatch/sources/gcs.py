"""Read buckets through the real google-cloud-storage client (honors STORAGE_EMULATOR_HOST).

Each bucket costs two Class B reads: the bucket resource with ``projection=full`` and the IAM
policy at version 3. Failures become :class:`Incomplete` entries that say what to do; one
bucket's failure never stops the others. The resource is translated into the neutral model
here: a field the API omits means the feature is off (the JSON API leaves unset blocks out),
while a field that is malformed or a location type costwatch does not know is *unknown*, so the
rules that need it are listed as not checked rather than passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from costwatch.findings import Incomplete, IncompleteKind
from costwatch.model import (
    NONCURRENT_CONDITIONS,
    Binding,
    BucketSnapshot,
    IamCompleteness,
    IamPolicy,
    LifecycleAction,
    LifecycleRule,
    LocationType,
    Origin,
    Setting,
    SourceKind,
    acl_binding,
)
from costwatch.sources.base import NO_CREDENTIALS, Reading, SourceError

SECTION = "buckets"

_NEEDS = {
    "bucket": "storage.buckets.get",
    "iam": "storage.buckets.getIamPolicy",
    "list": "storage.buckets.list",
}
_ROLE_HINT = (
    "grant a custom role with storage.buckets.get, storage.buckets.getIamPolicy and "
    "storage.buckets.list, or roles/storage.admin"
)


@dataclass(frozen=True)
class ApiSettings:
    """How long to wait for one request and for all retries of it."""

    timeout_seconds: float = 20.0
    retry_seconds: float = 30.0


@dataclass(frozen=True)
class LiveBuckets:
    """The bucket source backed by the Cloud Storage JSON API: named buckets, or a project's."""

    names: Sequence[str]
    project: str | None
    api: ApiSettings

    def read_buckets(self) -> Reading[BucketSnapshot]:
        return read_buckets(self.names, self.project, self.api)


def read_buckets(
    names: Sequence[str], project: str | None, api: ApiSettings
) -> Reading[BucketSnapshot]:
    """Read the named buckets, or every bucket of ``project`` when no names are given."""
    try:
        client = _make_client(project)
    except SourceError as exc:
        return Reading((), (Incomplete(SECTION, "*", str(exc), kind=IncompleteKind.CREDENTIALS),))
    retry = _retry(api)
    if not names:
        target = project or _client_project(client)
        if not target:
            reason = (
                "no buckets configured and no project to list them from: set `buckets` or `project`"
            )
            return Reading(
                (), (Incomplete(SECTION, "*", reason, kind=IncompleteKind.MISSING_INPUT),)
            )
        try:
            listed = list(
                client.list_buckets(
                    project=target, projection="full", retry=retry, timeout=api.timeout_seconds
                )
            )
        except api_errors() as exc:
            reason = _explain(exc, "list", f"project {target}", api)
            return Reading(
                (), (Incomplete(SECTION, f"projects/{target}", reason, kind=_kind(exc)),)
            )
        return _read_all(listed, api, retry, reload=False)
    buckets = [client.bucket(name) for name in names]
    return _read_all(buckets, api, retry, reload=True)


def _read_all(
    buckets: Iterable[Any], api: ApiSettings, retry: Any, *, reload: bool
) -> Reading[BucketSnapshot]:
    snapshots: list[BucketSnapshot] = []
    incomplete: list[Incomplete] = []
    for bucket in buckets:
        uri = f"gs://{bucket.name}"
        if reload:
            try:
                bucket.reload(projection="full", retry=retry, timeout=api.timeout_seconds)
            except api_errors() as exc:
                incomplete.append(
                    Incomplete(SECTION, uri, _explain(exc, "bucket", uri, api), kind=_kind(exc))
                )
                continue
        try:
            policy = bucket.get_iam_policy(
                requested_policy_version=3, retry=retry, timeout=api.timeout_seconds
            )
            bindings: tuple[Binding, ...] | None = tuple(_bindings(policy.bindings))
            why = ""
        except api_errors() as exc:
            bindings = None
            why = _explain(exc, "iam", uri, api)
        snapshots.append(snapshot_from_resource(bucket.name, _resource(bucket), bindings, why))
    return Reading(tuple(snapshots), tuple(incomplete))


def snapshot_from_resource(
    name: str,
    resource: Mapping[str, Any],
    bindings: tuple[Binding, ...] | None,
    iam_reason: str = "",
) -> BucketSnapshot:
    """Turn a JSON API bucket resource (full projection) and its IAM policy into a snapshot.

    ``bindings`` is None when the policy could not be read (``iam_reason`` says why).
    """
    uri = f"gs://{name}"
    if not any(key in resource for key in ("location", "locationType", "storageClass")):
        reason = "Cloud Storage returned an empty or incomplete bucket resource"
        return BucketSnapshot.all_unknown(
            name, Origin(SourceKind.LIVE, address=uri), reason, _iam(resource, bindings, iam_reason)
        )
    read = _Reader(resource)
    iam_config = read.block("iamConfiguration")
    return BucketSnapshot(
        name=name,
        origin=Origin(SourceKind.LIVE, address=uri),
        location=read.text(resource, "location", upper=True),
        location_type=read.location_type(),
        data_locations=read.data_locations(),
        storage_class=read.text(resource, "storageClass", upper=True),
        autoclass=read.flag(read.block("autoclass"), "enabled", "autoclass.enabled"),
        soft_delete_seconds=read.soft_delete(),
        versioning=read.flag(read.block("versioning"), "enabled", "versioning.enabled"),
        lifecycle_rules=read.lifecycle(),
        requester_pays=read.flag(read.block("billing"), "requesterPays", "billing.requesterPays"),
        rpo=read.optional_text(resource, "rpo", "DEFAULT"),
        public_access_prevention=read.optional_text(
            iam_config, "publicAccessPrevention", "inherited"
        ),
        uniform_access=read.flag(
            read.block("uniformBucketLevelAccess", iam_config),
            "enabled",
            "iamConfiguration.uniformBucketLevelAccess.enabled",
        ),
        iam=_iam(resource, bindings, iam_reason),
    )


class _Reader:
    """Typed reads of a bucket resource: off when absent, unknown when malformed."""

    def __init__(self, resource: Mapping[str, Any]) -> None:
        self.resource = resource

    def block(self, key: str, parent: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        value = (self.resource if parent is None else parent).get(key)
        return value if isinstance(value, Mapping) else {}

    def text(self, parent: Mapping[str, Any], key: str, *, upper: bool = False) -> Setting[str]:
        value = parent.get(key)
        if not isinstance(value, str) or not value:
            return Setting.unknown(f"the API returned no {key}")
        return Setting.of(value.upper() if upper else value)

    def optional_text(self, parent: Mapping[str, Any], key: str, absent: str) -> Setting[str]:
        value = parent.get(key)
        if value is None:
            return Setting.of(absent)
        if not isinstance(value, str):
            return Setting.unknown(f"malformed {key}: {value!r:.60}")
        return Setting.of(value)

    def flag(self, parent: Mapping[str, Any], key: str, label: str) -> Setting[bool]:
        value = parent.get(key, False)
        if isinstance(value, bool):
            return Setting.of(value)
        if value in ("true", "false"):
            return Setting.of(value == "true")
        return Setting.unknown(f"malformed {label}: {value!r:.60}")

    def location_type(self) -> Setting[LocationType]:
        raw = self.resource.get("locationType")
        if raw is None:
            return Setting.unknown("the API returned no locationType")
        try:
            return Setting.of(LocationType(str(raw).lower()))
        except ValueError:
            return Setting.unknown(f"location type {str(raw)[:40]!r} is not one costwatch knows")

    def data_locations(self) -> Setting[tuple[str, ...]]:
        placement = self.block("customPlacementConfig")
        raw = placement.get("dataLocations", [])
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            return Setting.unknown(f"malformed customPlacementConfig.dataLocations: {raw!r:.60}")
        return Setting.of(tuple(x.upper() for x in raw))

    def soft_delete(self) -> Setting[int]:
        raw = self.block("softDeletePolicy").get("retentionDurationSeconds", 0)
        try:
            seconds = int(raw)
        except (TypeError, ValueError):
            return Setting.unknown(
                f"malformed softDeletePolicy.retentionDurationSeconds: {raw!r:.60}"
            )
        if seconds < 0:
            return Setting.unknown(f"negative softDeletePolicy.retentionDurationSeconds: {seconds}")
        return Setting.of(seconds)

    def lifecycle(self) -> Setting[tuple[LifecycleRule, ...]]:
        raw = self.block("lifecycle").get("rule", [])
        if not isinstance(raw, list):
            return Setting.unknown(f"malformed lifecycle.rule: {raw!r:.60}")
        rules: list[LifecycleRule] = []
        for entry in raw:
            action = entry.get("action") if isinstance(entry, Mapping) else None
            condition = entry.get("condition") if isinstance(entry, Mapping) else None
            if not isinstance(action, Mapping) or not isinstance(condition, Mapping):
                return Setting.unknown(f"malformed lifecycle rule: {entry!r:.60}")
            try:
                kind = LifecycleAction(str(action.get("type")))
            except ValueError:
                kind = LifecycleAction.OTHER
            noncurrent = bool(NONCURRENT_CONDITIONS & set(condition)) or (
                condition.get("isLive") is False
            )
            rules.append(LifecycleRule(kind, noncurrent))
        return Setting.of(tuple(rules))


def _iam(
    resource: Mapping[str, Any], bindings: tuple[Binding, ...] | None, reason: str
) -> IamPolicy:
    acl = tuple(_acl_grants(resource))
    if bindings is None:
        # ACL grants were read with the bucket, but the policy was not: not a complete picture.
        return IamPolicy(acl, IamCompleteness.UNREAD, reason or "not read")
    return IamPolicy(bindings + acl, IamCompleteness.COMPLETE)


def _resource(bucket: Any) -> dict[str, Any]:
    # The full projection already carried every field, ACLs included; the public accessors
    # for ACLs would issue another request per bucket, so read the resource as returned.
    return dict(bucket._properties)


def _bindings(raw: Iterable[Mapping[str, Any]]) -> Iterable[Binding]:
    for entry in raw:
        yield Binding(
            role=str(entry.get("role", "")), members=tuple(sorted(entry.get("members", ())))
        )


def _acl_grants(resource: Mapping[str, Any]) -> Iterable[Binding]:
    for key, default_object in (("acl", False), ("defaultObjectAcl", True)):
        entries = resource.get(key)
        for entry in entries if isinstance(entries, list) else ():
            if not isinstance(entry, Mapping):
                continue
            grant = acl_binding(
                str(entry.get("entity", "")),
                str(entry.get("role", "")),
                default_object=default_object,
            )
            if grant is not None:
                yield grant


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


def api_errors() -> tuple[type[Exception], ...]:
    """The failures a Cloud Storage request can end in; anything else is a bug, not caught."""
    import google.auth.exceptions
    import requests
    from google.api_core import exceptions as gexc

    return (
        gexc.GoogleAPIError,
        google.auth.exceptions.GoogleAuthError,
        requests.exceptions.RequestException,
        OSError,
        ValueError,
    )


def _kind(exc: Exception) -> IncompleteKind:
    import google.auth.exceptions
    from google.api_core import exceptions as gexc

    if isinstance(exc, gexc.NotFound):
        return IncompleteKind.NOT_FOUND
    if isinstance(exc, gexc.Forbidden):
        return IncompleteKind.PERMISSION
    if isinstance(exc, gexc.Unauthorized | google.auth.exceptions.GoogleAuthError):
        return IncompleteKind.CREDENTIALS
    return IncompleteKind.UNAVAILABLE


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
