"""The teacher's cockpit: the class grid, pacing, the gradebook, item analysis and micro-groups."""
