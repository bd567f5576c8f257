"""A unit's liaison works an assignment in a real browser: signs for it (签收), records a follow-up and
completes it (办结), and the unit's dashboard counts move (journey 2 of issue 9)."""

from django.utils import timezone

from mechanism.models import Assignment, AssignmentState, FollowUp

from .base import BrowserTestCase

FOLLOW_UP = "已电话联系本人，约定下周入户走访。"
OUTCOME = "已发放临时救助金2000元，本人表示满意。"


class AssignmentJourneyTest(BrowserTestCase):
    def counts(self, page, unit):
        """The dashboard panel's numbers for the unit, by section key."""
        page.locator(f"#casework-unit-{unit.pk}-section").wait_for()
        numbers = {}
        for key in ("to_acknowledge", "due_soon", "overdue", "completed"):
            item = page.locator(
                f"#casework-unit-{unit.pk}-section li", has=page.locator(f"a[href='#casework-{unit.pk}-{key}']")
            )
            numbers[key] = int(item.locator("strong").inner_text())
        return numbers

    def test_journey_2_liaison_signs_follows_up_completes_and_the_dashboard_counts_change(self):
        assignment = (
            Assignment.objects.filter(
                state=AssignmentState.ASSIGNED, mechanism__area__code="140000", case__isnull=False,
                due_on__gt=timezone.localdate(),
            )
            .select_related("unit", "case")
            .order_by("pk")
            .first()
        )  # fmt: skip
        self.assertIsNotNone(assignment, "the demo has an assignment waiting to be signed for")
        unit = assignment.unit
        page = self.login(f"liaison_{unit.code}")
        before = self.counts(page, unit)
        self.assertGreater(before["to_acknowledge"], 0)

        with page.expect_navigation():
            page.locator(
                f"#casework-unit-{unit.pk}-section a[href='/admin/casework/assignment/{assignment.pk}/']"
            ).click()
        self.audit(page)

        self.submit(page, self.action_form(page, "acknowledge").locator("button[type=submit]"))
        assignment.refresh_from_db()
        self.assertEqual(assignment.state, AssignmentState.ACKNOWLEDGED)

        form = self.action_form(page, "follow_up")
        form.locator("select[name=kind]").select_option(index=1)
        form.locator("input[name=happened_on]").fill(timezone.localdate().isoformat())
        form.locator("textarea[name=text]").fill(FOLLOW_UP)
        self.submit(page, form.locator("button[type=submit]"))
        self.assertTrue(FollowUp.objects.filter(assignment=assignment, text=FOLLOW_UP).exists())
        self.assertIn(FOLLOW_UP, page.inner_text("main"))

        form = self.action_form(page, "complete")
        form.locator("textarea[name=outcome]").fill(OUTCOME)
        self.submit(page, form.locator("button[type=submit]"))
        assignment.refresh_from_db()
        self.assertEqual((assignment.state, assignment.outcome), (AssignmentState.COMPLETED, OUTCOME))

        self.visit(page, "/admin/")
        after = self.counts(page, unit)
        self.assertEqual(after["to_acknowledge"], before["to_acknowledge"] - 1)
        self.assertEqual(after["completed"], before["completed"] + 1)
        self.assertEqual(after["overdue"], before["overdue"])
        self.assertIn(assignment.case.reference, page.locator(f"#casework-{unit.pk}-completed + table").inner_text())
        self.assert_every_page_accessible()
