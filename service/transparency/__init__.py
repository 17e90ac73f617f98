"""The registry's side of the transparency log (docs/transparency.md): leaves appended in
the transaction that makes each record, signed checkpoints, proofs, receipts. The
verifiable part, usable without the service, is the `translog` package."""
