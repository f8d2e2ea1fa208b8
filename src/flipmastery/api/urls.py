from ninja import NinjaAPI

api = NinjaAPI(title="flipmastery API", version="1", urls_namespace="api")
