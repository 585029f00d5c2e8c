import Router from '@koa/router';
import { contentOpened } from './trainingAssignment.ts';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { errors } from '../../platform/errors.ts';
import { assertTransition, describeLifecycle } from '../../records/lifecycle.ts';
import { documentLifecycle } from './document.lifecycle.ts';
import { revisionOf } from './document.record.ts';
import { createDocument } from './createDocument.ts';
import { performAction, uploadContent } from './documentActions.ts';
import { getDocument, listDocuments } from './queries.ts';
import { getBlob } from './contentStore.ts';
import { readUpload } from './upload.ts';
import { listSchemes, setPattern } from './numbering.ts';
import { DEPARTMENTS } from './departments.ts';
import { signerRoles } from './signerRoles.ts';
import { DOCUMENT_TYPES } from './documentTypes.ts';
import { startEffectiveScheduler } from './effectiveScheduler.ts';
import { presentDetail, presentSummary } from './presenter.ts';
import {
  ActionBody,
  ActionParams,
  CreateDocumentBody,
  DocumentDetailView,
  DocumentSummaryView,
  ListQuery,
  RevisionParams,
  SchemeBody,
  SchemeParams,
} from './schema.ts';

export function documentRoutes(s: Services) {
  startEffectiveScheduler(s);
  const r = new Router({ prefix: '/api/v1' });

  route(
    r,
    {
      method: 'get',
      path: '/documents',
      tag: 'documents',
      summary: 'List controlled documents',
      access: 'documents.read',
      query: ListQuery,
      response: z.object({ items: z.array(DocumentSummaryView), total: z.number() }),
    },
    async ({ query }) => {
      const { items, total } = await listDocuments(s, query);
      return { items: items.map(presentSummary), total };
    },
  );

  route(
    r,
    {
      method: 'post',
      path: '/documents',
      tag: 'documents',
      summary: 'Create a controlled document',
      access: 'documents.create',
      status: 201,
      body: CreateDocumentBody,
      response: DocumentDetailView,
    },
    async ({ body, user }, ctx) => {
      const id = await createDocument(s, user, body);
      ctx.status = 201;
      return presentDetail(await getDocument(s, id), user, s);
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/documents/:id',
      tag: 'documents',
      summary: 'Get a controlled document',
      access: 'documents.read',
      params: IdParams,
      response: DocumentDetailView,
    },
    async ({ params, user }) => presentDetail(await getDocument(s, params.id), user, s),
  );

  route(
    r,
    {
      method: 'post',
      path: '/documents/:id/content',
      tag: 'documents',
      summary: "Upload the draft revision's content (multipart field `file`)",
      access: 'documents.read',
      params: IdParams,
      response: DocumentDetailView,
      upload: true,
    },
    async ({ params, user }, ctx) => {
      // 404 and the right to upload (author, draft) before a byte of the body is read
      assertTransition(documentLifecycle, 'upload', await getDocument(s, params.id), user);
      const upload = await readUpload(ctx);
      return presentDetail(await uploadContent(s, user, params.id, upload), user, s);
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/documents/:id/revisions/:rev/content',
      tag: 'documents',
      summary: "A revision's content file",
      access: 'documents.read',
      params: RevisionParams,
    },
    async ({ params, user }, ctx) => {
      const d = await getDocument(s, params.id);
      const file = revisionOf(d, params.rev)?.file;
      if (!file) throw errors.notFound('content');
      await contentOpened(s, user, d._id, params.rev); // the trainee's view, before "read and understood"
      ctx.set('content-type', file.mime);
      ctx.set('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      ctx.set('x-content-type-options', 'nosniff');
      ctx.set('etag', `"${file.sha256}"`);
      ctx.set('cache-control', 'private, max-age=31536000, immutable'); // content-addressed
      ctx.body = await getBlob(s, file.sha256);
      return undefined;
    },
  );

  route(
    r,
    {
      method: 'post',
      path: '/documents/:id/actions/:action',
      tag: 'documents',
      summary: 'Perform a lifecycle action (signing actions re-authenticate)',
      access: 'documents.read',
      params: ActionParams,
      body: ActionBody,
      response: DocumentDetailView,
    },
    async ({ params, body, user }) =>
      presentDetail(await performAction(s, user, params.id, params.action, body), user, s),
  );

  route(
    r,
    {
      method: 'get',
      path: '/numbering-schemes',
      tag: 'documents',
      summary: 'Document numbering schemes',
      access: 'documents.read',
    },
    async () => listSchemes(s),
  );
  route(
    r,
    {
      method: 'get',
      path: '/document-departments',
      tag: 'documents',
      summary: 'The departments a document may belong to (the {dept} of its number)',
      access: 'documents.read',
    },
    async () => DEPARTMENTS,
  );
  route(
    r,
    {
      method: 'get',
      path: '/document-signer-roles',
      tag: 'documents',
      summary: 'The roles that may review and approve each document type (people pickers offer only them)',
      access: 'documents.read',
    },
    async () => ({
      reviewer: Object.fromEntries(DOCUMENT_TYPES.map((t) => [t, signerRoles('reviewer', t)])),
      approver: Object.fromEntries(DOCUMENT_TYPES.map((t) => [t, signerRoles('approver', t)])),
    }),
  );
  route(
    r,
    {
      method: 'put',
      path: '/numbering-schemes/:type',
      tag: 'documents',
      summary: 'Change a numbering scheme',
      access: 'numbering.manage',
      params: SchemeParams,
      body: SchemeBody,
    },
    async ({ params, body }) => {
      await setPattern(s, params.type, body.pattern);
      return (await listSchemes(s)).find((x) => x.type === params.type);
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/document',
      tag: 'documents',
      summary: 'The controlled-document lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(documentLifecycle),
  );
  return r;
}
