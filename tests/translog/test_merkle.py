"""translog.merkle against pymerkle 7.0.0, the RFC 9162 recursion written out, and RFC 6962's
published test tree."""

import hashlib
import random

import pytest

from tests.translog.reference import (
    pymerkle_inclusion,
    pymerkle_tree,
    rfc_consistency,
    rfc_mth,
)
from translog import merkle

# The eight leaves of the Certificate Transparency reference tests (RFC 6962 hashing is
# RFC 9162's) and the root they give.
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
CT_ROOT_8 = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


def _store(leaves: list[bytes]) -> dict:
    """Nodes as the database keeps them, built by appending in uneven batches."""
    nodes: dict = {}
    size = 0
    rng = random.Random(len(leaves))
    while size < len(leaves):
        batch = leaves[size : size + rng.randint(1, 5)]
        frontier = [nodes[node] for node in merkle.perfect_pieces(0, size)]
        for level, index, digest in merkle.appended(
            size, frontier, [merkle.leaf_hash(b) for b in batch]
        ).nodes:
            nodes[(level, index)] = digest
        size += len(batch)
    return nodes


def test_an_append_gives_the_grown_trees_frontier_as_its_nodes_hold_it():
    """The frontier an append hands on (what the log's head keeps) is the hash of each of
    the grown tree's perfect pieces, whatever sizes the appends come in."""
    leaves = [bytes([n]) * (n % 7 + 1) for n in range(70)]
    nodes: dict = {}
    frontier: list[bytes] = []
    size = 0
    for batch_size in (1, 1, 2, 5, 3, 8, 16, 1, 33):
        batch = leaves[size : size + batch_size]
        grown = merkle.appended(size, frontier, [merkle.leaf_hash(b) for b in batch])
        nodes.update({(level, index): digest for level, index, digest in grown.nodes})
        size += len(batch)
        frontier = grown.frontier
        assert frontier == [nodes[node] for node in merkle.perfect_pieces(0, size)]
    assert size == len(leaves)
    assert merkle.fold(frontier) == merkle.root_hash(size, _fetch(nodes))


def _fetch(nodes):
    return lambda wanted: {node: nodes[node] for node in wanted if node in nodes}


def test_the_ct_reference_tree_has_its_published_root():
    nodes = _store(CT_LEAVES)
    assert merkle.root_hash(8, _fetch(nodes)).hex() == CT_ROOT_8
    assert merkle.root_hash(0, _fetch(nodes)) == hashlib.sha256(b"").digest()


def test_roots_and_proofs_match_pymerkle_at_every_size():
    leaves = [f"leaf {i}".encode() for i in range(70)]
    nodes, reference = _store(leaves), pymerkle_tree(leaves)
    fetch = _fetch(nodes)
    for size in range(1, len(leaves) + 1):
        root = merkle.root_hash(size, fetch)
        assert root == reference.get_root(size) == rfc_mth(leaves[:size])
        assert merkle.root_of([merkle.leaf_hash(b) for b in leaves[:size]]) == root
        for index in range(size):
            proof = merkle.inclusion_proof(index, size, fetch)
            assert proof == pymerkle_inclusion(reference, index, size)
            merkle.verify_inclusion(index, size, merkle.leaf_hash(leaves[index]), proof, root)
        for first in range(1, size + 1):
            proof = merkle.consistency_proof(first, size, fetch)
            if first < size:
                assert proof == rfc_consistency(first, leaves[:size])
            merkle.verify_consistency(first, size, reference.get_root(first), root, proof)


def test_roots_at_several_sizes_in_one_pass():
    hashes = [merkle.leaf_hash(bytes([i])) for i in range(33)]
    reference = pymerkle_tree([bytes([i]) for i in range(33)])
    roots = merkle.roots_at(hashes, [0, 1, 5, 16, 33])
    assert roots[0] == merkle.EMPTY_ROOT
    for size in (1, 5, 16, 33):
        assert roots[size] == reference.get_root(size)


def test_a_proof_for_a_changed_leaf_another_size_or_a_wrong_root_is_refused():
    leaves = [f"record {i}".encode() for i in range(13)]
    nodes = _store(leaves)
    fetch = _fetch(nodes)
    root, proof = merkle.root_hash(13, fetch), merkle.inclusion_proof(6, 13, fetch)
    with pytest.raises(merkle.ProofError, match="does not lead to the root"):
        merkle.verify_inclusion(6, 13, merkle.leaf_hash(b"record 6 changed"), proof, root)
    with pytest.raises(merkle.ProofError, match="leaf 7"):
        merkle.verify_inclusion(7, 13, merkle.leaf_hash(leaves[6]), proof, root)
    with pytest.raises(merkle.ProofError):
        root_12 = merkle.root_hash(12, fetch)
        merkle.verify_inclusion(6, 12, merkle.leaf_hash(leaves[6]), proof, root_12)
    with pytest.raises(merkle.ProofError, match="too short"):
        merkle.verify_inclusion(6, 13, merkle.leaf_hash(leaves[6]), proof[:-1], root)
    with pytest.raises(merkle.ProofError, match="not below"):
        merkle.verify_inclusion(13, 13, merkle.leaf_hash(leaves[6]), proof, root)


def test_an_inconsistent_pair_of_trees_is_refused():
    leaves = [f"record {i}".encode() for i in range(11)]
    rewritten = leaves[:3] + [b"record 3 rewritten"] + leaves[4:]
    honest, forged = _fetch(_store(leaves)), _fetch(_store(rewritten))
    old_root = merkle.root_hash(6, honest)
    proof = merkle.consistency_proof(6, 11, forged)
    with pytest.raises(merkle.ProofError, match="root of size 6"):
        merkle.verify_consistency(6, 11, old_root, merkle.root_hash(11, forged), proof)
    with pytest.raises(merkle.ProofError, match="cannot extend"):
        merkle.verify_consistency(11, 6, old_root, old_root, [])
    with pytest.raises(merkle.ProofError, match="different roots"):
        merkle.verify_consistency(6, 6, old_root, merkle.root_hash(6, forged), [])
