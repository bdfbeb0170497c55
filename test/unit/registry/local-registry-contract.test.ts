import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { describeRegistryContract } from '../../support/registry-contract.js';

describeRegistryContract('local', () => ({
  async open() {
    const root = await mkdtemp(join(tmpdir(), 'registry-'));
    return {
      registry: new LocalModelRegistry({ root }),
      another: () => new LocalModelRegistry({ root }),
      artifactFile: (sha256) => join(root, 'blobs', 'sha256', sha256.slice(0, 2), sha256),
      loseAliasWrite: (modelId) => unlink(join(root, 'models', modelId, 'aliases.json')),
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  },
}));
