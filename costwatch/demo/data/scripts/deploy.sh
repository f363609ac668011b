#!/usr/bin/env bash
# Publishes the redesigned gallery to a new bucket. Run by hand, then by CI.
set -euo pipefail
BUCKET="aiart-gallery-v2"

# The console's defaults, on the command line: no --location means the US multi-region.
gcloud storage buckets create "gs://${BUCKET}" \
  --uniform-bucket-level-access

gcloud storage buckets add-iam-policy-binding "gs://${BUCKET}" \
  --member=allUsers --role=roles/storage.legacyObjectReader

gcloud storage rsync --recursive site/public "gs://${BUCKET}"
