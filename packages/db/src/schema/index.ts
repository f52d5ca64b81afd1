export { apiTokens } from './api-tokens';
export { events } from './events';
export { forecastCache } from './forecast-cache';
export { ingestOffsets } from './ingest-offsets';
export { points } from './points';
export { projects } from './projects';
export { runs } from './runs';
export { series } from './series';
