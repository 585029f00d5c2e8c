import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { errors } from '../../platform/errors.ts';
import { optional, RecordVersion } from '../../platform/fields.ts';
import { Credentials, Id } from '../../platform/schemas.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { hasPermission } from '../../identity/roles.ts';
import { getDocument } from '../documents/queries.ts';
import { presentTraining, presentTrainingStatus } from './presenter.ts';
import { trainingLifecycle } from './training.lifecycle.ts';
import { trainingRecord } from './training.record.ts';
import { setContentOpener } from '../documents/trainingAssignment.ts';
import { MatrixQuery, trainingMatrix } from './matrix.ts';
import { BulkAssignBody, bulkAssignTraining } from './bulkAssign.ts';
import {
  recordDocumentOpened,
  signTraining,
  effectiveRevisions,
  getTraining,
  listTrainings,
  trainingsOfDocument,
} from './trainingService.ts';

const TrainingQuery = z.object({ user: optional(Id), document: optional(Id) });
const CompleteBody = z.object({ ...Credentials, version: optional(RecordVersion) });

export function trainingRoutes(s: Services) {
  setContentOpener(recordDocumentOpened); // the trainee's view of the file, before "read and understood"
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/training-matrix', // not /training/matrix: a fixed segment there would shadow /training/{id}
      tag: 'training',
      summary: 'Training matrix: people × documents with status current / due / overdue / superseded (matrix.ts)',
      access: 'training.read_all',
      query: MatrixQuery,
    },
    async ({ query }) => trainingMatrix(s, query),
  );
  route(
    r,
    {
      method: 'get',
      path: '/training',
      tag: 'training',
      summary: "Training records (own, or anyone's with training.read_all)",
      access: 'authenticated',
      query: TrainingQuery,
    },
    async ({ query, user }) => {
      const list = await listTrainings(s, user, query);
      const effective = await effectiveRevisions(s, list);
      return Promise.all(list.map((t) => presentTraining(s, t, user, effective.get(t.documentId))));
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/training/:id',
      tag: 'training',
      summary: "A training record (own, or anyone's with training.read_all)",
      access: 'authenticated',
      params: IdParams,
    },
    async ({ params, user }) => {
      const t = await getTraining(s, params.id);
      if (!trainingRecord.canRead!(user, t)) throw errors.notFound('training');
      return presentTraining(s, t, user, (await effectiveRevisions(s, [t])).get(t.documentId));
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/training/:id/complete',
      tag: 'training',
      summary: 'Complete a training: e-signature "read and understood"',
      access: 'authenticated',
      params: IdParams,
      body: CompleteBody,
    },
    async ({ params, body, user }) => {
      const t = await signTraining(s, user, params.id, body);
      return presentTraining(s, t, user, (await effectiveRevisions(s, [t])).get(t.documentId));
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/documents/:id/training',
      tag: 'documents',
      summary: 'Training status of a document',
      access: 'documents.read',
      params: IdParams,
    },
    async ({ params, user }) => {
      const d = await getDocument(s, params.id);
      const seeAll = d.owner.id === user.id || hasPermission(user, 'training.read_all');
      return (await trainingsOfDocument(s, d._id))
        .filter((t) => seeAll || t.userId === user.id)
        .map(presentTrainingStatus);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/documents/:id/training',
      tag: 'documents',
      summary:
        "Assign the document's effective revision to many people at once (≤ 200; all or nothing; already assigned: skipped)",
      access: 'documents.read',
      params: IdParams,
      body: BulkAssignBody,
      errors: [422], // TRAINEES_NOT_ACTIVE: someone named is unknown or not active (nobody is assigned)
    },
    async ({ params, body, user }) => bulkAssignTraining(s, user, params.id, body.userIds),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/training',
      tag: 'training',
      summary: 'The training lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(trainingLifecycle),
  );
  return r;
}
