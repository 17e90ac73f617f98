"""RFC 9162 section 2.1: Merkle tree hashes, inclusion and consistency proofs.

A tree of `size` leaves is stored as its perfect subtrees: node (level, index) is the hash
of leaves [index * 2**level, (index + 1) * 2**level). Every hash a proof or a root needs
is one of those nodes or a fold of a few of them, so a store that keeps them answers any
proof in O(log n) nodes (O(log² n) at worst) and appends in O(log n).
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

Node = tuple[int, int]  # (level, index)
# Given the nodes wanted, their hashes (a store answers them all in one go).
NodeFetcher = Callable[[list[Node]], dict[Node, bytes]]

EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = HASH()


class ProofError(ValueError):
    """A proof that does not verify, or cannot exist; the message says what failed."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(width: int) -> int:
    """The largest power of two smaller than `width` (width > 1)."""
    return 1 << ((width - 1).bit_length() - 1)


def perfect_pieces(start: int, end: int) -> list[Node]:
    """The perfect subtrees that make up leaves [start, end), left to right. For the ranges
    RFC 9162 recursion produces they are of decreasing size, and the range's hash is their
    fold from the right."""
    pieces = []
    while start < end:
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length() - 1
        while start + (1 << level) > end:
            level -= 1
        pieces.append((level, start >> level))
        start += 1 << level
    return pieces


def fold(hashes: Sequence[bytes]) -> bytes:
    """The hash of a range from its perfect pieces, left to right."""
    result = hashes[-1]
    for piece in reversed(hashes[:-1]):
        result = node_hash(piece, result)
    return result


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """PATH(index, D[size]) as leaf ranges, in the RFC's order (from the leaf up)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    ranges: list[tuple[int, int]] = []
    low, high = 0, size
    while high - low > 1:
        k = _split(high - low)
        if index < low + k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            low += k
    return ranges[::-1]


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """PROOF(first, D[second]) as leaf ranges, in the RFC's order (SUBPROOF, section 2.1.4.1)."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    ranges: list[tuple[int, int]] = []
    low, high, m, whole = 0, second, first, True
    while m != high - low:
        k = _split(high - low)
        if m <= k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            low, m, whole = low + k, m - k, False
    if not whole:
        ranges.append((low, high))
    return ranges[::-1]


def _hashes_of(ranges: list[tuple[int, int]], fetch: NodeFetcher) -> list[bytes]:
    pieces = {r: perfect_pieces(*r) for r in ranges}
    found = fetch(sorted({node for nodes in pieces.values() for node in nodes}))
    missing = [node for nodes in pieces.values() for node in nodes if node not in found]
    if missing:
        raise ProofError(f"the store lacks tree nodes {missing[:3]}")
    return [fold([found[node] for node in pieces[r]]) for r in ranges]


def root_hash(size: int, fetch: NodeFetcher) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    return _hashes_of([(0, size)], fetch)[0]


def inclusion_proof(index: int, size: int, fetch: NodeFetcher) -> list[bytes]:
    return _hashes_of(inclusion_ranges(index, size), fetch)


def consistency_proof(first: int, second: int, fetch: NodeFetcher) -> list[bytes]:
    return _hashes_of(consistency_ranges(first, second), fetch)


class Appended(NamedTuple):
    nodes: list[tuple[int, int, bytes]]  # (level, index, hash) of each node created
    frontier: list[bytes]  # the hash of each of the grown tree's perfect pieces


def appended(size: int, frontier: Sequence[bytes], leaf_hashes: Iterable[bytes]) -> Appended:
    """What appending these leaves to a tree of `size` creates: its new nodes and the grown
    tree's frontier. `frontier` is the hash of each of `perfect_pieces(0, size)`, left to
    right: the only old nodes an append ever reads."""
    stack = [
        (level, index, digest)
        for (level, index), digest in zip(perfect_pieces(0, size), frontier, strict=True)
    ]
    created = []
    for digest in leaf_hashes:
        level, index = 0, size
        created.append((0, index, digest))
        while index & 1:
            left_level, left_index, left = stack.pop()
            if (left_level, left_index) != (level, index - 1):
                raise ProofError("the frontier given does not belong to a tree of that size")
            digest = node_hash(left, digest)
            level, index = level + 1, index >> 1
            created.append((level, index, digest))
        stack.append((level, index, digest))
        size += 1
    # What is left on the stack are the grown tree's perfect pieces, left to right.
    return Appended(created, [digest for _, _, digest in stack])


def roots_at(leaf_hashes: Iterable[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """The root at each of `sizes`, in one pass over the leaves (memory O(log n))."""
    wanted = sorted(set(sizes))
    roots = {size: EMPTY_ROOT for size in wanted if size == 0}
    stack: list[bytes] = []
    position = 0 if not roots else 1
    for index, digest in enumerate(leaf_hashes):
        count = index + 1
        while index & 1:
            digest = node_hash(stack.pop(), digest)
            index >>= 1
        stack.append(digest)
        while position < len(wanted) and wanted[position] == count:
            roots[count] = fold(stack)
            position += 1
        if position == len(wanted):
            break
    return roots


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    return roots_at(leaf_hashes, [len(leaf_hashes)])[len(leaf_hashes)]


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 section 2.1.3.2; raises ProofError naming what failed."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not below the tree size {size}")
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            raise ProofError(f"the inclusion proof is too long for a tree of {size} leaves")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"the inclusion proof is too short for a tree of {size} leaves")
    if result != root:
        raise ProofError(
            f"the inclusion proof for leaf {index} does not lead to the root of size {size}"
        )


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 section 2.1.4.2; raises ProofError naming what failed."""
    if not 0 <= first <= second:
        raise ProofError(f"a tree of {second} leaves cannot extend one of {first}")
    if first == second or first == 0:
        if proof:
            raise ProofError(f"from size {first} to size {second} the proof must be empty")
        if first == second and first_root != second_root:
            raise ProofError(f"two different roots for the same size {first}")
        return
    if not proof:
        raise ProofError(f"the consistency proof from {first} to {second} is empty")
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for node in path[1:]:
        if sn == 0:
            raise ProofError(f"the consistency proof from {first} to {second} is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(node, fr), node_hash(node, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, node)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"the consistency proof from {first} to {second} is too short")
    if fr != first_root:
        raise ProofError(f"the consistency proof does not lead to the root of size {first}")
    if sr != second_root:
        raise ProofError(f"the consistency proof does not lead to the root of size {second}")
