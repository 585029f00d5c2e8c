// The requirements the validation package traces (issue 14, item 1): each regulation clause →
// the feature that answers it → the automated tests that cover it, by test file (path from the
// repository root) and a pattern matched against the test's full name (describe titles + title).
// A clause with no test here, or whose tests did not pass in the last run, is printed as a GAP.
// Clause texts paraphrase ../shared/REGULATIONS.md (21 CFR Part 11; ISO 13485:2016).

export interface TestRef {
  file: string;
  name: string; // a case-insensitive regular expression over the test's full name
}
export interface Requirement {
  id: string;
  source: '21 CFR Part 11' | 'ISO 13485:2016';
  clause: string;
  text: string;
  feature: string;
  tests: TestRef[];
}

const t = (file: string, name: string): TestRef => ({ file, name });

export const REQUIREMENTS: Requirement[] = [
  {
    id: 'P11-11.10a',
    source: '21 CFR Part 11',
    clause: '11.10(a)',
    text: 'Validated system that can discern invalid or altered records',
    feature: 'Hash-chained, sealed ledger with checkpoints; `ledger verify`; this validation package (IQ file hashes)',
    tests: [
      t('server/src/ledger/ledger.test.ts', 'names an edited event'),
      t('server/src/ledger/tamper.test.ts', 'names every edited, inserted, deleted'),
      t('server/src/validation/validate.test.ts', 'tampered file'),
    ],
  },
  {
    id: 'P11-11.10b',
    source: '21 CFR Part 11',
    clause: '11.10(b)',
    text: 'Accurate and complete copies in human-readable and electronic form',
    feature: 'Sealed PDF/A exports with the ledger head; offline-verifiable ledger bundle',
    tests: [
      t('server/src/pdf/pdf.test.ts', 'is sealed: pdfsig reports the signature valid'),
      t('server/src/exports/exports.test.ts', "exports a record's audit trail"),
      t('server/src/ledger/ledger.test.ts', 'exports a bundle that verifies offline'),
    ],
  },
  {
    id: 'P11-11.10c',
    source: '21 CFR Part 11',
    clause: '11.10(c)',
    text: 'Records protected and retrievable throughout the retention period',
    feature: 'Backup and restore of the whole database; ledger verified after restore',
    tests: [
      t('server/src/backup/backup.test.ts', 'restores into an empty directory'),
      t('server/src/backup/backup.test.ts', 'refuses a flipped byte, a truncated archive'),
    ],
  },
  {
    id: 'P11-11.10d',
    source: '21 CFR Part 11',
    clause: '11.10(d)',
    text: 'System access limited to authorised individuals',
    feature: 'Sign-in, sessions with idle timeout, roles and permissions',
    tests: [
      t('server/src/identity/auth.test.ts', 'refuses a wrong password with 401'),
      t('server/src/identity/auth.test.ts', 'read-only auditors can sign in'),
      t('server/src/modules/documents/documents.test.ts', 'requires a session \\(401\\)'),
    ],
  },
  {
    id: 'P11-11.10e',
    source: '21 CFR Part 11',
    clause: '11.10(e)',
    text: 'Secure, time-stamped audit trail of create/modify/delete that never obscures old values',
    feature: 'Append-only ledger: every change is an event with actor, time and reason; audit-trail export',
    tests: [
      t('server/src/ledger/ledger.test.ts', "serves a record's events with their verification status"),
      t('server/src/exports/exports.test.ts', "exports a record's audit trail"),
      t('server/src/identity/auth.test.ts', 'ends a session after the idle timeout, on the ledger'),
    ],
  },
  {
    id: 'P11-11.10f',
    source: '21 CFR Part 11',
    clause: '11.10(f)',
    text: 'Operational system checks that enforce the permitted sequence of steps',
    feature: 'Lifecycle declarations; stale-version refusal; one signature per step under concurrency',
    tests: [
      t('server/src/modules/documents/documents.commands.test.ts', 'stale'),
      t('server/src/records/concurrentSigning.test.ts', 'each signs once'),
    ],
  },
  {
    id: 'P11-11.10g',
    source: '21 CFR Part 11',
    clause: '11.10(g)',
    text: 'Authority checks: only authorised individuals sign, alter records or operate the system',
    feature: 'Permissions per role; named signers; separation of duties',
    tests: [
      t('server/src/modules/documents/documents.commands.test.ts', 'wrong role'),
      t('signatures/esign/signatures.test.ts', 'refuses the author approving their own version'),
    ],
  },
  {
    id: 'P11-11.10h',
    source: '21 CFR Part 11',
    clause: '11.10(h)',
    text: 'Device (terminal) checks on the validity of the source of input',
    feature: 'CSRF token bound to the browser session; API tokens for integrations',
    tests: [
      t('server/src/identity/auth.test.ts', 'rejects a state-changing request without the CSRF token'),
      t('server/src/identity/auth.test.ts', 'API tokens authenticate integrations'),
    ],
  },
  {
    id: 'P11-11.10i',
    source: '21 CFR Part 11',
    clause: '11.10(i)',
    text: 'Persons who develop, maintain or use the system are trained',
    feature: 'Training records assigned on effective documents, completed by signature',
    tests: [t('server/src/modules/training/training.test.ts', 'completes with the trainee')],
  },
  {
    id: 'P11-11.10j',
    source: '21 CFR Part 11',
    clause: '11.10(j)',
    text: 'Written policy holding individuals accountable for actions under their e-signatures',
    feature: "Procedural: the customer's own SOP (a controlled document); not testable in the product",
    tests: [],
  },
  {
    id: 'P11-11.10k',
    source: '21 CFR Part 11',
    clause: '11.10(k)',
    text: 'Controls over system documentation (distribution, access, revision and change control)',
    feature: 'Controlled documents: review, approval, effective and superseded revisions',
    tests: [
      t('server/src/modules/documents/documents.test.ts', 'is superseded by revision B'),
      t('server/src/modules/documents/documents.commands.test.ts', 'refuses obsoleting without the permission'),
    ],
  },
  {
    id: 'P11-11.50',
    source: '21 CFR Part 11',
    clause: '11.50',
    text: 'Signed records show printed name, date/time and meaning, also on every printout',
    feature: 'Signature manifestation in the record and in every PDF, in both languages',
    tests: [
      t('signatures/esign/signatures.test.ts', 'shows the manifestation'),
      t('signatures/esign/signatures.test.ts', 'renders the manifestation in both languages'),
    ],
  },
  {
    id: 'P11-11.70',
    source: '21 CFR Part 11',
    clause: '11.70',
    text: 'Signatures linked to their records so they cannot be excised, copied or transferred',
    feature: 'A signature binds the record stream, version and content hash; forged copies count for nothing',
    tests: [
      t('signatures/esign/signatures.test.ts', 'cannot be cut and pasted onto another record'),
      t('signatures/esign/forged.test.ts', 'a copied approval does not complete'),
    ],
  },
  {
    id: 'P11-11.100',
    source: '21 CFR Part 11',
    clause: '11.100',
    text: 'Each signature unique to one individual; identity verified (certification to FDA is procedural)',
    feature: 'One account per person, re-authentication at signing; the FDA letter is the customer’s',
    tests: [t('signatures/esign/signatures.test.ts', 're-authenticates, binds the content hash')],
  },
  {
    id: 'P11-11.200',
    source: '21 CFR Part 11',
    clause: '11.200',
    text: 'Two distinct identification components (ID + password); used only by their owner',
    feature: 'Username + password at every signing, TOTP second factor when enrolled',
    tests: [
      t('signatures/esign/signatures.test.ts', 'records nothing but a failed attempt on a wrong password'),
      t('signatures/esign/signatures.test.ts', 'asks for the TOTP code at signing'),
      t('server/src/identity/auth.test.ts', 'TOTP second factor'),
    ],
  },
  {
    id: 'P11-11.300',
    source: '21 CFR Part 11',
    clause: '11.300',
    text: 'Controls for ID codes/passwords: uniqueness, periodic revision, misuse detection, token testing',
    feature: 'Password history and ageing, lockout with administrator alert, one-time TOTP codes',
    tests: [
      t('server/src/identity/auth.test.ts', 'refuses short passwords and the last five'),
      t('server/src/identity/auth.test.ts', 'forces a change when the password has aged'),
      t('server/src/identity/auth.test.ts', 'locks after 5 consecutive failures'),
      t('server/src/identity/totp.test.ts', 'a code is accepted once'),
    ],
  },
  {
    id: 'ISO-4.1.6',
    source: 'ISO 13485:2016',
    clause: '4.1.6',
    text: 'Validate the computer software used in the quality management system',
    feature: 'This validation package: IQ, traceability matrix (OQ run not yet part of the command)',
    tests: [t('server/src/validation/validate.test.ts', 'IQ lists')],
  },
  {
    id: 'ISO-4.2.4',
    source: 'ISO 13485:2016',
    clause: '4.2.4',
    text: 'Documents approved before issue, current revision shown, obsolete ones prevented from use',
    feature: 'Document lifecycle: review, approval, effective date, supersession, obsoletion',
    tests: [
      t('server/src/modules/documents/documents.test.ts', 'becomes effective at once on approval'),
      t('server/src/modules/documents/documents.test.ts', 'obsoletes only with the QA manager'),
    ],
  },
  {
    id: 'ISO-4.2.5',
    source: 'ISO 13485:2016',
    clause: '4.2.5',
    text: 'Records protected, retrievable, changes identifiable',
    feature: 'Ledger with tamper detection; backup and restore',
    tests: [
      t('server/src/ledger/tamper.test.ts', 'verifies the untouched copy clean'),
      t('server/src/backup/backup.test.ts', 'restores into an empty directory'),
    ],
  },
  {
    id: 'ISO-6.2',
    source: 'ISO 13485:2016',
    clause: '6.2',
    text: 'Competence and training records',
    feature: 'Training assigned per document revision and role',
    tests: [t('server/src/modules/training/training.test.ts', 'are created for each named person')],
  },
  {
    id: 'ISO-7.5.9',
    source: 'ISO 13485:2016',
    clause: '7.5.9',
    text: 'Traceability of components and devices',
    feature: 'Lot genealogy from components to the shipped device and its customer',
    tests: [t('server/src/modules/trace/genealogy.test.ts', 'through a sub-assembly to the shipped device')],
  },
];
