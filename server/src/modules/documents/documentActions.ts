import type { Services } from '../../platform/services.ts';
import { streamOf } from '../../records/registry.ts';
import { runCommand } from '../../records/command.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { getDocument } from './queries.ts';
import type { ActionInput } from './schema.ts';
import type { Upload } from './upload.ts';

export interface ActionOptions {
  /** Seed only: history may carry effective dates in the past. Never reachable from the API. */
  historical?: boolean;
}

/** documentTransitioner: every lifecycle action on a document, through the one command path (document.lifecycle.ts declares them). */
export async function performAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: string,
  input: ActionInput,
  opts: ActionOptions = {},
) {
  await getDocument(s, id); // an unknown document is a 404 (and a due effective date is applied) before anything else
  await runCommand(s, user, streamOf('document', id), action, {
    ...input,
    ...(opts.historical ? { historical: true } : {}),
  });
  return getDocument(s, id);
}

/** contentUploader: the `upload` action with the file's bytes. */
export async function uploadContent(s: Services, user: SessionUser, id: string, upload: Upload) {
  await getDocument(s, id);
  await runCommand(s, user, streamOf('document', id), 'upload', { upload });
  return getDocument(s, id);
}
