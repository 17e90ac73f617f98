"""The registry's transparency log, as anyone can check it: RFC 9162 Merkle tree hashing
and proofs, C2SP signed notes and checkpoints, receipts, and the offline verifier
(`python -m translog.verify`). Standard library and `cryptography` only: no Flask, no
database. docs/transparency.md explains what it proves."""
