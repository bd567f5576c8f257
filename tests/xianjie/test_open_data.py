"""/help/channels.json (HSDS 3.0) and /help/channels.csv: shape, header, filters, bad input."""

import csv
import io
import uuid

from tests.xianjie.test_directory import ChannelWorld

SERVICE_KEYS = {
    "id",
    "name",
    "description",
    "organization",
    "phones",
    "email",
    "url",
    "schedules",
    "service_areas",
    "eligibility_description",
    "needs",
    "assured_date",
    "last_modified",
}
CSV_HEADER = (
    "id,name,description,organization_id,organization_name,phone_number,phone_type,email,url,schedule_byday,"
    "schedule_opens_at,schedule_closes_at,schedule_description,service_area_names,service_area_extents,"
    "eligibility_description,needs,assured_date,last_modified"
)


class OpenDataJsonTest(ChannelWorld):
    def services(self, query=""):
        response = self.client.get(f"/help/channels.json{query}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        return response.json()

    def by_number(self, page):
        found = {}
        for service in page["contents"]:
            key = service["phones"][0]["number"] if service["phones"] else service["email"]
            found[key] = service
        return found

    def test_hsds_page_envelope(self):
        page = self.services()
        self.assertEqual(
            set(page),
            {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"},
        )
        self.assertEqual(page["total_items"], 6)
        self.assertEqual(page["size"], 6)
        self.assertEqual((page["page_number"], page["total_pages"]), (1, 1))
        self.assertTrue(page["first_page"] and page["last_page"])
        self.assertFalse(page["empty"])

    def test_service_fields_and_nested_objects(self):
        services = self.by_number(self.services())
        hotline = services["12349"]
        self.assertEqual(set(hotline), SERVICE_KEYS)
        uuid.UUID(hotline["id"])
        self.assertEqual(hotline["name"], "民政服务热线")
        self.assertEqual(hotline["organization"]["name"], "山西省民政厅")
        uuid.UUID(hotline["organization"]["id"])
        self.assertEqual(hotline["phones"], [{"number": "12349", "type": "voice"}])
        self.assertIsNone(hotline["email"])
        self.assertEqual(hotline["schedules"][0]["byday"], "MO,TU,WE,TH,FR,SA,SU")
        self.assertEqual(hotline["service_areas"], [{"name": "山西省", "extent": "140000", "extent_type": "text"}])
        self.assertEqual(hotline["assured_date"], "2026-05-01")
        self.assertRegex(hotline["last_modified"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$")
        self.assertEqual([need["code"] for need in hotline["needs"]], ["basic_living", "housing"])

        email = services["jiuzhu@mzt.shanxi.gov.cn"]
        self.assertEqual(email["phones"], [])
        self.assertEqual(email["organization"]["id"], hotline["organization"]["id"])
        [schedule] = email["schedules"]
        self.assertEqual(schedule["byday"], "MO,TU,WE,TH,FR")
        self.assertEqual((schedule["opens_at"], schedule["closes_at"]), ("08:30+08:00", "17:30+08:00"))
        self.assertIn("法定节假日除外", schedule["description"])

        datong = services["12385"]
        self.assertEqual(datong["service_areas"][0]["extent"], "140200")

    def test_ids_are_stable(self):
        first = [service["id"] for service in self.services()["contents"]]
        self.client.get("/help/channels.json?need=housing")
        self.assertEqual([service["id"] for service in self.services()["contents"]], first)

    def test_hidden_and_former_channels_are_left_out(self):
        numbers = set(self.by_number(self.services()))
        self.assertNotIn("+863517777777", numbers)
        self.assertNotIn("12345", numbers)

    def test_filters_like_the_page(self):
        self.assertEqual(set(self.by_number(self.services("?need=psychological"))), {"12355"})
        self.assertEqual(
            set(self.by_number(self.services("?area=140100&group=women"))),
            {"12349", "jiuzhu@mzt.shanxi.gov.cn", "12338"},
        )
        empty = self.services("?area=140100&need=disability")
        self.assertTrue(empty["empty"])
        self.assertEqual(empty["contents"], [])

    def test_bad_filters_answer_unfiltered_with_a_warning(self):
        page = self.services("?need=flying&area=xyz")
        self.assertEqual(page["total_items"], 6)
        self.assertEqual(len(page["warnings"]), 2)


class OpenDataCsvTest(ChannelWorld):
    def fetch(self, query=""):
        response = self.client.get(f"/help/channels.csv{query}")
        self.assertEqual(response.status_code, 200)
        return response

    def test_header_bom_and_download_name(self):
        response = self.fetch()
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertRegex(response["Content-Disposition"], r'^attachment; filename="help-channels-20260601\.csv"$')
        body = response.content
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(body.decode("utf-8-sig").split("\r\n")[0], CSV_HEADER)

    def rows(self, query=""):
        return list(csv.DictReader(io.StringIO(self.fetch(query).content.decode("utf-8-sig"))))

    def test_rows_flatten_the_json_fields(self):
        rows = {row["phone_number"] or row["email"]: row for row in self.rows()}
        self.assertEqual(len(rows), 6)
        hotline = rows["12349"]
        self.assertEqual(hotline["organization_name"], "山西省民政厅")
        self.assertEqual(hotline["phone_type"], "voice")
        self.assertEqual(hotline["service_area_extents"], "140000")
        self.assertEqual(hotline["needs"], "basic_living;housing")
        self.assertEqual(hotline["assured_date"], "2026-05-01")
        email = rows["jiuzhu@mzt.shanxi.gov.cn"]
        self.assertEqual((email["schedule_byday"], email["schedule_opens_at"]), ("MO,TU,WE,TH,FR", "08:30+08:00"))
        json_ids = {service["id"] for service in self.client.get("/help/channels.json").json()["contents"]}
        self.assertEqual({row["id"] for row in rows.values()}, json_ids)

    def test_filters_like_the_page(self):
        self.assertEqual([row["phone_number"] for row in self.rows("?need=psychological")], ["12355"])
        self.assertEqual({row["phone_number"] for row in self.rows("?area=140200&need=disability")}, {"12385"})
        self.assertEqual(len(self.rows("?group=%00%ff")), 6)
