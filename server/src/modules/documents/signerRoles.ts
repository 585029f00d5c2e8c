import type { AppError } from '../../platform/errors.ts';
import { RevisionErrors } from '../../records/revisionErrors.ts';
import { asBadInput } from './errors.ts';
import { ConfigError } from '../../platform/config.ts';
import { ROLES, ROLE_IDS } from '../../identity/roles.ts';
import { DOCUMENT_TYPES, type DocumentType } from './documentTypes.ts';

// Who may review and who may approve each document type. ISO 13485:2016 4.2.4 a) and QMSR
// (21 CFR 820.10): documents are reviewed and approved for adequacy before issue, by people the
// quality system designates; naming someone on a document does not make them one. QA approves
// every type unless configured otherwise.
//
// DOCUMENT_APPROVER_ROLES / DOCUMENT_REVIEWER_ROLES: roles for every type ("qa_manager,qa_engineer"),
// or per type, with "*" for the rest ("drawing=qa_manager,production_supervisor;*=qa_manager").
export type SignerKind = 'reviewer' | 'approver';
const DEFAULTS: Record<SignerKind, string[]> = {
  approver: ['qa_manager', 'qa_engineer'],
  reviewer: ['reviewer', 'qa_manager', 'qa_engineer'],
};
// built on first use (document.record imports this module through the lifecycle)
let allowed: Record<SignerKind, Map<DocumentType, string[]>> | null = null;

function byType(roles: string[], over: Map<string, string[]> = new Map()): Map<DocumentType, string[]> {
  return new Map(DOCUMENT_TYPES.map((t) => [t, over.get(t) ?? over.get('*') ?? roles]));
}

function parse(name: string, value: string | undefined, fallback: string[]): Map<DocumentType, string[]> {
  if (!value) return byType(fallback);
  const roles = (list: string) => {
    const r = list
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const unknown = r.filter((x) => !ROLE_IDS.includes(x));
    if (!r.length || unknown.length)
      throw new ConfigError(
        `Invalid configuration:\n  ${name}: unknown or missing roles "${list}" (roles: ${ROLE_IDS.join(', ')})`,
      );
    return r;
  };
  if (!value.includes('=')) return byType(roles(value));
  const over = new Map<string, string[]>();
  for (const part of value
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const [type, list = ''] = part.split('=');
    if (type !== '*' && !(DOCUMENT_TYPES as readonly string[]).includes(type.trim())) {
      throw new ConfigError(
        `Invalid configuration:\n  ${name}: unknown document type "${type}" (types: ${DOCUMENT_TYPES.join(', ')})`,
      );
    }
    over.set(type.trim(), roles(list));
  }
  return byType(fallback, over);
}

/** Applies the configuration (at boot); a bad value stops the start with a clear message. */
export function configureDocumentSigners(c: { DOCUMENT_APPROVER_ROLES?: string; DOCUMENT_REVIEWER_ROLES?: string }) {
  allowed = {
    approver: parse('DOCUMENT_APPROVER_ROLES', c.DOCUMENT_APPROVER_ROLES, DEFAULTS.approver),
    reviewer: parse('DOCUMENT_REVIEWER_ROLES', c.DOCUMENT_REVIEWER_ROLES, DEFAULTS.reviewer),
  };
}

export function signerRoles(kind: SignerKind, type: DocumentType): string[] {
  allowed ??= { approver: byType(DEFAULTS.approver), reviewer: byType(DEFAULTS.reviewer) };
  return allowed[kind].get(type) ?? DEFAULTS[kind];
}
export const maySignAs = (kind: SignerKind, type: DocumentType, user: { roles: string[] }) =>
  user.roles.some((r) => signerRoles(kind, type).includes(r));

/** The refusal naming the person, the type and the roles that may review/approve it (403 at signing, 400 on a request body). */
export function signerRoleRefusal(
  kind: SignerKind,
  type: DocumentType,
  who: string,
  status = 403,
  details?: unknown,
): AppError {
  const names = signerRoles(kind, type).map((r) => ROLES.find((x) => x.id === r)!.name);
  const roles = { en: names.map((n) => n['en-US']).join(' or '), zh: names.map((n) => n['zh-CN']).join('、') };
  const e = RevisionErrors.SIGNER_ROLE_NOT_ALLOWED({ record: 'document', kind, named: { who, type, roles } }, details);
  return status === 400 ? asBadInput(e, details) : e;
}
