"""initial tables

Revision ID: 0001
Revises:
Create Date: 2026-11-26 17:38:23.041901
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=1000), nullable=True),
    sa.Column('child_id', sa.String(length=200), nullable=True),
    sa.Column('child_name', sa.String(length=200), nullable=True),
    sa.Column('doc_type', sa.String(length=40), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('worker', sa.String(length=200), nullable=True),
    sa.Column('team', sa.String(length=200), nullable=True),
    sa.Column('supervisor', sa.String(length=200), nullable=True),
    sa.Column('submitted_by', sa.String(length=200), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_id', 'content_hash', name='uq_records_record_hash'),
    sa.UniqueConstraint('record_id', 'version', name='uq_records_record_version')
    )
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_records_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_submitted_by'), ['submitted_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_team'), ['team'], unique=False)
        batch_op.create_index(batch_op.f('ix_records_worker'), ['worker'], unique=False)

    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rubric_version', sa.String(length=100), nullable=False),
    sa.Column('model_version', sa.String(length=200), nullable=False),
    sa.Column('caseqa_version', sa.String(length=50), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('team', sa.String(length=200), nullable=True),
    sa.Column('key_hash', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=1000), nullable=False),
    sa.Column('record_id', sa.String(length=300), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failures_run_id'), ['run_id'], unique=False)

    op.create_table('results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_pk', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.String(length=300), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('rubric_version', sa.String(length=100), nullable=False),
    sa.Column('model_version', sa.String(length=200), nullable=False),
    sa.Column('caseqa_version', sa.String(length=50), nullable=False),
    sa.Column('overall_score', sa.Float(), nullable=False),
    sa.Column('grade', sa.String(length=40), nullable=False),
    sa.Column('actions_count', sa.Integer(), nullable=False),
    sa.Column('actions_not_timebound', sa.Integer(), nullable=False),
    sa.Column('findings_count', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['record_pk'], ['records.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_id', 'content_hash', 'rubric_version', name='uq_results_record_hash_rubric')
    )
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_grade'), ['grade'], unique=False)
        batch_op.create_index('ix_results_hash_rubric', ['content_hash', 'rubric_version'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_record_pk'), ['record_pk'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_scored_at'), ['scored_at'], unique=False)

    op.create_table('actions',
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=300), nullable=True),
    sa.Column('deadline', sa.String(length=10), nullable=True),
    sa.Column('deadline_text', sa.String(length=300), nullable=True),
    sa.Column('timebound', sa.Boolean(), nullable=False),
    sa.Column('problems', sa.String(length=300), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('result_id', 'position')
    )
    op.create_table('dimension_scores',
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=60), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('result_id', 'dimension')
    )
    op.create_table('findings',
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=60), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('result_id', 'position')
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_code'), ['code'], unique=False)

    op.create_table('run_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'result_id', name='uq_run_items_run_result')
    )
    with op.batch_alter_table('run_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_run_items_run_id'), ['run_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('run_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_run_items_run_id'))

    op.drop_table('run_items')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_code'))

    op.drop_table('findings')
    op.drop_table('dimension_scores')
    op.drop_table('actions')
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_results_scored_at'))
        batch_op.drop_index(batch_op.f('ix_results_run_id'))
        batch_op.drop_index(batch_op.f('ix_results_record_pk'))
        batch_op.drop_index('ix_results_hash_rubric')
        batch_op.drop_index(batch_op.f('ix_results_grade'))

    op.drop_table('results')
    with op.batch_alter_table('failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failures_run_id'))

    op.drop_table('failures')
    op.drop_table('users')
    op.drop_table('runs')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_records_worker'))
        batch_op.drop_index(batch_op.f('ix_records_team'))
        batch_op.drop_index(batch_op.f('ix_records_submitted_by'))
        batch_op.drop_index(batch_op.f('ix_records_record_id'))
        batch_op.drop_index(batch_op.f('ix_records_date'))
        batch_op.drop_index(batch_op.f('ix_records_content_hash'))
        batch_op.drop_index(batch_op.f('ix_records_child_id'))

    op.drop_table('records')
