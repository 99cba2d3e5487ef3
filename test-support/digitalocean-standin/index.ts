// The DigitalOcean stand-in's public face: A2A World's account served and checked against DO's description.
export {
  a2aWorldFixtures,
  getDigitalOceanValidator,
  startDigitalOceanStandin,
  type DigitalOceanFixtures,
  type DigitalOceanStandin,
  type DigitalOceanStandinOptions
} from './standin.js';
export type { RecordedRequest, Violation } from '../openapi/validated-server.js';
