"""What every HTTP route shares: the app's services, the bearer token's identity, error
bodies, path values, the OpenAPI document's completion and the request guards."""
