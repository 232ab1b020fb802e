from ninja import NinjaAPI

api = NinjaAPI(title="Servanda API", version="1", urls_namespace="api")
