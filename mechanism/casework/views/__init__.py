"""The casework admin views, one module per screen."""
