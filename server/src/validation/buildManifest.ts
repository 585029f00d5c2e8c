// `npm run build:manifest`: writes dist/manifest.json (see manifest.ts).
import { gitCommit } from './iq.ts';
import { MANIFEST_PATH, ROOT, writeManifest } from './manifest.ts';

const m = writeManifest(ROOT, MANIFEST_PATH, gitCommit(ROOT));
console.log(
  `wrote ${MANIFEST_PATH}: ${Object.keys(m.files).length} files, version ${m.version}${m.commit ? `, commit ${m.commit}` : ''}`,
);
