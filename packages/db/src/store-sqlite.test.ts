import { defineReplaceFileSuite } from './replace-file-suite';
import { defineStoreSuite } from './store-suite';
import { createTestStore } from './testing';

defineStoreSuite('sqlite', async () => createTestStore());
defineReplaceFileSuite('sqlite', async () => createTestStore());
