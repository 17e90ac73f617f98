"""The JSON API under /api/v1: flask-smorest blueprints over the parts' operations; its
Api object answers errors as problem documents (service.api.problems)."""

from service.api.problems import ProblemApi

api = ProblemApi()
