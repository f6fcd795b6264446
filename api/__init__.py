"""The portal's REST API under /api/v1/ (personal access tokens, OpenAPI schema)."""
