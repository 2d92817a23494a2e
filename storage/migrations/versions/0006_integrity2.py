"""integrity 2: the reuse check's fine fingerprint of each evidence photo

Revision ID: 0006_integrity2
Revises: 0004_order_and_steps
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_integrity2'
down_revision = '0004_order_and_steps'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fingerprint', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('fingerprint')
