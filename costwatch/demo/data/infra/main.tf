# The print shop the gallery is adding: its bucket, as a tutorial wrote it.
variable "region" {
  default = "us-west1"
}

resource "google_storage_bucket" "prints" {
  name     = "aiart-prints"
  location = "US" # copied from a tutorial: the multi-region, never free
  storage_class = "STANDARD"

  uniform_bucket_level_access = true
}

resource "google_storage_bucket_iam_member" "prints_public" {
  bucket = google_storage_bucket.prints.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
