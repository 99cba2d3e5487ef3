// Checksums of migration files: SHA-256 of the text with line endings normalised, so a checkout that
// rewrites LF to CRLF (core.autocrlf on Windows) is not taken for an edit.
import { createHash } from 'node:crypto';

/** The text a checksum is taken of: CRLF and lone CR become LF, a leading UTF-8 byte-order mark is dropped. */
export function normaliseMigrationText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Hex SHA-256 of the normalised text. For a file already using LF this equals the SHA-256 of its bytes. */
export function migrationChecksum(text: string): string {
  return createHash('sha256').update(normaliseMigrationText(text), 'utf8').digest('hex');
}

/** Hex SHA-256 of the raw bytes: what `status` recorded before normalisation, still accepted as a match. */
export function rawChecksum(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
