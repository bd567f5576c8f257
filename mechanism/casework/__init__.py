"""The casework screens of the admin: triage queue, case list and detail, assignments, supervision, dashboard."""
