"""Webhooks: an issuer's system told of the events that concern it, as signed JSON POSTs
(Standard Webhooks). Deliveries are written in the event's unit of work and sent after the
commit through the job seam; docs/api.md "Webhooks", docs/security.md for the SSRF guard."""
