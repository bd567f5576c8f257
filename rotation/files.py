"""The `rotation:` section of the mechanism file (docs/mechanism-file.md)."""
