"""The meeting screen reads a fixed number of queries whatever the size of its agenda and attendance."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.services import add_item, record_attendance

from .test_admin_meeting import NOW, MeetingAdminCase


@time_machine.travel(NOW, tick=False)
class MeetingScreenQueryTests(MeetingAdminCase):
    def count(self, meeting):
        self.login(self.secretariat)
        url = self.url("meeting", meeting)
        self.client.get(url)  # warm the session and the user's roles
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_items_and_attendance(self):
        meeting = self.noticed()
        small = self.count(meeting)
        for number in range(10):
            add_item(meeting, f"议题{number}", "topic", 5, presenter=self.zgh, by=self.secretariat)
            record_attendance(meeting, [self.mz, self.zgh, self.tsw][number % 3], f"人员{number}", by=self.secretariat)
        self.assertEqual(self.count(meeting), small)
