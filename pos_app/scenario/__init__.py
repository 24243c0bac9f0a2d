"""Scenario files (shared/scenarios/FORMAT.md): load, replay through the engine, compare."""
