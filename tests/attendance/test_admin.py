"""Marshal assignments and reminder plans in the admin, scoped to the organization."""

from attendance import services
from tests import factories
from tests.attendance.conftest import client_for


def test_organizer_sees_only_own_organizations_assignments(organizer, rally, other_organization):
    theirs = factories.make_event(other_organization, title="Their rally")
    factories.make_user(username="gate-east", is_staff=False)
    services.assign_marshal(event=rally, username="gate-east", gate="East gate")
    services.assign_marshal(event=theirs, username="gate-east", gate="Far gate")
    page = client_for(organizer).get("/admin/attendance/marshalassignment/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Noon rally for status" in text and "Their rally" not in text
    assert client_for(organizer).get("/admin/attendance/reminderplan/").status_code == 200


def test_marshal_has_no_admin(marshal):
    response = client_for(marshal).get("/admin/attendance/marshalassignment/")
    assert response.status_code == 302
