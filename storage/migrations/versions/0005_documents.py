"""documents: report texts a clerk replaced, captions of a typical case's 执法文书

Revision ID: 0005_documents
Revises: 0004_order_and_steps
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_documents'
down_revision = '0004_order_and_steps'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.String(length=64), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_report_texts_bureau_id_bureaus')),
    sa.ForeignKeyConstraint(['updated_by'], ['members.id'], name=op.f('fk_report_texts_updated_by_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_texts')),
    sa.UniqueConstraint('campaign_id', 'bureau_id', 'key', name=op.f('uq_report_texts_campaign_id_bureau_id_key'))
    )
    op.create_table('case_file_captions',
    sa.Column('case_file_id', sa.Integer(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_file_id'], ['case_files.id'], name=op.f('fk_case_file_captions_case_file_id_case_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_file_id', name=op.f('pk_case_file_captions'))
    )


def downgrade() -> None:
    op.drop_table('case_file_captions')
    op.drop_table('report_texts')
