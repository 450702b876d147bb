import json


def test_an_unknown_api_address_answers_json_404(client, db):
    response = client.get("/api/v1/no-such.thing/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_schema_documents_errors_nullable_relations_and_month_fields(client, db):
    schema = json.loads(client.get("/api/schema/?format=json").content)
    operation = schema["paths"]["/api/v1/orgunits/"]["get"]
    assert {"400", "401", "403", "404"} <= set(operation["responses"])
    assert schema["components"]["schemas"]["OrgUnit"]["properties"]["parent"]["nullable"] is True
    assert "format" not in schema["components"]["schemas"]["ReportsMonthlyReport"]["properties"]["period"]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert "otp" in json.dumps(schema["components"]["schemas"]) and "200" in token["responses"]
