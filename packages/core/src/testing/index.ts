export * from './feed-plugin';
