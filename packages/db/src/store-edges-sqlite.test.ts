import { defineStoreEdges } from './store-edges-suite';
import { createTestStore } from './testing';

defineStoreEdges('sqlite', async () => createTestStore());
