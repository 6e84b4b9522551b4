"""Stage 4, running: judging a loaded school, a folder or a fleet; waivers, baselines, cache."""
