"""The product's own error pages, in Chinese, also under `make run` (DEBUG is off unless asked for),
with the static files still served (WhiteNoise, from the finders)."""

import os
import subprocess
import sys

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_404_is_the_products_page_in_chinese(client_for, unit_a):
    response = client_for(unit_a).get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面或记录不存在" in html and "返回首页" in html
    assert "Page not found" not in html and "URLconf" not in html


def test_403_is_the_products_page_in_chinese(client_for, unit_a):
    response = client_for(unit_a).get("/accounts/users/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "您没有访问此页面的权限" in html and "返回首页" in html


def test_500_renders_without_a_request_context():
    html = render_to_string("500.html")
    assert "500" in html and "服务器发生错误" in html and "返回首页" in html


def test_debug_is_off_by_default_and_static_files_are_served(client):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    out = subprocess.run([sys.executable, "-c", "from safecommunity.settings import base; print(base.DEBUG)"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    response = client.get("/static/safecommunity/app.css")
    assert response.status_code == 200
