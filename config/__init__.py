"""Settings from the environment and the RKK configuration file, read once at start-up."""
