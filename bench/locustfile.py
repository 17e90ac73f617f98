"""The simulated people of `make load` (bench/load.py starts Locust on this file).

Four kinds of user work at once, as they would on a filing day: issuers saving
sections and uploading documents through the JSON API, reviewers paging the queue
and opening cases on the web pages, approvers deciding recommended cases, and the
public reading the register, searching it and asking the log for proofs. Each
request is named by its class ("issuer: save section"), so the figures are per
class. What an issuer was told it saved is written to LOAD_ACKS at the end, so
the run can check that no acknowledged save was lost.
"""

import json
import os
import random
import re

from locust import HttpUser, between, events, task

with open(os.environ["LOAD_PLAN"]) as _plan:  # written by bench/load.py before the run
    PLAN = json.load(_plan)
COUNTS = json.loads(os.environ.get("LOAD_USERS", "{}"))
PASSWORD = PLAN["password"]

# Accounts and cases are handed out once each, so no two simulated users share them.
_issuers = list(PLAN["issuers"])
_cases = list(PLAN["recommended_cases"])
_acknowledged: dict[int, str] = {}

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CASE_LINK = re.compile(r"/review/cases/(\d+)")
QUEUE_CURSOR = re.compile(r'href="[^"]*[?&;]cursor=([^"&]+)')


def _token(client, email: str) -> str:
    answer = client.post(
        "/api/v1/auth/token",
        json={"email": email, "password": PASSWORD},
        name="sign in (API token)",
    )
    answer.raise_for_status()
    return answer.json()["token"]


class Issuer(HttpUser):
    """A compliance officer completing a draft through the API."""

    wait_time = between(1, 3)
    fixed_count = COUNTS.get("issuer", 1)

    def on_start(self):
        account = _issuers.pop()
        self.application_id = account["application_id"]
        self.answers = account["token_design"]
        self.saved = 0
        self.client.headers["Authorization"] = f"Bearer {_token(self.client, account['email'])}"

    def _etag(self) -> str:
        answer = self.client.get(
            f"/api/v1/applications/{self.application_id}", name="issuer: read application"
        )
        return answer.headers.get("ETag", "*")

    @task(3)
    def save_section(self):
        self.saved += 1
        mechanism = f"{self.answers['issuance_mechanism']} (save {self.saved})"
        with self.client.put(
            f"/api/v1/applications/{self.application_id}/sections/token_design",
            json={**self.answers, "issuance_mechanism": mechanism},
            headers={"If-Match": self._etag()},
            name="issuer: save section",
            catch_response=True,
        ) as answer:
            if answer.status_code == 200:
                _acknowledged[self.application_id] = mechanism
                answer.success()
            else:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")

    @task(1)
    def upload_document(self):
        self.client.post(
            f"/api/v1/applications/{self.application_id}/documents",
            data={"document_type": "business_plan"},
            files={"file": ("business-plan.pdf", PLAN_PDF, "application/pdf")},
            name="issuer: upload document",
        )


class Reviewer(HttpUser):
    """A reviewer working the queue on the web pages."""

    wait_time = between(1, 3)
    fixed_count = COUNTS.get("reviewer", 1)

    def on_start(self):
        page = self.client.get("/login", name="sign in (page)")
        self.client.post(
            "/login",
            data={
                "email": random.choice(PLAN["reviewers"]),
                "password": PASSWORD,
                "csrf_token": CSRF.search(page.text).group(1),
            },
            name="sign in (form)",
        )
        self.case_ids: list[str] = []
        self.cursor = None

    @task(2)
    def queue_page(self):
        query = f"?cursor={self.cursor}" if self.cursor else ""
        page = self.client.get(f"/review{query}", name="reviewer: queue page")
        self.case_ids = CASE_LINK.findall(page.text) or self.case_ids
        found = QUEUE_CURSOR.search(page.text)
        self.cursor = found.group(1) if found and random.random() < 0.7 else None

    @task(3)
    def case_page(self):
        if not self.case_ids:
            return self.queue_page()
        case_id = random.choice(self.case_ids)
        self.client.get(f"/review/cases/{case_id}", name="reviewer: case page")


class Approver(HttpUser):
    """An approver deciding the cases recommended to them, one after another."""

    wait_time = between(3, 6)
    fixed_count = COUNTS.get("approver", 1)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {_token(self.client, PLAN['approver'])}"

    @task
    def decide(self):
        if not _cases:
            return
        case_id = _cases.pop()
        case = self.client.get(f"/api/v1/applications/{case_id}", name="approver: read case")
        self.client.post(
            f"/api/v1/applications/{case_id}/transitions/approve",
            json={"comment": "Approved as recommended (load test)."},
            headers={"If-Match": case.headers.get("ETag", "*")},
            name="approver: approve",
        )


class Public(HttpUser):
    """Anyone reading the register and checking it against the log."""

    wait_time = between(1, 3)
    fixed_count = COUNTS.get("public", 1)

    @task(3)
    def register(self):
        self.client.get("/register", name="public: register")

    @task(2)
    def search(self):
        term = random.choice(PLAN["search_terms"])
        self.client.get("/register", params={"q": term}, name="public: register search")

    @task(1)
    def register_json(self):
        self.client.get("/api/v1/register", name="public: register JSON")

    @task(2)
    def inclusion_proof(self):
        checkpoint = self.client.get("/api/v1/log/checkpoint", name="public: checkpoint")
        size = int(checkpoint.text.splitlines()[1])
        leaf = random.choice(PLAN["leaves"][: max(1, size)])
        self.client.get(
            "/api/v1/log/proof/inclusion",
            params={"leaf": leaf, "size": size},
            name="public: inclusion proof",
        )


with open(PLAN["pdf"], "rb") as _pdf:
    PLAN_PDF = _pdf.read()


@events.test_stop.add_listener
def _write_acknowledged(environment, **_):
    with open(os.environ["LOAD_ACKS"], "w") as out:
        json.dump({str(k): v for k, v in _acknowledged.items()}, out)
