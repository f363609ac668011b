"""What Cloud Storage applies to a setting a create command or resource leaves out.

One table, each row with its source, so an omitted setting is judged as the documented
default and the finding says so ("omitted; the API applies 7 days"). Patches (``update``,
``gsutil versioning set``) get no defaults: what they leave out, they leave unchanged.

Each row of ``DEFAULTS`` names its source. In short: no location means the US multi-region
(gcloud, gsutil; the Terraform provider before 4.0, which now requires it); storage class
STANDARD; soft delete 7 days unless set to 0; uniform bucket-level access off unless set (or
enforced by an organization policy); public access prevention ``inherited``; versioning,
Autoclass and requester pays off; rpo ``DEFAULT``; no data locations; no lifecycle rules.
"""

from __future__ import annotations

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
    Scalar,
    SourceKind,
    Value,
)

#: setting -> (value, why it applies, source)
DEFAULTS: dict[str, tuple[Scalar, str, str]] = {
    LOCATION: (
        "US",
        "omitted; buckets are created in the US multi-region",
        "https://cloud.google.com/storage/docs/creating-buckets",
    ),
    STORAGE_CLASS: (
        "STANDARD",
        "omitted; the API applies STANDARD",
        "https://cloud.google.com/storage/docs/creating-buckets",
    ),
    SOFT_DELETE_SECONDS: (
        604800,
        "omitted; the API applies 7 days",
        "https://cloud.google.com/storage/docs/soft-delete",
    ),
    UNIFORM_ACCESS: (
        False,
        "omitted; off unless an organization policy enforces it",
        "https://cloud.google.com/sdk/gcloud/reference/storage/buckets/create",
    ),
    PUBLIC_ACCESS_PREVENTION: (
        "inherited",
        "omitted; the API applies inherited",
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket",
    ),
    VERSIONING: (False, "omitted; off", "provider schema"),
    AUTOCLASS: (False, "omitted; off", "provider schema"),
    REQUESTER_PAYS: (False, "omitted; off", "provider schema"),
    RPO: ("DEFAULT", "omitted; the API applies DEFAULT", "provider schema"),
    DATA_LOCATIONS: ((), "omitted; not a configurable dual-region", "provider schema"),
    LIFECYCLE_DELETES_NONCURRENT: (False, "omitted; no lifecycle rule", "provider schema"),
}


def with_defaults(record: BucketRecord) -> dict[str, Value]:
    """The record's settings, with the documented default for each one a create leaves out.

    Terraform requires ``location`` (provider 4.0 and later), so a resource without it is not
    given the US default: it is left absent and reported as not checked.
    """
    settings = dict(record.settings)
    if record.action is not Action.CREATE:
        return settings
    for key, (value, why, _source) in DEFAULTS.items():
        if key in settings:
            continue
        if key == LOCATION and record.origin.kind is not SourceKind.SCRIPT:
            continue
        if record.origin.kind is SourceKind.PLAN:
            # In a plan the attribute is "known after apply": the configuration left it out.
            why = "not set, known only after apply; " + why.removeprefix("omitted; ")
        settings[key] = Value.default(value, why)
    return settings
