"""The embedded demo: a gallery owner's project on an emulated cloud, on loopback."""
