"""manage.py generate_scale_data: fill an empty migrated database with a national-scale synthetic data set
(for the benches); see xianjie/scale."""

import json

from django.core.management.base import BaseCommand

from xianjie.scale.build import SIZES, Size, build


class Command(BaseCommand):
    help = "Fill an empty, migrated database with synthetic mechanisms, units, cases and assignments."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
        for name in ("mechanisms", "units", "cases", "assignments"):
            parser.add_argument(f"--{name}", type=int, help=f"Override the number of {name} of the size.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        defaults = dict(zip(("mechanisms", "units", "cases", "assignments"), SIZES[options["size"]], strict=True))
        size = Size(**{name: options[name] if options[name] is not None else value for name, value in defaults.items()})
        result = build(size, options["seed"], quiet=options["quiet"])
        self.stdout.write("generated: " + json.dumps(result, sort_keys=True))
