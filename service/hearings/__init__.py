"""Prior notice and a hearing before an adverse decision (docs/domain.md section 4, hearing):
the regulator's notice of intended action, the issuer's comments, and what the decision
cites of them."""
