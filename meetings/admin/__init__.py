"""The meetings back office under /admin/meetings/: calendar, list, meeting screen, proposed topics, home panels."""
