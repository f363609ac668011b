"""Sources read the world (Cloud Storage, Cloud Monitoring, site files) into snapshots."""
