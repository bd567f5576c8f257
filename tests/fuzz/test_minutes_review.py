"""Bad input on the minutes sent for review: a liaison's agree and comment, the convener's approve, the
secretariat's revise and correction (with a reason); each valid starting payload is accepted too."""

import time_machine
from django.urls import reverse

from meetings.models import MinutesComment, MinutesState, ReviewResponse
from meetings.services import comment_on_minutes, publish_minutes
from tests.meetings.test_admin_meeting import NOW
from tests.meetings.test_admin_minutes import MinutesAdminCase

from .harness import FuzzTestCase, error_texts, rolled_back
from .sweep import sweep

S = MinutesState
SKIP = ("logout",)


@time_machine.travel(NOW, tick=False)
class MinutesReviewFuzzTests(FuzzTestCase, MinutesAdminCase):
    def page(self, minutes):
        return reverse("meetings_admin:minutes", args=[minutes.meeting_id])

    def form_of(self, user, minutes, action):
        self.login(user)
        return self.page_form(self.page(minutes), f"/minutes/{action}/")

    def accepted(self, form, said):
        """The page's own payload, posted once in a rolled-back savepoint: a success message, no error."""
        with rolled_back():
            response = self.client.post(form.action, form.payload, follow=True, HTTP_ACCEPT_LANGUAGE="en")
            self.assertEqual(error_texts(response), [])
            self.assertIn(said, " ".join(str(m) for m in response.context["messages"]))

    def commented_round(self):
        minutes = self.in_review(self.minutes(titles=("议题一", "议题二")))
        comment_on_minutes(minutes, self.zgh, "第一轮意见", by=self.other_liaison)
        return self.close_round(minutes)

    def published(self):
        minutes = self.approved(self.minutes())
        publish_minutes(minutes, by=self.secretariat)
        minutes.refresh_from_db()
        return minutes

    def test_liaison_agree_and_comment_are_accepted_as_the_page_fills_them(self):
        minutes = self.in_review(self.minutes())
        self.accepted(self.form_of(self.other_liaison, minutes, "agree"), "agrees to the minutes.")
        form = self.form_of(self.other_liaison, minutes, "comment")
        form.payload["text"] = ["第二项表述不准确"]
        self.accepted(form, "Comment of 山西省总工会 recorded.")
        self.assertFalse(ReviewResponse.objects.exists() or MinutesComment.objects.exists())  # rolled back

    def test_fuzzed_liaison_agree_and_comment(self):
        minutes = self.in_review(self.minutes(titles=("议题一", "议题二")))
        for action in ("agree", "comment"):
            form = self.form_of(self.other_liaison, minutes, action)
            if action == "comment":
                form.payload["text"] = ["整体同意"]
            self.fuzz(form.action, form.payload, f"minutes review: {action}", max_examples=8)
            sweep(self, form.action, form.payload, f"minutes review: {action}")

    def test_convener_approve_is_accepted_and_fuzzed(self):
        minutes = self.close_round(self.in_review(self.minutes()))
        form = self.form_of(self.convener_liaison, minutes, "approve")
        self.accepted(form, "The minutes are approved")
        self.fuzz(form.action, form.payload, "minutes review: approve", max_examples=8)
        sweep(self, form.action, form.payload, "minutes review: approve")

    def test_secretariat_revise_is_accepted_and_fuzzed(self):
        minutes = self.commented_round()
        form = self.form_of(self.secretariat, minutes, "revise")
        form.payload["reason"] = ["吸收总工会意见"]
        self.accepted(form, "Revision 2 started.")
        self.fuzz(form.action, form.payload, "minutes review: revise", max_examples=8)
        sweep(self, form.action, form.payload, "minutes review: revise")

    def test_secretariat_correction_is_accepted_and_fuzzed(self):
        minutes = self.published()
        self.assertEqual(minutes.state, S.PUBLISHED)
        form = self.form_of(self.secretariat, minutes, "correct")
        form.payload["reason"] = ["更正参会人员名单"]
        self.accepted(form, "Correction started as revision 2.")
        self.fuzz(form.action, form.payload, "minutes review: correct", max_examples=8)
        sweep(self, form.action, form.payload, "minutes review: correct")
