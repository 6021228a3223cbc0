"""Running the project: the scheduler loop (timers, escalations, background work) and the demo
seed. Sits above ``workflows`` and the apps: it may import them, they never import it."""
