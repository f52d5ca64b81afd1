export {
  apiTokens,
  events,
  forecastCache,
  ingestOffsets,
  points,
  projectScopes,
  projects,
  runs,
  series,
} from './tables';
