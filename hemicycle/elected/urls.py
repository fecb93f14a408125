app_name = "elected"

urlpatterns: list = []
