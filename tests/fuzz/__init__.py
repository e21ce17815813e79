"""`make fuzz`: schemathesis against a real server, every check, from the OpenAPI document."""
