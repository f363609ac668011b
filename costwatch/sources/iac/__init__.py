"""Read what is about to be deployed: Terraform source and plans, deploy scripts, CI files."""
