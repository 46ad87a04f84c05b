def test_person_can_read_own_profile(factory):
    person = factory.person(name="Amira Khan")
    response = person.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["name"] == "Amira Khan"
