app_name = "creation"

urlpatterns: list = []
