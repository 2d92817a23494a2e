"""the order users sent their messages in; the steps before the checklist that were answered

Revision ID: 0004_order_and_steps
Revises: 0002_integrity, 0003_enforcement
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_order_and_steps'
down_revision = ('0002_integrity', '0003_enforcement')
branch_labels = None
depends_on = None

HEADER_STEPS = '["co_inspectors", "date", "location"]'


def upgrade() -> None:
    with op.batch_alter_table('inbox') as batch:
        batch.add_column(sa.Column('sent_order', sa.String(length=40), nullable=False, server_default=''))
    op.create_index('ix_inbox_user_order', 'inbox', ['user_key', 'sent_order'])
    with op.batch_alter_table('inspections') as batch:
        batch.add_column(sa.Column('steps_done', sa.JSON(), nullable=True))
    # Inspections begun before this release went through those steps already.
    op.execute(f"UPDATE inspections SET steps_done = '{HEADER_STEPS}'")
    with op.batch_alter_table('inspections') as batch:
        batch.alter_column('steps_done', existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('inspections') as batch:
        batch.drop_column('steps_done')
    op.drop_index('ix_inbox_user_order', table_name='inbox')
    with op.batch_alter_table('inbox') as batch:
        batch.drop_column('sent_order')
