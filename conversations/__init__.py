"""Multi-step dialog flows. Each flow declares its states in one place, one function per step."""
