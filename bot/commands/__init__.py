"""What people type and press: the command registry, the shared context, one module per command family."""
