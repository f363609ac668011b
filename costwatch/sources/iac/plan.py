"""Terraform plans (``terraform show -json PLAN``): the authoritative view of what will change.

A plan has every variable, module and ``count`` already evaluated. What it cannot say is a
value "known after apply": if the configuration sets nothing for an attribute with a
documented server default (soft delete, public access prevention, uniform access, rpo), the
attribute is left out here so the defaults table judges that default and says so; if the
configuration derives it from another resource, it is unknown. Plans carry no line numbers:
the caller passes where each address is written in the ``.tf`` source, when it is in the tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from costwatch.model import BUCKET_ACL_ROLE, OBJECT_ACL_ROLE
from costwatch.sources.iac.hcl import (
    BUCKET,
    BUCKET_ACL,
    DEFAULT_OBJECT_ACL,
    IAM_BINDING,
    IAM_MEMBER,
    IAM_POLICY,
    PUBLIC_PREDEFINED_ACL,
    RESOURCE_TYPES,
)
from costwatch.sources.iac.records import (
    AUTOCLASS,
    DATA_LOCATIONS,
    LIFECYCLE_DELETES_NONCURRENT,
    LOCATION,
    PUBLIC_ACCESS_PREVENTION,
    REQUESTER_PAYS,
    RPO,
    SOFT_DELETE_SECONDS,
    STORAGE_CLASS,
    UNIFORM_ACCESS,
    VERSIONING,
    Action,
    BucketRecord,
    GrantKind,
    GrantRecord,
    Harvest,
    Origin,
    SourceKind,
    Unchecked,
    Value,
)

SUPPORTED_MAJOR = "1"
_INDEX = re.compile(r"\[[^\]]*\]")

#: Attributes the server fills in when the configuration leaves them out.
SERVER_DEFAULTED = frozenset(
    {"soft_delete_policy", "public_access_prevention", "uniform_bucket_level_access", "rpo"}
)


def looks_like_plan(data: Any) -> bool:
    """Whether a parsed JSON document is ``terraform show -json`` output (any file name)."""
    return (
        isinstance(data, dict)
        and "format_version" in data
        and ("resource_changes" in data or "planned_values" in data or "terraform_version" in data)
    )


def sniff_plan(head: bytes) -> bool:
    """A cheap look at a JSON file's first bytes before parsing all of it."""
    return head.lstrip()[:1] == b"{" and b'"format_version"' in head


def config_address(address: str) -> str:
    """A resource address without instance keys: ``module.a["x"].t.n[0]`` -> ``module.a.t.n``."""
    return _INDEX.sub("", address)


