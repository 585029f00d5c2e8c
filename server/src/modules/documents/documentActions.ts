import type { Services } from '../../platform/services.ts';
import { AppError, domainError, errors } from '../../platform/errors.ts';
import { beginTransition } from '../../records/transition.ts';
import { streamOf } from '../../records/registry.ts';
import { assertTransition } from '../../records/lifecycle.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { documentLifecycle } from './document.lifecycle.ts';
import { latest, nextLetter, todayUtc, type StoredFile } from './document.record.ts';
import { getDocument } from './queries.ts';
import { putBlob } from './contentStore.ts';
import { assignPendingTraining } from './effectiveScheduler.ts';
import type { ActionInput } from './schema.ts';
import type { Upload } from './upload.ts';

export interface ActionOptions {
  /** Seed only: history may carry effective dates in the past. Never reachable from the API. */
  historical?: boolean;
}

/**
 * documentTransitioner: every lifecycle action on a document. The lifecycle is asserted before
 * anything is written or any password is checked; signing actions then go through signRecord,
 * which re-authenticates, re-checks the policy against the head and appends the signature plus
 * whatever it completes (the last review, approval, effectiveness…).
 */
export async function performAction(s: Services, user: SessionUser, id: string, action: string, input: ActionInput, opts: ActionOptions = {}) {
  const d = await getDocument(s, id);
  const stream = streamOf('document', id);
  const actor = actorOf(user);
  if (!(await beginTransition(s, documentLifecycle, d, user, stream, action, input))) {
    await assignPendingTraining(s, id);
    return getDocument(s, id);
  }
  const w = latest(d);
  switch (action) {
    case 'submit': {
      const effectiveDate = input.effectiveDate ?? null;
      if (effectiveDate && effectiveDate < todayUtc() && !opts.historical) throw errors.validation('body.effectiveDate', 'the effective date cannot be in the past');
      await s.ledger.append(stream, 'document.submitted', { revision: w.revision, effectiveDate, ...(opts.historical ? { historical: true } : {}) }, { expectedVersion: d.ledgerVersion, actor });
      break;
    }
    case 'new_revision': {
      if (w.revision === 'Z') throw domainError('REVISION_LIMIT', 'No revision letters are left after Z.', '修订版本字母已用完(Z 之后)。');
      await s.ledger.append(stream, 'document.revisionStarted', { revision: nextLetter(w.revision), author: { id: user.id, name: user.fullName } }, { expectedVersion: d.ledgerVersion, actor });
      break;
    }
    case 'upload': throw errors.badRequest('Upload the file with POST /api/v1/documents/:id/content.', '请用 POST /api/v1/documents/:id/content 上传文件。');
    default: throw new AppError('ILLEGAL_TRANSITION', { action, state: d.state });
  }
  return getDocument(s, id);
}

/** contentUploader: stores the bytes (content-addressed, once) and records them on the draft revision. */
export async function uploadContent(s: Services, user: SessionUser, id: string, upload: Upload) {
  const d = await getDocument(s, id);
  assertTransition(documentLifecycle, 'upload', d, user);
  const sha256 = await putBlob(s, upload.bytes);
  const file: StoredFile = { sha256, name: upload.name, size: upload.bytes.length, mime: upload.mime };
  await s.ledger.append(streamOf('document', id), 'document.contentUploaded', { revision: latest(d).revision, file }, { expectedVersion: d.ledgerVersion, actor: actorOf(user) });
  return getDocument(s, id);
}
