"""Placeholder: the meetings' documents (notice, agenda, sign-in sheet, minutes) are being written."""