def _configuration(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Expressions of every configured resource, by address without instance keys."""
    out: dict[str, dict[str, Any]] = {}

    def walk(module: Any, prefix: str, depth: int) -> None:
        if not isinstance(module, dict) or depth > 16:
            return
        for resource in module.get("resources") or []:
            if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                out[prefix + resource["address"]] = resource.get("expressions") or {}
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict):
                walk(call.get("module"), f"{prefix}module.{name}.", depth + 1)

    configuration = data.get("configuration")
    if isinstance(configuration, dict):
        walk(configuration.get("root_module"), "", 0)
    return out


def _references(expressions: Mapping[str, Any], attr: str) -> list[str]:
    expr = expressions.get(attr)
    if isinstance(expr, list) and expr:
        expr = expr[0]
    if isinstance(expr, dict):
        refs = expr.get("references")
        if isinstance(refs, list):
            return [str(r) for r in refs]
    return []


def read_plan(
    data: Mapping[str, Any],
    path: str,
    source_lines: Mapping[str, tuple[str, int]] | None = None,
) -> Harvest:
    """Buckets and grants the plan creates or changes.

    ``source_lines`` maps a configuration address (``module.site.google_storage_bucket.x``)
    to the ``.tf`` file and line that declares it, so findings point there.
    """
    harvest = Harvest(files_read=1)
    version = str(data.get("format_version", ""))
    if version.split(".")[0] != SUPPORTED_MAJOR:
        harvest.unchecked.append(
            Unchecked(path, None, f"plan format_version {version!r} is not supported (1.x)", True)
        )
        return harvest
    changes = data.get("resource_changes")
    if not isinstance(changes, list):
        harvest.unchecked.append(
            Unchecked(path, None, "no resource_changes: not a plan (a state file?)", True)
        )
        return harvest
    expressions = _configuration(data)
    lines = source_lines or {}
    buckets: dict[str, Value] = {}
    relevant = [c for c in changes if _relevant(c)]
    for change in relevant:
        if change["type"] == BUCKET:
            record = _bucket(change, path, lines, expressions)
            buckets[config_address(change["address"])] = record.name
            harvest.buckets.append(record)
    for change in relevant:
        if change["type"] != BUCKET:
            harvest.grants.extend(_grants(change, path, lines, expressions, buckets, harvest))
    return harvest


def _relevant(change: Any) -> bool:
    if not isinstance(change, dict) or change.get("mode", "managed") != "managed":
        return False
    if change.get("type") not in RESOURCE_TYPES or not isinstance(change.get("address"), str):
        return False
    body = change.get("change")
    # A delete has no "after": nothing will exist to judge.
    return isinstance(body, dict) and isinstance(body.get("after"), dict)


def _origin(change: Mapping[str, Any], path: str, lines: Mapping[str, tuple[str, int]]) -> Origin:
    address = str(change["address"])
    where = lines.get(config_address(address))
    if where:
        return Origin(SourceKind.PLAN, where[0], where[1], address)
    return Origin(SourceKind.PLAN, path, None, address)


def _action(change: Mapping[str, Any]) -> Action:
    actions = change["change"].get("actions") or []
    return Action.CREATE if "create" in actions else Action.UPDATE


def _nested(after: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    value = after.get(name)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return None


def _bucket(
    change: Mapping[str, Any],
    path: str,
    lines: Mapping[str, tuple[str, int]],
    expressions: Mapping[str, Mapping[str, Any]],
) -> BucketRecord:
    body = change["change"]
    after: dict[str, Any] = body["after"]
    unknown: dict[str, Any] = body.get("after_unknown") or {}
    address = str(change["address"])
    config = expressions.get(config_address(address), {})
    settings: dict[str, Value] = {}

    def put(attr: str, key: str, value: Any) -> None:
        if unknown.get(attr) is True or (isinstance(unknown.get(attr), list) and value is None):
            refs = _references(config, attr)
            if refs or attr not in SERVER_DEFAULTED:
                why = f"from {', '.join(refs)}" if refs else "computed"
                settings[key] = Value.unknown(f"{attr}: known after apply ({why})")
            return  # omitted and server-defaulted: the defaults table applies
        if value is None:
            return
        settings[key] = Value(value)

    location = after.get("location")
    put("location", LOCATION, location.upper() if isinstance(location, str) else location)
    storage_class = after.get("storage_class")
    put("storage_class", STORAGE_CLASS, storage_class.upper() if storage_class else None)
    put("requester_pays", REQUESTER_PAYS, after.get("requester_pays"))
    rpo = after.get("rpo")
    put("rpo", RPO, rpo.upper() if isinstance(rpo, str) else None)
    pap = after.get("public_access_prevention")
    put("public_access_prevention", PUBLIC_ACCESS_PREVENTION, pap.lower() if pap else None)
    put("uniform_bucket_level_access", UNIFORM_ACCESS, after.get("uniform_bucket_level_access"))
    soft = _nested(after, "soft_delete_policy")
    seconds = soft.get("retention_duration_seconds") if soft else None
    put("soft_delete_policy", SOFT_DELETE_SECONDS, int(seconds) if seconds is not None else None)
    autoclass = _nested(after, "autoclass")
    settings[AUTOCLASS] = Value(bool(autoclass and autoclass.get("enabled")))
    versioning = _nested(after, "versioning")
    settings[VERSIONING] = Value(bool(versioning and versioning.get("enabled")))
    placement = _nested(after, "custom_placement_config")
    if placement and isinstance(placement.get("data_locations"), list):
        settings[DATA_LOCATIONS] = Value(tuple(str(x).upper() for x in placement["data_locations"]))
    settings[LIFECYCLE_DELETES_NONCURRENT] = Value(
        any(_deletes_noncurrent(rule) for rule in after.get("lifecycle_rule") or [])
    )
    name = after.get("name")
    name_value = (
        Value(str(name))
        if isinstance(name, str)
        else Value.unknown(f"name: known after apply ({address})")
    )
    return BucketRecord(
        name_value,
        _origin(change, path, lines),
        _action(change),
        settings,
        ref=config_address(address),
    )


def _deletes_noncurrent(rule: Any) -> bool:
    if not isinstance(rule, dict):
        return False
    action = _nested(rule, "action") or {}
    condition = _nested(rule, "condition") or {}
    if action.get("type") != "Delete":
        return False
    for attr in ("num_newer_versions", "days_since_noncurrent_time"):
        if condition.get(attr) not in (None, 0):
            return True
    return (
        bool(condition.get("noncurrent_time_before")) or condition.get("with_state") == "ARCHIVED"
    )


def _grants(
    change: Mapping[str, Any],
    path: str,
    lines: Mapping[str, tuple[str, int]],
    expressions: Mapping[str, Mapping[str, Any]],
    buckets: Mapping[str, Value],
    harvest: Harvest,
) -> list[GrantRecord]:
    body = change["change"]
    after: dict[str, Any] = body["after"]
    unknown: dict[str, Any] = body.get("after_unknown") or {}
    address = str(change["address"])
    config = expressions.get(config_address(address), {})
    origin = _origin(change, path, lines)
    module_prefix = address[: address.rfind(change["type"])] if change["type"] in address else ""
    module_prefix = config_address(module_prefix)
    bucket_ref = ""
    if isinstance(after.get("bucket"), str):
        bucket = Value(after["bucket"].removeprefix("gs://"))
    else:
        refs = [r for r in _references(config, "bucket") if r.startswith(BUCKET + ".")]
        target = refs[-1].removesuffix(".name") if refs else ""
        if target.count(".") > 1:
            target = ".".join(target.split(".")[:2])
        bucket_ref = module_prefix + config_address(target) if target else ""
        known = buckets.get(bucket_ref) if bucket_ref else None
        bucket = known or Value.unknown(f"bucket: known after apply ({address})")
    kind = change["type"]

    def grant(member: str, role: str, **extra: Any) -> GrantRecord:
        return GrantRecord(bucket, member, role, origin, bucket_ref=bucket_ref, **extra)

    def missing(attr: str) -> list[GrantRecord]:
        harvest.unchecked.append(
            Unchecked(origin.path, origin.line, f"{address}: {attr}: known after apply")
        )
        return []

    conditional = bool(after.get("condition"))
    if kind == IAM_MEMBER:
        if not isinstance(after.get("member"), str) or not isinstance(after.get("role"), str):
            return missing("member" if unknown.get("member") else "role")
        return [grant(after["member"], after["role"], conditional=conditional)]
    if kind == IAM_BINDING:
        if not isinstance(after.get("members"), list) or not isinstance(after.get("role"), str):
            return missing("members")
        return [grant(str(m), after["role"], conditional=conditional) for m in after["members"]]
    if kind == IAM_POLICY:
        try:
            policy = json.loads(after["policy_data"])
        except (KeyError, TypeError, json.JSONDecodeError):
            return missing("policy_data")
        out = [
            grant(str(m), str(b.get("role", "")), authoritative=True, conditional="condition" in b)
            for b in policy.get("bindings") or []
            if isinstance(b, dict)
            for m in b.get("members") or []
        ]
        return out or [grant("", "", authoritative=True)]
    if kind == BUCKET_ACL:
        out = []
        predefined = after.get("predefined_acl")
        if isinstance(predefined, str) and predefined in PUBLIC_PREDEFINED_ACL:
            role = BUCKET_ACL_ROLE[PUBLIC_PREDEFINED_ACL[predefined]]
            out.append(grant("allUsers", role, kind=GrantKind.ACL))
        for item in after.get("role_entity") or []:
            acl_role, _, entity = str(item).partition(":")
            if entity in ("allUsers", "allAuthenticatedUsers"):
                role = BUCKET_ACL_ROLE.get(acl_role, acl_role)
                out.append(grant(entity, role, kind=GrantKind.ACL))
        return out
    if not isinstance(after.get("entity"), str) or not isinstance(after.get("role"), str):
        return missing("entity")
    if kind == DEFAULT_OBJECT_ACL:
        role = OBJECT_ACL_ROLE.get(after["role"], after["role"])
        return [grant(after["entity"], role, kind=GrantKind.DEFAULT_ACL)]
    return [
        grant(
            after["entity"], BUCKET_ACL_ROLE.get(after["role"], after["role"]), kind=GrantKind.ACL
        )
    ]
