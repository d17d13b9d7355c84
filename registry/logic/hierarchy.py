"""Maintain the organisation closure table (see registry.models.hierarchy)."""

from __future__ import annotations

from sqlalchemy import delete, insert, literal, select
from sqlalchemy.orm import Session, aliased

from registry.models import Organisation, OrganisationClosure

C = OrganisationClosure


def place(session: Session, org: Organisation) -> None:
    """(Re)link org and its whole subtree below org's current parent. Call after a flush.

    Four statements whatever the size of the subtree: add the self-link if missing, cut
    the links from the subtree to its old ancestors, link it to the new ones.
    """
    if session.get(C, (org.id, org.id)) is None:
        session.add(C(ancestor_id=org.id, descendant_id=org.id, depth=0))
        session.flush()
    subtree = select(C.descendant_id).where(C.ancestor_id == org.id)
    session.execute(
        delete(C).where(
            C.descendant_id.in_(subtree),
            C.ancestor_id.not_in(subtree),
        )
    )
    if org.parent_id is None:
        return
    up, down = aliased(C), aliased(C)
    session.execute(
        insert(C).from_select(
            ["ancestor_id", "descendant_id", "depth"],
            # Every new ancestor of org × every member of org's subtree.
            select(up.ancestor_id, down.descendant_id, up.depth + down.depth + literal(1))
            .select_from(up)
            .join(down, down.ancestor_id == org.id)
            .where(up.descendant_id == org.parent_id),
        )
    )


def rebuild(session: Session) -> None:
    """Recompute the whole table from the parent links (after bulk imports)."""
    session.execute(delete(C))
    tree = select(
        Organisation.id.label("ancestor_id"),
        Organisation.id.label("descendant_id"),
        literal(0).label("depth"),
    ).cte("tree", recursive=True)
    child = aliased(Organisation)
    tree = tree.union_all(
        select(tree.c.ancestor_id, child.id, tree.c.depth + 1).join(
            child, child.parent_id == tree.c.descendant_id
        )
    )
    session.execute(
        insert(C).from_select(
            ["ancestor_id", "descendant_id", "depth"],
            select(tree.c.ancestor_id, tree.c.descendant_id, tree.c.depth),
        )
    )
