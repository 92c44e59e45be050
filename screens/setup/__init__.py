"""Setting up: the leader's screens for installations, sites and metrics, and their forms."""
