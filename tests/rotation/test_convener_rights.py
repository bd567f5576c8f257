"""Convener rights follow the term: at the incoming signature they move from the outgoing unit's liaison to the
incoming unit's, one second before and one second after, with nobody editing a role."""

import datetime

import time_machine

from meetings.access import is_convener_liaison, may_approve_minutes, may_convene
from rotation.handovers import access, services
from rotation.models import Handover
from tests.factories import SHANGHAI
from tests.rotation.test_handover_lifecycle import NOW, HandoverTestCase

SIGNED_AT = NOW + datetime.timedelta(hours=3)
NEXT_YEAR = datetime.datetime(2028, 1, 1, tzinfo=SHANGHAI)
BEFORE = SIGNED_AT - datetime.timedelta(seconds=1)
AFTER = SIGNED_AT + datetime.timedelta(seconds=1)


@time_machine.travel(NOW, tick=False)
class ConvenerRightsTests(HandoverTestCase):
    def setUp(self):
        self.handover = self.signed_outgoing()
        self.mz_liaison = self.member("mz_liaison", self.mz, "liaison")
        services.sign_incoming(self.handover, by=self.mz_liaison, now=SIGNED_AT)
        # The next year's handover, from mz (the new convener) onwards: who may sign it as outgoing.
        self.next_handover = Handover.objects.create(
            mechanism=self.province, year=2028, outgoing_unit=self.mz, incoming_unit=self.zgh
        )

    def rights(self, user, moment):
        """(convene, approve minutes, outgoing signer of this year's handover, of next year's): the signer's side
        follows the term; the calendar (no signing before 1 January of the handover's year) comes on top."""
        return (
            may_convene(user, self.province, moment),
            may_approve_minutes(user, self.province, moment),
            access.is_outgoing_signer(user, self.handover, moment),
            access.is_outgoing_signer(user, self.next_handover, moment),
        )

    def test_the_outgoing_liaison_loses_the_rights_at_the_signature(self):
        self.assertEqual(self.rights(self.convener_liaison, BEFORE), (True, True, True, False))
        self.assertEqual(self.rights(self.convener_liaison, AFTER), (False, False, False, False))

    def test_the_incoming_liaison_gains_the_rights_at_the_signature(self):
        self.assertEqual(self.rights(self.mz_liaison, BEFORE), (False, False, False, False))
        self.assertEqual(self.rights(self.mz_liaison, AFTER), (True, True, False, True))

    def test_rights_read_the_clock_when_no_moment_is_given(self):
        with time_machine.travel(BEFORE, tick=False):
            self.assertTrue(may_convene(self.convener_liaison, self.province))
            self.assertFalse(may_approve_minutes(self.mz_liaison, self.province))
            self.assertTrue(access.may_sign_outgoing(self.convener_liaison, self.handover))
        with time_machine.travel(AFTER, tick=False):
            self.assertFalse(may_convene(self.convener_liaison, self.province))
            self.assertTrue(may_approve_minutes(self.mz_liaison, self.province))
            self.assertTrue(access.is_outgoing_signer(self.mz_liaison, self.next_handover))
            self.assertFalse(access.may_sign_outgoing(self.mz_liaison, self.next_handover))  # before 1 January 2028
        with time_machine.travel(NEXT_YEAR, tick=False):
            self.assertTrue(access.may_sign_outgoing(self.mz_liaison, self.next_handover))

    def test_the_next_handover_is_signed_from_1_january_of_its_year(self):
        last_moment = NEXT_YEAR - datetime.timedelta(microseconds=1)  # 31 December 2027, 23:59:59.999999
        self.assertFalse(access.may_sign_outgoing(self.mz_liaison, self.next_handover, last_moment))
        self.assertTrue(access.may_sign_outgoing(self.mz_liaison, self.next_handover, NEXT_YEAR))
        self.assertFalse(access.may_sign_incoming(self.other_liaison, self.next_handover, last_moment))  # zgh's
        self.assertTrue(access.may_sign_incoming(self.other_liaison, self.next_handover, NEXT_YEAR))
        self.assertFalse(access.may_sign_outgoing(self.admin, self.next_handover, last_moment))  # superusers too

    def test_the_convener_liaison_is_one_shared_definition(self):
        from rotation.summaries import access as summary_access

        self.assertIs(summary_access.is_convener_liaison, is_convener_liaison)
        for user, before, after in (
            (self.convener_liaison, True, False),
            (self.mz_liaison, False, True),
            (self.secretariat, False, False),
            (self.outsider, False, False),
        ):
            with self.subTest(user.username):
                self.assertEqual(
                    (is_convener_liaison(user, self.province, BEFORE), is_convener_liaison(user, self.province, AFTER)),
                    (before, after),
                )

    def test_the_secretariat_convenes_throughout_but_never_signs_or_approves(self):
        for moment in (BEFORE, AFTER):
            with self.subTest(moment=moment):
                self.assertEqual(self.rights(self.secretariat, moment), (True, False, False, False))
                self.assertFalse(access.may_sign_incoming(self.secretariat, self.handover))

    def test_only_the_incoming_units_liaison_signs_as_incoming(self):
        self.assertTrue(access.may_sign_incoming(self.mz_liaison, self.handover))
        self.assertTrue(access.may_sign_incoming(self.admin, self.handover))
        for user in (self.convener_liaison, self.other_liaison, self.supervisor, self.outsider):
            with self.subTest(user.username):
                self.assertFalse(access.may_sign_incoming(user, self.handover))
