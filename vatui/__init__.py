"""vatui's application shell: the command line, the Textual app, config and identity."""
