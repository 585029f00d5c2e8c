import { AsyncLocalStorage } from 'node:async_hooks';

// The acting user and request id, available to the ledger without threading them through calls.
export interface Actor {
  id: string;
  name: string;
  role: string;
}
export interface RequestContext {
  requestId: string;
  actor?: Actor;
  locale: Locale;
  /**
   * Within one command and the commands it starts (records/command.ts): whose credentials have
   * already passed. Shared by reference with nested commands only, never across requests.
   */
  signing?: {
    verified: string | null;
    /** the verified signer's account as the credential check read it (the signature names them from it) */
    account?: { _id: string; fullName: string; username: string };
  };
}
export type Locale = 'zh-CN' | 'en-US';

export const requestContext = new AsyncLocalStorage<RequestContext>();

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Provenant', role: 'system' };

export function currentActor(): Actor {
  return requestContext.getStore()?.actor ?? SYSTEM_ACTOR;
}
export function currentLocale(): Locale {
  return requestContext.getStore()?.locale ?? 'en-US';
}
