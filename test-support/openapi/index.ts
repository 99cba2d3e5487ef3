// Checking HTTP traffic against OpenAPI descriptions, and a server that does it for API stand-ins.
export { loadOpenApiDocument, OpenApiValidator, type MatchFailure, type MatchedOperation, type OpenApiDocument } from './openapi-validator.js';
export {
  startValidatedServer,
  type RecordedRequest,
  type StandinHandler,
  type StandinRequest,
  type StandinResponse,
  type ValidatedServer,
  type ValidatedServerOptions,
  type Violation
} from './validated-server.js';
