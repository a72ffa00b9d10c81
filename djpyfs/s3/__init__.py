"""Amazon S3 support: the shared client, error translation and the S3 FS."""
