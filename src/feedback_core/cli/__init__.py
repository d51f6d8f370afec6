"""The ``feedback-core`` command: run the platform locally on an embedded AWS emulator."""
