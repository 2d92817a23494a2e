"""integrity: photo hashes and EXIF on evidence; integrity flags

Revision ID: 0002_integrity
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_integrity'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phash', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('phash_crops', sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column('exif_taken_at', sa.DateTime(timezone=False), nullable=True))
        batch_op.add_column(sa.Column('exif_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('exif_lon', sa.Float(), nullable=True))

    op.create_table('integrity_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('other_inspection_id', sa.Integer(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('other_evidence_id', sa.Integer(), nullable=True),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('other_certificate_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_integrity_flags_bureau_id_bureaus')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_integrity_flags_certificate_id_certificates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_integrity_flags_evidence_id_evidence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_integrity_flags_inspection_id_inspections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_certificate_id'], ['certificates.id'], name=op.f('fk_integrity_flags_other_certificate_id_certificates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['other_evidence_id'], ['evidence.id'], name=op.f('fk_integrity_flags_other_evidence_id_evidence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['other_inspection_id'], ['inspections.id'], name=op.f('fk_integrity_flags_other_inspection_id_inspections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_flags'))
    )
    with op.batch_alter_table('integrity_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_flags_bureau_id'), ['bureau_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_flags_inspection_id'), ['inspection_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('integrity_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_flags_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_integrity_flags_bureau_id'))

    op.drop_table('integrity_flags')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('exif_lon')
        batch_op.drop_column('exif_lat')
        batch_op.drop_column('exif_taken_at')
        batch_op.drop_column('phash_crops')
        batch_op.drop_column('phash')
