import { defineStoreSuite } from './store-suite';
import { createTestStore } from './testing';

defineStoreSuite('sqlite', async () => createTestStore());
