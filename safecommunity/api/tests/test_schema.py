from django.core.management import call_command


def test_openapi_schema_is_valid_and_has_no_warnings(tmp_path):
    """Every app's endpoints documented: distinct component names, typed filters, valid spec."""
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    for path in ("/api/v1/orgunits/", "/api/v1/hazards/", "/api/v1/monthly-reports/", "/api/v1/creating-units/"):
        assert path in text
