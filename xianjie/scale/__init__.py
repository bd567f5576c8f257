"""Synthetic national-scale data (manage.py generate_scale_data): areas, mechanisms, units, people, cases,
assignments, follow-ups, help channels and meetings, written in bulk and reproducible from a seed."""
