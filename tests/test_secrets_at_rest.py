"""No password or API token is stored in plain text."""

import sqlalchemy as sa

from hub.extensions import db


def test_database_rows_hold_no_plain_password_or_token(app, client):
    password = "a distinctive passphrase for Somerset"
    client.post(
        "/api/v1/auth/register",
        json={
            "email": "sarah.owen@somerset.gov.uk",
            "password": password,
            "name": "Sarah Owen",
            "role": "officer",
        },
    )
    login = client.post(
        "/api/v1/auth/login", json={"email": "sarah.owen@somerset.gov.uk", "password": password}
    )
    token = client.post(
        "/api/v1/auth/tokens",
        json={"name": "script"},
        headers={"X-CSRF-Token": login.json["csrf_token"]},
    ).json["token"]
    secret_part = token.removeprefix("khub_")

    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)):
                text = " ".join(str(value) for value in row)
                assert password not in text, f"plain password in {table.name}"
                assert secret_part not in text, f"plain token in {table.name}"
