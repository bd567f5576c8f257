"""State changes of cases and assignments: small functions named for the act, each in one transaction."""
