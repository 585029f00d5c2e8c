import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, type TestServer } from '../../../test/harness.ts';
import { ConfigError } from '../../platform/config.ts';
import { act, cast, newDocumentBody, sign, upload, type Cast } from './documents.factory.ts';
import { configureDocumentSigners, maySignAs, signerRoles } from './signerRoles.ts';

// Issue 9, finding 5: naming someone on a document does not let them review or approve it; they
// must hold a role that may, for that document type (QA by default, configurable). Refused when
// the document is created and again when they sign.
let srv: TestServer;
let k: Cast;
const ledgerCount = () => srv.services.ledger.count();

beforeAll(async () => {
  srv = await startTestServer({ seed: true });
  k = await cast(srv.url);
});
afterAll(async () => {
  await srv?.stop();
});

describe('who may review and approve a document', () => {
  it('refuses an operator named as approver or reviewer at creation, in both languages, writing nothing', async () => {
    const before = await ledgerCount();
    const asApprover = await k.author.post(
      '/api/v1/documents',
      newDocumentBody(k.ids, { approvers: [k.ids.operator] }),
    );
    expect(asApprover.status).toBe(400);
    expect(asApprover.body.error).toMatchObject({
      code: 'SIGNER_ROLE_NOT_ALLOWED',
      details: { path: 'body.approvers.0' },
    });
    expect(asApprover.body.error.message).toMatch(/may not approve a document of type sop.*QA manager or QA engineer/);
    k.author.locale = 'zh-CN';
    const asReviewer = await k.author.post(
      '/api/v1/documents',
      newDocumentBody(k.ids, { reviewers: [k.ids.reviewer, k.ids.operator2] }),
    );
    k.author.locale = 'en-US';
    expect(asReviewer.status).toBe(400);
    expect(asReviewer.body.error).toMatchObject({
      code: 'SIGNER_ROLE_NOT_ALLOWED',
      details: { path: 'body.reviewers.1' },
    });
    expect(asReviewer.body.error.message).toMatch(/不能审核/);
    const supervisor = await k.author.post(
      '/api/v1/documents',
      newDocumentBody(k.ids, { approvers: [k.ids['prod.supervisor']] }),
    );
    expect(supervisor.body.error.code).toBe('SIGNER_ROLE_NOT_ALLOWED');
    expect(await ledgerCount()).toBe(before);
  });

  it('refuses at signing a named approver who no longer holds an approving role, writing nothing', async () => {
    const admin = await as(srv.url, 'admin');
    const created = await k.author.post('/api/v1/documents', newDocumentBody(k.ids, { approvers: [k.ids.reviewer2] }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    await upload(k.author, id);
    await act(k.author, id, 'submit');
    await act(k.reviewer, id, 'review', sign);
    expect((await act(k.reviewer2, id, 'review', sign)).body.revisions[0].state).toBe('approval');
    const roles = (await admin.get(`/api/v1/users/${k.ids.reviewer2}`)).body.roles;
    expect((await admin.patch(`/api/v1/users/${k.ids.reviewer2}`, { roles: ['reviewer'] })).status).toBe(200);
    try {
      const d = (await k.reviewer2.get(`/api/v1/documents/${id}`)).body;
      expect(d.actions.map((a: { action: string }) => a.action)).not.toContain('approve');
      const before = await ledgerCount();
      const refused = await k.reviewer2.post(`/api/v1/documents/${id}/actions/approve`, {
        version: d.version,
        ...sign,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('SIGNER_ROLE_NOT_ALLOWED');
      expect(await ledgerCount()).toBe(before);
    } finally {
      expect((await admin.patch(`/api/v1/users/${k.ids.reviewer2}`, { roles })).status).toBe(200);
    }
    const ok = await act(k.reviewer2, id, 'approve', sign);
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('effective');
  });

  it('is configurable per document type, and a bad configuration is refused', () => {
    try {
      configureDocumentSigners({ DOCUMENT_APPROVER_ROLES: 'drawing=qa_manager,production_supervisor;*=qa_manager' });
      expect(signerRoles('approver', 'drawing')).toEqual(['qa_manager', 'production_supervisor']);
      expect(signerRoles('approver', 'sop')).toEqual(['qa_manager']);
      expect(maySignAs('approver', 'drawing', { roles: ['production_supervisor'] })).toBe(true);
      expect(maySignAs('approver', 'sop', { roles: ['qa_engineer'] })).toBe(false);
      expect(signerRoles('reviewer', 'sop')).toEqual(['reviewer', 'qa_manager', 'qa_engineer']);
      expect(() => configureDocumentSigners({ DOCUMENT_APPROVER_ROLES: 'qa_boss' })).toThrow(ConfigError);
      expect(() => configureDocumentSigners({ DOCUMENT_REVIEWER_ROLES: 'poem=reviewer' })).toThrow(
        /unknown document type "poem"/,
      );
    } finally {
      configureDocumentSigners({});
    }
    expect(signerRoles('approver', 'sop')).toEqual(['qa_manager', 'qa_engineer']);
  });
});
