"""inspector-bot: core, configuration, wiring, CLI and channel adapters."""
