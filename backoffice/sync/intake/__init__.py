"""Upload intake (S3-S6, S15): one path from an uploaded batch to stored rows and outcomes."""
