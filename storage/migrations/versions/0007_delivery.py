"""delivery: claims that expire, retries at a time the platform allows, kinds of outgoing messages

Revision ID: 0007_delivery
Revises: 0004_order_and_steps
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_delivery'
down_revision = '0004_order_and_steps'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default=''))
    op.create_index('ix_outbox_chat', 'outbox', ['channel', 'chat_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_outbox_chat', table_name='outbox')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('kind')
        batch.drop_column('next_attempt_at')
        batch.drop_column('claimed_at')
