"""The driver: the compile flow, verification, the registry of dialects/passes/targets, the CLI."""
