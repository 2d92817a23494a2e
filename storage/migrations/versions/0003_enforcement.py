"""enforcement: supervisor reviews, order reminders, follow-up visits

Revision ID: 0003_enforcement
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_enforcement'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inspection_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_inspection_reviews_inspection_id_inspections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['members.id'], name=op.f('fk_inspection_reviews_reviewer_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_reviews')),
    sa.UniqueConstraint('inspection_id', name=op.f('uq_inspection_reviews_inspection_id'))
    )
    op.create_table('order_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_reminders_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_reminders')),
    sa.UniqueConstraint('order_id', 'kind', name=op.f('uq_order_reminders_order_id_kind'))
    )
    op.create_table('followups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('photos', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspector_id'], ['members.id'], name=op.f('fk_followups_inspector_id_members')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_followups_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followups')),
    )
    op.create_index(op.f('ix_followups_order_id'), 'followups', ['order_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_followups_order_id'), table_name='followups')
    op.drop_table('followups')
    op.drop_table('order_reminders')
    op.drop_table('inspection_reviews')
